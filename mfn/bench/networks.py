"""The hyphal-network rows of ``mfn bench`` (:func:`network_rows`), and their reference: counting frame by frame.

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

from mfn.bench.row import Row, measure, scale_reference
from mfn.hyphae.network import HyphalNetwork

__all__ = ["NETWORK_DATASET", "REFERENCE_STRIDE", "counts_per_frame", "network_missing", "network_rows"]


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


def network_rows(repeats: int, quick: bool = False) -> list[Row]:
    """The rows of ``mfn bench`` on the largest shared experiment, or none without its data.

    - ``network counts M2WT_200610 (65 frames)``: length, free ends, junctions, cycles and
      components at every frame, counted frame by frame (:func:`counts_per_frame`) and by
      :func:`mfn.hyphae.growth.growth_counts` (sorted events, cumulative sums, a spanning
      forest); same numbers (tested). Gated.
    - ``read + measure M2WT_200610 (65 frames)``: reading the published files and computing
      every measure of :func:`mfn.network_metrics` (counts, rates, angles, internodes, speeds,
      radial profile, box and mass dimensions) over all frames at once, against measuring
      each frame's network on its own (``network_metrics(network.at(t), times=[t])``), the
      way a tool for static graphs is used. The reference measures every
      :data:`REFERENCE_STRIDE`-th frame and its time is scaled by the stride, as the field
      rows scale their reference's steps. The fast path's time is what a user waits for (the
      target: at most 10 s on a 2-core machine). Not gated.

    ``quick`` measures the network of the first 5 frames only, already read.
    """
    from mfn.datasets import local_files
    from mfn.hyphae.growth import growth_counts
    from mfn.hyphae.metrics import network_metrics
    from mfn.hyphae.readers import read_network

    if network_missing() is not None:
        return []
    files = sorted(local_files(NETWORK_DATASET).values())
    coordinates = next(p for p in files if p.name.endswith("_coordinates.txt"))
    network = read_network(coordinates)
    if quick:
        network = network.at(network.times[4])
    times = network.times

    def read():
        return network if quick else read_network(coordinates)

    label = f"{NETWORK_DATASET.split('/')[1]} ({times.size} frames)"
    counts = Row(f"network counts {label}", "runs/s", 1, "frame by frame (at(t), csgraph)", "growth_counts", True)
    measure(counts, lambda: counts_per_frame(network, times), lambda: growth_counts(network, times), repeats)
    whole = Row(
        f"read + measure {label}", "runs/s", 1, "read + measure each frame alone", "read + network_metrics", False
    )
    stride = 1 if quick else REFERENCE_STRIDE

    def each_frame() -> None:
        net = read()
        for t in times[::stride]:
            network_metrics(net.at(t), times=[t])

    measure(whole, each_frame, lambda: network_metrics(read(), times=times), repeats)
    return [counts, scale_reference(whole, times.size / times[::stride].size)]
