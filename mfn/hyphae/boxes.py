"""Box counting of a network's geometry, reported as a local slope against box size.

The hyphae are sampled as points along every link, at most a quarter of the smallest box
apart (and at both nodes), and ``N(eps)`` counts the boxes of side ``eps`` (a grid anchored
at the field's corner) holding at least one point. The local dimension at each scale is
``-d ln N / d ln eps`` between neighbouring sizes, and the box dimension is the
least-squares slope over a stated range of sizes. The same estimator on a photograph's mask
is :func:`mfn.analysis.fractal.box_dimension` (boxes in pixels); this one works in µm on the
graph, so a simulation and a photograph drawn as networks are measured alike.

A network of thin hyphae has no single dimension: in boxes smaller than the spacing of its
hyphae it is a set of lines (slope near 1), in boxes larger than the spacing but smaller
than the colony it fills the plane (near 2), and boxes near the colony's size see one blob.
"""

from __future__ import annotations

from dataclasses import dataclass

import numpy as np

from mfn.hyphae.network import HyphalNetwork

__all__ = ["BoxCounts", "box_counts", "sample_points"]


@dataclass(frozen=True)
class BoxCounts:
    """Occupied boxes ``count`` at sides ``size`` (µm), local slopes at the midpoints, and a fit."""

    size: np.ndarray
    count: np.ndarray
    slope_size: np.ndarray
    slope: np.ndarray
    dimension: float
    fit_range: tuple[float, float]


def sample_points(network: HyphalNetwork, spacing: float) -> tuple[np.ndarray, np.ndarray]:
    """Points (µm) along every link, at most ``spacing`` apart, both ends included."""
    u, v = network.edges[:, 0], network.edges[:, 1]
    pieces = np.maximum(np.ceil(network.lengths / spacing).astype(np.int64), 1)
    link = np.repeat(np.arange(network.n_edges), pieces)
    first = np.r_[0, np.cumsum(pieces)[:-1]]
    frac = (np.arange(link.size) - first[link]) / pieces[link]
    x = network.x[u][link] + frac * (network.x[v] - network.x[u])[link]
    y = network.y[u][link] + frac * (network.y[v] - network.y[u])[link]
    return np.r_[x, network.x], np.r_[y, network.y]


def box_counts(network: HyphalNetwork, sizes: np.ndarray, fit_range: tuple[float, float]) -> BoxCounts:
    """``N(eps)`` at each of ``sizes`` (µm, increasing) and the local slopes (module docstring)."""
    sizes = np.asarray(sizes, dtype=np.float64)
    x, y = sample_points(network, float(sizes[0]) / 4.0)
    x0, y0 = network.field[0], network.field[1]
    counts = np.empty(sizes.size)
    for k, eps in enumerate(sizes):  # a dozen sizes: each count is one vectorised pass
        ix = np.floor((x - x0) / eps).astype(np.int64)
        iy = np.floor((y - y0) / eps).astype(np.int64)
        iy -= iy.min() if iy.size else 0
        ix -= ix.min() if ix.size else 0
        counts[k] = np.unique(ix * (int(iy.max()) + 1 if iy.size else 1) + iy).size
    lx, ly = np.log(sizes), np.log(np.where(counts > 0, counts, np.nan))
    slope = -np.diff(ly) / np.diff(lx)
    keep = (sizes >= fit_range[0] * (1 - 1e-9)) & (sizes <= fit_range[1] * (1 + 1e-9)) & (counts > 0)
    dimension = float(-np.polyfit(lx[keep], ly[keep], 1)[0]) if keep.sum() >= 2 else float("nan")
    return BoxCounts(sizes, counts, np.sqrt(sizes[1:] * sizes[:-1]), slope, dimension, fit_range)
