"""The shape of a colony's occupancy mask: gappiness, roundness, reach, radius, distance to the edge.

Every function reads a 2-D occupancy mask (non-zero = hypha) and, where it needs one, the
inoculum's position ``centre`` (row, column), in cells.
"""

from __future__ import annotations

import math
from typing import Any

import numpy as np

from mfn.core.errors import ParameterError

__all__ = ["LACUNARITY_BOX", "colony_radius", "edge_distance", "lacunarity", "occupancy_mask", "reach", "roundness"]

LACUNARITY_BOX = 8
"""Side of the gliding box of the reported lacunarity, cells."""


def occupancy_mask(name: str, mask: Any) -> np.ndarray:
    """``mask`` as a bool array (non-zero = occupied); a ``ParameterError`` naming ``name`` unless 2-D."""
    arr = np.asarray(mask)
    if arr.ndim != 2:
        raise ParameterError(name, f"array of shape {arr.shape}", "a 2-D 0/1 array")
    return arr != 0


def lacunarity(mask: Any, box: int = LACUNARITY_BOX) -> float:
    """Gliding-box lacunarity ``E[M^2] / E[M]^2`` of the box masses ``M`` (Allain & Cloitre 1991).

    1 for a uniform mask, larger for gappier ones; NaN-free: 0.0 for an empty mask.
    """
    m = occupancy_mask("mask", mask).astype(np.float64)
    if box < 1 or box > min(m.shape):
        raise ParameterError("box", box, f"1 <= box <= {min(m.shape)}")
    c = np.pad(m.cumsum(0).cumsum(1), ((1, 0), (1, 0)))
    masses = c[box:, box:] - c[:-box, box:] - c[box:, :-box] + c[:-box, :-box]
    mean = masses.mean()
    return float((masses * masses).mean() / (mean * mean)) if mean > 0 else 0.0


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
    m = occupancy_mask("mask", mask)
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
    ys, xs = np.nonzero(occupancy_mask("mask", mask))
    if ys.size == 0:
        return 0.0
    return float(np.percentile(np.hypot(ys - centre[0], xs - centre[1]), percentile))


def edge_distance(shape: tuple[int, int], centre: tuple[float, float]) -> float:
    """Distance from ``centre`` (row, column) to the nearest edge cell of a ``shape`` plate, cells."""
    return float(min(centre[0], centre[1], shape[0] - 1 - centre[0], shape[1] - 1 - centre[1]))


def colony_radius(mask: np.ndarray, centre: tuple[float, float]) -> float:
    """Distance from ``centre`` to the farthest occupied cell, cells (0.0 for an empty mask)."""
    ys, xs = np.nonzero(mask)
    if ys.size == 0:
        return 0.0
    return float(np.sqrt(np.max((ys - centre[0]) ** 2 + (xs - centre[1]) ** 2)))
