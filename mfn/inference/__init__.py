"""Fitting models to data: simulation-based inference by ABC-SMC on Dask (ADR 0018).

:func:`calibrate` fits any model's parameters to observed data, :func:`posterior_predictive`
simulates from the result and :func:`to_arviz` hands it to arviz. pyabc, Dask and arviz are
imported only when these run (the ``calibrate`` extra). This layer imports the sweeps' Dask
connection and everything below it.
"""

from mfn.inference.calibration import calibrate
from mfn.inference.data import load_observed
from mfn.inference.predictive import posterior_predictive, to_arviz
from mfn.inference.result import credible_intervals

__all__ = ["calibrate", "credible_intervals", "load_observed", "posterior_predictive", "to_arviz"]
