"""Fitting models to data: simulation-based inference by ABC-SMC on Dask (ADR 0018).

:func:`calibrate` fits any model's parameters to observed data, :func:`posterior_predictive`
simulates from the result and :func:`to_arviz` hands it to arviz. pyabc, Dask and arviz are
imported only when these run (the ``calibrate`` extra).

Rank 6: it may import the layers of rank 0 to 5 (it runs its simulations on the sweeps' Dask
connection), not the other layers of rank 6 (workflows, validation) (ADR 0010).
"""

from mfn.inference.calibration import calibrate
from mfn.inference.data import load_observed
from mfn.inference.predictive import posterior_predictive, to_arviz
from mfn.inference.result import credible_intervals

__all__ = ["calibrate", "credible_intervals", "load_observed", "posterior_predictive", "to_arviz"]
