"""One simulation of a calibration: summaries and seed, or a failure with its reason."""

import math

import numpy as np
import pytest

from mfn import ReactionDiffusionParams
from mfn.core.summaries import Summary
from mfn.inference.priors import resolve_priors
from mfn.inference.simulator import FAILURE_KEY, SEED_KEY, Simulator, simulation_seed
from mfn.models.reaction_diffusion.summaries import SUMMARIES

BASE = ReactionDiffusionParams(grid_size=32, steps=20, substeps=100, dt=0.004)  # a pattern starts to show


def simulator(summaries=None, priors=None):
    resolved = resolve_priors(ReactionDiffusionParams, priors or {"Dv": (10, 100), "substeps": (90, 110)})
    return Simulator(BASE, tuple(resolved.values()), SUMMARIES.select(summaries), seed=3)


def _never(measures):
    return math.nan


def test_a_simulation_returns_its_summaries_and_its_seed():
    sim = simulator()
    out = sim({"Dv": 30.0, "substeps": 100.4})
    assert set(out) == {*SUMMARIES.default, SEED_KEY}
    assert all(np.isfinite(out[name]) for name in SUMMARIES.default)
    assert out[SEED_KEY] == simulation_seed(3, {"Dv": 30.0, "substeps": 100.4})
    params = sim.params({"Dv": 30.0, "substeps": 100.4})
    assert (params.Dv, params.substeps, params.seed, params.grid_size) == (30.0, 100, out[SEED_KEY], 32)


def test_the_same_draw_repeats_its_simulation_exactly():
    sim = simulator()
    assert sim({"Dv": 30.0, "substeps": 100}) == sim({"Dv": 30.0, "substeps": 100})


def test_seeds_differ_between_values_and_between_calibrations():
    seeds = {simulation_seed(s, {"Dv": dv}) for s in (0, 1) for dv in (30.0, 30.000001, 31.0)}
    assert len(seeds) == 6


def test_a_draw_the_model_refuses_is_a_failure_with_its_reason():
    out = simulator()({"Dv": 90.0, "substeps": 100})  # dt 0.004 is unstable at Dv 90
    assert out[FAILURE_KEY].startswith("ParameterError: dt = 0.004 is invalid")
    assert all(math.isnan(out[name]) for name in SUMMARIES.default)


def test_summaries_that_are_not_finite_are_a_failure():
    own = Summary("never", "1", "never defined", _never)
    out = simulator(summaries=["amplitude", own])({"Dv": 30.0, "substeps": 100})
    assert out[FAILURE_KEY] == "summaries not finite: never"
    assert math.isnan(out["amplitude"]) and SEED_KEY in out


@pytest.mark.parametrize("seed", [None, 12345])
def test_measures_take_the_given_seed_or_the_draws_own(seed):
    sim = simulator(priors={"Dv": (10, 60)})
    draw = {"Dv": 30.0}
    u = sim.measures(draw, seed).u.values
    expected = BASE.replace(Dv=30.0, seed=sim.seed_of(draw) if seed is None else seed)
    import mfn

    assert np.array_equal(u, mfn.simulate(expected, record_every=None).u.isel(time=-1).values)
