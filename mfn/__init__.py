"""MyceliumFractalNet: a 2-D "mycelium" potential-field workbench.

The public API is re-exported here. Importing :mod:`mfn` loads numpy and the core modules
only: xarray, scipy.ndimage, numba, Dask and the Panel/HoloViews views (``mfn.viz``) are
imported when first used.
"""

from mfn import datasets
from mfn.analysis.features import FEATURE_NAMES, FeatureParams, feature_vector, features
from mfn.analysis.fractal import box_dimension, ifs
from mfn.analysis.spectra import dominant_wavelength
from mfn.core.errors import MFNError, NumericalInstabilityError, ParameterError
from mfn.core.netcdf import load_dataset, load_run, save_dataset, save_run
from mfn.core.version import __version__
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
