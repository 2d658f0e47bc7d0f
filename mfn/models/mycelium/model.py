"""Registers the growing mycelium with the workbench (:mod:`mfn.core.model`).

The primary variable is ``occupied`` (0/1 on the lattice), so features, the fractal
dimension and the live image read the colony itself; ``V`` is NaN off the hyphae. Counters
are recorded as running totals. The model has physical units (``spacing``: µm and s), and a
run carries its hyphal network (``node_*``/``edge_*`` variables, :func:`mfn.hyphal_network`).
"""

from __future__ import annotations

from mfn.analysis.features import FeatureParams
from mfn.core.model import Model, Quantity, Variable, register
from mfn.models.mycelium.params import MyceliumParams
from mfn.models.mycelium.stepper import MyceliumStepper
from mfn.models.mycelium.validation import GROWTH_CHECKS
from mfn.models.mycelium.validation_physics import PHYSICS_CHECKS

__all__ = ["MYCELIUM"]


def _stepper(params: MyceliumParams, backend: str = "numpy", *, lyapunov: bool = False, record_events: bool = False):
    return MyceliumStepper(params, backend, lyapunov=lyapunov, record_events=record_events)


def _spacing(params: MyceliumParams) -> tuple[float, float]:
    return params.spacing, params.time_step * 60.0


MYCELIUM = register(
    Model(
        name="mycelium",
        title="Growing mycelium",
        description=(
            "Hyphae in µm and hours: tips extend at a Monod rate of the substrate translocated to them, branch "
            "laterally and apically, avoid and fuse with other hyphae; a pump-leak membrane spikes along them."
        ),
        params_class=MyceliumParams,
        variables=(
            Variable("occupied", "1", "hyphal occupancy", (0.0, 1.0)),
            Variable("V", "mV", "membrane potential (NaN off the hyphae)", (-200.0, -20.0)),
            Variable("nutrient", "mM", "nutrient of the medium"),
            Variable("substrate", "mM", "internal substrate of the hyphae", recorded=False),
            Variable("born", "step", "step of occupation (-1: never)", recorded=False),
        ),
        primary="occupied",
        counters=(
            Quantity("lateral_branchings", "1", "lateral branches", cumulative=True),
            Quantity("apical_branchings", "1", "apical branches (tip splits)", cumulative=True),
            Quantity("anastomoses", "1", "anastomoses (tip fusions)", cumulative=True),
            Quantity("crossings", "1", "tips crossing a hypha without fusing", cumulative=True),
            Quantity("edge_stops", "1", "tips stopped at the field edge", cumulative=True),
            Quantity("spikes", "1", "spikes started (spontaneous and stimuli)", cumulative=True),
        ),
        metrics=(
            Quantity("hyphal_length", "mm", "total hyphal length"),
            Quantity("tips", "1", "live hyphal tips"),
            Quantity("colony_radius", "µm", "colony radius"),
            Quantity("firing_cells", "cells", "firing nutrient cells"),
            Quantity("V_mean", "mV", "mean membrane potential of the hyphae"),
        ),
        stepper=_stepper,
        backends=("numpy", "numba"),
        stimulate=True,
        spacing=_spacing,
        checks=GROWTH_CHECKS + PHYSICS_CHECKS,
        # occupancy is 0/1: its thresholds sit between the two; hyphae connect through corners
        feature_params=FeatureParams(thresholds=(0.25, 0.5, 0.75), connectivity=8),
    )
)
"""The growing mycelium: hyphae in µm and hours with a pump-leak membrane (docs/models.md)."""
