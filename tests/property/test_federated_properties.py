import numpy as np
from hypothesis import given, settings
from hypothesis import strategies as st
from hypothesis.extra.numpy import arrays

from mfn.learning.plasticity import stdp_window
from mfn.robust.aggregators import hierarchical_krum, krum, krum_scores, median, pairwise_sq_distances, trimmed_mean

updates = st.integers(5, 30).flatmap(
    lambda n: arrays(np.float64, (n, 3), elements=st.floats(-1e3, 1e3, allow_nan=False, allow_infinity=False))
)


@settings(max_examples=80, deadline=None)
@given(updates, st.data())
def test_krum_returns_one_of_the_updates(u, data):
    f = data.draw(st.integers(0, (u.shape[0] - 3) // 2))
    chosen, index = krum(u, f, return_index=True)
    np.testing.assert_array_equal(chosen, u[index])
    scores = krum_scores(u, f)
    assert scores[index] == scores.min()


@settings(max_examples=80, deadline=None)
@given(updates, st.floats(0, 0.49), st.integers(0, 2**31))
def test_robust_aggregates_stay_in_the_coordinate_range(u, beta, seed):
    lo, hi = u.min(axis=0), u.max(axis=0)
    for out in (median(u), trimmed_mean(u, beta), hierarchical_krum(u, byzantine_fraction=beta, seed=seed)):
        assert np.all(out >= lo - 1e-9 * (1 + np.abs(lo))) and np.all(out <= hi + 1e-9 * (1 + np.abs(hi)))


@settings(max_examples=80, deadline=None)
@given(updates, st.integers(0, 2**31))
def test_distances_are_a_symmetric_nonnegative_matrix_invariant_to_shifts(u, seed):
    d = pairwise_sq_distances(u)
    assert np.all(d >= 0) and np.all(np.diag(d) == 0)
    np.testing.assert_allclose(d, d.T, rtol=1e-12, atol=1e-9)
    shift = np.random.default_rng(seed).uniform(-1e3, 1e3, 3)
    np.testing.assert_allclose(pairwise_sq_distances(u + shift), d, rtol=1e-6, atol=1e-6 * (1 + d.max()))


@given(st.floats(-1e308, 1e308, allow_nan=False))
def test_stdp_window_is_finite_and_signed_for_any_time_difference(dt):
    dw = float(stdp_window(dt))
    assert np.isfinite(dw) and abs(dw) <= 0.012
    assert np.sign(dw) == np.sign(dt)
