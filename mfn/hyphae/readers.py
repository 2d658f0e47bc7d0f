"""Read published hyphal networks: the binary format of Chassereau, Chapeland-Leclerc and Herbert.

Two little-endian binary files per experiment (despite their ``.txt`` suffix):

==============================  ====================================  =========================================
file                            record                                meaning
==============================  ====================================  =========================================
``<name>_coordinates.txt``      ``(n int64, x float64, y float64,     node id, position in pixels, frame at
                                t int64)``, 32 bytes                  which the node appeared
``<name>_branches.txt``         ``(b int64, u int64, v int64)``,      one link between nodes ``u`` and ``v``,
                                24 bytes                              belonging to branch (hypha) ``b``
==============================  ====================================  =========================================

Positions become µm (``px_um`` per pixel) and frames hours (``t = frame * frame_h``, so time
zero is the frame before the first one recorded; rates do not depend on it). Node ids may be
negative and unsorted; links keep the files' order, which runs along each branch from its
base to its tip.

Cut ends. The files do not state the image size. The field is taken as the smallest image
that holds every node: from the image origin (0, 0) to the farthest node in x and in y. A node
with one link within ``margin`` µm of that border is a cut end
(:meth:`~mfn.hyphae.network.HyphalNetwork.from_field`): on the three shared experiments that
marks the handful of farthest tips (4–5 per experiment). No row of ends lines any side of
these fields: the reconstructions stop before the hyphae leave the imaged area, so almost
every end is a free end.
"""

from __future__ import annotations

import os
from pathlib import Path
from typing import Any

import numpy as np

from mfn.core.checks import check_real
from mfn.core.errors import ParameterError
from mfn.hyphae.network import EDGE_MARGIN_UM, HyphalNetwork

__all__ = ["BRANCH_RECORD", "COORDINATE_RECORD", "FRAME_H", "FRAME_MAX", "PX_UM", "read_network"]

COORDINATE_RECORD = np.dtype([("n", "<i8"), ("x", "<f8"), ("y", "<f8"), ("t", "<i8")])
"""One node of a ``_coordinates.txt`` file: id, x and y in pixels, frame of appearance."""
BRANCH_RECORD = np.dtype([("b", "<i8"), ("u", "<i8"), ("v", "<i8")])
"""One link of a ``_branches.txt`` file: branch id and the ids of its two nodes."""
PX_UM = 1.6
"""Micrometres per pixel of the published *P. anserina* images."""
FRAME_H = 0.3
"""Hours per frame of the published time lapses (18 min)."""
FRAME_MAX = 10**6
"""Largest plausible frame number; larger values mean the file is not in this format."""


def read_network(
    coordinates: str | os.PathLike,
    branches: str | os.PathLike | None = None,
    px_um: float = PX_UM,
    frame_h: float = FRAME_H,
    *,
    margin: float = EDGE_MARGIN_UM,
) -> HyphalNetwork:
    """A published spatio-temporal network as a :class:`~mfn.hyphae.network.HyphalNetwork`.

    Parameters
    ----------
    coordinates : path
        The ``<name>_coordinates.txt`` file (nodes).
    branches : path, optional
        The ``<name>_branches.txt`` file (links); by default the file beside ``coordinates``
        with ``_coordinates`` replaced by ``_branches``.
    px_um : float, default 1.6
        Micrometres per pixel (> 0).
    frame_h : float, default 0.3
        Hours per frame (> 0): 18 minutes in the published experiments.
    margin : float, default 16
        Ends within this distance of the field's border are cut, µm (see the module docstring).

    Returns
    -------
    HyphalNetwork
        Nodes in the coordinates file's order, links in the branches file's order;
        ``attrs`` records the files, ``px_um``, ``frame_h`` and the frame range.

    Raises
    ------
    ParameterError
        Naming the file and the fault: missing or empty, a size that is not a whole number
        of records, repeated node ids, non-finite positions, negative or implausible frames,
        links naming missing nodes or joining a node to itself; or ``px_um``, ``frame_h``
        or ``margin`` out of range.
    """
    px_um = check_real("px_um", px_um, 0.0, lo_open=True, hint="micrometres per pixel")
    frame_h = check_real("frame_h", frame_h, 0.0, lo_open=True, hint="hours per frame")
    coord_path = _existing("coordinates", coordinates)
    if branches is None:
        if "_coordinates" not in coord_path.name:
            raise ParameterError(
                "branches", None, "the branches file", f"{coord_path.name} has no '_coordinates' to replace"
            )
        branches = coord_path.with_name(coord_path.name.replace("_coordinates", "_branches"))
    branch_path = _existing("branches", branches)
    nodes = _records("coordinates", coord_path, COORDINATE_RECORD)
    links = _records("branches", branch_path, BRANCH_RECORD)
    ids, frames = nodes["n"], nodes["t"]
    order = np.argsort(ids, kind="stable")
    sorted_ids = ids[order]
    if np.any(sorted_ids[1:] == sorted_ids[:-1]):
        dup = int(sorted_ids[1:][sorted_ids[1:] == sorted_ids[:-1]][0])
        raise ParameterError("coordinates", str(coord_path), "one record per node id", f"node id {dup} is repeated")
    xy = np.column_stack([nodes["x"], nodes["y"]])
    if not np.all(np.isfinite(xy)):
        bad = int(np.sum(~np.isfinite(xy).all(axis=1)))
        raise ParameterError("coordinates", str(coord_path), "finite positions", f"{bad} nodes have NaN or inf")
    if frames.min() < 0 or frames.max() > FRAME_MAX:
        worst = int(frames.min() if frames.min() < 0 else frames.max())
        raise ParameterError(
            "coordinates",
            str(coord_path),
            f"integer frames 0 .. {FRAME_MAX}",
            f"frame {worst} found (negative, or not an int64 frame: was t written as float64?)",
        )
    ends = np.column_stack([links["u"], links["v"]])
    pos = np.searchsorted(sorted_ids, ends).clip(0, ids.size - 1)
    missing = sorted_ids[pos] != ends
    if missing.any():
        raise ParameterError(
            "branches",
            str(branch_path),
            f"links between nodes of {coord_path.name}",
            f"{int(missing.any(axis=1).sum())} links name missing nodes, e.g. node {int(ends[missing][0])}",
        )
    edges = order[pos]
    if np.any(edges[:, 0] == edges[:, 1]):
        loop = int(ends[edges[:, 0] == edges[:, 1]][0, 0])
        raise ParameterError("branches", str(branch_path), "links between two nodes", f"node {loop} links to itself")
    field = (0.0, 0.0, float(xy[:, 0].max()) * px_um, float(xy[:, 1].max()) * px_um)
    attrs: dict[str, Any] = {
        "source": "published hyphal network (Chassereau, Chapeland-Leclerc & Herbert binary format)",
        "coordinates_file": coord_path.name,
        "branches_file": branch_path.name,
        "px_um": px_um,
        "frame_h": frame_h,
        "first_frame": int(frames.min()),
        "last_frame": int(frames.max()),
        "time_origin": "t = frame * frame_h (frame 0 at t = 0 h)",
    }
    return HyphalNetwork.from_field(
        xy[:, 0] * px_um,
        xy[:, 1] * px_um,
        frames * frame_h,
        edges,
        links["b"],
        field=field,
        margin=margin,
        attrs=attrs,
    )


def _existing(name: str, path: Any) -> Path:
    if not isinstance(path, (str, os.PathLike)) or not str(path):
        raise ParameterError(name, path, "the path of an existing file")
    p = Path(path)
    if not p.is_file():
        raise ParameterError(name, str(p), "an existing file", "no such file")
    return p


def _records(name: str, path: Path, dtype: np.dtype) -> np.ndarray:
    size = path.stat().st_size
    if size == 0:
        raise ParameterError(name, str(path), f"a file of {dtype.itemsize}-byte records", "the file is empty")
    if size % dtype.itemsize:
        raise ParameterError(
            name,
            str(path),
            f"a file of {dtype.itemsize}-byte records ({', '.join(dtype.names)})",
            f"its {size} bytes are not a whole number of records",
        )
    return np.fromfile(path, dtype=dtype)
