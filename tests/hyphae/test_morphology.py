"""Branching angles, internodes, tortuosity and apex speeds (mfn/hyphae/morphology.py) on known networks."""

import numpy as np
import pytest

from mfn.hyphae.morphology import apex_speeds, branchings, internodes, tortuosity
from mfn.hyphae.paths import hypha_paths

FUSION_LENGTH = 200.0 * np.sin(np.radians(60))


def test_planted_branching_angles_and_times(planted):
    found = branchings(planted, hypha_paths(planted), angle_length=40.0)
    order = np.argsort(found.time)
    # 60 degrees at x = 300, 90 at x = 600, and the fusing hypha leaves branch 1 at 150 degrees
    np.testing.assert_allclose(found.angle[order], [60.0, 90.0, 150.0], atol=1e-9)
    np.testing.assert_allclose(found.time[order], [3.25, 6.25, 7.25])


@pytest.mark.parametrize("angle", [20.0, 45.0, 75.0, 90.0, 120.0])
@pytest.mark.parametrize("side", [1.0, -1.0])
def test_any_angle_either_side(build, angle, side):
    net = build(
        [
            {"start": (0.0, 0.0), "angle": 30.0, "length": 500.0, "birth": 0.0},
            {"start": ("on", 0, 20), "angle": 30.0 + side * angle, "length": 100.0, "birth": 5.0},
        ]
    )
    found = branchings(net, hypha_paths(net), angle_length=40.0)
    np.testing.assert_allclose(found.angle, [angle], atol=1e-9)


def test_a_curved_first_stretch_is_measured_over_the_stated_length(build):
    # the branch leaves at 90 degrees for 10 µm, then turns to 45 degrees: measured over 40 µm
    # its chord sits between the two, over 10 µm it reads the first pixel's 90
    main = {"start": (0.0, 0.0), "angle": 0.0, "length": 400.0, "birth": 0.0}
    stub = {"start": ("on", 0, 20), "angle": 90.0, "length": 10.0, "birth": 3.0}
    rest = {"start": ("on", 1, 1), "angle": 45.0, "length": 200.0, "birth": 3.0}
    net = build([main, stub, rest])
    # stub and rest are one hypha: give them one id
    hypha = np.where(net.hypha == 2, 1, net.hypha)
    from mfn.hyphae.network import HyphalNetwork

    net = HyphalNetwork(net.x, net.y, net.t, net.edges, hypha)
    short = branchings(net, hypha_paths(net), angle_length=10.0).angle
    long = branchings(net, hypha_paths(net), angle_length=40.0).angle
    chord = np.degrees(np.arctan2(10 + 30 * np.sin(np.radians(45)), 30 * np.cos(np.radians(45))))
    np.testing.assert_allclose(short, [90.0], atol=1e-9)
    np.testing.assert_allclose(long, [chord], atol=1e-6)


def test_branches_shorter_than_the_angle_length_are_left_out(build):
    net = build(
        [
            {"start": (0.0, 0.0), "angle": 0.0, "length": 300.0, "birth": 0.0},
            {"start": ("on", 0, 10), "angle": 90.0, "length": 30.0, "birth": 3.0},
        ]
    )
    assert branchings(net, hypha_paths(net), angle_length=40.0).angle.size == 0
    assert branchings(net, hypha_paths(net), angle_length=30.0).angle.size == 1


def test_planted_internodes_and_tortuosity(planted):
    paths = hypha_paths(planted)
    np.testing.assert_allclose(np.sort(internodes(planted, paths)), [100.0, FUSION_LENGTH, 200.0, 200.0])
    np.testing.assert_allclose(tortuosity(planted, paths), [1.0] * 4)


def test_tortuosity_of_a_bent_hypha(build):
    # two legs of 100 µm at right angles: arc 200, chord 100 * sqrt(2)
    net = build(
        [
            {"start": (0.0, 0.0), "angle": 0.0, "length": 100.0, "birth": 0.0},
            {"start": ("on", 0, 10), "angle": 90.0, "length": 100.0, "birth": 1.0},
        ]
    )
    from mfn.hyphae.network import HyphalNetwork

    one = HyphalNetwork(net.x, net.y, net.t, net.edges, np.zeros(net.n_edges, dtype=int))
    np.testing.assert_allclose(tortuosity(one, hypha_paths(one)), [np.sqrt(2.0)])


def test_planted_apex_speeds(planted):
    speed, when = apex_speeds(planted, hypha_paths(planted), max_gap=0.75)
    # 30 µm per 0.25 h = 2 µm/min while growing; each hypha's last interval is a partial one
    assert np.median(speed) == pytest.approx(2.0)
    assert np.all(speed <= 2.0 + 1e-12) and np.sum(np.isclose(speed, 2.0)) >= speed.size - 4
    assert when.min() > 0.25  # the first growth of a hypha (its emergence) is not a speed


def test_a_stalled_tip_is_not_a_speed(build):
    net = build([{"start": (0.0, 0.0), "angle": 0.0, "length": 90.0, "birth": 0.0}])
    from mfn.hyphae.network import HyphalNetwork

    t = np.where(net.x > 65.0, net.t + 5.0, net.t)  # the last nodes come 5 h later
    stalled = HyphalNetwork(net.x, net.y, t, net.edges, net.hypha)
    speed, _ = apex_speeds(stalled, hypha_paths(stalled), max_gap=1.0)
    np.testing.assert_allclose(speed, [2.0])
