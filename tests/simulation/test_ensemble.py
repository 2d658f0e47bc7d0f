"""Batched ensembles: every member's run equals the run simulate() gives for its parameters."""

import numpy as np
import pytest

from mfn.core.errors import ParameterError
from mfn.models.classic.params import FieldParams
from mfn.simulation.ensemble import Ensemble, simulate_ensemble
from mfn.simulation.simulation import simulate

VOLATILE_ATTRS = ("created", "duration_s", "backend")


def _assert_same_run(got, expected):
    assert set(got.data_vars) == set(expected.data_vars)
    for name in expected.data_vars:
        assert np.array_equal(got[name].values, expected[name].values), name
    for key, value in expected.attrs.items():
        if key not in VOLATILE_ATTRS:
            assert np.array_equal(got.attrs[key], value), key


def _mixed_params(shape, steps):
    """Members that differ in seed, boundary, Turing, kinetics, noise and alpha."""
    return [
        FieldParams(grid_size=shape, steps=steps, seed=1),
        FieldParams(grid_size=shape, steps=steps, seed=2, boundary="neumann", ra=0.1, ri=0.001),
        FieldParams(grid_size=shape, steps=steps, seed=3, boundary="dirichlet", turing=False, jitter_var=0.0005),
        FieldParams(grid_size=shape, steps=steps, seed=4, alpha=0.24, spike_probability=1.0, jitter_var=0.01),
        FieldParams(grid_size=shape, steps=steps, seed=5, ra=0.1, ri=0.001, turing_threshold=0.5),
    ]


@pytest.mark.parametrize("backend", ["numba", "numpy"])
@pytest.mark.parametrize("shape", [(4, 4), (7, 5), (16, 16)])
def test_members_equal_their_individual_runs(backend, shape):
    params = _mixed_params(shape, 40)
    runs = Ensemble(params, backend=backend).run(record_every=3, variables="all")
    for p, run in zip(params, runs, strict=True):
        assert run.attrs["backend"] == backend
        _assert_same_run(run, simulate(p, record_every=3, variables="all", backend="numpy"))


def test_ensemble_counts_clamps_and_activations():
    params = _mixed_params(8, 30)
    runs = Ensemble(params, backend="numba").run(record_every=None)
    assert runs[3].attrs["clamped_cells_total"] > 0  # the noisy member
    assert runs[2].attrs["turing_activations_total"] == 0  # Turing off


@pytest.mark.parametrize("backend", ["numba", "numpy"])
def test_simulate_ensemble_stacks_members_equal_to_their_runs(backend):
    params = _mixed_params((7, 5), 25)
    cube = simulate_ensemble(params, record_every=5, backend=backend)
    assert cube.V.dims == ("member", "time", "y", "x")
    assert cube.seed.values.tolist() == [1, 2, 3, 4, 5]
    assert cube.attrs["grid_size"] == [7, 5] and "seed" not in cube.attrs
    for k, p in enumerate(params):
        run = simulate(p, record_every=5, backend="numpy")
        member = cube.isel(member=k)
        assert np.array_equal(member.V.values, run.V.values)
        assert np.array_equal(member.clamped_cells.values, run.clamped_cells.values)
        n = int(member.event_count)
        assert n == run.sizes["event"]
        assert np.array_equal(member.event_step.values[:n], run.event_step.values)
        assert (member.event_step.values[n:] == -1).all()
        assert np.isnan(member.event_amplitude.values[n:]).all()
        assert float(member.lyapunov) == pytest.approx(run.attrs["lyapunov"], rel=1e-12, abs=1e-15)


def test_stepping_in_pieces_equals_one_run():
    params = [FieldParams(grid_size=6, steps=50, seed=s, ra=0.1, ri=0.001) for s in range(4)]
    ens = Ensemble(params, backend="numba")
    for n in (1, 9, 40):
        ens.step(n)
    assert ens.t == 50
    for p, member in zip(params, ens.members, strict=True):
        run = simulate(p, record_every=None, backend="numpy")
        assert np.array_equal(member.V, run.V.values[-1])
        assert member.events == [
            tuple(e)
            for e in zip(
                *(run[k].values.tolist() for k in ("event_step", "event_y", "event_x", "event_amplitude")), strict=True
            )
        ]


@pytest.mark.parametrize(
    ("params_list", "match"),
    [
        ([], "non-empty"),
        (FieldParams(), "non-empty"),
        ([FieldParams(), {"alpha": 0.1}], "FieldParams"),
        ([FieldParams(grid_size=8), FieldParams(grid_size=9)], "grid"),
        ([FieldParams(steps=8), FieldParams(steps=9)], "steps"),
    ],
)
def test_bad_params_list_raises_parameter_error(params_list, match):
    with pytest.raises(ParameterError, match=match) as info:
        Ensemble(params_list)
    assert info.value.parameter == "params_list"


@pytest.mark.parametrize("noise_buffer", [None, 1280])
def test_long_runs_cross_spike_blocks_in_chunks(monkeypatch, noise_buffer):
    """Over 1024 steps (a new block of growth events), noisy and not, with the noise drawn ahead in chunks."""
    from mfn.models.classic import batch

    if noise_buffer is not None:  # a tiny buffer: calls of 2 steps for these two 20x16 lattices
        monkeypatch.setattr(batch, "_NOISE_BUFFER_VALUES", noise_buffer)
    params = [
        FieldParams(grid_size=(20, 16), steps=1100, seed=7, ra=0.1, ri=0.001, turing_threshold=0.5),
        FieldParams(grid_size=(20, 16), steps=1100, seed=8, jitter_var=0.001, boundary="neumann"),
    ]
    ens = Ensemble(params, backend="numba", lyapunov=False)
    for n in (1000, 100):
        ens.step(n)
    for p, member in zip(params, ens.members, strict=True):
        run = simulate(p, record_every=None, backend="numpy", lyapunov=False)
        assert np.array_equal(member.V, run.V.values[-1])
        assert member.totals["turing_activations"] == run.attrs["turing_activations_total"]
        assert member.totals["growth_events"] == run.attrs["growth_events_total"] == len(member.events)
    assert ens.members[0].totals["turing_activations"] > 0
