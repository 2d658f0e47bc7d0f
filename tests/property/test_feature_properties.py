import numpy as np
import pytest
from hypothesis import HealthCheck, given, settings
from hypothesis import strategies as st
from hypothesis.extra.numpy import arrays

from mfn import FEATURE_NAMES, FeatureParams, FieldParams, Simulation, box_dimension, feature_vector
from mfn.analysis.fractal import box_fit

feature_params = st.builds(
    FeatureParams,
    threshold_mode=st.sampled_from(["fixed", "adaptive"]),
    connectivity=st.sampled_from([4, 8]),
    num_scales=st.integers(3, 10),
    stability_window=st.integers(1, 12),
)
shapes = st.tuples(st.integers(1, 6), st.integers(1, 20), st.integers(1, 20))
potentials = st.floats(-1e6, 1e6, allow_nan=False, allow_infinity=False)


def _check(vector):
    assert vector.shape == (len(FEATURE_NAMES),)
    assert np.all(np.isfinite(vector)), dict(zip(FEATURE_NAMES, vector, strict=True))
    named = dict(zip(FEATURE_NAMES, vector, strict=True))
    assert 0.0 <= named["D_box"] <= 2.0 and 0.0 <= named["D_r2"] <= 1.0 and 0.0 <= named["f_active"] <= 1.0
    assert named["V_min"] <= named["V_mean"] <= named["V_max"] and named["V_std"] >= 0.0
    assert 0 <= named["T_stable"] and named["dV_mean"] <= named["dV_max"]


@settings(max_examples=80, deadline=None, suppress_health_check=[HealthCheck.too_slow])
@given(shapes.flatmap(lambda s: arrays(np.float64, s, elements=potentials)), feature_params)
def test_random_histories_give_finite_features(history, params):
    _check(feature_vector(history, params))


@settings(max_examples=40, deadline=None)
@given(shapes, st.floats(-95, 40), feature_params)
def test_constant_fields_give_finite_features(shape, value, params):
    vector = feature_vector(np.full(shape, value), params)
    _check(vector)
    named = dict(zip(FEATURE_NAMES, vector, strict=True))
    assert named["V_std"] == named["V_skew"] == named["V_kurt"] == named["dV_max"] == 0.0


@settings(max_examples=40, deadline=None)
@given(shapes, st.data(), st.floats(-95, 40), feature_params)
def test_single_active_cell_and_empty_fields_give_finite_features(shape, data, value, params):
    history = np.full(shape, -70.0)
    y, x = data.draw(st.integers(0, shape[1] - 1)), data.draw(st.integers(0, shape[2] - 1))
    empty = feature_vector(history, params)
    _check(empty)
    history[-1, y, x] = value
    _check(feature_vector(history, params))


@settings(max_examples=25, deadline=None, suppress_health_check=[HealthCheck.too_slow])
@given(
    st.builds(
        FieldParams,
        grid_size=st.integers(4, 12),
        steps=st.integers(1, 25),
        spike_probability=st.floats(0, 1),
        ra=st.floats(0.001, 0.1),
        ri=st.floats(0.001, 0.1),
        jitter_var=st.floats(0, 0.01),
        boundary=st.sampled_from(["periodic", "neumann", "dirichlet"]),
        seed=st.integers(0, 2**16),
    ),
    feature_params,
)
def test_any_run_gives_finite_features_online_and_finite_lyapunov(field, params):
    params = FeatureParams(threshold_mode=params.threshold_mode, connectivity=params.connectivity)
    sim = Simulation(field, feature_params=params)
    run = sim.run(record_every=None)
    _check(sim.features().to_array().values)
    assert np.isfinite(run.attrs["lyapunov"]) and run.attrs["lyapunov"] <= 1e-9


@settings(max_examples=60, deadline=None)
@given(arrays(bool, st.tuples(st.integers(1, 40), st.integers(1, 40))), st.integers(3, 10))
def test_box_dimension_is_the_raw_slope_clipped_and_flagged(mask, num_scales):
    fit = box_fit(mask, num_scales=num_scales)
    assert box_dimension(mask, num_scales=num_scales) == (fit.dimension, fit.r2)
    assert fit.dimension == min(max(fit.raw_slope, 0.0), 2.0)
    assert fit.clipped == (not -1e-9 <= fit.raw_slope <= 2.0 + 1e-9) and 0.0 <= fit.r2 <= 1.0


@settings(max_examples=60, deadline=None)
@given(arrays(bool, st.tuples(st.integers(16, 40), st.integers(16, 40))))
def test_box_counting_is_scale_invariant(mask):
    """Each cell drawn as a 2x2 block, counted with boxes twice as large: the same counts, the same raw slope."""
    fit = box_fit(mask, min_box=2, max_box=16, num_scales=4)
    big = box_fit(np.kron(mask, np.ones((2, 2), bool)), min_box=4, max_box=32, num_scales=4)
    assert list(big.sizes) == [2 * s for s in fit.sizes] == [4, 8, 16, 32]
    np.testing.assert_array_equal(big.counts, fit.counts)
    assert big.raw_slope == pytest.approx(fit.raw_slope, abs=1e-12) and big.clipped == fit.clipped
