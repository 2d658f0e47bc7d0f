"""What :func:`mfn.calibrate` compares between a reaction–diffusion run and an observed pattern.

The measures of a run are its final activator field ``u(y, x)``; observed data may be a run,
a Dataset or DataArray holding such a field, a 2-D array, or a Dataset of the summaries
themselves (0-d variables named as below). The summaries:

- ``wavelength`` (cells): the dominant wavelength, :func:`mfn.dominant_wavelength`;
- ``spot_density`` (per 1000 cells): connected regions of ``u`` above its mean, regions that
  meet across a periodic edge counted once;
- ``amplitude``: the standard deviation of ``u`` (the run metric ``u_std``);
- ``level``: the mean of ``u`` (Schnakenberg keeps it near ``a + b``).
"""

from __future__ import annotations

from typing import Any

import numpy as np

from mfn.analysis.spectra import dominant_wavelength
from mfn.core.errors import ParameterError
from mfn.core.summaries import Summary, SummarySet

__all__ = ["SUMMARIES", "measure", "observe", "spot_count"]


def measure(run) -> Any:
    """The measures of a run: its final ``u`` as a Dataset ``u(y, x)``, with the run's ``boundary``."""
    u = run["u"]
    if "time" in u.dims:
        u = u.isel(time=-1, drop=True)
    ds = u.to_dataset(name="u")
    ds.attrs = {"boundary": str(run.attrs.get("boundary", "periodic"))}
    return ds


def observe(observed) -> Any:
    """The measures of an observed pattern (see the module docstring); ``ParameterError`` when empty."""
    import xarray as xr

    if isinstance(observed, np.ndarray):
        if observed.ndim != 2:
            raise ParameterError("observed", f"array of shape {observed.shape}", "a 2-D pattern u(y, x)")
        observed = xr.DataArray(observed, dims=("y", "x"))
    if isinstance(observed, xr.DataArray):
        field = observed
        if field.ndim == 3 and "time" in field.dims:
            field = field.isel(time=-1, drop=True)
        if field.ndim != 2:
            raise ParameterError("observed", f"array of shape {field.shape}", "a 2-D pattern u(y, x)")
        observed = field.to_dataset(name="u")
        observed.attrs = {"boundary": "neumann"}  # an image does not wrap around
    if not isinstance(observed, xr.Dataset):
        raise ParameterError(
            "observed", type(observed).__name__, "a reaction-diffusion run, a Dataset with u(y, x), or a 2-D array"
        )
    if "u" in observed.data_vars:
        ds = measure(observed)
        if "boundary" not in observed.attrs and "model" not in observed.attrs:
            ds.attrs["boundary"] = "neumann"
        u = ds["u"].values
        if u.size == 0 or not np.isfinite(u).all() or u.ndim != 2 or min(u.shape) < 4:
            raise ParameterError("observed", f"u of shape {u.shape}", "a finite 2-D pattern, at least 4 x 4 cells")
        return ds
    scalars = [name for name, v in observed.data_vars.items() if v.ndim == 0]
    if not scalars:
        raise ParameterError(
            "observed", "a Dataset without u or summaries", f"a Dataset with u(y, x) or 0-d variables {NAMES}"
        )
    return observed


def spot_count(u: np.ndarray, periodic: bool) -> int:
    """Connected regions (4-neighbour) of ``u`` above its mean; with ``periodic``, one across the edges."""
    from scipy import ndimage

    labels, n = ndimage.label(u > u.mean())
    if not periodic or n == 0:
        return int(n)
    parent = np.arange(n + 1)

    def root(i: int) -> int:
        while parent[i] != i:
            parent[i] = parent[parent[i]]
            i = parent[i]
        return i

    for a, b in ((labels[0, :], labels[-1, :]), (labels[:, 0], labels[:, -1])):
        for i, j in zip(a, b, strict=True):
            if i and j:
                ri, rj = root(int(i)), root(int(j))
                if ri != rj:
                    parent[max(ri, rj)] = min(ri, rj)
    return len({root(i) for i in range(1, n + 1)})


def _u(measures) -> np.ndarray:
    if "u" not in measures.data_vars:
        return np.full((0, 0), np.nan)
    return np.asarray(measures["u"].values, dtype=float)


def _wavelength(measures) -> float:
    u = _u(measures)
    return float(dominant_wavelength(u).attrs["wavelength"]) if u.size else float("nan")


def _spot_density(measures) -> float:
    u = _u(measures)
    if not u.size:
        return float("nan")
    return 1000.0 * spot_count(u, measures.attrs.get("boundary") == "periodic") / u.size


def _amplitude(measures) -> float:
    u = _u(measures)
    return float(u.std()) if u.size else float("nan")


def _level(measures) -> float:
    u = _u(measures)
    return float(u.mean()) if u.size else float("nan")


SUMMARIES = SummarySet(
    measure=measure,
    observe=observe,
    summaries=(
        Summary("wavelength", "cells", "dominant wavelength of u", _wavelength),
        Summary("spot_density", "1/(1000 cells)", "regions of u above its mean per 1000 cells", _spot_density),
        Summary("amplitude", "1", "pattern amplitude (std of u)", _amplitude),
        Summary("level", "1", "mean of u", _level),
    ),
    default=("wavelength", "spot_density", "amplitude", "level"),
    pattern="u",
)
"""The summaries of the reaction-diffusion model (the module docstring)."""
NAMES = SUMMARIES.names
