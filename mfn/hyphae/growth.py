"""How a network grows: its length, ends, junctions and cycles at many times at once, and rates.

No loop over times or nodes: every count is a cumulative sum over events sorted by time.

- A link exists from the later of its two nodes' times, so the total length ``L(t)`` is a
  cumulative sum of link lengths sorted by that time.
- A node has degree 1 from its first link's time until its second link's, degree >= 3 from
  its third link's time on; free ends (degree 1, not cut), cut ends and junctions at every
  time are differences of two sorted event lists.
- Anastomoses: links that close a cycle, the cycle rank ``E - V + C``. Adding links in order
  of time to a union-find forest, a link closes a cycle exactly when its ends are already
  connected; those not closing one form the minimum spanning forest with the link times as
  weights (Kruskal's algorithm is that union-find), computed once by
  :func:`scipy.sparse.csgraph.minimum_spanning_tree`. The cycle rank at ``t`` is then the
  links present minus the forest links present.

Rates (:func:`exponential_rate`): the drift of ``ln y`` over a window, read as a random walk
with drift, with a 95 % interval from the scatter of its increments: the residuals of a
cumulative curve about a straight line are strongly autocorrelated, so a least-squares
interval would be far too narrow.
"""

from __future__ import annotations

import math
from dataclasses import dataclass

import numpy as np
from scipy import sparse, special
from scipy.sparse.csgraph import minimum_spanning_tree

from mfn.hyphae.network import HyphalNetwork

__all__ = ["GrowthCounts", "RateFit", "default_window", "exponential_rate", "growth_counts", "node_degree_times"]

CONFIDENCE = 0.95
"""Level of the rate intervals."""


@dataclass(frozen=True)
class GrowthCounts:
    """Counts of a network at each of ``times`` (h); lengths in µm."""

    times: np.ndarray
    total_length: np.ndarray
    nodes: np.ndarray
    links: np.ndarray
    free_ends: np.ndarray
    cut_ends: np.ndarray
    branch_points: np.ndarray
    anastomoses: np.ndarray
    components: np.ndarray


def node_degree_times(network: HyphalNetwork) -> np.ndarray:
    """``(n, 3)`` times (h) at which each node reaches degree 1, 2 and 3; ``inf`` if never."""
    n = network.n_nodes
    out = np.full((n, 3), np.inf)
    if network.n_edges == 0:
        return out
    node = network.edges.ravel()
    when = np.repeat(network.edge_t, 2)
    order = np.lexsort((when, node))
    node, when = node[order], when[order]
    first = np.searchsorted(node, node, side="left")
    rank = np.arange(node.size) - first
    for k in range(3):
        pick = rank == k
        out[node[pick], k] = when[pick]
    return out


def _count_by(times: np.ndarray, events: np.ndarray) -> np.ndarray:
    """How many of ``events`` are <= each of ``times``."""
    return np.searchsorted(np.sort(events), times, side="right")


def growth_counts(network: HyphalNetwork, times: np.ndarray) -> GrowthCounts:
    """The counts of :class:`GrowthCounts` at ``times`` (h, any order), vectorised (module docstring)."""
    times = np.asarray(times, dtype=np.float64)
    edge_t = network.edge_t
    order = np.argsort(edge_t, kind="stable")
    cum_length = np.r_[0.0, np.cumsum(network.lengths[order])]
    links = np.searchsorted(edge_t[order], times, side="right")
    total_length = cum_length[links]
    nodes = _count_by(times, network.t)
    reach = node_degree_times(network)
    cut = network.cut
    ends = [_count_by(times, reach[mask, 0]) - _count_by(times, reach[mask, 1]) for mask in (~cut, cut)]
    branch_points = _count_by(times, reach[:, 2])
    forest_times = _forest_link_times(network)
    forest = _count_by(times, forest_times)
    return GrowthCounts(
        times=times,
        total_length=total_length,
        nodes=nodes,
        links=links,
        free_ends=ends[0],
        cut_ends=ends[1],
        branch_points=branch_points,
        anastomoses=links - forest,
        components=nodes - forest,
    )


def _forest_link_times(network: HyphalNetwork) -> np.ndarray:
    """Times of the links of the minimum spanning forest weighted by link time (module docstring)."""
    if network.n_edges == 0:
        return np.zeros(0)
    edge_t = network.edge_t
    order = np.argsort(edge_t, kind="stable")
    lo = np.minimum(network.edges[:, 0], network.edges[:, 1])[order]
    hi = np.maximum(network.edges[:, 0], network.edges[:, 1])[order]
    # parallel links: the earliest joins, the later ones close cycles (a sparse matrix would sum them)
    _, first = np.unique(lo * network.n_nodes + hi, return_index=True)
    lo, hi, when = lo[first], hi[first], edge_t[order][first]
    rank = np.unique(when, return_inverse=True)[1] + 1.0  # positive weights: zero would mean no link
    n = network.n_nodes
    tree = minimum_spanning_tree(sparse.csr_array((rank, (lo, hi)), shape=(n, n)))
    levels = np.unique(when)
    return levels[np.asarray(tree.data, dtype=np.int64) - 1]


@dataclass(frozen=True)
class RateFit:
    """An exponential rate (1/h) fitted over ``window`` (h) with its 95 % interval."""

    rate: float
    low: float
    high: float
    window: tuple[float, float]
    points: int


def default_window(times: np.ndarray) -> tuple[float, float]:
    """The last two thirds of the time span: after germination, where growth is exponential."""
    lo, hi = float(np.min(times)), float(np.max(times))
    return lo + (hi - lo) / 3.0, hi


def exponential_rate(times: np.ndarray, values: np.ndarray, window: tuple[float, float]) -> RateFit:
    """Exponential rate of ``values`` over ``window`` (inclusive), with its 95 % interval.

    ``ln values`` is treated as a random walk with drift ``r``: a cumulative curve such as
    L(t) grows by increments that vary independently, so its residuals about a straight
    line are strongly autocorrelated and a least-squares interval would be far too narrow.
    The drift is ``r = ln(y_last / y_first) / (t_last - t_first)`` (the weighted mean of
    the increments' rates) and its standard error comes from their scatter,
    ``s^2 = sum((d_i - r dt_i)^2 / dt_i) / (n - 1)``, ``se = s / sqrt(t_last - t_first)``,
    with the Student-t quantile at ``n - 1`` degrees of freedom (``n`` increments). Where
    the noise is instead independent measurement error, this interval is conservative.

    Points with ``values <= 0`` are left out. With fewer than 3 points the rate and its
    interval are NaN (``points`` says how many there were).
    """
    t = np.asarray(times, dtype=np.float64)
    y = np.asarray(values, dtype=np.float64)
    keep = (t >= window[0]) & (t <= window[1]) & (y > 0)
    order = np.argsort(t[keep], kind="stable")
    t, y = t[keep][order], np.log(y[keep][order])
    points = int(t.size)
    span = float(t[-1] - t[0]) if points else 0.0
    if points < 3 or span <= 0:
        return RateFit(math.nan, math.nan, math.nan, window, points)
    dt, dy = np.diff(t), np.diff(y)
    rate = float(y[-1] - y[0]) / span
    step = dt > 0
    spread = float(np.sum((dy[step] - rate * dt[step]) ** 2 / dt[step])) / (int(step.sum()) - 1)
    half = float(special.stdtrit(int(step.sum()) - 1, 0.5 + CONFIDENCE / 2.0)) * math.sqrt(spread / span)
    return RateFit(rate, rate - half, rate + half, window, points)
