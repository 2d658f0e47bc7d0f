"""Each hypha as a path from its base to its tip, with the arc length of every node along it.

A hypha (the links sharing one ``hypha`` id) is normally a simple path. Its nodes are
ordered by arc length ``s`` (µm) from its **base**: of its two ends, the one whose link
appeared first (a branch grows from its base; the node it fuses into at its other end may
be older than the base); on a tie (an image without times), the end lying on a junction (degree >= 3 in the
whole network), since a branch starts on its parent; on a further tie, the end nearer the
colony centre (the mean position of the nodes present first), since hyphae grow outwards;
then the end listed first.
A hypha id whose links form several disconnected pieces gives one path per piece; a piece
without ends (a closed loop) starts at its earliest node.

Everything is vectorised over all hyphae at once: the (hypha, node) pairs become the nodes
of a graph that is a disjoint union of paths, and one multi-source Dijkstra run from every
base gives every arc length (:func:`scipy.sparse.csgraph.dijkstra` with ``min_only``).
"""

from __future__ import annotations

from dataclasses import dataclass

import numpy as np
from scipy import sparse
from scipy.sparse.csgraph import connected_components, dijkstra

from mfn.hyphae.network import HyphalNetwork

__all__ = ["HyphaPaths", "hypha_paths"]


@dataclass(frozen=True)
class HyphaPaths:
    """The hyphae of a network as paths (see the module docstring).

    Attributes
    ----------
    node : (k,) int ndarray
        Network node of each path entry; entries are sorted by path, then by arc length.
    path : (k,) int ndarray
        Path (0 .. n_paths-1) of each entry.
    s : (k,) float ndarray
        Arc length of each entry from its path's base, µm.
    start, stop : (n_paths,) int ndarrays
        Each path's entries are ``start[p]:stop[p]``; its base is entry ``start[p]``.
    hypha : (n_paths,) int ndarray
        Hypha id of each path.
    link_path : (m,) int ndarray
        Path of each link of the network.
    """

    node: np.ndarray
    path: np.ndarray
    s: np.ndarray
    start: np.ndarray
    stop: np.ndarray
    hypha: np.ndarray
    link_path: np.ndarray

    @property
    def n_paths(self) -> int:
        """Number of paths."""
        return int(self.start.shape[0])

    @property
    def length(self) -> np.ndarray:
        """Arc length of each path, µm."""
        return self.s[self.stop - 1] if self.n_paths else np.zeros(0)

    def point_at(self, path: np.ndarray, s: np.ndarray, network: HyphalNetwork) -> tuple[np.ndarray, np.ndarray]:
        """Positions (µm) at arc lengths ``s`` along ``path``, linearly interpolated between nodes.

        ``s`` is clipped to each path's extent ``[0, length]``.
        """
        path = np.asarray(path, dtype=np.int64)
        s = np.clip(np.asarray(s, dtype=np.float64), 0.0, self.length[path])
        # entries are sorted by (path, s): search a key that orders both at once
        span = float(self.s.max()) + 1.0 if self.s.size else 1.0
        keys = self.path * span + self.s
        j = np.searchsorted(keys, path * span + s, side="left")
        j = np.clip(j, self.start[path] + 1, np.maximum(self.stop[path] - 1, self.start[path] + 1))
        j = np.minimum(j, self.node.size - 1)
        i = j - 1
        ds = self.s[j] - self.s[i]
        w = np.divide(s - self.s[i], ds, out=np.zeros_like(s), where=ds > 0).clip(0.0, 1.0)
        a, b = self.node[i], self.node[j]
        return network.x[a] + w * (network.x[b] - network.x[a]), network.y[a] + w * (network.y[b] - network.y[a])


def hypha_paths(network: HyphalNetwork) -> HyphaPaths:
    """The paths of every hypha of ``network`` (see the module docstring)."""
    m = network.n_edges
    if m == 0:
        empty = np.zeros(0, dtype=np.int64)
        return HyphaPaths(empty, empty, np.zeros(0), empty, empty, empty, empty)
    n = network.n_nodes
    _, hypha_rank = np.unique(network.hypha, return_inverse=True)
    # (hypha, node) pairs: the nodes of a graph in which every hypha is its own path
    keys = np.concatenate([hypha_rank * n + network.edges[:, 0], hypha_rank * n + network.edges[:, 1]])
    pair_keys, pair = np.unique(keys, return_inverse=True)
    pair_u, pair_v = pair[:m], pair[m:]
    k = pair_keys.size
    pair_node = pair_keys % n
    graph = sparse.csr_array((network.lengths, (pair_u, pair_v)), shape=(k, k))
    n_pieces, piece = connected_components(graph, directed=False)
    hdeg = np.bincount(pair, minlength=k)
    full_deg = network.degree()[pair_node]
    # when each (hypha, node) got its first link of that hypha: a base's link is the hypha's first
    t = np.full(k, np.inf)
    np.minimum.at(t, pair_u, network.edge_t)
    np.minimum.at(t, pair_v, network.edge_t)
    # base of each piece: an end (hdeg 1) if it has one; earliest, then on a junction, then first
    candidate = np.where(hdeg == 1, 0, 1)
    earliest = network.t == network.t.min()
    cx, cy = network.x[earliest].mean(), network.y[earliest].mean()
    far = np.hypot(network.x[pair_node] - cx, network.y[pair_node] - cy)
    order = np.lexsort((np.arange(k), far, -np.minimum(full_deg, 3), t, candidate, piece))
    first = np.r_[True, piece[order][1:] != piece[order][:-1]]
    bases = order[first]
    s = dijkstra(graph, directed=False, indices=bases, min_only=True)
    entry = np.lexsort((s, piece))
    piece_sorted = piece[entry]
    start = np.searchsorted(piece_sorted, np.arange(n_pieces), side="left")
    stop = np.searchsorted(piece_sorted, np.arange(n_pieces), side="right")
    hypha_of_piece = np.empty(n_pieces, dtype=np.int64)
    hypha_of_piece[piece[pair_u]] = network.hypha
    return HyphaPaths(
        node=pair_node[entry],
        path=piece_sorted,
        s=s[entry],
        start=start,
        stop=stop,
        hypha=hypha_of_piece,
        link_path=piece[pair_u],
    )
