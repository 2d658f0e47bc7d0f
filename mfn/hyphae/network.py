"""A hyphal network growing in time: the one object real and simulated colonies share.

Nodes are points on hyphae, in micrometres, each with the time (hours) at which it appeared;
links join two nodes of one hypha and carry that hypha's id. A link exists from the later of
its two nodes' times, so the network as it stood at any time is the subgraph of the nodes
that had appeared by then (:meth:`HyphalNetwork.at`). Published time-lapse reconstructions
(:func:`mfn.read_network`), segmented images and simulated colonies all produce this object,
and every measure (:func:`mfn.network_metrics`) reads only it, so a simulation and a
photograph are measured alike.

An end of a hypha that leaves the observed field (or stops at the plate edge) is not a free
end: ``cut`` marks such nodes. Simulations set it exactly; readers of observed data derive it
from the field of view (:meth:`HyphalNetwork.from_field`).
"""

from __future__ import annotations

import os
from collections.abc import Mapping
from typing import TYPE_CHECKING, Any

import numpy as np

from mfn.core.checks import check_real
from mfn.core.errors import ParameterError

if TYPE_CHECKING:
    import networkx as nx
    import xarray as xr

__all__ = ["EDGE_MARGIN_UM", "NETWORK_VARIABLES", "HyphalNetwork", "cut_ends", "load_network"]

EDGE_MARGIN_UM = 16.0
"""Default width of the band along the field's border inside which an end counts as cut, µm
(10 pixels of the published *P. anserina* images, about one and a half hyphal diameters)."""

NETWORK_VARIABLES = ("node_x", "node_y", "node_t", "node_cut", "edge_u", "edge_v", "edge_hypha")
"""The Dataset variables of a network (dimensions ``node`` and ``edge``); the ``node_``/``edge_``
prefixes let them sit in a run Dataset beside its ``(time, y, x)`` variables."""
_UNITS = {
    "node_x": ("µm", "node position along x"),
    "node_y": ("µm", "node position along y"),
    "node_t": ("h", "time at which the node appeared"),
    "node_cut": ("1", "end cut by the field or plate edge (not a free end)"),
    "edge_u": ("1", "first node of the link (index along node)"),
    "edge_v": ("1", "second node of the link (index along node)"),
    "edge_hypha": ("1", "hypha (branch) the link belongs to"),
}


def _vector(name: str, value: Any, n: int | None, dtype) -> np.ndarray:
    arr = np.asarray(value)
    if arr.ndim != 1 or (n is not None and arr.shape[0] != n):
        want = "a 1-D array" if n is None else f"a 1-D array of {n} values (one per {name.split('_')[0]})"
        raise ParameterError(name, f"array of shape {arr.shape}", want)
    if dtype is bool:
        return arr.astype(bool)
    if not np.issubdtype(arr.dtype, np.number) and arr.dtype != bool:
        raise ParameterError(name, f"array of dtype {arr.dtype}", "numbers")
    out = arr.astype(dtype)
    if not np.all(np.isfinite(out)):
        raise ParameterError(name, f"{int(np.sum(~np.isfinite(out)))} non-finite values", "finite numbers")
    if dtype is np.int64 and not np.array_equal(out, arr):
        raise ParameterError(name, "non-integer values", "integers")
    return out


class HyphalNetwork:
    """Nodes in µm with appearance times in h, links with hypha ids (see the module docstring).

    Parameters
    ----------
    x, y : (n,) float ndarray
        Node positions, µm.
    t : (n,) float ndarray
        Time at which each node appeared, h.
    edges : (m, 2) int ndarray
        Links as pairs of node indices (0 .. n-1), no link from a node to itself.
    hypha : (m,) int ndarray
        The hypha (branch) each link belongs to.
    cut : (n,) bool ndarray, optional
        Nodes that end a hypha at the field or plate edge (not free ends); none by default.
    field : (x0, y0, x1, y1), optional
        The observed field or plate, µm; defaults to the nodes' bounding box.
    attrs : mapping, optional
        Provenance (source, calibration, ...): strings and numbers.

    Raises
    ------
    ParameterError
        If an array has the wrong shape or non-finite values, a link names a missing node or
        joins a node to itself, or the field is empty.

    Examples
    --------
    >>> net = HyphalNetwork([0, 100, 200], [0, 0, 0], [0.0, 1.0, 2.0], [[0, 1], [1, 2]], [0, 0])
    >>> net.n_nodes, net.n_edges, round(float(net.lengths.sum()), 1)
    (3, 2, 200.0)
    >>> net.at(1.5).n_edges
    1
    """

    def __init__(
        self,
        x: Any,
        y: Any,
        t: Any,
        edges: Any,
        hypha: Any,
        *,
        cut: Any | None = None,
        field: tuple[float, float, float, float] | None = None,
        attrs: Mapping[str, Any] | None = None,
    ) -> None:
        self.x = _vector("node_x", x, None, np.float64)
        n = self.x.shape[0]
        self.y = _vector("node_y", y, n, np.float64)
        self.t = _vector("node_t", t, n, np.float64)
        e = np.asarray(edges)
        if e.size == 0:
            e = np.zeros((0, 2), dtype=np.int64)
        if e.ndim != 2 or e.shape[1] != 2:
            raise ParameterError("edges", f"array of shape {e.shape}", "an (m, 2) array of node indices")
        e = np.column_stack([_vector("edge_u", e[:, 0], None, np.int64), _vector("edge_v", e[:, 1], None, np.int64)])
        if e.size and (e.min() < 0 or e.max() >= n):
            bad = int(np.sum((e < 0) | (e >= n)))
            raise ParameterError("edges", f"{bad} node indices outside 0 .. {n - 1}", "indices of existing nodes")
        if np.any(e[:, 0] == e[:, 1]):
            raise ParameterError("edges", f"{int(np.sum(e[:, 0] == e[:, 1]))} links from a node to itself", "u != v")
        self.edges = e
        self.hypha = _vector("edge_hypha", hypha, e.shape[0], np.int64)
        self.cut = np.zeros(n, dtype=bool) if cut is None else _vector("node_cut", cut, n, bool)
        if field is None:
            field = (
                (float(self.x.min()), float(self.y.min()), float(self.x.max()), float(self.y.max()))
                if n
                else (0.0, 0.0, 0.0, 0.0)
            )
        f = tuple(float(v) for v in field)
        if len(f) != 4 or not all(np.isfinite(f)) or (n and (f[2] < f[0] or f[3] < f[1])):
            raise ParameterError("field", field, "(x0, y0, x1, y1) in µm with x0 <= x1 and y0 <= y1")
        self.field = f
        self.attrs = dict(attrs or {})
        for arr in (self.x, self.y, self.t, self.edges, self.hypha, self.cut):
            arr.flags.writeable = False

    @classmethod
    def from_field(
        cls,
        x: Any,
        y: Any,
        t: Any,
        edges: Any,
        hypha: Any,
        *,
        field: tuple[float, float, float, float],
        margin: float = EDGE_MARGIN_UM,
        attrs: Mapping[str, Any] | None = None,
    ) -> HyphalNetwork:
        """A network observed through ``field`` (µm): ends within ``margin`` µm of its border are cut.

        An end is a node with one link in the whole network (its last state); such a node
        near the border is where a hypha leaves the field (or meets the plate edge), so it is
        marked ``cut`` and never counted as a free end (:func:`cut_ends`). ``margin`` is
        stored in ``attrs["edge_margin_um"]``.
        """
        net = cls(x, y, t, edges, hypha, field=field, attrs=attrs)
        margin = check_real("margin", margin, 0.0)
        cut = cut_ends(net, field, margin)
        return cls(
            net.x,
            net.y,
            net.t,
            net.edges,
            net.hypha,
            cut=cut,
            field=net.field,
            attrs={**net.attrs, "edge_margin_um": margin},
        )

    # -- shape and derived arrays -------------------------------------------------------------
    @property
    def n_nodes(self) -> int:
        """Number of nodes."""
        return int(self.x.shape[0])

    @property
    def n_edges(self) -> int:
        """Number of links."""
        return int(self.edges.shape[0])

    @property
    def times(self) -> np.ndarray:
        """The distinct node appearance times, h, sorted."""
        return np.unique(self.t)

    @property
    def edge_t(self) -> np.ndarray:
        """Time from which each link exists (the later of its two nodes' times), h."""
        return np.maximum(self.t[self.edges[:, 0]], self.t[self.edges[:, 1]])

    @property
    def lengths(self) -> np.ndarray:
        """Length of each link, µm (straight between its nodes)."""
        u, v = self.edges[:, 0], self.edges[:, 1]
        return np.hypot(self.x[u] - self.x[v], self.y[u] - self.y[v])

    def degree(self) -> np.ndarray:
        """Links at each node."""
        return np.bincount(self.edges.ravel(), minlength=self.n_nodes)

    def __repr__(self) -> str:
        span = f", t {self.t.min():.3g}..{self.t.max():.3g} h" if self.n_nodes else ""
        return f"HyphalNetwork({self.n_nodes} nodes, {self.n_edges} links{span})"

    # -- time ---------------------------------------------------------------------------------
    def at(self, time: float) -> HyphalNetwork:
        """The network as it stood at ``time`` (h): nodes appeared by then and their links.

        Node indices are renumbered (in their original order); ``field`` and ``attrs`` are kept.
        """
        time = float(time)
        if not np.isfinite(time):
            raise ParameterError("time", time, "a finite time in h")
        keep = self.t <= time
        index = np.cumsum(keep) - 1
        links = keep[self.edges[:, 0]] & keep[self.edges[:, 1]]
        return HyphalNetwork(
            self.x[keep],
            self.y[keep],
            self.t[keep],
            index[self.edges[links]],
            self.hypha[links],
            cut=self.cut[keep],
            field=self.field,
            attrs=self.attrs,
        )

    # -- conversions --------------------------------------------------------------------------
    def to_networkx(self) -> nx.Graph:
        """A :class:`networkx.Graph`: nodes 0 .. n-1 with ``x``, ``y`` (µm), ``t`` (h) and ``cut``;
        links with ``hypha``; ``graph["field"]`` and the attrs in ``graph``.

        Needs networkx (``pip install 'mfn[networks]'``). Parallel links between the same two
        nodes collapse into one (a :class:`~networkx.Graph` has no multi-links).
        """
        nx = _networkx()
        g = nx.Graph(field=self.field, **self.attrs)
        g.add_nodes_from(
            (i, {"x": float(a), "y": float(b), "t": float(c), "cut": bool(d)})
            for i, (a, b, c, d) in enumerate(zip(self.x, self.y, self.t, self.cut, strict=True))
        )
        g.add_edges_from((int(u), int(v), {"hypha": int(h)}) for (u, v), h in zip(self.edges, self.hypha, strict=True))
        return g

    @classmethod
    def from_networkx(cls, graph: nx.Graph) -> HyphalNetwork:
        """The network of a graph with node attributes ``x``, ``y``, ``t`` (``cut`` optional) and
        link attribute ``hypha``, as :meth:`to_networkx` writes it; nodes in ``graph.nodes`` order."""
        nodes = list(graph.nodes)
        index = {node: i for i, node in enumerate(nodes)}
        data = graph.nodes
        missing = [k for k in ("x", "y", "t") if any(k not in data[node] for node in nodes)]
        if missing:
            raise ParameterError("graph", f"nodes without {', '.join(missing)}", "node attributes x, y (µm) and t (h)")
        if any("hypha" not in d for _, _, d in graph.edges(data=True)):
            raise ParameterError("graph", "links without hypha", "a hypha attribute on every link")
        attrs = {k: v for k, v in graph.graph.items() if k != "field"}
        return cls(
            [data[node]["x"] for node in nodes],
            [data[node]["y"] for node in nodes],
            [data[node]["t"] for node in nodes],
            np.array([(index[u], index[v]) for u, v in graph.edges], dtype=np.int64).reshape(-1, 2),
            [d["hypha"] for _, _, d in graph.edges(data=True)],
            cut=[bool(data[node].get("cut", False)) for node in nodes],
            field=graph.graph.get("field"),
            attrs=attrs,
        )

    def to_xarray(self) -> xr.Dataset:
        """A Dataset with dimensions ``node`` and ``edge`` (:data:`NETWORK_VARIABLES`, units and
        long names on each), the field as ``field_um`` and the attrs as attributes."""
        import xarray as xr

        values = {
            "node_x": ("node", self.x),
            "node_y": ("node", self.y),
            "node_t": ("node", self.t),
            "node_cut": ("node", self.cut.astype(np.uint8)),
            "edge_u": ("edge", self.edges[:, 0]),
            "edge_v": ("edge", self.edges[:, 1]),
            "edge_hypha": ("edge", self.hypha),
        }
        ds = xr.Dataset({k: xr.Variable(dim, np.array(v)) for k, (dim, v) in values.items()})
        for name, (unit, long_name) in _UNITS.items():
            ds[name].attrs.update(units=unit, long_name=long_name)
        ds.attrs.update(self.attrs)
        ds.attrs["field_um"] = list(self.field)
        return ds

    @classmethod
    def from_xarray(cls, ds: xr.Dataset) -> HyphalNetwork:
        """The network of a Dataset written by :meth:`to_xarray` (or a run holding one)."""
        missing = [k for k in NETWORK_VARIABLES if k not in ds]
        if missing:
            raise ParameterError("ds", f"a Dataset without {', '.join(missing)}", "a hyphal network Dataset")
        attrs = {k: v for k, v in ds.attrs.items() if k != "field_um"}
        return cls(
            ds["node_x"].values,
            ds["node_y"].values,
            ds["node_t"].values,
            np.column_stack([ds["edge_u"].values, ds["edge_v"].values]),
            ds["edge_hypha"].values,
            cut=ds["node_cut"].values.astype(bool),
            field=tuple(ds.attrs["field_um"]) if "field_um" in ds.attrs else None,
            attrs=attrs,
        )

    def save(self, path: str | os.PathLike) -> os.PathLike:
        """Write the network atomically as netCDF (``.nc``) or zarr (``.zarr``); :func:`load_network`
        reads it back."""
        from pathlib import Path

        from mfn.core.io import atomic_dir
        from mfn.core.netcdf import save_dataset

        target = Path(path)
        ds = self.to_xarray()
        if target.suffix == ".zarr":
            with atomic_dir(target) as tmp:
                ds.to_zarr(tmp, mode="w", zarr_format=2)  # v2 keeps consolidated metadata standard
            return target
        if target.suffix != ".nc":
            raise ParameterError("path", str(path), "a file ending in .nc (netCDF) or .zarr")
        return save_dataset(ds, target)


def cut_ends(network: HyphalNetwork, field: tuple[float, float, float, float], margin: float) -> np.ndarray:
    """Nodes with one link (in the whole network) lying within ``margin`` µm of the border of ``field``.

    Parameters
    ----------
    network : HyphalNetwork
    field : (x0, y0, x1, y1)
        The observed field, µm.
    margin : float
        Width of the border band, µm (>= 0).

    Returns
    -------
    (n,) bool ndarray
    """
    x0, y0, x1, y1 = (float(v) for v in field)
    inside = np.minimum.reduce([network.x - x0, x1 - network.x, network.y - y0, y1 - network.y])
    return (network.degree() == 1) & (inside <= margin)


def load_network(path: str | os.PathLike) -> HyphalNetwork:
    """Read a network written by :meth:`HyphalNetwork.save` (``.nc`` or ``.zarr``)."""
    from pathlib import Path

    from mfn.core.netcdf import load_dataset

    p = Path(path)
    if p.suffix == ".zarr":
        import xarray as xr

        if not p.is_dir():
            raise ParameterError("path", str(path), "an existing .zarr folder written by HyphalNetwork.save")
        return HyphalNetwork.from_xarray(xr.open_zarr(p).load())
    return HyphalNetwork.from_xarray(load_dataset(p))


def _networkx():
    try:
        import networkx
    except ImportError:  # pragma: no cover - networkx is in mfn[networks]
        raise ImportError("HyphalNetwork.to_networkx needs networkx: pip install 'mfn[networks]'") from None
    return networkx
