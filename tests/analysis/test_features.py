import numpy as np
import pytest
import xarray as xr
from scipy import ndimage, stats

from mfn import FieldParams, ParameterError, Simulation, simulate
from mfn.analysis.feature_names import FEATURE_UNITS
from mfn.analysis.features import FEATURE_NAMES, FeatureParams, feature_vector, features
from mfn.analysis.fractal import box_dimension

RUN = simulate(FieldParams(grid_size=32, steps=40, seed=2))
ACTIVE = simulate(FieldParams(grid_size=32, steps=60, seed=1, ra=0.1, ri=0.001))


def _history(frames):
    return np.asarray(frames, dtype=np.float64)


def test_eighteen_features_in_spec_order_with_units():
    f = features(RUN)
    assert len(FEATURE_NAMES) == 18 and tuple(f.data_vars) == FEATURE_NAMES
    for name in FEATURE_NAMES:
        assert f[name].shape == () and f[name].attrs["units"] == FEATURE_UNITS[name]
        assert np.isfinite(float(f[name]))
    assert FEATURE_UNITS["V_mean"] == "mV" and FEATURE_UNITS["E_trend"] == "mV^2/step"
    assert f.attrs["source"] == "offline" and f.attrs["steps"] == 40


def test_feature_vector_equals_the_dataset():
    f = features(ACTIVE, FeatureParams(threshold_mode="adaptive"))
    v = feature_vector(ACTIVE, FeatureParams(threshold_mode="adaptive"))
    np.testing.assert_array_equal(v, [float(f[name]) for name in FEATURE_NAMES])


def test_moments_agree_with_scipy():
    f = features(ACTIVE)
    V = ACTIVE.V.values[-1].ravel()
    assert float(f.V_min) == V.min() and float(f.V_max) == V.max()
    np.testing.assert_allclose(float(f.V_mean), V.mean(), rtol=1e-12)
    np.testing.assert_allclose(float(f.V_std), V.std(), rtol=1e-12)
    np.testing.assert_allclose(float(f.V_skew), stats.skew(V), rtol=1e-9)
    np.testing.assert_allclose(float(f.V_kurt), stats.kurtosis(V, fisher=True), rtol=1e-9)


def test_temporal_features_agree_with_a_direct_numpy_computation():
    f = features(ACTIVE)
    h = ACTIVE.V.values
    d = np.diff(h, axis=0)
    np.testing.assert_allclose(float(f.dV_mean), np.abs(d).mean(), rtol=1e-12)
    assert float(f.dV_max) == np.abs(d).max()
    energy = (h**2).sum(axis=(1, 2))
    np.testing.assert_allclose(float(f.E_trend), np.polyfit(np.arange(len(h)), energy, 1)[0], rtol=1e-9)


def test_t_stable_is_the_first_step_of_the_stable_window():
    # Steps 1..5 change the field, steps 6.. leave it constant: stable from step 6.
    rng = np.random.default_rng(0)
    frames = [rng.normal(-70, 5, (8, 8)) for _ in range(6)]
    frames += [frames[-1]] * 15
    f = features(_history(frames))
    assert int(f.T_stable) == 6 and f.attrs["steps"] == 20
    # Never stable: T.
    g = features(_history([rng.normal(size=(8, 8)) for _ in range(12)]))
    assert int(g.T_stable) == 11
    # A window of 3 is reached sooner than one of 10 after a single change.
    h = _history([frames[0]] * 4 + [frames[1]] * 4)
    assert int(features(h, FeatureParams(stability_window=3)).T_stable) == 1
    assert int(features(h).T_stable) == 7


def test_structural_features_at_fixed_thresholds():
    V = np.full((16, 16), -70.0)
    V[2:5, 2:5] = -55.0  # 9 cells above -60, none above -50
    V[10, 10:14] = -45.0  # 4 cells above -50, none above -40
    V[0, 15] = -30.0  # 1 cell above -40
    f = features(_history([V, V]))
    assert float(f.f_active) == 14 / 256
    assert (int(f.N_clusters_low), int(f.N_clusters_med), int(f.N_clusters_high)) == (3, 2, 1)
    assert float(f.max_cluster_size) == 9.0
    np.testing.assert_allclose(float(f.cluster_size_std), np.std([9, 4, 1]))
    d, r2 = box_dimension(V > -60)
    assert float(f.D_box) == d and float(f.D_r2) == r2


def test_connectivity_eight_joins_diagonal_neighbours():
    V = np.full((8, 8), -70.0)
    V[np.arange(8), np.arange(8)] = -30.0
    four = features(_history([V]))
    eight = features(_history([V]), FeatureParams(connectivity=8))
    assert int(four.N_clusters_low) == 8 and int(eight.N_clusters_low) == 1
    assert float(eight.max_cluster_size) == 8.0 and eight.attrs["connectivity"] == 8
    assert ndimage.label(V > -60, ndimage.generate_binary_structure(2, 2))[1] == 1


def test_default_run_is_structurally_empty_at_fixed_thresholds_but_not_adaptive():
    run = simulate(FieldParams(grid_size=64, steps=100))
    fixed = features(run)
    adaptive = features(run, FeatureParams(threshold_mode="adaptive"))
    assert float(fixed.D_box) == 0.0 and float(fixed.f_active) == 0.0 and int(fixed.N_clusters_low) == 0
    assert float(adaptive.f_active) == pytest.approx(0.5, abs=0.01)
    assert float(adaptive.D_box) > 1.0 and int(adaptive.N_clusters_low) > 0
    V = run.V.values[-1]
    expected = np.percentile(V, [50, 75, 90])
    got = [adaptive.attrs[f"threshold_{k}"] for k in ("low", "med", "high")]
    np.testing.assert_allclose(got, expected)
    assert fixed.attrs["threshold_low"] == -60.0 and fixed.attrs["threshold_mode"] == "fixed"


def test_accepts_a_dataarray_and_an_array():
    f = features(RUN)
    for other in (features(RUN.V), features(RUN.V.values)):
        xr.testing.assert_identical(f, other)


def test_single_frame_history_has_zero_temporal_features():
    f = features(RUN.V.values[:1])
    assert (float(f.dV_mean), float(f.dV_max), int(f.T_stable), float(f.E_trend)) == (0.0, 0.0, 0, 0.0)


def test_run_without_one_frame_per_step_is_refused_with_a_hint():
    for record_every in (None, 5):
        run = simulate(FieldParams(grid_size=16, steps=20), record_every=record_every)
        with pytest.raises(ParameterError, match="record_every") as info:
            features(run)
        assert info.value.parameter == "run" and ".features()" in str(info.value)


@pytest.mark.parametrize(
    ("history", "match"),
    [
        (np.zeros((4, 4)), "3-D"),
        (np.full((2, 4, 4), np.nan), "finite"),
        (np.full((2, 4, 4), np.inf), "finite"),
        (np.full((2, 4, 4), 2e6), "1e\\+06"),
        (np.where(np.arange(32).reshape(2, 4, 4) == 5, np.nan, -70.0), "finite"),  # in frame 0 only
        (np.where(np.arange(48).reshape(3, 4, 4) == 40, -np.inf, -70.0), "finite"),  # in the last frame only
        (np.where(np.arange(48).reshape(3, 4, 4) == 20, 3e6, -70.0), "3e\\+06"),
        (np.zeros((2, 0, 4)), "M, N >= 1"),
        ("abc", "real numbers"),
    ],
)
def test_bad_histories_are_refused(history, match):
    with pytest.raises(ParameterError, match=match):
        features(history)


def test_box_settings_that_do_not_fit_the_field_are_refused():
    with pytest.raises(ParameterError, match="max_box"):
        features(RUN, FeatureParams(max_box=64))


def test_params_must_be_feature_params():
    with pytest.raises(ParameterError, match="params"):
        features(RUN, {"threshold_mode": "adaptive"})


ONLINE_CASES = [
    (FieldParams(grid_size=24, steps=50, seed=4), FeatureParams()),
    (FieldParams(grid_size=(20, 28), steps=80, seed=1, ra=0.1, ri=0.001), FeatureParams(threshold_mode="adaptive")),
    (FieldParams(grid_size=16, steps=40, jitter_var=0.0005, boundary="dirichlet"), FeatureParams(connectivity=8)),
    (FieldParams(grid_size=16, steps=60, spike_probability=0.0, turing=False, boundary="neumann"), FeatureParams()),
]


@pytest.mark.parametrize(("field", "fparams"), ONLINE_CASES)
def test_online_features_equal_offline(field, fparams):
    sim = Simulation(field, feature_params=fparams)
    run = sim.run(record_every=1)
    online, offline = sim.features(), features(run, fparams)
    assert online.attrs["source"] == "online" and offline.attrs["source"] == "offline"
    assert {k: v for k, v in online.attrs.items() if k != "source"} == {
        k: v for k, v in offline.attrs.items() if k != "source"
    }
    for name in FEATURE_NAMES:
        on, off = float(online[name]), float(offline[name])
        assert on == pytest.approx(off, rel=1e-9, abs=1e-12), name
        assert online[name].attrs == offline[name].attrs


def test_online_features_need_no_history_and_ignore_how_the_run_was_stepped():
    field = FieldParams(grid_size=16, steps=30, seed=7)
    a = Simulation(field)
    a.run(record_every=None)
    b = Simulation(field)
    for _ in range(30):
        b.step()
    xr.testing.assert_identical(a.features(), b.features())
    assert features(b).attrs["source"] == "online"


def test_online_memory_does_not_grow_with_steps():
    sim = Simulation(FieldParams(grid_size=16, steps=2000), lyapunov=False)
    acc = sim._temporal

    def footprint():
        return sum(getattr(acc, name).nbytes for name in acc.__slots__ if isinstance(getattr(acc, name), np.ndarray))

    sim.step(5)
    before = footprint()
    sim.step(1995)
    assert footprint() == before == 3 * 16 * 16 * 8
    assert sim.features().attrs["steps"] == 2000


def test_online_stability_settings_are_fixed_at_construction():
    sim = Simulation(FieldParams(grid_size=8, steps=5), feature_params=FeatureParams(stability_window=3))
    sim.step(5)
    assert sim.features(FeatureParams(stability_window=3, threshold_mode="adaptive")).attrs["stability_window"] == 3
    with pytest.raises(ParameterError, match="feature_params"):
        sim.features(FeatureParams())
    with pytest.raises(ParameterError, match="feature_params"):
        Simulation(feature_params={"connectivity": 8})


def test_online_features_can_be_switched_off():
    sim = Simulation(FieldParams(grid_size=8, steps=3), online_features=False)
    run = sim.run()
    with pytest.raises(ParameterError, match="online_features"):
        sim.features()
    assert features(run).attrs["steps"] == 3


def test_features_report_the_raw_box_slope_and_whether_it_was_clipped():
    history = np.full((2, 7, 16), -70.0)
    history[-1, 1, 15] = -30.0  # one active cell where the box-counting fit overshoots 2
    f = features(history)
    assert float(f.D_box) == 2.0 and f.attrs["D_box_clipped"] == 1 and f.attrs["D_box_raw"] > 2.7
    g = features(np.full((2, 16, 16), -30.0))
    assert float(g.D_box) == 2.0 and g.attrs["D_box_clipped"] == 0


def test_t_stable_says_whether_a_stable_window_was_reached_online_and_offline():
    quiet = FieldParams(grid_size=16, steps=300, spike_probability=0.0, turing=False)
    busy = quiet.replace(spike_probability=0.25)
    for params, reached in ((quiet, True), (busy, False)):
        sim = Simulation(params, lyapunov=False)
        sim.step(params.steps)
        online = sim.features()
        offline = features(simulate(params))
        assert online.attrs["T_stable_reached"] == offline.attrs["T_stable_reached"] == int(reached)
        assert int(online.T_stable) == int(offline.T_stable)
        if reached:  # a real step: the window fits inside the run
            assert int(online.T_stable) <= params.steps - online.attrs["stability_window"] + 1
        else:
            assert int(online.T_stable) == params.steps
