"""The mycelium's reference step against its invariants, and the compiled step against it."""

import math

import numpy as np
import pytest

import mfn
from mfn import MyceliumParams, ParameterError
from mfn.models.mycelium import geometry, membrane
from mfn.models.mycelium.state import C_EVENTS, C_NODES, C_TIPS, N_PREV
from mfn.models.mycelium.stepper import MyceliumStepper

CHEAP_MEMBRANE = {"space_constant": 300.0, "membrane_dt": 0.5, "inactivation_time": 10.0}
"""A membrane whose explicit substep may be long (few substeps), for spiking runs in the reference."""

CASES = [
    {},
    {"medium": "patchy", "patch_size": 600.0, "inoculum": "points", "n_inocula": 3, "nutrient": 60.0},
    {"medium": "gradient", "turn_sd": 20.0, "second_germ_tube": 1.0, "fusion_probability": 1.0},
    {"inoculum": "plug", "plug_radius": 200.0, "lateral_branching": 6.0},
    {"regime": "rich", "steps": 90},
    {"regime": "diffusion_limited", "steps": 400},
    {"spike_rate": 12.0, "steps": 40, **CHEAP_MEMBRANE},
]


def _run(backend, chunks=(1,), **kw):
    p = MyceliumParams(grid_size=kw.pop("grid_size", 48), steps=kw.pop("steps", 150), **kw)
    s = MyceliumStepper(p, backend)
    done = 0
    for chunk in chunks * p.steps:
        if done >= p.steps:
            break
        n = min(chunk, p.steps - done)
        s.advance(n)
        done += n
    return s


def _differing(a, b):
    return [name for name, x, y in zip(a.world._fields, a.world, b.world, strict=True) if not np.array_equal(x, y)]


@pytest.mark.parametrize("case", CASES, ids=lambda c: ",".join(f"{k}={v}" for k, v in c.items()) or "defaults")
def test_numba_agrees_with_numpy_bit_for_bit(case):
    a = _run("numpy", **dict(case))
    b = _run("numba", chunks=(37,), **dict(case))
    assert _differing(a, b) == []
    assert a.totals() == b.totals() and a.grown == b.grown
    assert a.rng.random() == b.rng.random()  # both consumed the same draws
    assert a.world.cnt[C_NODES] > 20


def test_the_chosen_cases_exercise_every_event():
    totals = {k: 0 for k in _run("numba").totals()}
    for case in CASES:
        for k, v in _run("numba", **dict(case)).totals().items():
            totals[k] += v
    assert all(v > 0 for v in totals.values()), totals


@pytest.mark.parametrize("backend", ["numpy", "numba"])
def test_same_seed_same_colony_other_seed_other_colony(backend):
    a, b, c = (_run(backend, steps=90, seed=seed) for seed in (3, 3, 4))
    assert _differing(a, b) == []
    assert not np.array_equal(a.world.occ, c.world.occ)


def test_steps_in_chunks_equal_steps_at_once():
    """The compiled call returns early when a table is full; the stepper grows it and goes on."""
    assert _differing(_run("numba", chunks=(1, 5, 200)), _run("numba", chunks=(1000,))) == []


def test_bookkeeping_step_by_step():
    p = MyceliumParams(grid_size=64, steps=300, nutrient=60.0, lateral_branching=6.0, seed=1)
    s = MyceliumStepper(p, "numba")  # the same bits as the reference (above), faster
    tips = s.world.cnt[C_TIPS]
    for _ in range(s.params.steps):
        s.advance(1)
        w, last = s.world, s.last_step()
        n = w.cnt[C_TIPS]
        # every new tip is a branch, every lost one a fusion or a stop at the field edge
        born = last["lateral_branchings"] + last["apical_branchings"]
        assert n == tips + born - last["anastomoses"] - last["edge_stops"]
        tips = n
        # a tip stands on a node inside the field, on a hypha of the lattice picture
        xy = w.nxy[w.tint[:n, 0]]
        assert np.all((xy >= 0) & (xy <= s.params.field_um))
        cells = s.tips()
        assert np.all(w.occ[cells[:, 0], cells[:, 1]] == 1)
    totals = s.totals()
    assert w.cnt[C_EVENTS] == totals["anastomoses"] + totals["crossings"]
    assert s.hyphal_length() == pytest.approx(s.grown, rel=1e-12)
    # the network adds one link per anastomosis: fusing tip to the nearer end of the touched segment
    net = s.network()
    fusion = net.lengths[-totals["anastomoses"] :]
    assert net.lengths.sum() == pytest.approx(s.grown + fusion.sum(), rel=1e-12)
    assert fusion.max() <= 0.5 * s.params.tip_speed * s.params.time_step + s.params.hyphal_diameter
    assert totals["anastomoses"] > 0 and totals["crossings"] > 0 and totals["lateral_branchings"] > 20


@pytest.mark.parametrize("case", CASES[:5], ids=lambda c: ",".join(c) or "defaults")
def test_nutrient_is_conserved_to_round_off(case):
    s = _run("numba", **dict(case))
    assert abs(s.nutrient_total() - s.initial_total) <= 1e-13 * s.initial_total
    w = s.world
    assert w.nut.min() >= 0.0 and w.sub.min() >= 0.0
    assert np.all(w.sub[w.hlen == 0.0] == 0.0)


def test_counters_and_network_say_how_they_differ():
    """Every free end of the network (degree 1, not cut) is a live tip or a spore that sent one
    germ tube; a tip that fused or stopped at the field edge is not one (the edge's are cut)."""
    s = _run("numba", grid_size=48, steps=360, lateral_branching=4.0, second_germ_tube=0.0, seed=2)
    net = s.network()
    w = s.world
    degree = net.degree()
    free = set(np.flatnonzero((degree == 1) & ~net.cut))
    tips = set(w.tint[: w.cnt[C_TIPS], 0]) & set(np.flatnonzero(degree == 1))
    roots = set(np.flatnonzero((w.nint[: w.cnt[C_NODES], N_PREV] < 0) & (degree == 1)))
    assert free == tips | roots and len(roots) == 1
    assert s.totals()["edge_stops"] == int(net.cut.sum()) > 0
    assert len(tips) < w.cnt[C_TIPS] + 1  # tips just born stand on their parent's node (degree >= 2)


def test_potential_is_nan_off_the_hyphae_and_rests_pump_leak():
    s = _run("numpy", steps=60)
    v = s.variable("V")
    on = s.world.occ == 1
    assert np.all(np.isnan(v[~on])) and np.allclose(v[on], s.params.E_rest)
    assert -240.0 <= s.params.E_rest <= -160.0
    occ, factor = s.primary_raw()
    assert occ is s.world.occ and factor == 1.0
    with pytest.raises(ParameterError, match="variable"):
        s.variable("u")


def test_a_stimulus_spikes_the_hyphae_and_the_membrane_returns_to_rest():
    s = _run("numba", steps=150, **CHEAP_MEMBRANE)
    ys, xs = np.nonzero(s.world.occ == 0)
    assert s.stimulate(int(ys[0]), int(xs[0])) is False
    y, x = (int(v) for v in s.tips()[0])
    assert s.stimulate(y, x) is True
    assert np.nanmax(s.variable("V")) > s.params.E_rest + 60.0
    s.advance(1)
    assert s.last_step()["spikes"] == 1
    s.advance(20)
    assert np.nanmax(np.abs(s.variable("V") - s.params.E_rest)) < 1e-3 and s.world.cnt[6] == 0
    with pytest.raises(ParameterError, match="y"):
        s.stimulate(64, 0)


def test_dla_stops_once_the_launch_circle_leaves_the_field():
    s = _run("numba", regime="diffusion_limited", grid_size=40, steps=3000)
    grown = s.world.cnt[C_NODES]
    s.advance(50)
    assert s.world.cnt[C_NODES] == grown and grown > 30


def test_a_run_carries_its_network_in_micrometres_and_hours():
    p = MyceliumParams(grid_size=64, steps=180, seed=1)
    run = mfn.simulate(p, record_every=60)
    assert run.time_h.values.tolist() == [0.0, 2.0, 4.0, 6.0] and run.time_h.attrs["units"] == "h"
    assert run.x_um.values[0] == 12.5 and run.x_um.attrs["units"] == "µm"
    net = mfn.hyphal_network(run)
    s = MyceliumStepper(p, run.attrs["backend"])
    s.advance(p.steps)
    ref = s.network()
    np.testing.assert_array_equal(net.x, ref.x)
    np.testing.assert_array_equal(net.edges, ref.edges)
    assert net.field == (0.0, 0.0, 1600.0, 1600.0) and net.t.max() == pytest.approx(6.0)
    assert mfn.hyphal_network(run, time=2.0).n_edges < net.n_edges
    assert run.contact_t.attrs["units"] == "h" and run.sizes["event"] == s.world.cnt[C_EVENTS]
    with pytest.raises(ParameterError, match="run"):
        mfn.hyphal_network(mfn.simulate(mfn.FieldParams(grid_size=8, steps=2)))


@pytest.mark.parametrize("side", [4, 5, 7])
def test_small_fields_run_and_are_measured(side):
    """Issue 24: sides 4-7 ran, then failed measuring the lacunarity with a box larger than the plate."""
    run = mfn.simulate(MyceliumParams(grid_size=side, steps=20), record_every=None)
    assert math.isfinite(run.attrs["lacunarity"]) and run.attrs["lacunarity_box"] <= side


def test_the_run_end_spike_measure_has_a_bounded_cost(monkeypatch):
    """Issue 24: the spike speed looped up to 20*80/speed substeps; now at most MAX_SUBSTEPS."""
    calls = []
    real = membrane.membrane_substep
    monkeypatch.setattr(membrane, "membrane_substep", lambda *a: calls.append(1) or real(*a))
    monkeypatch.setattr(membrane, "MAX_SUBSTEPS", 300)
    monkeypatch.setattr(membrane, "_SPEEDS", {})
    slow = MyceliumParams(grid_size=16, steps=1, upstroke_time=1e4, membrane_dt=0.5)  # a front that barely moves
    assert math.isnan(membrane.spike_front_speed(slow))
    assert len(calls) == 300


def test_heading_and_contacts_are_geometric():
    """Closest approach of two segments and the field edge, on known answers."""
    d2, t, u = geometry.closest(0.0, 0.0, 10.0, 0.0, 5.0, -3.0, 5.0, 3.0)
    assert (d2, t, u) == (0.0, 0.5, 0.5)
    d2, t, _ = geometry.closest(0.0, 0.0, 10.0, 0.0, 12.0, 1.0, 12.0, 5.0)
    assert d2 == pytest.approx(4.0 + 1.0) and t == 1.0
    assert geometry.edge_fraction(5.0, 5.0, 15.0, 5.0, 10.0, 10.0) == pytest.approx(0.5)
    assert geometry.edge_fraction(5.0, 5.0, 8.0, 5.0, 10.0, 10.0) == 2.0
