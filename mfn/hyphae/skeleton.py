"""From a mask of hyphae to a network: the second half of :func:`mfn.network_from_image`.

1. **Skeleton.** The mask is thinned to one-pixel lines (:func:`skimage.morphology.skeletonize`)
   and read as a graph of paths between junctions and ends by ``skan``.
2. **Spurs.** Terminal paths shorter than ``min_branch_px`` (by default twice the line
   width) are thinning artefacts at bends and noisy edges: removed, repeatedly.
3. **Junction clusters.** A crossing or a thick junction thins into several junction pixels
   joined by very short paths; paths shorter than the line width between two junctions are
   contracted into one junction at their mean position.
4. **Nodes and links.** Every path is resampled with a node every ``node_spacing_px``
   pixels (and its two ends), joined by straight links: the staircase of pixel steps would
   otherwise add up to 8 % of length on oblique lines. A tip is lengthened by the local
   half-width, since thinning stops that far short of a rounded end.
5. **Hyphae.** At each junction the two arms closest to straight ahead of each other
   (directions over ``angle_length_px``, more than 120 degrees apart) continue one hypha;
   the other arms are branches starting there. Hypha ids are the chains so formed.
6. **Times.** With a stack of frames, a node appeared in the first frame whose mask
   covers it (within the line width); a single image gives every node time 0.
"""

from __future__ import annotations

import itertools
from typing import Any

import numpy as np
from scipy import ndimage

from mfn.core.errors import ParameterError

__all__ = ["skeleton_graph"]

MAX_PRUNE_ROUNDS = 5
"""Rounds of spur removal (each round can expose new spurs)."""
STRAIGHT_COS = -0.5
"""Two arms continue one hypha when the cosine of the angle between them is below this (> 120 degrees)."""


def _skeleton(mask: np.ndarray, min_branch_px: float):
    from skan import Skeleton
    from skimage.morphology import skeletonize

    thin = skeletonize(mask)
    if thin.sum() < 2:
        raise ParameterError("image", "an image in which no hyphae were found", "an image showing hyphae")
    skel = Skeleton(thin)
    for _ in range(MAX_PRUNE_ROUNDS):
        lengths = skel.path_lengths()
        ends = np.array([skel.degrees[skel.path(i)[[0, -1]]] for i in range(skel.n_paths)])
        terminal = (ends == 1).any(axis=1)
        spurs = np.nonzero(terminal & (lengths < min_branch_px) & ((ends >= 3).any(axis=1) | (ends == 1).all(axis=1)))[
            0
        ]
        if spurs.size == 0 or spurs.size == skel.n_paths:
            break
        skel = Skeleton(_without_paths(skel, spurs, thin.shape))
    return skel


def _without_paths(skel, drop: np.ndarray, shape: tuple[int, int]) -> np.ndarray:
    """The skeleton image without the pixels of ``drop`` paths (junction pixels kept)."""
    image = np.zeros(shape, dtype=bool)
    keep = np.ones(skel.n_paths, dtype=bool)
    keep[drop] = False
    for i in np.nonzero(keep)[0]:
        rc = skel.path_coordinates(i).astype(np.int64)
        image[rc[:, 0], rc[:, 1]] = True
    return image


class _UnionFind:
    def __init__(self, n: int) -> None:
        self.parent = list(range(n))

    def find(self, a: int) -> int:
        while self.parent[a] != a:
            self.parent[a] = self.parent[self.parent[a]]
            a = self.parent[a]
        return a

    def union(self, a: int, b: int) -> None:
        self.parent[self.find(a)] = self.find(b)


def skeleton_graph(
    masks: np.ndarray,
    *,
    width_px: float,
    node_spacing_px: float,
    angle_length_px: float,
    min_branch_px: float,
) -> dict[str, Any]:
    """Nodes (pixel rows and columns, frame of appearance), links and hypha ids of the last mask."""
    mask = masks[-1]
    skel = _skeleton(mask, min_branch_px)
    coords = skel.coordinates.astype(np.float64)
    depth = ndimage.distance_transform_edt(mask)
    paths = [skel.path(i) for i in range(skel.n_paths)]
    lengths = skel.path_lengths()
    ends = np.array([[p[0], p[-1]] for p in paths], dtype=np.int64)
    # junction clusters: contract short paths between two junctions
    pixel_ids = np.unique(ends)
    index = {int(p): k for k, p in enumerate(pixel_ids)}
    clusters = _UnionFind(pixel_ids.size)
    short = (lengths < max(width_px, 2.0)) & (skel.degrees[ends] >= 3).all(axis=1)
    for a, b in ends[short]:
        clusters.union(index[int(a)], index[int(b)])
    roots = np.array([clusters.find(k) for k in range(pixel_ids.size)])
    _, cluster = np.unique(roots, return_inverse=True)
    n_clusters = int(cluster.max()) + 1
    centre = np.zeros((n_clusters, 2))
    np.add.at(centre, cluster, coords[pixel_ids])
    centre /= np.bincount(cluster, minlength=n_clusters)[:, None]
    end_node = cluster[np.searchsorted(pixel_ids, ends)]
    kept = np.nonzero(~short)[0]

    rows, cols = list(centre[:, 0]), list(centre[:, 1])
    links: list[tuple[int, int, int]] = []
    arms: dict[int, list[tuple[int, np.ndarray]]] = {}
    for p in kept:
        pts = coords[paths[p]]
        a, b = int(end_node[p, 0]), int(end_node[p, 1])
        step = np.hypot(*np.diff(pts, axis=0).T)
        s = np.r_[0.0, np.cumsum(step)]
        total = s[-1]
        marks = np.arange(node_spacing_px, total - node_spacing_px / 2.0, node_spacing_px)
        inner = np.searchsorted(s, marks)
        chain = [a]
        for j in inner:
            chain.append(len(rows))
            rows.append(pts[j, 0])
            cols.append(pts[j, 1])
        chain.append(b)
        links.extend((int(p), u, v) for u, v in itertools.pairwise(chain) if u != v)
        reach = min(angle_length_px, total)
        for node, at in (
            (a, pts[np.searchsorted(s, reach).clip(0, len(pts) - 1)]),
            (b, pts[np.searchsorted(s, total - reach).clip(0, len(pts) - 1)]),
        ):
            arms.setdefault(node, []).append((int(p), at - centre[node]))
    chains = _UnionFind(len(paths))
    for node_arms in arms.values():
        _join_straight(node_arms, chains)
    # tips: thinning stops about one half-width short of a rounded end
    rows_a, cols_a = np.array(rows), np.array(cols)
    for node, node_arms in arms.items():
        if len(node_arms) == 1 and skel.degrees[pixel_ids[cluster == node]].max() <= 1:
            direction = -node_arms[0][1]
            norm = np.hypot(*direction)
            if norm > 0:
                r, c = round(rows_a[node]), round(cols_a[node])
                extend = max(float(depth[r, c]) - 0.5, 0.0)
                rows_a[node] += direction[0] / norm * extend
                cols_a[node] += direction[1] / norm * extend
    edges = np.array([(u, v) for _, u, v in links], dtype=np.int64).reshape(-1, 2)
    hypha = np.array([chains.find(p) for p, _, _ in links], dtype=np.int64)
    return {
        "row": rows_a,
        "col": cols_a,
        "frame": _first_frames(masks, rows_a, cols_a, width_px),
        "edges": edges,
        "hypha": hypha,
    }


def _join_straight(node_arms: list[tuple[int, np.ndarray]], chains: _UnionFind) -> None:
    """Join the most nearly opposite pairs of arms at one node into one hypha (module docstring)."""
    free = list(range(len(node_arms)))
    while len(free) >= 2:
        best, pair = STRAIGHT_COS, None
        for i_pos, i in enumerate(free):
            for j in free[i_pos + 1 :]:
                a, b = node_arms[i][1], node_arms[j][1]
                norm = np.hypot(*a) * np.hypot(*b)
                cos = float(a @ b) / norm if norm > 0 else 1.0
                if cos < best and node_arms[i][0] != node_arms[j][0]:
                    best, pair = cos, (i, j)
        if pair is None:
            return
        chains.union(node_arms[pair[0]][0], node_arms[pair[1]][0])
        free = [k for k in free if k not in pair]


def _first_frames(masks: np.ndarray, rows: np.ndarray, cols: np.ndarray, width_px: float) -> np.ndarray:
    """Index of the first frame whose mask (grown by the line width) covers each node."""
    if masks.shape[0] == 1:
        return np.zeros(rows.size, dtype=np.int64)
    r = np.clip(np.rint(rows).astype(np.int64), 0, masks.shape[1] - 1)
    c = np.clip(np.rint(cols).astype(np.int64), 0, masks.shape[2] - 1)
    grow = max(int(np.ceil(width_px)), 1)
    covered = np.stack([ndimage.binary_dilation(m, iterations=grow)[r, c] for m in masks])
    covered[-1] = True
    return np.argmax(covered, axis=0)
