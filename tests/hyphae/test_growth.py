"""Counts over time, cycles and exponential rates (mfn/hyphae/growth.py), against known answers."""

import numpy as np
import pytest

from mfn.bench.networks import counts_per_frame
from mfn.hyphae.growth import default_window, exponential_rate, growth_counts, node_degree_times
from mfn.hyphae.network import HyphalNetwork

FUSION_LENGTH = 200.0 * np.sin(np.radians(60))
TIMES = np.array([0.0, 2.5, 3.0, 3.25, 6.25, 7.25, 8.25, 8.5, 20.0])


def test_planted_network_counts(planted):
    c = growth_counts(planted, TIMES)
    # main hypha: 30 µm per 0.25 h until 1000 µm at 8.5 h; branches from their births
    np.testing.assert_allclose(c.total_length[:3], [0.0, 300.0, 360.0])
    assert c.total_length[-1] == pytest.approx(1000 + 400 + 300 + FUSION_LENGTH, abs=1e-9)
    np.testing.assert_array_equal(c.free_ends, [0, 2, 2, 3, 4, 5, 5, 4, 4])  # spore end and tips
    np.testing.assert_array_equal(c.branch_points, [0, 0, 0, 1, 2, 3, 3, 4, 4])
    np.testing.assert_array_equal(c.anastomoses, [0, 0, 0, 0, 0, 0, 0, 1, 1])
    np.testing.assert_array_equal(c.components, [1] * 9)
    assert c.cut_ends.sum() == 0


def test_the_fusing_link_closes_the_cycle_at_its_time(planted):
    fuse_t = planted.edge_t.max()
    c = growth_counts(planted, [fuse_t - 1e-9, fuse_t])
    assert list(c.anastomoses) == [0, 1]
    assert list(c.free_ends) == [5, 4]  # the fusing tip is no longer an end


def test_counts_agree_with_a_per_frame_recount(planted):
    times = planted.times
    fast = growth_counts(planted, times)
    slow = counts_per_frame(planted, times)
    for name in ("total_length", "free_ends", "branch_points", "anastomoses", "components"):
        np.testing.assert_allclose(getattr(fast, name), slow[name], err_msg=name)


def test_cut_ends_are_not_free_ends(build):
    net = build(
        [{"start": (0.0, 50.0), "angle": 0.0, "length": 200.0, "birth": 0.0}], field=(-100.0, 0.0, 205.0, 100.0)
    )
    marked = HyphalNetwork.from_field(net.x, net.y, net.t, net.edges, net.hypha, field=net.field, margin=10.0)
    assert marked.cut.sum() == 1 and marked.cut[np.argmax(marked.x)]
    c = growth_counts(marked, [marked.t.max()])
    assert (c.free_ends[0], c.cut_ends[0]) == (1, 1)


def test_parallel_links_close_a_cycle_and_isolated_nodes_are_components():
    net = HyphalNetwork([0.0, 1.0, 5.0], [0.0, 0.0, 5.0], [0.0, 0.0, 0.0], [[0, 1], [1, 0]], [0, 1])
    c = growth_counts(net, [0.0])
    assert (c.anastomoses[0], c.components[0], c.links[0]) == (1, 2, 2)


def test_degree_times():
    net = HyphalNetwork([0, 1, 2, 1], [0, 0, 0, 1], [0.0, 1.0, 2.0, 3.0], [[0, 1], [1, 2], [1, 3]], [0, 0, 1])
    np.testing.assert_array_equal(node_degree_times(net)[1], [1.0, 2.0, 3.0])
    assert np.isinf(node_degree_times(net)[0, 1])


@pytest.mark.parametrize("rate", [0.05, 0.33, 1.2])
def test_an_exact_exponential_gives_its_rate_with_a_zero_width_interval(rate):
    t = np.arange(0.0, 20.0, 0.3)
    fit = exponential_rate(t, 3.0 * np.exp(rate * t), (5.0, 20.0))
    assert fit.rate == pytest.approx(rate, abs=1e-12)
    assert fit.high - fit.low == pytest.approx(0.0, abs=1e-9)
    assert fit.points == np.sum(t >= 5.0)


@pytest.mark.parametrize("noise", ["random walk", "independent"])
def test_the_interval_covers_the_rate_of_a_noisy_exponential(noise):
    rng = np.random.default_rng(3)
    t = np.arange(0.0, 15.0, 0.3)
    hits = 0
    for _ in range(200):
        e = rng.normal(0, 0.02, t.size)
        y = np.exp(0.3 * t + (np.cumsum(e) if noise == "random walk" else e))
        fit = exponential_rate(t, y, (0.0, 15.0))
        hits += fit.low <= 0.3 <= fit.high
    assert hits >= 180  # 95 % nominal: 190 expected for the random walk, more for independent noise


def test_too_few_points_give_nan_and_say_so():
    fit = exponential_rate([0.0, 1.0, 2.0], [0.0, 0.0, 5.0], (0.0, 2.0))
    assert np.isnan(fit.rate) and fit.points == 1
    assert default_window(np.array([0.0, 3.0, 9.0])) == (3.0, 9.0)
