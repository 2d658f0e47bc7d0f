"""The lattice models' rows of mfn bench: the ensemble ceiling does the ensemble's work, the RD row measures."""

import numpy as np

from mfn import FieldParams, simulate
from mfn.bench.fields import draws_and_steps, rd_row
from mfn.models.classic.stepper import MV_PER_V
from mfn.simulation.ensemble import Ensemble


def test_the_ensemble_ceiling_does_the_work_of_the_ensemble():
    params = [FieldParams(grid_size=(8, 12), steps=40, seed=s, spike_probability=0.6) for s in range(3)]
    work, V = draws_and_steps(params)
    work()
    ensemble = Ensemble(params, backend="numba", lyapunov=False)
    ensemble.step(40)
    np.testing.assert_array_equal(V, ensemble._batch.V)
    np.testing.assert_array_equal(V[1] * MV_PER_V, simulate(params[1], lyapunov=False).V.isel(time=-1).values)


def test_the_reaction_diffusion_row_measures_both_steps_on_the_same_work():
    d = rd_row(16, 16, 1).as_dict()
    assert d["name"] == "reaction-diffusion 16x16" and d["gated"] is True
    assert d["reference_rate"] > 0 and d["fast_rate"] > 0 and np.isfinite(d["ratio"])
