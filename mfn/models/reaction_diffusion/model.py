"""The reaction–diffusion model registered with the workbench (``model = "reaction_diffusion"``)."""

from __future__ import annotations

from mfn.analysis.features import FeatureParams
from mfn.core.model import Model, Quantity, Variable, register
from mfn.models.reaction_diffusion import validation
from mfn.models.reaction_diffusion.params import ReactionDiffusionParams
from mfn.models.reaction_diffusion.stepper import RDStepper, pattern_threshold
from mfn.models.reaction_diffusion.summaries import SUMMARIES

__all__ = ["MODEL"]


def _stepper(params, backend="numpy", *, lyapunov=False, record_events=False):
    return RDStepper(params, backend, lyapunov=lyapunov, record_events=record_events)


def _dispersion(params) -> dict:
    """The lattice dispersion relation of ``params`` for the live view: growth rate against k.

    Returns ``k`` (rad/cell), ``sigma`` (1/time, the lattice's five-point symbol), the fastest
    ``k_max`` (NaN when no mode grows) and the variable whose dominant wavelength the live view
    measures against it (``u``), once its standard deviation exceeds ``pattern_above`` (three
    times the initial noise's: below it there is no pattern to measure).
    """
    import numpy as np

    from mfn.models.reaction_diffusion.turing import turing_analysis

    theory = turing_analysis(params)
    keep = theory.k.values <= 1.6  # the band of every built-in kinetics lies below 1.6 rad/cell
    return {
        "k": theory.k.values[keep],
        "sigma": theory.sigma_lattice.isel(state=0).values[keep],
        "k_max": float(theory.attrs["k_max"]) if theory.attrs["turing_unstable"] else float(np.nan),
        "variable": "u",
        "pattern_above": pattern_threshold(params),  # the std of u that counts as a pattern (as the runs say)
    }


MODEL = register(
    Model(
        name="reaction_diffusion",
        title="Reaction-diffusion (Turing patterns)",
        description=(
            "Two species with textbook kinetics (Schnakenberg, Gierer-Meinhardt, Brusselator, Gray-Scott, "
            "FitzHugh-Nagumo, MFN classic) and a membrane potential V (mV) that leaks to the GHK resting "
            "potential and mirrors the activator; mfn.turing_analysis predicts the pattern's wavelength."
        ),
        params_class=ReactionDiffusionParams,
        variables=(
            Variable("V", "mV", "membrane potential", (-95.0, 40.0)),
            Variable("u", "1", "activator u"),
            Variable("v", "1", "inhibitor v", recorded=False),
        ),
        primary="V",
        counters=(),
        metrics=(
            Quantity("V_mean", "mV", "mean membrane potential"),
            Quantity("u_mean", "1", "mean activator"),
            Quantity("u_std", "1", "pattern amplitude (std of u)"),
        ),
        stepper=_stepper,
        backends=("numpy", "numba"),
        twin=True,
        checks=validation.CHECKS,
        feature_params=FeatureParams(threshold_mode="adaptive"),
        summaries=SUMMARIES,
        extra={"dispersion": _dispersion},
    )
)
