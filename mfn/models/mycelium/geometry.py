"""The colony's geometry, shared by the reference and the compiled step: buckets, contacts, sensing.

Numba-compatible Python like :mod:`~mfn.models.mycelium.agents` (which calls it): a segment is
listed in every lattice cell it crosses (:func:`insert_segment`), a node is recorded with its
segment, links and nutrient cell (:func:`add_node`), a tip's path meets other hyphae at their
closest approach (:func:`first_contact`), a tip senses the hyphae ahead of it
(:func:`sense_hyphae`) and the medium's gradient (:func:`sense_nutrient`). Units: µm.
"""

from __future__ import annotations

import math

from mfn.models.mycelium.state import (
    C_ENT,
    C_EVENTS,
    C_NODES,
    F_ARANGE,
    F_CONTACT,
    F_FSPACING,
    F_GRACE,
    F_HEIGHT,
    F_SPACING,
    F_WIDTH,
    I_FM,
    I_FN,
    I_M,
    I_N,
    N_CUT,
    N_FNEXT,
    N_HYPHA,
    N_PREV,
    N_STEP,
)  # fmt: skip

__all__ = [
    "DX", "DY", "add_node", "cell_index", "closest", "edge_fraction", "first_contact", "insert_segment",
    "medium_at", "sense_hyphae", "sense_nutrient",
]  # fmt: skip

DY = (-1, 1, 0, 0, -1, -1, 1, 1)
DX = (0, 0, -1, 1, -1, 1, -1, 1)
"""The 8 neighbour directions of the field grid (N, S, W, E, NW, NE, SW, SE), bit ``1 << d``."""
SENSE_ANGLE = math.pi / 4.0
"""A tip senses the medium at this angle to either side of its heading."""


def cell_index(v, size, count):
    """Index of the cell of side ``size`` containing coordinate ``v`` (clipped to ``0 .. count - 1``)."""
    k = math.floor(v / size)
    return min(max(k, 0), count - 1)


def direction_bit(di, dj):
    """The field-grid direction index (0..7) of the step ``(di, dj)``, -1 if not a neighbour."""
    for d in range(8):
        if DY[d] == di and DX[d] == dj:
            return d
    return -1


def insert_segment(w, ic, fc, k, x0, y0, x1, y1, step):
    """List segment ``k`` (from ``(x0, y0)`` to ``(x1, y1)``) in every lattice cell it crosses.

    A 4-connected grid walk: exactly ``|di| + |dj| + 1`` cells from the start cell to the
    end cell, stepping across whichever cell border the segment meets first. Each cell is
    marked occupied (``born`` = ``step`` the first time); the entry in the end cell (the cell of
    node ``k``) is flagged, so that a search counting each segment once reads it there only.
    """
    s = fc[F_SPACING]
    m, n = ic[I_M], ic[I_N]
    i, j = cell_index(y0, s, m), cell_index(x0, s, n)
    i1, j1 = cell_index(y1, s, m), cell_index(x1, s, n)
    dx, dy = x1 - x0, y1 - y0
    sj = 1 if dx > 0.0 else -1
    si = 1 if dy > 0.0 else -1
    t_x = ((j + (1 if dx > 0.0 else 0)) * s - x0) / dx if dx != 0.0 else math.inf
    t_y = ((i + (1 if dy > 0.0 else 0)) * s - y0) / dy if dy != 0.0 else math.inf
    d_x = s / abs(dx) if dx != 0.0 else math.inf
    d_y = s / abs(dy) if dy != 0.0 else math.inf
    left_i, left_j = abs(i1 - i), abs(j1 - j)
    for _ in range(left_i + left_j + 1):
        c = i * n + j
        e = w.cnt[C_ENT]
        w.ent[e, 0] = k
        w.ent[e, 1] = w.head[c]
        w.ent[e, 2] = 1 if (i == i1 and j == j1) else 0
        w.head[c] = e
        w.cnt[C_ENT] = e + 1
        if w.occ[i, j] == 0:
            w.occ[i, j] = 1
            w.born[i, j] = step
        if left_j > 0 and (t_x < t_y or left_i == 0):
            j += sj
            t_x += d_x
            left_j -= 1
        elif left_i > 0:
            i += si
            t_y += d_y
            left_i -= 1


def add_node(w, ic, fc, x, y, hypha, prev, cut, step):
    """Record a node (and its segment from ``prev``); returns its index.

    A root (``prev`` -1) is listed in its lattice cell as a segment of no length (skipped by
    contacts and sensing). Its nutrient cell gains the segment's length and the node in its list; when the segment
    crosses from one nutrient cell into another, both cells record the link and the older
    cell the direction it grew in (``out``).
    """
    k = w.cnt[C_NODES]
    w.nxy[k, 0] = x
    w.nxy[k, 1] = y
    w.nint[k, N_STEP] = step
    w.nint[k, N_HYPHA] = hypha
    w.nint[k, N_PREV] = prev
    w.nint[k, N_CUT] = cut
    fs = fc[F_FSPACING]
    fi, fj = cell_index(y, fs, ic[I_FM]), cell_index(x, fs, ic[I_FN])
    f = fi * ic[I_FN] + fj
    w.nint[k, N_FNEXT] = w.fhead[f]
    w.fhead[f] = k
    w.cnt[C_NODES] = k + 1
    if prev >= 0:
        px, py = w.nxy[prev, 0], w.nxy[prev, 1]
        length = math.sqrt((x - px) * (x - px) + (y - py) * (y - py))
        w.hlen[fi, fj] = w.hlen[fi, fj] + length
        insert_segment(w, ic, fc, k, px, py, x, y, step)
        pi_, pj = cell_index(py, fs, ic[I_FM]), cell_index(px, fs, ic[I_FN])
        d = direction_bit(fi - pi_, fj - pj)
        if d >= 0:
            back = direction_bit(pi_ - fi, pj - fj)
            w.link[pi_, pj] = w.link[pi_, pj] | (1 << d)
            w.link[fi, fj] = w.link[fi, fj] | (1 << back)
            w.out[pi_, pj] = w.out[pi_, pj] | (1 << d)
    else:  # a root: listed in its cell too, so that a walker can stick to it
        insert_segment(w, ic, fc, k, x, y, x, y, step)
    return k


def near_junction(w, fc, h_own, h_other, x, y):
    """Whether hyphae ``h_own`` and ``h_other`` are parent and daughter and ``(x, y)`` lies within
    ``grace`` µm of the node where one branches from the other."""
    start = -1
    if w.hyp[h_own, 0] == h_other:
        start = w.hyp[h_own, 1]
    elif w.hyp[h_other, 0] == h_own:
        start = w.hyp[h_other, 1]
    if start < 0:
        return False
    dx, dy = w.nxy[start, 0] - x, w.nxy[start, 1] - y
    return dx * dx + dy * dy < fc[F_GRACE] * fc[F_GRACE]


def closest(px, py, qx, qy, ax, ay, bx, by):
    """Closest approach of segments ``p-q`` and ``a-b``: ``(distance², t on p-q, u on a-b)``.

    Parameters clamped to ``[0, 1]`` (Ericson, Real-Time Collision Detection, 5.1.9).
    """
    d1x, d1y = qx - px, qy - py
    d2x, d2y = bx - ax, by - ay
    rx, ry = px - ax, py - ay
    a = d1x * d1x + d1y * d1y
    e = d2x * d2x + d2y * d2y
    f = d2x * rx + d2y * ry
    t = 0.0
    u = 0.0
    if a <= 1e-24 and e <= 1e-24:
        t, u = 0.0, 0.0
    elif a <= 1e-24:
        u = min(max(f / e, 0.0), 1.0)
    else:
        c = d1x * rx + d1y * ry
        if e <= 1e-24:
            t = min(max(-c / a, 0.0), 1.0)
        else:
            b = d1x * d2x + d1y * d2y
            den = a * e - b * b
            t = min(max((b * f - c * e) / den, 0.0), 1.0) if den > 0.0 else 0.0
            u = (b * t + f) / e
            if u < 0.0:
                u = 0.0
                t = min(max(-c / a, 0.0), 1.0)
            elif u > 1.0:
                u = 1.0
                t = min(max((b - c) / a, 0.0), 1.0)
    cx, cy = (px + d1x * t) - (ax + d2x * u), (py + d1y * t) - (ay + d2y * u)
    return cx * cx + cy * cy, t, u


def first_contact(w, ic, fc, tip, px, py, qx, qy):
    """The first contact along ``p-q`` of tip ``tip`` with another hypha: ``(t, segment node, u)``.

    ``t`` is 2.0 (beyond the path) when there is none. Segments are looked up in the lattice
    cells around the path, within one contact distance; a segment met in several cells is
    tested each time (same answer).
    """
    s, dc = fc[F_SPACING], fc[F_CONTACT]
    m, n = ic[I_M], ic[I_N]
    own, crossed = w.tint[tip, 1], w.tint[tip, 2]
    i0, i1 = cell_index(min(py, qy) - dc, s, m), cell_index(max(py, qy) + dc, s, m)
    j0, j1 = cell_index(min(px, qx) - dc, s, n), cell_index(max(px, qx) + dc, s, n)
    best_t, best_k, best_u = 2.0, -1, 0.0
    for i in range(i0, i1 + 1):
        for j in range(j0, j1 + 1):
            e = w.head[i * n + j]
            while e >= 0:
                k = w.ent[e, 0]
                e = w.ent[e, 1]
                h = w.nint[k, N_HYPHA]
                a = w.nint[k, N_PREV]
                if h == own or h == crossed or a < 0:
                    continue
                d2, t, u = closest(px, py, qx, qy, w.nxy[a, 0], w.nxy[a, 1], w.nxy[k, 0], w.nxy[k, 1])
                if d2 > dc * dc or t >= best_t:
                    continue
                cx, cy = px + (qx - px) * t, py + (qy - py) * t
                if near_junction(w, fc, own, h, cx, cy):
                    continue
                best_t, best_k, best_u = t, k, u
    return best_t, best_k, best_u


def sense_hyphae(w, ic, fc, tip, x, y, th):
    """Hypha length of other hyphae ahead-left and ahead-right of a tip, weighted by ``1 - d / R``.

    Each segment counts once, from the lattice cell of its newer node (the entry flagged there,
    :func:`insert_segment`); ahead means a positive
    component along the heading, left a positive cross product (counter-clockwise).
    """
    s, r = fc[F_SPACING], fc[F_ARANGE]
    m, n = ic[I_M], ic[I_N]
    own = w.tint[tip, 1]
    hx, hy = math.cos(th), math.sin(th)
    i0, i1 = cell_index(y - r, s, m), cell_index(y + r, s, m)
    j0, j1 = cell_index(x - r, s, n), cell_index(x + r, s, n)
    left = 0.0
    right = 0.0
    for i in range(i0, i1 + 1):
        for j in range(j0, j1 + 1):
            e = w.head[i * n + j]
            while e >= 0:
                k = w.ent[e, 0]
                own_cell = w.ent[e, 2]
                e = w.ent[e, 1]
                if own_cell == 0:
                    continue
                a = w.nint[k, N_PREV]
                if a < 0 or w.nint[k, N_HYPHA] == own:
                    continue
                kx, ky = w.nxy[k, 0], w.nxy[k, 1]
                dx, dy = kx - x, ky - y
                d2 = dx * dx + dy * dy
                if d2 >= r * r or dx * hx + dy * hy <= 0.0:
                    continue
                d = math.sqrt(d2)
                ax, ay = w.nxy[a, 0] - kx, w.nxy[a, 1] - ky
                weight = math.sqrt(ax * ax + ay * ay) * (1.0 - d / r)
                if hx * dy - hy * dx > 0.0:
                    left += weight
                else:
                    right += weight
    return left, right


def medium_at(w, ic, fc, x, y):
    """The medium's nutrient at ``(x, y)``: bilinear between the nutrient cells' centres (edge cells
    extended flat to the field's border)."""
    fs = fc[F_FSPACING]
    fm, fn = ic[I_FM], ic[I_FN]
    gx = min(max(x / fs - 0.5, 0.0), fn - 1.0)
    gy = min(max(y / fs - 0.5, 0.0), fm - 1.0)
    j0, i0 = min(int(gx), fn - 1), min(int(gy), fm - 1)
    j1, i1 = min(j0 + 1, fn - 1), min(i0 + 1, fm - 1)
    ax, ay = gx - j0, gy - i0
    top = w.nut[i0, j0] + ax * (w.nut[i0, j1] - w.nut[i0, j0])
    bottom = w.nut[i1, j0] + ax * (w.nut[i1, j1] - w.nut[i1, j0])
    return top + ay * (bottom - top)


def sense_nutrient(w, ic, fc, x, y, th):
    """Relative difference ``(n_l - n_r) / (n_l + n_r)`` of the medium (:func:`medium_at`) one
    nutrient cell ahead at +-45 degrees (the tip's own place stands in off the field; 0 when
    both are 0)."""
    fs = fc[F_FSPACING]
    here = medium_at(w, ic, fc, x, y)
    lx, ly = x + fs * math.cos(th + SENSE_ANGLE), y + fs * math.sin(th + SENSE_ANGLE)
    rx, ry = x + fs * math.cos(th - SENSE_ANGLE), y + fs * math.sin(th - SENSE_ANGLE)
    left = medium_at(w, ic, fc, lx, ly) if inside(fc, lx, ly) else here
    right = medium_at(w, ic, fc, rx, ry) if inside(fc, rx, ry) else here
    den = left + right
    return (left - right) / den if den > 0.0 else 0.0


def inside(fc, x, y):
    """Whether ``(x, y)`` lies on the field."""
    return 0.0 <= x < fc[F_WIDTH] and 0.0 <= y < fc[F_HEIGHT]


def record_contact(w, step, kind, x, y):
    """Append a contact (kind 0 anastomosis, 1 crossing) at ``(x, y)`` to the contact table."""
    e = w.cnt[C_EVENTS]
    w.evt[e, 0] = step
    w.evt[e, 1] = kind
    w.evt[e, 2] = x
    w.evt[e, 3] = y
    w.cnt[C_EVENTS] = e + 1


def edge_fraction(px, py, qx, qy, width, height):
    """Fraction of the way from ``p`` to ``q`` at which the path leaves the field (2.0 if it stays)."""
    t = 2.0
    if qx < 0.0:
        t = min(t, px / (px - qx))
    elif qx > width:
        t = min(t, (width - px) / (qx - px))
    if qy < 0.0:
        t = min(t, py / (py - qy))
    elif qy > height:
        t = min(t, (height - py) / (qy - py))
    return t
