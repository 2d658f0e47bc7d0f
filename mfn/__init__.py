"""MyceliumFractalNet: a 2-D "mycelium" potential-field workbench.

The public API is re-exported here, each name imported on first use (PEP 562): importing
:mod:`mfn` registers the built-in models and loads numpy and the core modules only, so the
command line, every notebook kernel and every Dask worker start without paying for what they
do not use. xarray, scipy's heavier parts (stats, ndimage, optimize), numba, Dask and the
Panel/HoloViews views (``mfn.viz``) are imported when first used.
"""

from __future__ import annotations

import importlib
from typing import TYPE_CHECKING, Any

import mfn.models  # noqa: F401  (registers the built-in models with mfn.core.model)
from mfn.core.errors import MFNError, NumericalInstabilityError, ParameterError
from mfn.core.version import __version__

if TYPE_CHECKING:
    from mfn import datasets
    from mfn.analysis.features import FEATURE_NAMES, FeatureParams, feature_vector, features
    from mfn.analysis.fractal import box_dimension, ifs
    from mfn.analysis.spectra import dominant_wavelength
    from mfn.core.netcdf import load_dataset, load_run, save_dataset, save_run
    from mfn.hyphae.draw import draw_network
    from mfn.hyphae.image import network_from_image
    from mfn.hyphae.metrics import network_metrics, network_summaries
    from mfn.hyphae.network import HyphalNetwork, load_network
    from mfn.hyphae.readers import read_network
    from mfn.hyphae.simulated import colony_metrics, hyphal_network
    from mfn.inference import calibrate, posterior_predictive, to_arviz
    from mfn.learning.network import Adam, MFNNetwork
    from mfn.learning.plasticity import STDP, stdp_update
    from mfn.models.classic.params import FieldParams
    from mfn.models.mycelium.params import MyceliumParams
    from mfn.models.reaction_diffusion import ReactionDiffusionParams, turing_analysis, turing_space
    from mfn.physics.nernst import IONS, ghk, nernst
    from mfn.robust.aggregators import AGGREGATORS, hierarchical_krum, krum, multi_krum
    from mfn.robust.attacks import ATTACKS, apply_attack
    from mfn.robust.experiment import robustness_experiment
    from mfn.simulation.ensemble import Ensemble, simulate_ensemble
    from mfn.simulation.simulation import Simulation, simulate
    from mfn.simulation.state import State, StepResult
    from mfn.sweeps.driver import sweep
    from mfn.validation.suite import validate
    from mfn.workflows.training import train_validation

_PUBLIC: dict[str, str] = {
    "datasets": "mfn.datasets",
    "FEATURE_NAMES": "mfn.analysis.features",
    "FeatureParams": "mfn.analysis.features",
    "feature_vector": "mfn.analysis.features",
    "features": "mfn.analysis.features",
    "box_dimension": "mfn.analysis.fractal",
    "ifs": "mfn.analysis.fractal",
    "dominant_wavelength": "mfn.analysis.spectra",
    "load_dataset": "mfn.core.netcdf",
    "load_run": "mfn.core.netcdf",
    "save_dataset": "mfn.core.netcdf",
    "save_run": "mfn.core.netcdf",
    "draw_network": "mfn.hyphae.draw",
    "network_from_image": "mfn.hyphae.image",
    "network_metrics": "mfn.hyphae.metrics",
    "network_summaries": "mfn.hyphae.metrics",
    "HyphalNetwork": "mfn.hyphae.network",
    "load_network": "mfn.hyphae.network",
    "read_network": "mfn.hyphae.readers",
    "colony_metrics": "mfn.hyphae.simulated",
    "hyphal_network": "mfn.hyphae.simulated",
    "calibrate": "mfn.inference",
    "posterior_predictive": "mfn.inference",
    "to_arviz": "mfn.inference",
    "Adam": "mfn.learning.network",
    "MFNNetwork": "mfn.learning.network",
    "STDP": "mfn.learning.plasticity",
    "stdp_update": "mfn.learning.plasticity",
    "FieldParams": "mfn.models.classic.params",
    "MyceliumParams": "mfn.models.mycelium.params",
    "ReactionDiffusionParams": "mfn.models.reaction_diffusion",
    "turing_analysis": "mfn.models.reaction_diffusion",
    "turing_space": "mfn.models.reaction_diffusion",
    "IONS": "mfn.physics.nernst",
    "ghk": "mfn.physics.nernst",
    "nernst": "mfn.physics.nernst",
    "AGGREGATORS": "mfn.robust.aggregators",
    "hierarchical_krum": "mfn.robust.aggregators",
    "krum": "mfn.robust.aggregators",
    "multi_krum": "mfn.robust.aggregators",
    "ATTACKS": "mfn.robust.attacks",
    "apply_attack": "mfn.robust.attacks",
    "robustness_experiment": "mfn.robust.experiment",
    "Ensemble": "mfn.simulation.ensemble",
    "simulate_ensemble": "mfn.simulation.ensemble",
    "Simulation": "mfn.simulation.simulation",
    "simulate": "mfn.simulation.simulation",
    "State": "mfn.simulation.state",
    "StepResult": "mfn.simulation.state",
    "sweep": "mfn.sweeps.driver",
    "validate": "mfn.validation.suite",
    "train_validation": "mfn.workflows.training",
}
"""Each lazily imported public name and the module that defines it (``datasets`` is that module)."""

__all__ = [
    "AGGREGATORS",
    "ATTACKS",
    "FEATURE_NAMES",
    "IONS",
    "STDP",
    "Adam",
    "Ensemble",
    "FeatureParams",
    "FieldParams",
    "HyphalNetwork",
    "MFNError",
    "MFNNetwork",
    "MyceliumParams",
    "NumericalInstabilityError",
    "ParameterError",
    "ReactionDiffusionParams",
    "Simulation",
    "State",
    "StepResult",
    "__version__",
    "apply_attack",
    "box_dimension",
    "calibrate",
    "colony_metrics",
    "datasets",
    "dominant_wavelength",
    "draw_network",
    "feature_vector",
    "features",
    "ghk",
    "hierarchical_krum",
    "hyphal_network",
    "ifs",
    "krum",
    "load_dataset",
    "load_network",
    "load_run",
    "multi_krum",
    "nernst",
    "network_from_image",
    "network_metrics",
    "network_summaries",
    "posterior_predictive",
    "read_network",
    "robustness_experiment",
    "save_dataset",
    "save_run",
    "simulate",
    "simulate_ensemble",
    "stdp_update",
    "sweep",
    "to_arviz",
    "train_validation",
    "turing_analysis",
    "turing_space",
    "validate",
]

_SUBPACKAGES = frozenset(
    {"analysis", "bench", "core", "hyphae", "inference", "learning", "physics", "robust", "simulation"}
    | {"sweeps", "validation", "viz", "workflows"}
)
"""The subpackages reachable as attributes of :mod:`mfn` (``mfn.models`` is imported with it)."""


def __getattr__(name: str) -> Any:
    """Import a public name on first use and keep it (PEP 562)."""
    if name in _SUBPACKAGES:  # `import mfn` then `mfn.inference.credible_intervals(...)`
        return importlib.import_module(f"mfn.{name}")
    module = _PUBLIC.get(name)
    if module is None:
        raise AttributeError(f"module 'mfn' has no attribute {name!r}")
    imported = importlib.import_module(module)
    value = imported if name == "datasets" else getattr(imported, name)
    globals()[name] = value
    return value


def __dir__() -> list[str]:
    return sorted(set(globals()) | set(__all__))
