"""The reaction–diffusion model registered with the workbench (``model = "reaction_diffusion"``)."""

from __future__ import annotations

from mfn.analysis.features import FeatureParams
from mfn.core.model import Model, Quantity, Variable, register
from mfn.models.reaction_diffusion import validation
from mfn.models.reaction_diffusion.params import ReactionDiffusionParams
from mfn.models.reaction_diffusion.stepper import RDStepper

__all__ = ["MODEL"]


def _stepper(params, backend="numpy", *, lyapunov=False, record_events=False):
    return RDStepper(params, backend, lyapunov=lyapunov, record_events=record_events)


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
    )
)
