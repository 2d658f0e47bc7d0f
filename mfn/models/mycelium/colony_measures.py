"""Measures of grown colonies that the validation rows and the preset's tests read.

Each takes a :class:`~mfn.hyphae.network.HyphalNetwork` (µm, h) and, for contacts, the run's
contact table, so it applies to any network with times and hypha ids. Costs: O(links log
links) each.
"""

from __future__ import annotations

from dataclasses import dataclass

import numpy as np

from mfn.hyphae.network import HyphalNetwork

MARGIN_PERCENTILE = 95.0
"""The margin lies at the 95th percentile of the nodes' distances from the centre."""

__all__ = [
    "MARGIN_PERCENTILE",
    "FrontFit",
    "branch_node_ages",
    "colony_centre",
    "front_fit",
    "hypha_directions",
    "margin_contacts",
]


def colony_centre(net: HyphalNetwork) -> tuple[float, float]:
    """Mean position of the nodes present at the first time (the inocula), µm."""
    first = net.t <= net.t.min()
    return float(net.x[first].mean()), float(net.y[first].mean())


def radius_at(net: HyphalNetwork, times: np.ndarray, percentile: float = 100.0) -> np.ndarray:
    """Colony radius at each of ``times`` (h): the ``percentile`` of the distances of the nodes
    present then from the colony centre (100: the farthest node), µm. O(times x nodes)."""
    cx, cy = colony_centre(net)
    order = np.argsort(net.t, kind="stable")
    r = np.hypot(net.x[order] - cx, net.y[order] - cy)
    present = np.searchsorted(net.t[order], np.asarray(times, dtype=np.float64), side="right")
    if percentile >= 100.0:
        far = np.maximum.accumulate(r)
        return np.where(present > 0, far[np.maximum(present - 1, 0)], 0.0)
    return np.array([float(np.percentile(r[:k], percentile)) if k else 0.0 for k in present])


@dataclass(frozen=True)
class FrontFit:
    """Linear fit of the colony radius against time: speed (µm/min), R², frames."""

    speed: float
    r2: float
    frames: int


def front_fit(net: HyphalNetwork, window: tuple[float, float], step: float = 0.25) -> FrontFit:
    """Front speed: least-squares slope of :func:`radius_at` against time over ``window`` (h)."""
    t = np.arange(window[0], window[1] + 1e-9, step)
    r = radius_at(net, t)
    if t.size < 3:
        return FrontFit(float("nan"), float("nan"), int(t.size))
    dt, dr = t - t.mean(), r - r.mean()
    slope = float(dt @ dr) / float(dt @ dt)
    ss = float(dr @ dr)
    r2 = 1.0 - float((dr - slope * dt) @ (dr - slope * dt)) / ss if ss > 0 else 0.0
    return FrontFit(slope / 60.0, r2, int(t.size))


def branch_node_ages(net: HyphalNetwork) -> np.ndarray:
    """How old the node a branch leaves from was when the branch appeared, h (one per branch).

    A branch is a hypha whose first node lies on another hypha; it appeared when its first
    own link did. Apical branching (a tip splitting) gives ages of one time step; lateral
    branching, from the sides of older hyphae, hours.
    """
    edge_t = net.edge_t
    pairs = np.unique(np.column_stack([net.edges.ravel(), np.repeat(net.hypha, 2)]), axis=0)
    hyphae_at = np.bincount(pairs[:, 0], minlength=net.n_nodes)
    order = np.argsort(edge_t, kind="stable")
    _, first = np.unique(net.hypha[order], return_index=True)
    link = order[first]
    u, v = net.edges[link, 0], net.edges[link, 1]
    base = np.where(net.t[u] <= net.t[v], u, v)
    branch = hyphae_at[base] >= 2  # else a germ tube or an unattached piece, not a branch
    return (edge_t[link] - net.t[base])[branch]


def margin_contacts(
    net: HyphalNetwork,
    contact_t: np.ndarray,
    contact_x: np.ndarray,
    contact_y: np.ndarray,
    zone: float,
    percentile: float = MARGIN_PERCENTILE,
) -> np.ndarray:
    """Which contacts happened at the margin: beyond the colony radius at their time
    (:func:`radius_at` with ``percentile``) less ``zone`` µm."""
    cx, cy = colony_centre(net)
    r = np.hypot(np.asarray(contact_x) - cx, np.asarray(contact_y) - cy)
    grid = np.unique(np.asarray(contact_t, dtype=np.float64))
    front = radius_at(net, grid, percentile)
    return r >= front[np.searchsorted(grid, contact_t)] - zone


def hypha_directions(net: HyphalNetwork, min_length: float = 50.0) -> np.ndarray:
    """One direction per hypha (radians, -pi..pi): the chord from its first node to its newest,
    for hyphae whose chord is at least ``min_length`` µm.

    Segments of one hypha share its direction, so segment directions are far from independent
    samples; one direction per hypha is what a test of isotropy can count.
    """
    u, v, h = net.edges[:, 0], net.edges[:, 1], net.hypha
    order = np.lexsort((net.edge_t, h))
    first = np.r_[0, np.flatnonzero(np.diff(h[order])) + 1]
    last = np.r_[first[1:] - 1, order.size - 1]
    a = np.where(net.t[u[order[first]]] <= net.t[v[order[first]]], u[order[first]], v[order[first]])
    b = np.where(net.t[u[order[last]]] >= net.t[v[order[last]]], u[order[last]], v[order[last]])
    dx, dy = net.x[b] - net.x[a], net.y[b] - net.y[a]
    keep = np.hypot(dx, dy) >= min_length
    return np.arctan2(dy[keep], dx[keep])
