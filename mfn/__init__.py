"""MyceliumFractalNet: a 2-D "mycelium" potential-field workbench.

The public API is re-exported here. Importing :mod:`mfn` imports numpy, scipy-free core
modules and xarray only; the Panel/HoloViews views (``mfn.viz``) and Dask sweeps load lazily.
"""

from importlib.metadata import PackageNotFoundError, version

try:
    __version__ = version("mfn")
except PackageNotFoundError:  # running from a source tree that was not installed
    __version__ = "0+unknown"

from mfn.attacks import ATTACKS, apply_attack
from mfn.ensemble import Ensemble, simulate_ensemble
from mfn.errors import MFNError, NumericalInstabilityError, ParameterError
from mfn.features import FEATURE_NAMES, FeatureParams, feature_vector, features
from mfn.federated import AGGREGATORS, hierarchical_krum, krum, multi_krum
from mfn.field import FieldState, Simulation, StepResult, simulate
from mfn.fractal import box_dimension, ifs
from mfn.io import load_run, save_run
from mfn.nernst import IONS, ghk, nernst
from mfn.network import Adam, MFNNetwork
from mfn.params import FieldParams
from mfn.plasticity import STDP, stdp_update
from mfn.robustness import robustness_experiment
from mfn.sweep import sweep
from mfn.training import train_validation
from mfn.validation import validate

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
    "FieldState",
    "MFNError",
    "MFNNetwork",
    "NumericalInstabilityError",
    "ParameterError",
    "Simulation",
    "StepResult",
    "__version__",
    "apply_attack",
    "box_dimension",
    "feature_vector",
    "features",
    "ghk",
    "hierarchical_krum",
    "ifs",
    "krum",
    "load_run",
    "multi_krum",
    "nernst",
    "robustness_experiment",
    "save_run",
    "simulate",
    "simulate_ensemble",
    "stdp_update",
    "sweep",
    "train_validation",
    "validate",
]
