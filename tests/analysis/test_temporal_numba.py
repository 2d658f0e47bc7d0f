"""The compiled per-frame sums of the temporal features against the numpy ones they replace."""

import sys
import warnings

import numpy as np
import pytest

from mfn.analysis.features import FEATURE_NAMES, FeatureParams, feature_vector, features_from_state
from mfn.analysis.temporal import TemporalAccumulator, _numpy_sums
from mfn.analysis.temporal_numba import frame_stats, stack_stats
from mfn.core import backends
from mfn.core.errors import ParameterError
from mfn.models.classic.params import FieldParams
from mfn.simulation.simulation import Simulation

SHAPES = [(1, 1), (1, 5), (3, 2), (4, 4), (5, 7), (16, 9), (33, 32), (64, 64)]
PARAMS = [
    FeatureParams(),
    FeatureParams(threshold_mode="adaptive"),
    FeatureParams(threshold_mode="adaptive", connectivity=8, stability_window=3),
]


def _history(shape, frames, seed):
    """Frames that move, then stand still (so T_stable falls inside), with a few big jumps."""
    rng = np.random.default_rng(seed)
    steps = rng.normal(0.0, 0.5, (frames - 1, *shape))
    steps[frames // 2 :] = 0.0  # still from the middle on: a stable window
    steps[frames // 4] *= 40.0
    history = -70.0 + np.concatenate([rng.normal(0, 5, (1, *shape)), steps]).cumsum(axis=0)
    return np.clip(history, -95.0, 40.0)


def _temporal(history, params, backend):
    acc = TemporalAccumulator(history[0], params.stability_threshold, params.stability_window, backend=backend)
    acc.update_many(history[1:])
    assert acc.backend == backend
    return acc.result()


@pytest.mark.parametrize("shape", SHAPES)
@pytest.mark.parametrize("frames", [2, 3, 40])
def test_sums_equal_the_numpy_sums_to_rounding(shape, frames):
    history = _history(shape, frames, seed=frames).reshape(frames, -1)
    got = stack_stats(history[0], history[1:])
    expected = np.column_stack(_numpy_sums(np.diff(history, axis=0), history[1:]))
    assert got.shape == (frames - 1, 6) and expected.shape == (frames - 1, 5)
    np.testing.assert_array_equal(got[:, 3], expected[:, 3])  # max |d|: exact
    np.testing.assert_array_equal(got[:, 5], np.abs(history[1:]).max(axis=1))  # the peak |V_t|: exact
    for col in (1, 2, 4):  # sums of non-negative terms
        np.testing.assert_allclose(got[:, col], expected[:, col], rtol=1e-12, atol=0)
    # sum d cancels: its error is bounded by that of sum |d|
    np.testing.assert_allclose(got[:, 0], expected[:, 0], rtol=0, atol=1e-12 * (1.0 + expected[:, 2].max()))


@pytest.mark.parametrize("backend", ["numpy", "numba"])
@pytest.mark.parametrize("shape", [(1, 1), (5, 7), (33, 32)])
def test_online_and_offline_give_the_same_bits_with_either_backend(backend, shape):
    history = _history(shape, 30, seed=1)
    offline = _temporal(history, FeatureParams(), backend)
    acc = TemporalAccumulator(history[0] / 1e3, 0.001, 10, scale=1e3, backend=backend)
    for frame in history[1:]:
        acc.update(frame / 1e3)
    # frame / 1e3 * 1e3 is not always frame: compare with the history the accumulator saw
    seen = np.concatenate([history[:1] / 1e3, history[1:] / 1e3]) * 1e3
    assert acc.result() == _temporal(seen, FeatureParams(), backend)
    assert offline.steps == acc.result().steps == 29


@pytest.mark.parametrize("shape", SHAPES)
@pytest.mark.parametrize("params", PARAMS)
def test_all_features_equal_with_the_numba_and_numpy_sums(shape, params):
    history = _history(shape, 25, seed=shape[0] * 100 + shape[1])
    fast, ref = (_temporal(history, params, b) for b in ("numba", "numpy"))
    assert (fast.T_stable, fast.dV_max, fast.steps) == (ref.T_stable, ref.dV_max, ref.steps)
    assert ref.T_stable < ref.steps  # the still second half makes a stable window
    got, expected = (features_from_state(history[-1], t, params) for t in (fast, ref))
    for name in FEATURE_NAMES:
        assert float(got[name]) == pytest.approx(float(expected[name]), rel=1e-12, abs=1e-9), name


def test_fields_with_no_cell_above_the_thresholds():
    history = _history((12, 10), 20, seed=3) - 200.0  # far below -60 mV everywhere
    history = np.clip(history, -1e3, -70.0)
    params = FeatureParams()
    fast, ref = (_temporal(history, params, b) for b in ("numba", "numpy"))
    got, expected = (features_from_state(history[-1], t, params) for t in (fast, ref))
    assert float(got.f_active) == float(got.D_box) == int(got.N_clusters_low) == 0
    for name in FEATURE_NAMES:
        assert float(got[name]) == pytest.approx(float(expected[name]), rel=1e-12, abs=1e-9), name


@pytest.mark.parametrize("backend", ["numpy", "numba"])
@pytest.mark.parametrize(
    ("where", "value"),
    [
        ((1, 0, 0), np.nan),
        ((2, 3, 4), np.nan),
        ((2, 1, 1), np.copysign(np.nan, -1.0)),  # a NaN with its sign bit set
        ((3, 3, 4), np.inf),
        ((1, 2, 2), -np.inf),
        ((2, 0, 1), -2e6),
    ],
)
def test_update_many_reports_the_peak_and_non_finite_values(backend, where, value):
    history = _history((5, 5), 4, seed=0)
    acc = TemporalAccumulator(history[0], 0.001, 10, backend=backend)
    assert (
        TemporalAccumulator(history[0], 0.001, 10, backend=backend).update_many(history[1:])
        == np.abs(history[1:]).max()
    )
    history[where] = value
    history[where[0], -1, -1] = 1e5  # a larger finite value after a NaN must not hide it
    peak = acc.update_many(history[1:])
    if np.isnan(value):
        assert np.isnan(peak)
    else:
        assert peak == abs(value)
    assert acc.update_many(history[:0]) == 0.0


def test_frame_stats_writes_the_scaled_frame():
    rng = np.random.default_rng(0)
    V, prev = rng.normal(-0.07, 0.01, 20), rng.normal(-70, 10, 20)
    cur, diff = np.empty(20), np.empty(20)
    sums = frame_stats(V, 1e3, prev, cur, diff)
    np.testing.assert_array_equal(cur, V * 1e3)
    np.testing.assert_array_equal(diff, cur - prev)
    assert len(sums) == 6
    np.testing.assert_array_equal(sums, stack_stats(prev, cur.reshape(1, -1))[0])


@pytest.mark.parametrize(
    ("field", "fparams"),
    [
        (FieldParams(grid_size=(20, 28), steps=80, seed=1, ra=0.1, ri=0.001), FeatureParams(threshold_mode="adaptive")),
        (FieldParams(grid_size=16, steps=60, spike_probability=0.0, turing=False, boundary="neumann"), FeatureParams()),
    ],
)
def test_simulation_online_features_agree_across_backends(field, fparams):
    runs = {}
    for backend in ("numpy", "numba"):
        sim = Simulation(field, feature_params=fparams, backend=backend, lyapunov=False)
        sim.run()
        assert sim._temporal.backend == backend
        runs[backend] = sim.features().to_array().values
    np.testing.assert_allclose(runs["numba"], runs["numpy"], rtol=1e-12, atol=1e-9)


def test_without_numba_the_numpy_sums_are_used(monkeypatch):
    history = _history((8, 8), 12, seed=2)
    expected = feature_vector(history)
    monkeypatch.setitem(sys.modules, "numba", None)  # makes numba unimportable, as when it is absent
    monkeypatch.setattr(backends, "_notice_given", False)
    with pytest.warns(UserWarning, match=r"numba is not installed"):
        got = feature_vector(history)
    np.testing.assert_allclose(got, expected, rtol=1e-12, atol=1e-9)
    with warnings.catch_warnings():
        warnings.simplefilter("error")
        assert TemporalAccumulator(history[0], 0.001, 10).backend == "numpy"  # the notice is given once
    with pytest.raises(ParameterError, match="numba is not installed"):
        TemporalAccumulator(history[0], 0.001, 10, backend="numba")


def _read_only(h):
    h = h.copy()
    h.setflags(write=False)
    return h


@pytest.mark.parametrize(
    "layout",
    [_read_only, np.asfortranarray, lambda h: h[:, ::2, 1:], lambda h: h.astype(np.float32)],
    ids=["read-only", "fortran", "strided", "float32"],
)
def test_any_memory_layout_gives_the_numpy_results(layout):
    history = layout(_history((10, 12), 15, seed=5))
    params = FeatureParams()
    fast, ref = (_temporal(history, params, b) for b in ("numba", "numpy"))
    assert fast.T_stable == ref.T_stable and fast.dV_max == ref.dV_max
    assert fast.dV_mean == pytest.approx(ref.dV_mean, rel=1e-12)
    assert fast.E_trend == pytest.approx(ref.E_trend, rel=1e-12)
