"""Shape of the hyphae: branching angles, internodes, tortuosity and apex speeds.

All read the hyphae as paths from base to tip (:mod:`mfn.hyphae.paths`).

- **Branching angle**: a hypha whose base lies on another hypha (its parent) is a branch.
  Its direction is the chord from its base to the point ``angle_length`` µm along it; the
  parent's direction is the chord between the points ``angle_length`` µm before and after
  the base along the parent (cut short at the parent's ends), pointing towards the
  parent's tip. The angle between them is in 0..180 degrees (a branch leaving at right
  angles: 90). Branches shorter than ``angle_length`` are left out: over the first pixels a
  direction is noise. The parent is a hypha passing through the base (one ending there
  only if none passes through); of several, the one that appeared first.
- **Internode length**: arc length along a hypha between consecutive junctions (nodes of
  degree >= 3: branch bases and fusion points) on it, µm.
- **Tortuosity**: arc length over the straight distance between a hypha's two ends, for
  hyphae at least ``TORTUOSITY_MIN_UM`` long (1 is straight).
- **Apex speed**: a hypha grows at its tip, so the length it adds between two successive
  times at which it grew, over that interval, is its apex speed (µm/min). Its first growth
  (its emergence, of unknown start) is left out, and so are intervals longer than
  ``max_gap`` h (a stalled tip). The speeds come from the network's own times.
"""

from __future__ import annotations

from dataclasses import dataclass

import numpy as np

from mfn.hyphae.network import HyphalNetwork
from mfn.hyphae.paths import HyphaPaths

__all__ = [
    "ANGLE_LENGTH_UM",
    "TORTUOSITY_MIN_UM",
    "Branchings",
    "apex_speeds",
    "branchings",
    "internodes",
    "tortuosity",
]

ANGLE_LENGTH_UM = 40.0
"""Default length over which branch and parent directions are measured, µm (about four
hyphal diameters of *P. anserina*, 25 pixels of its published images)."""
TORTUOSITY_MIN_UM = 100.0
"""Shortest hypha whose tortuosity is reported, µm."""


@dataclass(frozen=True)
class Branchings:
    """Each branch with its parent: the angle (degrees), the time it appeared (h), its base node."""

    angle: np.ndarray
    time: np.ndarray
    base: np.ndarray
    branch: np.ndarray
    parent: np.ndarray


def branchings(network: HyphalNetwork, paths: HyphaPaths, angle_length: float = ANGLE_LENGTH_UM) -> Branchings:
    """The branching angles of every branch at least ``angle_length`` µm long (module docstring)."""
    base_node = paths.node[paths.start]
    degree = network.degree()
    candidates = np.nonzero((degree[base_node] >= 3) & (paths.length >= angle_length))[0]
    # a parent: another path holding the base node; prefer one passing through it, then the oldest
    index = np.arange(paths.node.size)
    is_end = (index == paths.start[paths.path]) | (index == paths.stop[paths.path] - 1)
    path_time = network.t[base_node]
    order = np.lexsort((path_time[paths.path], is_end, paths.node))
    nodes_sorted = paths.node[order]
    lo = np.searchsorted(nodes_sorted, base_node[candidates], side="left")
    hi = np.searchsorted(nodes_sorted, base_node[candidates], side="right")
    parent = np.full(candidates.size, -1, dtype=np.int64)
    parent_s = np.zeros(candidates.size)
    for offset in range(int((hi - lo).max()) if candidates.size else 0):
        j = lo + offset
        ok = (j < hi) & (parent < 0)
        jj = order[np.minimum(j, order.size - 1)]
        other = paths.path[jj]
        take = ok & (other != candidates)
        parent[take] = other[take]
        parent_s[take] = paths.s[jj][take]
    found = parent >= 0
    child, parent, parent_s = candidates[found], parent[found], parent_s[found]
    bx, by = network.x[base_node[child]], network.y[base_node[child]]
    cx, cy = paths.point_at(child, np.full(child.size, angle_length), network)
    ax_, ay = paths.point_at(parent, parent_s - angle_length, network)
    px, py = paths.point_at(parent, parent_s + angle_length, network)
    d = np.column_stack([cx - bx, cy - by])
    p = np.column_stack([px - ax_, py - ay])
    norm = np.linalg.norm(d, axis=1) * np.linalg.norm(p, axis=1)
    valid = norm > 0
    cos = np.einsum("ij,ij->i", d[valid], p[valid]) / norm[valid]
    angle = np.degrees(np.arccos(np.clip(cos, -1.0, 1.0)))
    second = np.minimum(paths.start[child] + 1, paths.stop[child] - 1)
    time = np.maximum(network.t[base_node[child]], network.t[paths.node[second]])
    return Branchings(
        angle=angle,
        time=time[valid],
        base=base_node[child][valid],
        branch=child[valid],
        parent=parent[valid],
    )


def internodes(network: HyphalNetwork, paths: HyphaPaths) -> np.ndarray:
    """Arc lengths between consecutive junctions along each hypha, µm."""
    junction = network.degree()[paths.node] >= 3
    s, path = paths.s[junction], paths.path[junction]
    same = path[1:] == path[:-1]
    return (s[1:] - s[:-1])[same]


def tortuosity(network: HyphalNetwork, paths: HyphaPaths, min_length: float = TORTUOSITY_MIN_UM) -> np.ndarray:
    """Arc length over end-to-end distance of each hypha at least ``min_length`` µm long."""
    a, b = paths.node[paths.start], paths.node[paths.stop - 1]
    chord = np.hypot(network.x[b] - network.x[a], network.y[b] - network.y[a])
    keep = (paths.length >= min_length) & (chord > 0)
    return paths.length[keep] / chord[keep]


def apex_speeds(network: HyphalNetwork, paths: HyphaPaths, max_gap: float) -> tuple[np.ndarray, np.ndarray]:
    """Apex speeds (µm/min) and the times (h) at the end of each interval (module docstring)."""
    if network.n_edges == 0:
        return np.zeros(0), np.zeros(0)
    path, when = paths.link_path, network.edge_t
    order = np.lexsort((when, path))
    path, when, length = path[order], when[order], network.lengths[order]
    # one event per (path, time): the length the path reached by then
    last = np.r_[(path[1:] != path[:-1]) | (when[1:] != when[:-1]), True]
    grown = np.cumsum(length)[last]
    path, when = path[last], when[last]
    same = path[1:] == path[:-1]
    gap = when[1:] - when[:-1]
    keep = same & (gap > 0) & (gap <= max_gap)
    speed = (grown[1:] - grown[:-1])[keep] / (gap[keep] * 60.0)
    return speed, when[1:][keep]
