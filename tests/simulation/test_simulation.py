import numpy as np
import pytest

from mfn import FieldParams, ParameterError, Simulation, simulate

SMALL = FieldParams(grid_size=32, steps=50, seed=3)
ACTIVE_KINETICS = {"ra": 0.1, "ri": 0.001}


def test_run_layout_units_and_attrs():
    run = simulate(SMALL)
    assert run.V.dims == ("time", "y", "x") and run.V.dtype == np.float64
    assert run.sizes == {"time": 51, "y": 32, "x": 32, "event": run.sizes["event"]}
    assert list(run.time.values) == list(range(51))
    assert run.V.attrs["units"] == "mV" and run.V_mean.attrs["units"] == "mV"
    for name in ("growth_events", "turing_activations", "clamped_cells", "V_mean"):
        assert run[name].dims == ("time",) and "long_name" in run[name].attrs
    for name, value in SMALL.to_attrs().items():
        assert run.attrs[name] == value
    for key in ("mfn_version", "backend", "created", "duration_s", "growth_events_total"):
        assert key in run.attrs
    assert run.attrs["duration_s"] > 0


def test_frame_zero_is_the_documented_initial_state():
    run = simulate(FieldParams(grid_size=64, steps=1))
    v0 = run.V.isel(time=0)
    assert float(v0.mean()) == pytest.approx(-70.0, abs=0.5)
    assert float(v0.std()) == pytest.approx(5.0, abs=0.3)


def test_events_agree_with_counters():
    run = simulate(FieldParams(grid_size=16, steps=400, spike_probability=0.5, seed=9))
    total = run.attrs["growth_events_total"]
    assert run.sizes["event"] == total == int(run.growth_events[-1])
    assert np.all(np.diff(run.growth_events.values) >= 0)
    steps_with_event = np.flatnonzero(np.diff(run.growth_events.values)) + 1
    assert np.array_equal(steps_with_event, run.event_step.values)
    assert np.all((run.event_y < 16) & (run.event_x < 16))
    assert float(run.event_amplitude.mean()) == pytest.approx(20.0, abs=1.5)


@pytest.mark.parametrize("p", [0.1, 0.25, 0.5])
def test_growth_event_rate_is_p_times_steps(p):
    steps = 4000
    sim = Simulation(FieldParams(grid_size=8, steps=steps, spike_probability=p, turing=False, seed=1))
    sim.step(steps)
    sd = np.sqrt(steps * p * (1 - p))
    assert abs(sim.growth_events_total - p * steps) < 5 * sd


@pytest.mark.parametrize("p", [0.0, 1.0])
def test_growth_event_extremes(p):
    sim = Simulation(FieldParams(grid_size=8, spike_probability=p))
    sim.step(50)
    assert sim.growth_events_total == int(50 * p)


@pytest.mark.parametrize("boundary", ["periodic", "neumann", "dirichlet"])
def test_pure_diffusion_shrinks_variance_monotonically(boundary):
    params = FieldParams(grid_size=32, steps=300, spike_probability=0.0, turing=False, boundary=boundary)
    variance = simulate(params).V.var(("y", "x")).values
    assert np.all(np.diff(variance) < 0)
    assert variance[-1] < 0.01 * variance[0]


@pytest.mark.parametrize("boundary", ["periodic", "neumann"])
def test_pure_diffusion_conserves_the_mean_without_fixed_edges(boundary):
    params = FieldParams(grid_size=(24, 16), steps=500, spike_probability=0.0, turing=False, boundary=boundary)
    means = simulate(params, record_every=100).V.mean(("y", "x")).values
    assert np.ptp(means) < 1e-9


def test_dirichlet_edges_pull_the_field_to_rest():
    params = FieldParams(grid_size=16, steps=3000, spike_probability=0.0, turing=False, boundary="dirichlet")
    sim = Simulation(params)
    sim.stepper.V += 0.010  # start 10 mV above rest everywhere
    sim.step(3000)
    assert np.abs(sim.V + 70.0).max() < 0.5


def test_turing_at_default_kinetics_never_fires_so_on_equals_off():
    # docs/models.md: at the default kinetics the activator peaks near 0.09, far below 0.75
    on = Simulation(FieldParams(grid_size=32, turing=True, seed=5))
    off = Simulation(FieldParams(grid_size=32, turing=False, seed=5))
    on.step(1000)
    off.step(1000)
    assert on.turing_activations_total == 0
    assert on.state.a.max() < 0.5
    assert np.array_equal(on.V, off.V)


def test_turing_with_activating_kinetics_changes_the_field():
    on = simulate(FieldParams(grid_size=32, steps=1000, seed=5, **ACTIVE_KINETICS), record_every=None)
    off = simulate(FieldParams(grid_size=32, steps=1000, seed=5, turing=False, **ACTIVE_KINETICS), record_every=None)
    assert on.attrs["turing_activations_total"] > 10_000
    assert float(np.abs(on.V - off.V).mean()) > 50.0


@pytest.mark.parametrize("alpha", [0.01, 0.18, 0.24, 0.2499])
def test_1000_steps_never_reach_the_clamp_and_the_mean_moves_by_the_events_charge(alpha):
    """Stable for 1000 steps at any valid alpha, judged where the clamp cannot hide a blow-up."""
    sim = Simulation(FieldParams(grid_size=24, steps=1000, alpha=alpha, spike_probability=0.5, seed=2), lyapunov=False)
    mean0 = float(sim.V.mean())
    sim.step(1000)
    assert sim.clamped_cells_total == 0 and np.all(np.isfinite(sim.V))
    charge = sum(amplitude for *_, amplitude in sim.events) / sim.V.size  # periodic: diffusion keeps the mean
    assert float(sim.V.mean()) - mean0 == pytest.approx(charge, abs=1e-9)


def test_noise_run_is_bounded_and_clamps_are_counted():
    run = simulate(FieldParams(grid_size=16, steps=500, jitter_var=0.01, seed=4), record_every=25)
    assert float(run.V.min()) >= -95.0 and float(run.V.max()) <= 40.0
    assert run.attrs["clamped_cells_total"] > 0
    assert int(run.clamped_cells.sum()) == run.attrs["clamped_cells_total"]


@pytest.mark.parametrize("boundary", ["periodic", "neumann", "dirichlet"])
def test_same_params_and_seed_give_bit_identical_runs(boundary):
    params = FieldParams(grid_size=(12, 20), steps=60, jitter_var=0.0005, boundary=boundary, seed=11, **ACTIVE_KINETICS)
    a, b = simulate(params, variables="all"), simulate(params, variables="all")
    for name in ("V", "a", "i", "event_amplitude", "turing_activations"):
        assert np.array_equal(a[name].values, b[name].values)
    assert not np.array_equal(a.V.values, simulate(params.replace(seed=12)).V.values)


def test_stepping_pattern_does_not_change_the_random_stream():
    params = FieldParams(grid_size=8, steps=2100, spike_probability=0.3, jitter_var=0.001, seed=6)
    one, chunked = Simulation(params), Simulation(params)
    for _ in range(2100):
        one.step()
    chunked.step(1000)
    chunked.step(1100)
    assert np.array_equal(one.V, chunked.V) and one.events == chunked.events


def test_record_every_keeps_first_and_last_frames_and_all_counts():
    params = FieldParams(grid_size=16, steps=25, jitter_var=0.01, seed=8)
    full, sparse = simulate(params), simulate(params, record_every=10)
    assert list(sparse.time.values) == [0, 10, 20, 25]
    np.testing.assert_array_equal(sparse.V.values, full.V.sel(time=[0, 10, 20, 25]).values)
    assert int(sparse.clamped_cells.sum()) == int(full.clamped_cells.sum())
    assert list(sparse.growth_events.values) == list(full.growth_events.sel(time=[0, 10, 20, 25]).values)


def test_record_every_none_keeps_only_the_final_frame():
    params = FieldParams(grid_size=16, steps=40, seed=8)
    final = simulate(params, record_every=None)
    assert list(final.time.values) == [40]
    np.testing.assert_array_equal(final.V.values[0], simulate(params).V.values[-1])
    assert final.attrs["record_every"] == 0


def test_frames_generator_and_state():
    sim = Simulation(FieldParams(grid_size=8, steps=10))
    frames = list(sim.frames(every=4))
    assert [t for t, _ in frames] == [0, 4, 8, 10]
    assert sim.t == 10 and np.array_equal(frames[-1][1], sim.state.V)
    state = sim.state
    state.V[:] = 0  # a copy: the simulation is unaffected
    assert sim.V.min() < -50


def test_step_returns_last_step_metrics():
    sim = Simulation(FieldParams(grid_size=8, spike_probability=1.0))
    result = sim.step(3)
    assert result.t == 3 and result.growth_events == 1 and result.V_mean == pytest.approx(float(sim.V.mean()))


@pytest.mark.parametrize(
    ("call", "name"),
    [
        (lambda: Simulation(FieldParams()).step(0), "n"),
        (lambda: Simulation(FieldParams()).step(1.5), "n"),
        (lambda: simulate(FieldParams(steps=2), record_every=0), "record_every"),
        (lambda: simulate({"alpha": 0.1}), "params"),
        (lambda: simulate(FieldParams(steps=2), backend="cuda"), "backend"),
        (lambda: list(Simulation(FieldParams()).frames(every=0)), "every"),
    ],
)
def test_bad_arguments_raise_parameter_error(call, name):
    with pytest.raises(ParameterError) as info:
        call()
    assert info.value.parameter == name
