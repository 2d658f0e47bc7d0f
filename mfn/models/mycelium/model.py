"""Registers the growing mycelium with the workbench (:mod:`mfn.core.model`).

The primary variable is ``occupied`` (0/1), so features, the fractal dimension and the live
image read the colony itself; ``V`` is NaN off the mycelium and would give them nothing.
Counters are recorded as running totals. Measures (a run's attributes, a sweep's datacube):
the live tips, the branch points and hyphal length of the skeleton
(:func:`mfn.analysis.colony.skeleton_measures`, scikit-image) and the hyphal growth unit,
length per tip (Trinci 1974), in cells until the model has physical units.
"""

from __future__ import annotations

import math
import warnings

from mfn.analysis.features import FeatureParams
from mfn.core.model import Measure, Model, Quantity, Variable, register
from mfn.models.mycelium.params import MyceliumParams
from mfn.models.mycelium.stepper import MyceliumStepper
from mfn.models.mycelium.validation import CHECKS

__all__ = ["MYCELIUM"]


def _stepper(params: MyceliumParams, backend: str = "numpy", *, lyapunov: bool = False, record_events: bool = False):
    return MyceliumStepper(params, backend, lyapunov=lyapunov, record_events=record_events)


def _tips(stepper) -> float:
    return float(stepper.state.n_tips)


def _skeleton(stepper) -> dict[str, float]:
    """The skeleton's measures; NaN, with a warning naming the extra, without scikit-image."""
    from mfn.analysis.colony import skeleton_measures

    try:
        return skeleton_measures(stepper.state.occ == 1)
    except ImportError as err:
        warnings.warn(f"branch_points, hyphal_length and growth_unit are NaN: {err}", stacklevel=2)
        return dict.fromkeys(("endpoints", "branch_points", "hyphal_length"), math.nan)


def _branch_points(stepper) -> float:
    return _skeleton(stepper)["branch_points"]


def _hyphal_length(stepper) -> float:
    return _skeleton(stepper)["hyphal_length"]


def _growth_unit(stepper) -> float:
    tips = stepper.state.n_tips
    return _skeleton(stepper)["hyphal_length"] / tips if tips else math.nan


MEASURES = (
    Measure("live_tips", "1", "live hyphal tips at the end of the run", _tips),
    Measure("branch_points", "1", "branch points of the colony's skeleton", _branch_points),
    Measure("hyphal_length", "cells", "total hyphal length of the skeleton", _hyphal_length),
    Measure("growth_unit", "cells", "hyphal growth unit: hyphal length per live tip (NaN: no tip)", _growth_unit),
)

MYCELIUM = register(
    Model(
        name="mycelium",
        title="Growing mycelium",
        description=(
            "Hyphal tips extend, branch and fuse on a diffusing nutrient medium (or diffusion-limited "
            "or non-limiting growth); an excitable membrane potential spikes along the hyphae."
        ),
        params_class=MyceliumParams,
        variables=(
            Variable("occupied", "1", "hyphal occupancy", (0.0, 1.0)),
            Variable("V", "mV", "membrane potential (NaN off the mycelium)", (-80.0, 30.0)),
            Variable("nutrient", "a.u./cell", "external nutrient"),
            Variable("substrate", "a.u./cell", "internal substrate", recorded=False),
            Variable("born", "step", "step of occupation (-1: never)", recorded=False),
        ),
        primary="occupied",
        counters=(
            Quantity("growth_events", "1", "tip extensions (new hyphal cells)", cumulative=True),
            Quantity("branchings", "1", "branchings", cumulative=True),
            Quantity("anastomoses", "1", "anastomoses (tip fusions)", cumulative=True),
            Quantity("stalls", "1", "tip stalls for want of substrate", cumulative=True),
            Quantity("edge_stops", "1", "tips stopped at the plate edge", cumulative=True),
            Quantity("spikes", "1", "spikes started (growth events and stimuli)", cumulative=True),
        ),
        metrics=(
            Quantity("biomass", "cells", "biomass (hyphal cells)"),
            Quantity("tips", "1", "live hyphal tips"),
            Quantity("colony_radius", "cells", "colony radius"),
            Quantity("firing_cells", "cells", "firing hyphal cells"),
            Quantity("V_mean", "mV", "mean membrane potential of the mycelium"),
        ),
        stepper=_stepper,
        backends=("numpy", "numba"),
        stimulate=True,
        checks=CHECKS,
        measures=MEASURES,
        # occupancy is 0/1: its thresholds sit between the two; hyphae connect through corners
        feature_params=FeatureParams(thresholds=(0.25, 0.5, 0.75), connectivity=8),
    )
)
