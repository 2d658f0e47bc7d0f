"""Aggregators under huge *finite* updates (1e150 .. 1e308): no overflow, no NaN, no attacker chosen."""

import numpy as np
import pytest

from mfn.robust.aggregators import (
    hierarchical_krum,
    krum,
    krum_scores,
    mean,
    median,
    multi_krum,
    pairwise_sq_distances,
    trimmed_mean,
)

HUGE = [1e150, 1e156, 1e200, 1e250, 1e300, -1e300, 1.7e308]


def _attacked(scale, n=20, dim=8, n_bad=1, seed=0):
    rng = np.random.default_rng(seed)
    honest = rng.normal(1.0, 0.5, (n, dim))
    x = honest.copy()
    x[:n_bad] = scale * np.sign(rng.normal(size=(n_bad, dim)))
    return x, honest[n_bad:]


@pytest.mark.parametrize("scale", HUGE)
def test_krum_never_picks_one_huge_attacker(scale):
    x, _ = _attacked(scale)
    _, index = krum(x, f=1, return_index=True)
    assert index != 0
    scores = krum_scores(x, f=1)
    assert not np.isnan(scores).any()
    assert np.argmin(scores) != 0
    assert scores[0] == np.inf or scores[0] > scores[1:].max()


@pytest.mark.parametrize("scale", HUGE)
def test_multi_krum_leaves_huge_attackers_out(scale):
    x, honest = _attacked(scale, n_bad=3)
    got = multi_krum(x, f=3)
    assert np.all(np.isfinite(got))
    np.testing.assert_allclose(got, honest.mean(axis=0), rtol=0, atol=0.6)
    np.testing.assert_allclose(multi_krum(x, f=3, m=17), honest.mean(axis=0), rtol=1e-12)


@pytest.mark.parametrize("scale", [1e150, 1e300])
def test_colluding_huge_attackers_lose(scale):
    x, honest = _attacked(scale, n=23, n_bad=10)
    x[:10] = x[0]  # ten identical attackers: distance 0 among themselves
    _, index = krum(x, f=10, return_index=True)
    assert index >= 10
    np.testing.assert_allclose(multi_krum(x, f=10, m=13), honest.mean(axis=0), rtol=1e-12)


@pytest.mark.parametrize("scale", [1e150, 1e300])
def test_distances_among_honest_keep_full_precision_beside_a_huge_attacker(scale):
    x, honest = _attacked(scale)
    d = pairwise_sq_distances(x)
    brute = ((honest[:, None, :] - honest[None, :, :]) ** 2).sum(axis=-1)
    np.testing.assert_allclose(d[1:, 1:], brute, rtol=1e-9, atol=1e-12)
    assert not np.isnan(d).any()
    with np.errstate(over="ignore"):
        true_far = ((x[0] - x[1]) ** 2).sum()  # inf when it exceeds the float range
    assert d[0, 1] == pytest.approx(true_far, rel=1e-9) or (np.isinf(true_far) and d[0, 1] == np.inf)


def test_tiny_updates_do_not_underflow_into_ties():
    x, _ = _attacked(1.0)
    tiny = x * 1e-170  # squared distances ~1e-340 underflow to 0 when computed naively
    assert krum(tiny, f=1, return_index=True)[1] == krum(x, f=1, return_index=True)[1] != 0
    np.testing.assert_allclose(multi_krum(tiny, f=1, m=5), multi_krum(x, f=1, m=5) * 1e-170, rtol=1e-12)


@pytest.mark.parametrize("scale", [1e300, 1.7e308])
def test_coordinate_wise_aggregators_stay_finite(scale):
    x, honest = _attacked(scale, n=21, n_bad=4)
    x[:4] = scale  # all on one side: a naive sum overflows
    for got in (median(x), trimmed_mean(x, beta=0.2), hierarchical_krum(x, num_clusters=1)):
        assert np.all(np.isfinite(got))
        assert np.all(np.abs(got - honest.mean(axis=0)) < 3.0)
    m = mean(x)
    assert np.all(np.isfinite(m))
    np.testing.assert_allclose(m, (4 * (scale / 21)) + honest.sum(axis=0) / 21, rtol=1e-12)


def test_mean_of_values_near_the_float_maximum_is_that_value():
    x = np.full((5, 3), 1.5e308)
    assert np.all(mean(x) == 1.5e308)
    assert np.all(multi_krum(x, f=1) == 1.5e308)
