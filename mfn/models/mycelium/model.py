"""Registers the growing mycelium with the workbench (:mod:`mfn.core.model`).

The primary variable is ``occupied`` (0/1 on the lattice), so features, the fractal
dimension and the live image read the colony itself; ``V`` is NaN off the hyphae. Counters
are recorded as running totals. The model has physical units (``spacing``: µm and s), and a
run carries its hyphal network (``node_*``/``edge_*`` variables, :func:`mfn.hyphal_network`).
Measures (a run's attributes, a sweep's datacube) come from that network, counted by the
functions :func:`mfn.network_metrics` uses (:func:`mfn.hyphae.growth.growth_counts`): live
tips, free ends, branch points, total hyphal length and the hyphal growth unit (Trinci 1974).
Its calibration summaries (``mfn.calibrate``) are those of any hyphal network
(:func:`mfn.hyphae.summaries.network_summary_set`), read on the run's network imaged every 0.3 h.
"""

from __future__ import annotations

import math

from mfn.analysis.features import FeatureParams
from mfn.core.model import Measure, Model, Quantity, Variable, register
from mfn.hyphae.simulated import imaged_network
from mfn.hyphae.summaries import network_summary_set
from mfn.models.mycelium.params import MyceliumParams
from mfn.models.mycelium.stepper import MyceliumStepper
from mfn.models.mycelium.validation import GROWTH_CHECKS
from mfn.models.mycelium.validation_physics import PHYSICS_CHECKS

__all__ = ["MYCELIUM"]


def _stepper(params: MyceliumParams, backend: str = "numpy", *, lyapunov: bool = False, record_events: bool = False):
    return MyceliumStepper(params, backend, lyapunov=lyapunov, record_events=record_events)


def _spacing(params: MyceliumParams) -> tuple[float, float]:
    return params.spacing, params.time_step * 60.0


def _live_tips(stepper) -> float:
    return float(stepper.world.cnt[1])


def _free_ends(stepper) -> float:
    return float(stepper.final_counts().free_ends[0])


def _branch_points(stepper) -> float:
    return float(stepper.final_counts().branch_points[0])


def _hyphal_length(stepper) -> float:
    return float(stepper.final_counts().total_length[0]) / 1000.0


def _growth_unit(stepper) -> float:
    counts = stepper.final_counts()
    ends = float(counts.free_ends[0])
    return float(counts.total_length[0]) / ends if ends else math.nan


MEASURES = (
    Measure("live_tips", "1", "live hyphal tips at the end of the run", _live_tips),
    Measure("free_ends", "1", "free ends of the hyphal network (degree 1, not cut by the field edge)", _free_ends),
    Measure("branch_points", "1", "branch points of the hyphal network (degree >= 3)", _branch_points),
    Measure("hyphal_length", "mm", "total hyphal length L of the network", _hyphal_length),
    Measure("growth_unit", "µm", "hyphal growth unit L / free ends (NaN: no free end)", _growth_unit),
)


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
            Quantity("total_length", "mm", "total hyphal length L"),
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
        measures=MEASURES,
        # mfn.calibrate: the network's rates, growth unit, angles and speeds, at 0.3 h frames like the data's
        summaries=network_summary_set(imaged_network),
        # occupancy is 0/1: its thresholds sit between the two; hyphae connect through corners
        feature_params=FeatureParams(thresholds=(0.25, 0.5, 0.75), connectivity=8),
    )
)
"""The growing mycelium: hyphae in µm and hours with a pump-leak membrane (docs/models.md)."""
