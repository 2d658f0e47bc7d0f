"""The numpy reference of the mycelium against its invariants, and the numba path against it."""

import numpy as np
import pytest

from mfn import MyceliumParams, ParameterError
from mfn.models.mycelium.stepper import MyceliumStepper

FIELDS = ("occ", "born", "nutrient", "substrate", "u", "w")

CASES = [
    {"regime": "nutrient"},
    {"regime": "nutrient", "medium": "patchy", "n_inocula": 3, "spike_rate": 0.05, "patch_size": 8},
    {"regime": "nutrient", "medium": "gradient", "chemotropism": 1.0, "turn_sd": 30.0, "initial_tips": 3},
    {"regime": "rich", "branching": 0.4},
    {"regime": "diffusion_limited", "steps": 300, "spike_rate": 0.05},
]


def _run(backend, steps=None, chunks=(1,), **kw):
    p = MyceliumParams(grid_size=kw.pop("grid_size", 40), steps=steps or kw.pop("steps", 50), **kw)
    s = MyceliumStepper(p, backend)
    done = 0
    for chunk in chunks * p.steps:
        if done >= p.steps:
            break
        n = min(chunk, p.steps - done)
        s.advance(n)
        done += n
    return s


@pytest.mark.parametrize("case", CASES)
def test_numba_agrees_with_numpy_bit_for_bit(case):
    a = _run("numpy", **dict(case))
    b = _run("numba", chunks=(7,), **dict(case))
    for name in FIELDS:
        assert np.array_equal(getattr(a.state, name), getattr(b.state, name)), name
    assert a.totals() == b.totals() and a.state.n_tips == b.state.n_tips
    assert np.array_equal(a.tips(), b.tips())
    assert np.array_equal(a.tip_headings(), b.tip_headings())
    for name in ("tip_fy", "tip_fx", "tip_th"):
        assert np.array_equal(getattr(a.state, name)[: a.state.n_tips], getattr(b.state, name)[: b.state.n_tips])
    assert a.rng.random() == b.rng.random()  # both consumed the same draws
    assert a.totals()["growth_events"] > 20


@pytest.mark.parametrize("backend", ["numpy", "numba"])
def test_same_seed_same_colony_other_seed_other_colony(backend):
    a, b = _run(backend, seed=3), _run(backend, seed=3)
    c = _run(backend, seed=4)
    for name in FIELDS:
        assert np.array_equal(getattr(a.state, name), getattr(b.state, name))
    assert not np.array_equal(a.state.occ, c.state.occ)


def test_tip_bookkeeping_invariants_step_by_step():
    p = MyceliumParams(grid_size=48, steps=80, n_inocula=2, medium="patchy", patch_size=8, seed=1)
    s = MyceliumStepper(p, "numpy")
    tips_before = s.state.n_tips
    cells_before = s.state.n_cells
    for _ in range(p.steps):
        s.advance(1)
        last = s.last_step()
        tips = s.tips()
        assert np.all(s.state.occ[tips[:, 0], tips[:, 1]] == 1)  # a tip is always on a hypha
        # its cell is the one containing its position
        n_t = s.state.n_tips
        assert np.array_equal(np.floor(s.state.tip_fy[:n_t] + 0.5), tips[:, 0])
        assert np.array_equal(np.floor(s.state.tip_fx[:n_t] + 0.5), tips[:, 1])
        # every new tip is a branching, every lost one a fusion or a plate-edge stop
        assert s.state.n_tips == tips_before + last["branchings"] - last["anastomoses"] - last["edge_stops"]
        assert s.state.n_cells == cells_before + last["growth_events"]
        assert int(s.state.occ.sum()) == s.state.n_cells
        assert int((s.state.born == s.t).sum()) == last["growth_events"]
        tips_before, cells_before = s.state.n_tips, s.state.n_cells
    t = s.totals()
    assert t["branchings"] > 5 and t["anastomoses"] > 5


@pytest.mark.parametrize("case", CASES[:4])
def test_nutrient_is_conserved_to_round_off(case):
    s = _run("numpy", steps=60, **dict(case))
    assert abs(s.nutrient_total() - s.initial_total) <= 1e-9 * s.initial_total
    assert s.state.nutrient.min() >= 0.0 and s.state.substrate.min() >= 0.0
    assert np.all(s.state.substrate[s.state.occ == 0] == 0.0)


def test_variables_potential_is_nan_off_the_mycelium_and_rests_at_ghk():
    s = _run("numpy", steps=5, spike_rate=0.0)
    v = s.variable("V")
    on = s.state.occ == 1
    assert np.all(np.isnan(v[~on])) and np.all(np.isfinite(v[on]))
    assert np.allclose(v[on], s.params.E_rest)
    occ, factor = s.primary_raw()
    assert occ is s.state.occ and factor == 1.0
    with pytest.raises(ParameterError, match="variable"):
        s.variable("a")


def test_stimulus_spikes_a_hypha_only_and_is_counted():
    s = _run("numba", steps=40, spike_rate=0.0, grid_size=64)
    ys, xs = np.nonzero(s.state.occ == 0)
    assert s.stimulate(int(ys[0]), int(xs[0])) is False
    y, x = (int(v) for v in s.tips()[0])
    assert s.stimulate(y, x) is True
    s.advance(3)
    assert s.last_step()["spikes"] == 1
    v = s.variable("V")
    assert np.nanmax(v) > s.params.E_rest + 0.5 * s.params.spike_amplitude
    with pytest.raises(ParameterError, match="y"):
        s.stimulate(64, 0)


def test_dla_stops_once_the_launch_circle_leaves_the_plate():
    s = _run("numba", regime="diffusion_limited", grid_size=24, steps=3000, membrane_substeps=1)
    grown = s.state.n_cells
    s.advance(50)
    assert s.state.n_cells == grown and s.colony_radius() >= 24 / 2 - 6 - 1


def test_simulate_grows_a_default_colony_and_simulation_stimulates_it():
    import mfn

    run = mfn.simulate(MyceliumParams(grid_size=64, steps=40, spike_rate=0.0), record_every=10)
    assert run.attrs["model"] == "mycelium" and run.attrs["primary"] == "occupied"
    assert run.occupied.dims == ("time", "y", "x") and run.V.attrs["units"] == "mV"
    assert np.all(np.isnan(run.V.values[run.occupied.values == 0]))
    assert 1.0 < run.attrs["fractal_dimension"] == pytest.approx(run.attrs["box_dimension"])
    assert run.attrs["nutrient_balance_error"] <= 1e-9
    # a spike's speed on a straight hypha, near the Nagumo front speed sqrt(2 D k)(1/2 - a) per substep
    nagumo = (2 * 0.1 * 0.1) ** 0.5 * (0.5 - 0.07) * 20  # coupling 0.1, fhn_rate 0.1, threshold 0.07
    assert 0.85 * nagumo < run.attrs["spike_speed"] < 1.05 * nagumo
    assert mfn.colony_metrics(run).attrs["spike_speed"] == run.attrs["spike_speed"]
    assert np.all(np.diff(run.growth_events.values) >= 0)  # running totals
    sim = mfn.Simulation(MyceliumParams(grid_size=64, steps=40, spike_rate=0.0))
    sim.advance(30)
    tip = sim.stepper.tips()[0]
    sim.stimulate(int(tip[0]), int(tip[1]))
    sim.advance(2)
    assert sim.stepper.totals()["spikes"] == 1
