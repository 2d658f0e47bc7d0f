"""MyceliumFractalNet: a 2-D "mycelium" potential-field workbench.

The public API is re-exported here. Importing :mod:`mfn` imports numpy, scipy-free core
modules and xarray only; the Panel/HoloViews views (``mfn.viz``) and Dask sweeps load lazily.
"""

from importlib.metadata import PackageNotFoundError, version

try:
    __version__ = version("mfn")
except PackageNotFoundError:  # running from a source tree that was not installed
    __version__ = "0+unknown"

from mfn.ensemble import Ensemble, simulate_ensemble
from mfn.errors import MFNError, NumericalInstabilityError, ParameterError
from mfn.field import FieldState, Simulation, StepResult, simulate
from mfn.io import load_run, save_run
from mfn.nernst import IONS, ghk, nernst
from mfn.params import FieldParams

__all__ = [
    "IONS",
    "Ensemble",
    "FieldParams",
    "FieldState",
    "MFNError",
    "NumericalInstabilityError",
    "ParameterError",
    "Simulation",
    "StepResult",
    "__version__",
    "ghk",
    "load_run",
    "nernst",
    "save_run",
    "simulate",
    "simulate_ensemble",
]
