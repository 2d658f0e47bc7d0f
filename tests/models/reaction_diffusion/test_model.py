"""The registered model through mfn.simulate and the protocol."""

import numpy as np
import pytest

import mfn
from mfn.core.model import Stepper, get_model, model_for


def test_registered_with_the_protocol():
    model = get_model("reaction_diffusion")
    p = mfn.ReactionDiffusionParams(grid_size=16)
    assert model_for(p) is model and p.model == "reaction_diffusion"
    assert model.primary == "V" and model.backends == ("numpy", "numba")
    stepper = model.stepper(p, "numpy", lyapunov=False, record_events=False)
    assert isinstance(stepper, Stepper)
    raw, factor = stepper.primary_raw()
    assert raw is stepper.V and factor == 1.0
    assert set(stepper.frame_metrics()) == {q.name for q in model.metrics}
    assert stepper.totals() == {} and stepper.events() == {} and np.isnan(stepper.lyapunov)


@pytest.mark.slow
def test_simulate_brusselator_defaults_shows_the_predicted_pattern():
    run = mfn.simulate(mfn.ReactionDiffusionParams(kinetics="brusselator", grid_size=128))
    assert run.attrs["model"] == "reaction_diffusion" and run.sizes["time"] == 201
    assert run.V.attrs["units"] == "mV"
    final_u = run.u.isel(time=-1).values
    assert final_u.std() > 0.5  # a pattern, not a flat square
    predicted, measured = run.attrs["wavelength_predicted"], run.attrs["wavelength_measured"]
    assert abs(measured / predicted - 1) < 0.2
    V = run.V.isel(time=-1).values
    assert -95 < V.min() and V.max() < 40 and V.std() > 1.0
    assert np.corrcoef(V.ravel(), final_u.ravel())[0, 1] > 0.9  # V mirrors u


def test_simulation_steps_and_records_by_frames():
    sim = mfn.Simulation(mfn.ReactionDiffusionParams(kinetics="fitzhugh_nagumo", grid_size=16, steps=4), lyapunov=False)
    result = sim.step(2)
    assert sim.t == 2 and "u_std" in result.metrics
    run = sim.run(record_every=None, variables="all")
    assert set(run.data_vars) >= {"V", "u", "v"} and run.sizes["time"] == 1


def test_classic_run_reports_no_pattern():
    run = mfn.simulate(mfn.ReactionDiffusionParams(kinetics="classic", grid_size=32), record_every=None)
    assert run.attrs["pattern_formed"] == 0 and run.attrs["turing_unstable"] == 0
    assert np.isnan(run.attrs["wavelength_measured"]) and np.isnan(run.attrs["wavelength_predicted"])
