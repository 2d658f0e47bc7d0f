"""A colony's growth history and the fits taken over it: mass dimension and front speed.

- :func:`growth_history`: mass and radius of gyration after every step at which the colony
  grew, from the step at which each cell was occupied (``born``, -1 where never);
- :func:`mass_dimension`: the least-squares slope of ``ln(mass)`` against
  ``ln(radius of gyration)`` over the growth (a plain on-lattice DLA gives 1.68–1.75, where box
  counting of the final picture gives 1.35–1.49);
- :func:`radial_fit`: the front speed, a linear fit of the radius after the lag, before the edge.
"""

from __future__ import annotations

from typing import Any

import numpy as np

from mfn.core.errors import ParameterError

__all__ = ["EDGE_FRACTION", "LAG_RADIUS", "MIN_MASS", "growth_history", "mass_dimension", "radial_fit"]

MIN_MASS = 50
"""Smallest colony (cells) a mass-dimension fit uses: below it the lattice dominates."""
LAG_RADIUS = 10.0
"""Radial fits start once the colony radius exceeds this many cells (the lag phase ends)."""
EDGE_FRACTION = 0.9
"""Radial fits stop once the radius reaches this fraction of the distance to the nearest edge."""
_MAX_FIT_POINTS = 40


def growth_history(born: Any) -> tuple[np.ndarray, np.ndarray, np.ndarray]:
    """Mass and radius of gyration after every step at which the colony grew.

    Parameters
    ----------
    born : (M, N) int ndarray
        Step at which each cell was occupied; negative where never.

    Returns
    -------
    steps, mass, rg : (K,) ndarrays
        The distinct occupation steps, the occupied cells up to each, and their radius of
        gyration (cells) about their own centroid.
    """
    b = np.asarray(born)
    if b.ndim != 2:
        raise ParameterError("born", f"array of shape {b.shape}", "a 2-D integer array")
    ys, xs = np.nonzero(b >= 0)
    order = np.argsort(b[ys, xs], kind="stable")
    ys, xs, times = ys[order].astype(float), xs[order].astype(float), b[ys, xs][order]
    last = np.r_[np.nonzero(np.diff(times))[0], times.size - 1] if times.size else np.array([], int)
    n = np.arange(1, times.size + 1, dtype=float)
    my, mx = np.cumsum(ys) / n, np.cumsum(xs) / n
    rg2 = np.cumsum(ys * ys) / n - my * my + np.cumsum(xs * xs) / n - mx * mx
    return times[last], n[last], np.sqrt(np.maximum(rg2[last], 0.0))


def mass_dimension(mass: Any, rg: Any, min_mass: float = MIN_MASS) -> tuple[float, float]:
    """Slope of ``ln(mass)`` against ``ln(rg)`` over a growth history, and its R^2.

    Points with ``mass >= min_mass`` enter; they are thinned to at most 40, evenly spaced in
    ``ln(mass)``, so a history sampled every step does not weigh the late, large colony more
    than the early one. The slope is not clipped. ``(0.0, 0.0)`` with fewer than 3 points or
    no spread in the radius.
    """
    m, r = np.asarray(mass, float), np.asarray(rg, float)
    keep = (m >= min_mass) & (r > 0)
    m, r = m[keep], r[keep]
    if m.size < 3:
        return 0.0, 0.0
    lm = np.log(m)
    bins = np.linspace(lm[0], lm[-1], _MAX_FIT_POINTS + 1)
    pick = np.unique(np.clip(np.searchsorted(lm, bins), 0, lm.size - 1))
    x, y = np.log(r[pick]), lm[pick]
    if pick.size < 3 or np.ptp(x) <= 0:
        return 0.0, 0.0
    dx, dy = x - x.mean(), y - y.mean()
    slope = float(dx @ dy) / float(dx @ dx)
    ss = float(dy @ dy)
    r2 = 1.0 - float((dy - slope * dx) @ (dy - slope * dx)) / ss if ss > 0 else 0.0
    return slope, r2


def radial_fit(time: Any, radius: Any, edge_distance: float) -> tuple[float, float, int]:
    """Linear fit of the colony radius against time after the lag, before the plate edge.

    Frames with ``LAG_RADIUS < radius < EDGE_FRACTION * edge_distance`` enter.

    Returns
    -------
    speed : float
        Slope, cells per step (the front speed); 0.0 with fewer than 3 frames.
    r2 : float
        Coefficient of determination of the fit.
    frames : int
        Frames fitted.
    """
    t, r = np.asarray(time, float), np.asarray(radius, float)
    keep = (r > LAG_RADIUS) & (r < EDGE_FRACTION * edge_distance)
    t, r = t[keep], r[keep]
    if t.size < 3 or np.ptp(t) <= 0:
        return 0.0, 0.0, int(t.size)
    dt, dr = t - t.mean(), r - r.mean()
    slope = float(dt @ dr) / float(dt @ dt)
    ss = float(dr @ dr)
    r2 = 1.0 - float((dr - slope * dt) @ (dr - slope * dt)) / ss if ss > 0 else 0.0
    return slope, r2, int(t.size)
