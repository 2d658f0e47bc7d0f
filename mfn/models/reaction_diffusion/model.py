"""The reaction–diffusion model registered with the workbench (``model = "reaction_diffusion"``)."""

from __future__ import annotations

import math

from mfn.analysis.features import FeatureParams
from mfn.core.model import Measure, Model, Quantity, Variable, register
from mfn.models.reaction_diffusion import validation
from mfn.models.reaction_diffusion.params import ReactionDiffusionParams
from mfn.models.reaction_diffusion.stepper import RDStepper, pattern_threshold
from mfn.models.reaction_diffusion.summaries import SUMMARIES

__all__ = ["MEASURES", "MODEL"]


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


def _pattern_formed(stepper) -> float:
    return float(stepper.u.std() > pattern_threshold(stepper.params))


def _wavelength_measured(stepper) -> float:
    from mfn.analysis.spectra import dominant_wavelength

    if not _pattern_formed(stepper):
        return math.nan
    return float(dominant_wavelength(stepper.u, floor=pattern_threshold(stepper.params)).attrs["wavelength"])


def _wavelength_predicted(stepper) -> float:
    return float(stepper.theory["wavelength"])


def _settled(stepper) -> float:
    return float(stepper.settle.settled)


def _settle_change(stepper) -> float:
    last = stepper.settle.last
    return math.nan if last is None else last.change


def _steps_run(stepper) -> float:
    return float(stepper.t)


MEASURES = (
    Measure("wavelength_measured", "cells", "wavelength of u, centre of its spectral peak (NaN: no pattern)",
            _wavelength_measured),
    Measure("wavelength_predicted", "cells", "2 pi / k_max of the linear theory (NaN: not Turing-unstable)",
            _wavelength_predicted),
    Measure("pattern_formed", "1", "std of u above 3 x the initial noise (1) or not (0)", _pattern_formed),
    Measure("settled", "1", "pattern settled over the last settle_window steps (1) or not (0)", _settled),
    Measure("settle_change", "1", "relative L2 change of u over the last settle_window steps", _settle_change),
    Measure("steps_run", "steps", "model steps the run took (until_settled: where its pattern settled)", _steps_run),
)  # fmt: skip
"""The model's own numbers about a run (:mod:`.settle` defines settling)."""

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
        measures=MEASURES,
        summaries=SUMMARIES,
        # V's pattern spans a few mV whose place depends on the kinetics (Gierer-Meinhardt about
        # -78..-65 mV): on the fixed -95..40 mV scale it is almost invisible
        extra={"dispersion": _dispersion, "colour_scale": "auto"},
    )
)
