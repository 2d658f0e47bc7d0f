"""Colony measures as mycologists take them: size, front speed, fractal dimensions, skeleton.

Everything here reads occupancy masks (2-D, 0/1) and, where given, the step at which each
cell was occupied (``born``, -1 where never), so it works for any run that records an
``occupied(time, y, x)`` variable. Two fractal dimensions, stated by estimator:

- box counting of one mask (:func:`mfn.analysis.fractal.box_dimension`, boxes 2 .. half the
  plate, 5 sizes) — what image analysis of a colony photograph gives; biased low on
  1-cell-wide lattice structures (a plain on-lattice DLA gives 1.35–1.49);
- mass dimension from the growth history: the least-squares slope of ``ln(mass)`` against
  ``ln(radius of gyration)`` over the frames (:func:`mass_dimension`); a plain on-lattice DLA
  gives 1.68–1.75.

Skeleton measures need scikit-image (``pip install 'mfn[colony]'``).
"""

from __future__ import annotations

import math
from typing import TYPE_CHECKING, Any

import numpy as np

from mfn.analysis.fractal import box_dimension
from mfn.core.errors import ParameterError

if TYPE_CHECKING:
    import xarray as xr

__all__ = [
    "LACUNARITY_BOX",
    "MIN_MASS",
    "edge_distance",
    "final_colony_attrs",
    "growth_history",
    "lacunarity",
    "lattice_metrics",
    "mass_dimension",
    "radial_fit",
    "reach",
    "roundness",
    "skeleton_measures",
    "skeleton_points",
]

MIN_MASS = 50
"""Smallest colony (cells) a mass-dimension fit uses: below it the lattice dominates."""
LAG_RADIUS = 10.0
"""Radial fits start once the colony radius exceeds this many cells (the lag phase ends)."""
EDGE_FRACTION = 0.9
"""Radial fits stop once the radius reaches this fraction of the distance to the nearest edge."""
LACUNARITY_BOX = 8
"""Side of the gliding box of the reported lacunarity, cells."""
SKIMAGE_MISSING = "skeleton measures need scikit-image: pip install 'mfn[colony]' (or scikit-image)"
_MAX_FIT_POINTS = 40


def _mask(name: str, mask: Any) -> np.ndarray:
    arr = np.asarray(mask)
    if arr.ndim != 2:
        raise ParameterError(name, f"array of shape {arr.shape}", "a 2-D 0/1 array")
    return arr != 0


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


def lacunarity(mask: Any, box: int = LACUNARITY_BOX) -> float:
    """Gliding-box lacunarity ``E[M^2] / E[M]^2`` of the box masses ``M`` (Allain & Cloitre 1991).

    1 for a uniform mask, larger for gappier ones; NaN-free: 0.0 for an empty mask.
    """
    m = _mask("mask", mask).astype(np.float64)
    if box < 1 or box > min(m.shape):
        raise ParameterError("box", box, f"1 <= box <= {min(m.shape)}")
    c = np.pad(m.cumsum(0).cumsum(1), ((1, 0), (1, 0)))
    masses = c[box:, box:] - c[:-box, box:] - c[box:, :-box] + c[:-box, :-box]
    mean = masses.mean()
    return float((masses * masses).mean() / (mean * mean)) if mean > 0 else 0.0


def _skeleton(mask: Any) -> tuple[np.ndarray, np.ndarray, Any]:
    """The skeleton of ``mask``, each skeleton cell's count of 8-neighbours on it, and a neighbour view."""
    try:
        from skimage.morphology import skeletonize
    except ImportError as err:  # pragma: no cover - exercised only without scikit-image
        raise ImportError(SKIMAGE_MISSING) from err
    sk = skeletonize(_mask("mask", mask))
    p = np.pad(sk, 1)
    m, n = sk.shape

    def at(dy: int, dx: int) -> np.ndarray:
        return p[1 + dy : 1 + dy + m, 1 + dx : 1 + dx + n]

    neighbours = sum(at(dy, dx).astype(np.int64) for dy in (-1, 0, 1) for dx in (-1, 0, 1) if dy or dx) * sk
    return sk, neighbours, at


def skeleton_points(mask: Any) -> dict[str, np.ndarray]:
    """The skeletonised colony and where its endpoints and branch points lie (for pictures).

    Returns
    -------
    dict
        ``skeleton`` (bool array, the shape of ``mask``), ``endpoints`` and ``branch_cells``
        (``(rows, cols)`` index arrays: skeleton cells with one, and with three or more,
        8-neighbours on the skeleton; :func:`skeleton_measures` counts connected clusters of
        branch cells as one branch point each).

    Raises
    ------
    ImportError
        Naming what to install, when scikit-image is missing.
    """
    sk, neighbours, _ = _skeleton(mask)
    return {
        "skeleton": sk,
        "endpoints": np.nonzero(sk & (neighbours == 1)),
        "branch_cells": np.nonzero(sk & (neighbours >= 3)),
    }


def skeleton_measures(mask: Any) -> dict[str, float]:
    """Endpoints, branch points and total hyphal length of the skeletonised colony.

    The mask is thinned with :func:`skimage.morphology.skeletonize`; on the skeleton an
    endpoint has one 8-neighbour; a branch point is a connected cluster of skeleton cells
    with three or more (one junction, however many cells it spans); the length sums every pair of
    neighbouring skeleton cells once, 1 for a side and sqrt(2) for a diagonal, leaving out a
    diagonal whose ends are already joined through a side neighbour (cells).

    Raises
    ------
    ImportError
        Naming what to install, when scikit-image is missing.
    """
    sk, neighbours, at = _skeleton(mask)
    # each pair once: east and south sides; a diagonal only where no side path joins its ends
    sides = np.count_nonzero(sk & at(0, 1)) + np.count_nonzero(sk & at(1, 0))
    down_right = sk & at(1, 1) & ~at(0, 1) & ~at(1, 0)
    down_left = sk & at(1, -1) & ~at(0, -1) & ~at(1, 0)
    length = sides + math.sqrt(2.0) * (np.count_nonzero(down_right) + np.count_nonzero(down_left))
    from scipy import ndimage

    _, junctions = ndimage.label(sk & (neighbours >= 3), structure=np.ones((3, 3)))
    return {
        "endpoints": float(np.count_nonzero(sk & (neighbours == 1))),
        "branch_points": float(junctions),
        "hyphal_length": float(length),
    }


def roundness(mask: Any, centre: tuple[float, float], sectors: int = 8, percentile: float = 95.0) -> float:
    """How round a colony is: smallest over largest of its angular sectors' radii (0..1).

    The plane around ``centre`` (row, column) is cut into ``sectors`` equal angular sectors
    (the first starting at angle -pi, i.e. along -x); each sector's radius is the
    ``percentile``-th percentile of its occupied cells' distances from ``centre`` (0 for an
    empty sector). A disk gives about 1; a colony with one empty sector gives 0.

    Parameters
    ----------
    mask : array_like, shape (M, N)
        Occupancy (non-zero = hypha).
    centre : (float, float)
        The inoculum's position, cells (row, column).
    sectors : int
        Number of angular sectors.
    percentile : float
        Percentile of the distances taken as a sector's radius, in (0, 100].

    Returns
    -------
    float
        ``min / max`` of the sector radii; 0 for an empty mask.

    Examples
    --------
    >>> yy, xx = np.mgrid[:65, :65]
    >>> round(roundness(np.hypot(yy - 32, xx - 32) <= 30, (32, 32)), 2)
    1.0
    """
    m = _mask("mask", mask)
    ys, xs = np.nonzero(m)
    if ys.size == 0:
        return 0.0
    dy, dx = ys - centre[0], xs - centre[1]
    r = np.hypot(dy, dx)
    k = np.floor((np.arctan2(dy, dx) + math.pi) / (2.0 * math.pi) * sectors).astype(int) % sectors
    radii = [float(np.percentile(r[k == i], percentile)) if np.any(k == i) else 0.0 for i in range(sectors)]
    return min(radii) / max(radii) if max(radii) > 0.0 else 0.0


def reach(mask: Any, centre: tuple[float, float], percentile: float = 99.0) -> float:
    """How far a colony reaches: the ``percentile``-th percentile of its cells' distances from ``centre``, cells.

    A high percentile rather than the maximum, so that one stray hypha does not count
    (0.0 for an empty mask).

    Examples
    --------
    >>> yy, xx = np.mgrid[:64, :64]
    >>> round(reach(np.hypot(yy - 32, xx - 32) <= 30, (32, 32)), 1)
    29.8
    """
    ys, xs = np.nonzero(_mask("mask", mask))
    if ys.size == 0:
        return 0.0
    return float(np.percentile(np.hypot(ys - centre[0], xs - centre[1]), percentile))


def edge_distance(shape: tuple[int, int], centre: tuple[float, float]) -> float:
    """Distance from ``centre`` (row, column) to the nearest edge cell of a ``shape`` plate, cells."""
    return float(min(centre[0], centre[1], shape[0] - 1 - centre[0], shape[1] - 1 - centre[1]))


def _radius(mask: np.ndarray, centre: tuple[float, float]) -> float:
    ys, xs = np.nonzero(mask)
    if ys.size == 0:
        return 0.0
    return float(np.sqrt(np.max((ys - centre[0]) ** 2 + (xs - centre[1]) ** 2)))


def final_colony_attrs(mask: Any, born: Any | None = None, skeleton: bool = True) -> dict[str, float]:
    """The final colony's measures, for a run's attributes (skeleton ones only with scikit-image).

    Keys: ``biomass`` (cells), ``box_dimension`` and ``box_dimension_r2`` (box counting),
    ``mass_dimension`` and ``mass_dimension_r2`` (from ``born``, when given),
    ``lacunarity`` with its ``lacunarity_box`` (:data:`LACUNARITY_BOX`, or the mask's shorter
    side when smaller), and with ``skeleton`` (and scikit-image) ``endpoints``,
    ``branch_points``, ``hyphal_length``. Cost: box counting and the skeleton of an ``M x N``
    mask, O(M N log(M N)).
    """
    m = _mask("mask", mask)
    d, r2 = box_dimension(m)
    box = min(LACUNARITY_BOX, min(m.shape))
    attrs = {"biomass": float(m.sum()), "box_dimension": d, "box_dimension_r2": r2, "lacunarity": lacunarity(m, box)}
    attrs["lacunarity_box"] = box
    if born is not None:
        _, mass, rg = growth_history(born)
        attrs["mass_dimension"], attrs["mass_dimension_r2"] = mass_dimension(mass, rg)
    if skeleton:
        try:
            attrs.update(skeleton_measures(m))
        except ImportError:
            pass
    return attrs


def lattice_metrics(run: xr.Dataset, skeleton: bool = True) -> xr.Dataset:
    """Colony measures of a run's occupancy pictures, frame by frame, final values as attributes.

    :func:`mfn.colony_metrics` adds the network's counts to them when the run has a network.

    Parameters
    ----------
    run : xarray.Dataset
        A run holding ``occupied(time, y, x)`` (0/1; the first frame holds the inocula);
        counters ``tips``, ``growth_events``, ``branchings``, ``anastomoses``, ``spikes`` are
        copied when present.

    Returns
    -------
    xarray.Dataset
        Over ``time`` (h when the run has ``time_h``, else steps): ``biomass`` (cells),
        ``colony_radius`` (µm when the run has ``x_um``, else cells; from the first frame's
        centroid), ``front_speed`` (d radius/dt), ``box_dimension`` and its
        ``box_dimension_r2``, ``lacunarity``, ``radius_of_gyration`` (µm or cells), with
        ``skeleton`` the picture's skeleton's ``endpoints``, ``branch_points`` and
        ``hyphal_length`` (µm or cells; the skeleton merges hyphae closer than a lattice cell
        and counts crossings as junctions), and the run's counters.
        Attributes: ``mass_dimension`` and ``mass_dimension_r2`` (ln mass against ln radius
        of gyration over the frames), ``radial_speed`` and ``radial_r2`` (linear fit of the
        radius after the lag, :func:`radial_fit`), and the final frame's values; the run's
        ``spike_speed`` (cells/step) and ``spikes_total`` when it has them.

    Raises
    ------
    ParameterError
        If ``run`` has no ``occupied(time, y, x)``.
    ImportError
        Naming scikit-image, when it is missing.
    """
    import xarray as xr

    if "occupied" not in getattr(run, "data_vars", {}) or run["occupied"].ndim != 3:
        raise ParameterError("run", "a Dataset without occupied(time, y, x)", "a run with an occupancy history")
    occ = run["occupied"].transpose("time", ...).values != 0
    time = run["time"].values.astype(float) if "time" in run.coords else np.arange(occ.shape[0], dtype=float)
    # a run with physical units (a cell of x_um[1] - x_um[0] µm, time_h in hours) is measured in them
    scale, length_unit, time_unit = 1.0, "cells", "step"
    if "x_um" in run.coords and run.sizes.get("x", 0) > 1:
        scale, length_unit = float(run["x_um"].values[1] - run["x_um"].values[0]), "µm"
    if "time_h" in run.coords:
        time, time_unit = run["time_h"].values.astype(float), "h"
    ys, xs = np.nonzero(occ[0])
    centre = (float(ys.mean()), float(xs.mean())) if ys.size else ((occ.shape[1] - 1) / 2, (occ.shape[2] - 1) / 2)
    cols: dict[str, list[float]] = {k: [] for k in ("biomass", "colony_radius", "radius_of_gyration")}
    cols.update({k: [] for k in ("box_dimension", "box_dimension_r2", "lacunarity")})
    if skeleton:
        cols.update({k: [] for k in ("endpoints", "branch_points", "hyphal_length")})
    for frame in occ:
        fy, fx = np.nonzero(frame)
        cols["biomass"].append(float(fy.size))
        cols["colony_radius"].append(_radius(frame, centre))
        rg = math.sqrt(fy.var() + fx.var()) if fy.size else 0.0
        cols["radius_of_gyration"].append(rg)
        d, r2 = box_dimension(frame)
        cols["box_dimension"].append(d)
        cols["box_dimension_r2"].append(r2)
        cols["lacunarity"].append(lacunarity(frame, min(LACUNARITY_BOX, min(frame.shape))))
        if skeleton:
            for k, v in skeleton_measures(frame).items():
                cols[k].append(v)
    cells_radius = np.array(cols["colony_radius"])
    for k in ("colony_radius", "radius_of_gyration", "hyphal_length"):
        if k in cols:
            cols[k] = [v * scale for v in cols[k]]
    radius = np.array(cols["colony_radius"])
    speed = np.gradient(radius, time) if time.size > 1 else np.zeros_like(radius)
    units = {"biomass": "cells", "colony_radius": length_unit, "radius_of_gyration": length_unit}
    units["hyphal_length"] = length_unit
    data = {
        k: ("time", np.array(v), {"units": units.get(k, "1"), "long_name": k.replace("_", " ")})
        for k, v in cols.items()
    }
    data["front_speed"] = ("time", speed, {"units": f"{length_unit}/{time_unit}", "long_name": "front speed"})
    counters = ("tips", "growth_events", "branchings", "lateral_branchings", "apical_branchings", "anastomoses")
    for name in (*counters, "crossings", "edge_stops", "spikes"):
        if name in run.data_vars and run[name].dims == ("time",):
            data[name] = ("time", run[name].values, dict(run[name].attrs))
    out = xr.Dataset(data, coords={"time": ("time", time, {"units": time_unit, "long_name": "time"})})
    md, md_r2 = mass_dimension(cols["biomass"], cols["radius_of_gyration"])
    vs, vr2, _ = radial_fit(time, cells_radius, edge_distance(occ.shape[1:], centre))
    vs *= scale
    out.attrs.update({k: float(v[-1]) for k, v in cols.items()})
    out.attrs.update(
        {"mass_dimension": md, "mass_dimension_r2": md_r2, "radial_speed": vs, "radial_r2": vr2, "front_speed": vs}
    )
    for key in ("spike_speed", "spikes_total"):
        if key in run.attrs:
            out.attrs[key] = float(run.attrs[key])
    return out
