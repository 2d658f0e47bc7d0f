"""The reference of the hyphal-network rows of ``mfn bench``: counting frame by frame.

:func:`counts_per_frame` is the straightforward way to follow a network in time: take the
network as it stood at each time (:meth:`~mfn.hyphae.network.HyphalNetwork.at`), then sum
its link lengths, count its degree-1 and degree->=3 nodes and its connected components
(:func:`scipy.sparse.csgraph.connected_components`), and the cycle rank E - V + C. It is the
benchmark's reference and the tests' independent check of :func:`mfn.hyphae.growth.growth_counts`.
"""

from __future__ import annotations

import numpy as np
from scipy import sparse
from scipy.sparse.csgraph import connected_components

from mfn.hyphae.network import HyphalNetwork

__all__ = ["NETWORK_DATASET", "REFERENCE_STRIDE", "counts_per_frame", "network_missing"]


def counts_per_frame(network: HyphalNetwork, times: np.ndarray) -> dict[str, np.ndarray]:
    """Total length (µm), free ends, branch points, anastomoses and components at each time, frame by frame."""
    out: dict[str, list] = {k: [] for k in ("total_length", "free_ends", "branch_points", "anastomoses", "components")}
    for t in times:
        net = network.at(t)
        degree = net.degree()
        n = net.n_nodes
        graph = sparse.coo_array((np.ones(net.n_edges), (net.edges[:, 0], net.edges[:, 1])), shape=(n, n))
        components = connected_components(graph, directed=False)[0] if n else 0
        out["total_length"].append(net.lengths.sum())
        out["free_ends"].append(int(np.sum((degree == 1) & ~net.cut)))
        out["branch_points"].append(int(np.sum(degree >= 3)))
        out["anastomoses"].append(net.n_edges - n + components)
        out["components"].append(components)
    return {k: np.asarray(v) for k, v in out.items()}


REFERENCE_STRIDE = 8
"""The frame-by-frame reference of the read + measure row measures every this-many-th frame."""
NETWORK_DATASET = "podospora_anserina/M2WT_200610"
"""The largest shared experiment (119,308 nodes, 65 frames): the network rows measure it."""


def network_missing() -> str | None:
    """Why the network rows cannot run here (the data set cannot be read), or None."""
    from mfn.core.errors import ParameterError
    from mfn.datasets import local_files

    try:
        local_files(NETWORK_DATASET)
    except (ParameterError, ImportError) as err:
        return f"network rows skipped: {NETWORK_DATASET} is not available ({' '.join(str(err).split())[:160]})"
    return None
