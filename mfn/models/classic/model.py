"""The MFN classic lattice field model (v4.1, kept faithful), registered as ``"classic"``.

State: the membrane potential ``V`` (mV, primary), the activator ``a`` and the inhibitor ``i``
(dimensionless, recorded on request). Counters: growth events (cumulative in a run's
Dataset), Turing activations and clamped cells (per frame). Metric: the mean potential.
Capabilities: a numba kernel, the Lyapunov twin, batched stepping for ensembles.
"""

from __future__ import annotations

from mfn.core.model import Model, Quantity, Variable, register
from mfn.models.classic.kernels import V_MAX, V_MIN
from mfn.models.classic.params import FieldParams
from mfn.models.classic.stepper import MV_PER_V, ClassicStepper

__all__ = ["CLASSIC"]


def _batch(steppers):
    from mfn.models.classic.batch import ClassicBatch

    return ClassicBatch(steppers)


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
    )
)
