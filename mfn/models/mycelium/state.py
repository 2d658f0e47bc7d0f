"""The state of one colony: hyphae as polylines in µm, a lattice of buckets, a coarse field grid.

Everything a step reads or writes is an array of :class:`World`, a named tuple that the
Python reference and the compiled step both take as it is (numba passes named tuples of
arrays). Geometry is in µm with the origin at the field's corner: ``x`` along columns,
``y`` along rows; lattice cell ``(i, j)`` covers ``[i s, (i + 1) s) x [j s, (j + 1) s)`` for the
spacing ``s``, nutrient cell ``(I, J)`` the square of side ``field_cell * s`` at ``(I, J)``.

- **nodes** (``nxy`` float ``(x, y)`` µm; ``nint`` int ``[step, hypha, prev, next_in_field_cell,
  cut]``): points on hyphae. A node's segment joins it to its ``prev`` node (-1 for a root);
  every node is a link of the hyphal network (:func:`mfn.hyphal_network`).
- **tips** (``tfl`` float ``[heading rad, grown µm]``; ``tint`` int ``[node, hypha,
  last_crossed_hypha]``): a tip stands on its newest node; heading 0 is +x, pi/2 is +y.
- **hyphae** (``hyp`` int ``[parent, start_node]``): one id per germ tube or branch.
- **anastomoses** (``ana`` int ``[tip_node, node]``): fusion links, each closing a cycle.
- **buckets**: ``head`` (one per lattice cell, -1 when empty) and ``ent`` int ``[segment node,
  next entry, 1 in the cell of the segment's newer node]``: every segment is listed in each
  lattice cell it passes through.
- lattice pictures ``occ`` (uint8, 1 where a hypha passes) and ``born`` (step of first
  occupation, -1).
- **field grid** (shape :attr:`MyceliumParams.field_shape`): ``nut`` (medium nutrient, mM),
  ``sub`` (internal substrate, fmol), ``hlen`` (hypha in the cell, µm), ``link`` and ``out``
  (8-bit masks of the neighbours joined by a hypha, and of those it grew into), ``fhead``
  (first node of the cell's list of nodes), membrane ``V`` (mV) and ``gh`` (the excitable
  conductance's inactivation gate).
- **contacts** (``evt`` float ``[step, kind, x, y]``): every tip touching another hypha, kind
  0 for an anastomosis, 1 for a crossing.
- ``acc`` float: ``[hypha grown since the start, µm]``.
- ``cnt`` int: :data:`C_NODES`, :data:`C_TIPS`, :data:`C_HYPHAE`, :data:`C_ANA`, :data:`C_ENT`,
  :data:`C_STEP`, :data:`C_EXCITED`, :data:`C_WALKER_R` (DLA launch radius, 1/1000 lattice
  cell), :data:`C_EVENTS`.
"""

from __future__ import annotations

from typing import NamedTuple

import numpy as np

__all__ = [
    "C_ANA",
    "C_ENT",
    "C_EVENTS",
    "C_EXCITED",
    "C_HYPHAE",
    "C_NODES",
    "C_STEP",
    "C_TIPS",
    "World",
    "grow",
    "new_world",
]

C_NODES, C_TIPS, C_HYPHAE, C_ANA, C_ENT, C_STEP, C_EXCITED, C_WALKER_R, C_EVENTS = range(9)
N_STEP, N_HYPHA, N_PREV, N_FNEXT, N_CUT = range(5)
(F_SPACING, F_FSPACING, F_DT, F_WIDTH, F_HEIGHT, F_VMAX, F_KS, F_COST, F_AREA, F_CONTACT, F_GRACE, F_TURN, F_AUTO,
 F_ARANGE, F_CHEMO, F_FUSE, F_LATERAL, F_APICAL, F_ANGLE, F_ANGLE_SD, F_CX, F_CY) = range(22)  # fmt: skip
"""Indices of the step's float constants ``fc`` (lengths µm; per-step rates and angles, radians)."""
I_REGIME, I_M, I_N, I_FM, I_FN, I_FIELD_CELL = range(6)
"""Indices of the step's int constants ``ic`` (regime code, lattice and nutrient grid shapes)."""
T_HEADING, T_GROWN = range(2)
T_NODE, T_HYPHA, T_CROSSED = range(3)
H_PARENT, H_START = range(2)


class World(NamedTuple):
    """The arrays of one colony (module docstring)."""

    occ: np.ndarray
    born: np.ndarray
    head: np.ndarray
    ent: np.ndarray
    nxy: np.ndarray
    nint: np.ndarray
    tfl: np.ndarray
    tint: np.ndarray
    hyp: np.ndarray
    ana: np.ndarray
    nut: np.ndarray
    sub: np.ndarray
    hlen: np.ndarray
    link: np.ndarray
    out: np.ndarray
    fhead: np.ndarray
    V: np.ndarray
    gh: np.ndarray
    evt: np.ndarray
    acc: np.ndarray
    cnt: np.ndarray


_GROWABLE = {
    "ent": "ent", "nxy": "nodes", "nint": "nodes", "tfl": "tips", "tint": "tips", "hyp": "hyphae", "ana": "ana",
    "evt": "events",
}  # fmt: skip


def new_world(
    shape: tuple[int, int], field_shape: tuple[int, int], nutrient: np.ndarray, rest: tuple, cap: int = 256
) -> World:
    """An empty colony on a lattice of ``shape`` over a medium ``nutrient`` (field grid, mM).

    ``rest`` is ``(V, h)`` of the membrane at rest, given to every field cell; ``cap`` the
    starting rows of the node, tip, hypha and anastomosis tables (they grow, :func:`grow`).
    """
    m, n = shape
    fm, fn = field_shape
    return World(
        occ=np.zeros((m, n), np.uint8),
        born=np.full((m, n), -1, np.int32),
        head=np.full(m * n, -1, np.int64),
        ent=np.zeros((4 * cap, 3), np.int64),
        nxy=np.zeros((cap, 2)),
        nint=np.zeros((cap, 5), np.int64),
        tfl=np.zeros((cap, 2)),
        tint=np.zeros((cap, 3), np.int64),
        hyp=np.zeros((cap, 2), np.int64),
        ana=np.zeros((cap, 2), np.int64),
        nut=np.array(nutrient, dtype=np.float64).reshape(fm, fn),
        sub=np.zeros((fm, fn)),
        hlen=np.zeros((fm, fn)),
        link=np.zeros((fm, fn), np.uint8),
        out=np.zeros((fm, fn), np.uint8),
        fhead=np.full(fm * fn, -1, np.int64),
        V=np.full((fm, fn), rest[0]),
        gh=np.full((fm, fn), rest[1]),
        evt=np.zeros((cap, 4)),
        acc=np.zeros(1),
        cnt=np.zeros(9, np.int64),
    )


def room(w: World) -> dict[str, int]:
    """Free rows of each growable table: ``ent``, ``nodes``, ``tips``, ``hyphae``, ``ana``, ``events``."""
    c = w.cnt
    used = {"ent": c[C_ENT], "nodes": c[C_NODES], "tips": c[C_TIPS], "hyphae": c[C_HYPHAE], "ana": c[C_ANA],
            "events": c[C_EVENTS]}  # fmt: skip
    sizes = {"ent": w.ent.shape[0], "nodes": w.nxy.shape[0], "tips": w.tfl.shape[0], "hyphae": w.hyp.shape[0],
             "ana": w.ana.shape[0], "events": w.evt.shape[0]}  # fmt: skip
    return {k: int(sizes[k] - used[k]) for k in used}


def grow(w: World, need: dict[str, int]) -> World:
    """``w`` with every table that has fewer free rows than ``need`` at least doubled (data kept)."""
    free = room(w)
    changes = {}
    for name, table in _GROWABLE.items():
        if free[table] >= need[table]:
            continue
        arr = getattr(w, name)
        rows = max(2 * arr.shape[0], arr.shape[0] - free[table] + need[table])
        bigger = np.zeros((rows, arr.shape[1]), arr.dtype)
        bigger[: arr.shape[0]] = arr
        changes[name] = bigger
    return w._replace(**changes) if changes else w


def copy_world(w: World) -> World:
    """A deep copy."""
    return World(*(a.copy() for a in w))
