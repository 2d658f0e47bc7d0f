"""The Lyapunov twin: the Turing growth rate while the pattern grows, about 0 once it has settled."""

import numpy as np
import pytest

import mfn
from mfn.models.reaction_diffusion.stepper import RDStepper


def _rate(stepper, n):
    """Mean ln(d/d0) per unit time over the next n model steps."""
    before, steps = stepper._twin.log_sum, stepper._twin.steps
    stepper.advance(n)
    p = stepper.params
    return (stepper._twin.log_sum - before) / (stepper._twin.steps - steps) / (p.substeps * p.dt)


def test_twin_grows_at_the_fastest_lattice_rate_in_the_linear_phase():
    p = mfn.ReactionDiffusionParams(kinetics="brusselator", grid_size=64, noise=1e-10)
    s = RDStepper(p, "numba", lyapunov=True)
    s.advance(20)  # the random direction aligns with the fastest modes
    rate = _rate(s, 20)
    assert s.u.std() < 1e-3  # still linear
    sigma = mfn.turing_analysis(p).attrs["sigma_max_lattice"]
    assert rate == pytest.approx(sigma, rel=0.05)


@pytest.mark.slow
def test_twin_is_neutral_on_a_settled_pattern_and_leaves_the_run_alone():
    p = mfn.ReactionDiffusionParams(kinetics="brusselator", grid_size=64)
    with_twin = RDStepper(p, "numba", lyapunov=True)
    without = RDStepper(p, "numba")
    with_twin.advance(p.steps)
    without.advance(p.steps)
    assert np.array_equal(with_twin.u, without.u)  # the twin draws nothing from the run
    assert abs(_rate(with_twin, 100)) < 0.01
    assert np.isnan(without.lyapunov)


def test_simulate_records_the_exponent():
    run = mfn.simulate(mfn.ReactionDiffusionParams(kinetics="fitzhugh_nagumo", grid_size=16, steps=5), backend="numpy")
    assert np.isfinite(run.attrs["lyapunov"])
