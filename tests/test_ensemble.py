"""Batched ensembles: every member's run equals the run simulate() gives for its parameters."""

import numpy as np
import pytest

from mfn.ensemble import Ensemble, simulate_ensemble
from mfn.errors import ParameterError
from mfn.field import simulate
from mfn.params import FieldParams

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
    runs = simulate_ensemble(params, record_every=3, record_ai=True, backend=backend)
    for p, run in zip(params, runs, strict=True):
        assert run.attrs["backend"] == backend
        _assert_same_run(run, simulate(p, record_every=3, record_ai=True, backend="numpy"))


def test_ensemble_counts_clamps_and_activations():
    params = _mixed_params(8, 30)
    runs = simulate_ensemble(params, record_every=None, backend="numba")
    assert runs[3].attrs["clamped_cells_total"] > 0  # the noisy member
    assert runs[2].attrs["turing_activations_total"] == 0  # Turing off


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
