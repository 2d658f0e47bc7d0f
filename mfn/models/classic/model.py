"""The MFN classic lattice field model (v4.1, kept faithful), registered as ``"classic"``.

State: the membrane potential ``V`` (mV, primary), the activator ``a`` and the inhibitor ``i``
(dimensionless, recorded on request). Counters: growth events (cumulative in a run's
Dataset), Turing activations and clamped cells (per frame). Metric: the mean potential.
Capabilities: a numba kernel, the Lyapunov twin, batched stepping for ensembles. Measures:
the rise of the mean potential over the run (V has no leak, so every kick stays) and the
fraction of cells whose activator is above the Turing threshold at the end (0 at the default
kinetics: the coupling never fires).
"""

from __future__ import annotations

from mfn.core.model import Measure, Model, Quantity, Variable, register
from mfn.models.classic.kernels import V_MAX, V_MIN
from mfn.models.classic.params import FieldParams
from mfn.models.classic.stepper import MV_PER_V, ClassicStepper, mean

__all__ = ["CLASSIC"]


def _batch(steppers):
    from mfn.models.classic.batch import ClassicBatch

    return ClassicBatch(steppers)


def _mean_rise(stepper) -> float:
    return (mean(stepper.V) - stepper.V0_mean) * MV_PER_V


def _activated_fraction(stepper) -> float:
    return float((stepper.a > stepper.params.turing_threshold).mean())


MEASURES = (
    Measure("V_mean_rise", "mV", "rise of the mean potential over the run (no leak: kicks stay)", _mean_rise),
    Measure("activated_fraction", "1", "fraction of cells with the activator above turing_threshold at the end",
            _activated_fraction),
)  # fmt: skip

CLASSIC = register(
    Model(
        name="classic",
        title="lattice field",
        description="MFN v4.1 lattice field: diffusing potential, growth-event kicks, activator-inhibitor coupling",
        params_class=FieldParams,
        variables=(
            Variable("V", "mV", "membrane potential", (V_MIN * MV_PER_V, V_MAX * MV_PER_V)),
            Variable("a", "1", "activator", (0.0, 1.0), recorded=False),
            Variable("i", "1", "inhibitor", (0.0, 1.0), recorded=False),
        ),
        primary="V",
        counters=(
            Quantity("growth_events", "1", "growth events", cumulative=True),
            Quantity("turing_activations", "cells", "Turing activations"),
            Quantity("clamped_cells", "cells", "clamped cells"),
        ),
        metrics=(Quantity("V_mean", "mV", "mean potential"),),
        stepper=ClassicStepper,
        backends=("numpy", "numba"),
        twin=True,
        batch=_batch,
        measures=MEASURES,
    )
)
