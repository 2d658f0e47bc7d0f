"""The colony's age at an observation's time 0: a time shift between model and data.

A simulated colony starts at germination; a time-lapse of a real one starts when imaging
starts, at an age nobody recorded and that differs between experiments (the shared
*P. anserina* networks: ``shared/data/podospora_anserina/README.md``). Without that age a
model cannot predict the *level* of another experiment's total length L(t) at a given hour,
only its shape. :func:`time_shift` estimates it as a nuisance of the observation, one number
per experiment, from that experiment's own L(t): the shift ``s`` (h) that brings
``ln L_observed(t)`` closest, in mean square, to the logarithm of the posterior-predictive
median at ``t + s``. After the shift, the coverage of L
(:func:`mfn.inference.predictive.band_coverage` with ``shift``) tests the shape of the curve
only; the coverage of any other series (the free ends N(t)) remains a prediction.
"""

from __future__ import annotations

from collections.abc import Sequence
from typing import TYPE_CHECKING

import numpy as np

from mfn.core.checks import check_real
from mfn.core.errors import ParameterError
from mfn.inference.predictive import band_at

if TYPE_CHECKING:
    import xarray as xr

__all__ = ["SHIFT_MAX", "time_shift"]

SHIFT_MAX = 100.0
"""Largest shift the search accepts, h (either sign)."""
OVERLAP_MIN = 3
"""Fewest observed times a shift must keep inside the simulated span."""


def time_shift(
    predictive: xr.Dataset,
    observed: xr.Dataset,
    variable: str = "total_length",
    bounds: Sequence[float] = (-3.0, 3.0),
    *,
    resolution: float = 0.01,
    overlap: float = 0.8,
) -> float:
    """The observed colony's age at its time 0, counted from the model's start, h.

    Observed time ``t`` is matched with model time ``t + s``; the shift ``s`` minimises the
    mean of ``(ln y_obs(t) - ln median_pred(t + s))**2`` over the observed times with a
    positive value whose shifted time lies inside the simulated span (the median is joined
    log-linearly between simulated times, :func:`mfn.inference.predictive.band_at`). The
    search runs over ``bounds`` on a grid of ``resolution`` h. A positive shift says the
    observed colony was older at its first frame than the model's at the same hour.

    Parameters
    ----------
    predictive : xarray.Dataset
        :func:`mfn.posterior_predictive` with ``variable`` over ``(draw, time)``, time in h.
        Simulate it past the observation's last hour by the largest shift wanted.
    observed : xarray.Dataset
        The same measure over ``time`` (h), e.g. :func:`mfn.network_metrics` of a real network.
    variable : str, default "total_length"
        The series that fixes the clock (L, mm; any positive measure growing over time).
    bounds : (float, float), default (-3, 3)
        Smallest and largest shift, h; ``-100 <= lo < hi <= 100``.
    resolution : float, default 0.01
        Step of the search, h; ``0 < resolution <= hi - lo``.
    overlap : float, default 0.8
        Share of the observed positive values a shift must keep inside the simulated span,
        in (0, 1] (and at least 3 of them), so that a shift cannot win by dropping the hours
        it fits worst.

    Returns
    -------
    float
        The shift, h, a multiple of ``resolution`` from ``lo`` (the smallest of equal fits).

    Raises
    ------
    ParameterError
        If ``variable`` is not a series over time of both datasets, the observation has
        fewer than 3 positive values, a bound, the resolution or the overlap is out of range,
        or no shift in ``bounds`` keeps the overlap.

    Examples
    --------
    >>> import numpy as np, xarray as xr
    >>> t = np.arange(1, 41) * 0.5
    >>> pred = xr.Dataset({"L": (("draw", "time"), np.exp(0.3 * t)[None, :])}, coords={"time": t})
    >>> obs = xr.Dataset({"L": ("time", np.exp(0.3 * (t[:30] + 1.25)))}, coords={"time": t[:30]})
    >>> round(time_shift(pred, obs, "L"), 2)
    1.25
    """
    for data, which in ((predictive, "predictive"), (observed, "observed")):
        if variable not in data.data_vars or "time" not in data[variable].dims:
            raise ParameterError("variable", variable, f"a series over time of the {which} data")
    if len(bounds) != 2:
        raise ParameterError("bounds", bounds, "two shifts (lo, hi), h")
    lo = check_real("bounds[0]", bounds[0], -SHIFT_MAX, SHIFT_MAX)
    hi = check_real("bounds[1]", bounds[1], lo, SHIFT_MAX, lo_open=True)
    resolution = check_real("resolution", resolution, 0.0, hi - lo, lo_open=True)
    overlap = check_real("overlap", overlap, 0.0, 1.0, lo_open=True)
    series = observed[variable].dropna("time")
    positive = series.values > 0
    times, values = series.time.values[positive].astype(float), np.log(series.values[positive])
    if times.size < OVERLAP_MIN:
        raise ParameterError("observed", f"{times.size} positive values of {variable}", f"at least {OVERLAP_MIN}")
    shifts = lo + resolution * np.arange(int(np.floor((hi - lo) / resolution + 1e-9)) + 1)
    median = band_at(predictive[variable], (times[None, :] + shifts[:, None]).ravel(), [0.5])[0]
    with np.errstate(divide="ignore", invalid="ignore"):
        residual = values[None, :] - np.log(median.reshape(shifts.size, times.size))
    known = np.isfinite(residual)
    enough = known.sum(axis=1) >= max(OVERLAP_MIN, int(np.ceil(overlap * times.size - 1e-9)))
    if not enough.any():
        raise ParameterError(
            "bounds", (lo, hi), f"shifts that keep {overlap:.0%} of the observed {variable} inside the simulated hours",
            "simulate longer, or widen the bounds",
        )  # fmt: skip
    squares = np.where(known, residual, 0.0) ** 2
    score = np.where(enough, squares.sum(axis=1) / np.maximum(known.sum(axis=1), 1), np.inf)
    return float(shifts[int(np.argmin(score))])
