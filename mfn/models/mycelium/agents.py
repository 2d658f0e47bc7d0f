"""Hyphal tips as agents: one source for the Python reference and the compiled step.

The functions here and in :mod:`~mfn.models.mycelium.geometry` use only numbers, arrays,
``math`` and the run's ``Generator.random()``, so :mod:`~mfn.models.mycelium.kernels` runs
them as Python and :mod:`~mfn.models.mycelium.kernels_numba` compiles the very same code
(``numba.njit`` with ``register_jitable`` for the helpers): the two paths do the same
floating-point operations in the same order and draw the same numbers, so they agree bit
for bit. Units: µm, the step (``dt`` min), radians, fmol. Constants come in the float array
``fc`` and the int array ``ic`` (indices ``F_*``/``I_*`` of :mod:`~mfn.models.mycelium.state`,
filled by :func:`mfn.models.mycelium.kernels.constants`).

One growth step of the tips (:func:`grow_tips`), each tip alive at its start, in list order:

1. the substrate of its nutrient cell sets the Monod factor ``f = S / (S + K_s A hlen)``
   (``S`` fmol, ``A`` the hyphal cross-section, ``hlen`` the hypha in the cell, ``K_s`` in
   fmol/µm³); ``f = 1`` in the rich regime;
2. its heading turns: ``th += turn_sd sqrt(dt) z`` (``z`` standard normal: Box–Muller from
   two draws), ``- auto (W_l - W_r) / (W_l + W_r + R)`` (negative autotropism: ``W`` the hypha
   length of other hyphae ahead-left and ahead-right within ``R`` µm, each segment weighted
   by ``1 - d / R``), ``+ chemo (n_l - n_r) / (n_l + n_r)`` (the medium, interpolated
   bilinearly, sensed one nutrient cell ahead at +-45 degrees);
3. it extends ``d = min(v_max f dt, S / cost)`` µm along the new heading; its path is cut
   at the field edge (the new node is marked ``cut`` and the tip stops) and at the first
   contact with another hypha (closest approach within one hyphal diameter; contacts with
   a parent or daughter within ``grace`` µm of their branch node, and with the hypha it last
   crossed, do not count). At a contact one draw decides: below ``fusion_probability`` the
   tip fuses (a node at the contact, an anastomosis link to the nearer end of the touched
   segment, the tip stops), otherwise it crosses over and goes on;
4. the new node is recorded (bucket entries in every lattice cell the segment crosses, the
   lattice picture, the nutrient cell's hypha length and links) and ``cost d`` fmol of the
   nutrient cell's substrate becomes hypha;
5. one draw: the tip splits (apical branching) with probability ``apical f dt``; a branch
   leaves at ``+-(angle + angle_sd z)`` (side from one draw, ``z`` from two) and moves from
   the next step on.

Then :func:`branch_laterally`: every nutrient cell with hypha, in raster order, one draw:
a lateral branch with probability ``min(1, lateral f hlen dt)``; it leaves a node of the
cell (picked with one more draw among the cell's nodes that have a segment) at
``+-(angle + angle_sd z)`` to that segment (side and ``z`` from three draws).
"""

from __future__ import annotations

import math

from mfn.models.mycelium.geometry import (
    add_node,
    cell_index,
    edge_fraction,
    first_contact,
    record_contact,
    sense_hyphae,
    sense_nutrient,
)
from mfn.models.mycelium.state import (
    C_ANA,
    C_EXCITED,
    C_HYPHAE,
    C_STEP,
    C_TIPS,
    C_WALKER_R,
    F_ANGLE,
    F_ANGLE_SD,
    F_APICAL,
    F_ARANGE,
    F_AREA,
    F_AUTO,
    F_CHEMO,
    F_COST,
    F_CX,
    F_CY,
    F_DT,
    F_FSPACING,
    F_FUSE,
    F_HEIGHT,
    F_KS,
    F_LATERAL,
    F_SPACING,
    F_TURN,
    F_VMAX,
    F_WIDTH,
    I_FM,
    I_FN,
    I_M,
    I_N,
    I_REGIME,
    N_FNEXT,
    N_HYPHA,
    N_PREV,
)  # fmt: skip

__all__ = [
    "branch_laterally",
    "grow_tips",
    "kick",
    "monod",
    "new_hypha",
    "new_tip",
    "spontaneous_spike",
    "step_need",
    "walk",
]

TWO_PI = 2.0 * math.pi
EDGE = 1e-9
"""A node stopped at the field edge sits this far inside it (µm), in the edge cell."""


def normal(rng) -> float:
    """One standard normal deviate from two ``random()`` draws (Box–Muller, cosine branch)."""
    u1 = rng.random()
    u2 = rng.random()
    return math.sqrt(-2.0 * math.log(1.0 - u1)) * math.cos(TWO_PI * u2)


def monod(w, fc, fi, fj):
    """The Monod factor ``S / (S + K_s A hlen)`` of a nutrient cell (0 without substrate)."""
    s = w.sub[fi, fj]
    if s <= 0.0:
        return 0.0
    return s / (s + fc[F_KS] * fc[F_AREA] * w.hlen[fi, fj])


def new_hypha(w, parent, start):
    """A new hypha id, branching from ``parent`` at node ``start``."""
    h = w.cnt[C_HYPHAE]
    w.hyp[h, 0] = parent
    w.hyp[h, 1] = start
    w.cnt[C_HYPHAE] = h + 1
    return h


def new_tip(w, node, hypha, heading):
    """Append a tip standing on ``node``."""
    t = w.cnt[C_TIPS]
    w.tint[t, 0] = node
    w.tint[t, 1] = hypha
    w.tint[t, 2] = -1
    w.tfl[t, 0] = heading
    w.tfl[t, 1] = 0.0
    w.cnt[C_TIPS] = t + 1


def branch_heading(rng, fc, parent_heading):
    """Heading of a branch: ``parent +- (angle + angle_sd z)`` (side from one draw, ``z`` from two)."""
    side = 1.0 if rng.random() < 0.5 else -1.0
    return parent_heading + side * (fc[F_ANGLE] + fc[F_ANGLE_SD] * normal(rng))


def grow_tips(w, ic, fc, rng, counts):
    """Advance every tip alive at the start of the step (module docstring); events into ``counts``.

    ``counts``: [lateral, apical, anastomoses, crossings, edge_stops, spikes] (int array,
    incremented). Returns the hypha length grown, µm.
    """
    rich = ic[I_REGIME] == 2
    step = w.cnt[C_STEP] + 1
    fs, dt = fc[F_FSPACING], fc[F_DT]
    n0 = w.cnt[C_TIPS]
    grown = 0.0
    alive = 0
    for tip in range(n0):
        node = w.tint[tip, 0]
        hypha = w.tint[tip, 1]
        x, y = w.nxy[node, 0], w.nxy[node, 1]
        th = w.tfl[tip, 0]
        fi, fj = cell_index(y, fs, ic[I_FM]), cell_index(x, fs, ic[I_FN])
        f = 1.0 if rich else monod(w, fc, fi, fj)
        left, right = sense_hyphae(w, ic, fc, tip, x, y, th)
        turn = fc[F_TURN] * normal(rng)
        turn = turn - fc[F_AUTO] * (left - right) / (left + right + fc[F_ARANGE])
        turn = turn + fc[F_CHEMO] * sense_nutrient(w, ic, fc, x, y, th)
        th = th + turn
        d = fc[F_VMAX] * f * dt
        if not rich:
            d = min(d, w.sub[fi, fj] / fc[F_COST])
        keep = True
        if d > 0.0:
            qx, qy = x + d * math.cos(th), y + d * math.sin(th)
            t_edge = edge_fraction(x, y, qx, qy, fc[F_WIDTH], fc[F_HEIGHT])
            t_hit, k_hit, u_hit = first_contact(w, ic, fc, tip, x, y, qx, qy)
            fused = False
            cut = 0
            if t_hit < 2.0 and t_hit <= t_edge:
                touched = w.nint[k_hit, N_HYPHA]
                if rng.random() < fc[F_FUSE]:
                    fused = True
                    qx, qy = x + (qx - x) * t_hit, y + (qy - y) * t_hit
                else:
                    counts[3] += 1
                    w.tint[tip, 2] = touched
                record_contact(w, step, 0.0 if fused else 1.0, x + (qx - x) * (1.0 if fused else t_hit),
                               y + (qy - y) * (1.0 if fused else t_hit))  # fmt: skip
            if not fused and t_edge < 2.0:
                t_in = max(t_edge - EDGE / d, 0.0)
                qx, qy = x + (qx - x) * t_in, y + (qy - y) * t_in
                cut = 1
            k = add_node(w, ic, fc, qx, qy, hypha, node, cut, step)
            length = math.sqrt((qx - x) * (qx - x) + (qy - y) * (qy - y))
            grown += length
            w.acc[0] = w.acc[0] + length
            if not rich:
                w.sub[fi, fj] = w.sub[fi, fj] - fc[F_COST] * length
            w.tint[tip, 0] = k
            w.tfl[tip, 0] = th
            w.tfl[tip, 1] = w.tfl[tip, 1] + length
            if fused:
                a = w.nint[k_hit, N_PREV]
                target = k_hit if u_hit >= 0.5 else a
                g = w.cnt[C_ANA]
                w.ana[g, 0] = k
                w.ana[g, 1] = target
                w.cnt[C_ANA] = g + 1
                counts[2] += 1
                keep = False
            elif cut == 1:
                counts[4] += 1
                keep = False
        else:
            w.tfl[tip, 0] = th
        if keep and rng.random() < fc[F_APICAL] * f:
            h = new_hypha(w, hypha, w.tint[tip, 0])
            new_tip(w, w.tint[tip, 0], h, branch_heading(rng, fc, th))
            counts[1] += 1
        if keep:  # compact in place: tips keep their order, new ones follow
            if alive != tip:
                w.tint[alive, 0], w.tint[alive, 1], w.tint[alive, 2] = w.tint[tip, 0], w.tint[tip, 1], w.tint[tip, 2]
                w.tfl[alive, 0], w.tfl[alive, 1] = w.tfl[tip, 0], w.tfl[tip, 1]
            alive += 1
    added = w.cnt[C_TIPS] - n0
    for q in range(added):
        src, dst = n0 + q, alive + q
        w.tint[dst, 0], w.tint[dst, 1], w.tint[dst, 2] = w.tint[src, 0], w.tint[src, 1], w.tint[src, 2]
        w.tfl[dst, 0], w.tfl[dst, 1] = w.tfl[src, 0], w.tfl[src, 1]
    w.cnt[C_TIPS] = alive + added
    return grown


def branch_laterally(w, ic, fc, rng, counts):
    """Lateral branches from the nutrient cells (module docstring); counted in ``counts[0]``."""
    rich = ic[I_REGIME] == 2
    fm, fn = ic[I_FM], ic[I_FN]
    for fi in range(fm):
        for fj in range(fn):
            hl = w.hlen[fi, fj]
            if hl <= 0.0:
                continue
            f = 1.0 if rich else monod(w, fc, fi, fj)
            if rng.random() >= min(1.0, fc[F_LATERAL] * f * hl):
                continue
            count = 0
            e = w.fhead[fi * fn + fj]
            while e >= 0:
                if w.nint[e, N_PREV] >= 0:
                    count += 1
                e = w.nint[e, N_FNEXT]
            if count == 0:
                continue
            pick = min(int(rng.random() * count), count - 1)
            e = w.fhead[fi * fn + fj]
            k = -1
            while e >= 0:
                if w.nint[e, N_PREV] >= 0:
                    if pick == 0:
                        k = e
                        break
                    pick -= 1
                e = w.nint[e, N_FNEXT]
            a = w.nint[k, N_PREV]
            phi = math.atan2(w.nxy[k, 1] - w.nxy[a, 1], w.nxy[k, 0] - w.nxy[a, 0])
            h = new_hypha(w, w.nint[k, N_HYPHA], k)
            new_tip(w, k, h, branch_heading(rng, fc, phi))
            counts[0] += 1


def kick(w, fs, radius, x, y, depolarised):
    """Start a spike: depolarise to ``depolarised`` mV the hyphal nutrient cells (side ``fs`` µm)
    whose centres lie within ``radius`` µm of ``(x, y)``, and the cell containing it."""
    fm, fn = w.hlen.shape
    ci, cj = cell_index(y, fs, fm), cell_index(x, fs, fn)
    for i in range(fm):
        for j in range(fn):
            dy, dx = (i + 0.5) * fs - y, (j + 0.5) * fs - x
            if w.hlen[i, j] > 0.0 and (dy * dy + dx * dx <= radius * radius or (i == ci and j == cj)):
                w.V[i, j] = depolarised
    w.cnt[C_EXCITED] = 1


def spontaneous_spike(w, fc, rate, radius, depolarised, rng):
    """One draw: a spike with probability ``rate`` (per step), at the hyphal nutrient cell picked
    (raster order) by one more draw; 1 if one started."""
    if rng.random() >= rate:
        return 0
    fm, fn = w.hlen.shape
    count = 0
    for i in range(fm):
        for j in range(fn):
            if w.hlen[i, j] > 0.0:
                count += 1
    if count == 0:
        return 0
    pick = min(int(rng.random() * count), count - 1)
    fs = fc[F_FSPACING]
    for i in range(fm):
        for j in range(fn):
            if w.hlen[i, j] > 0.0:
                if pick == 0:
                    kick(w, fs, radius, (j + 0.5) * fs, (i + 0.5) * fs, depolarised)
                    return 1
                pick -= 1
    return 0


def step_need(w, ic, fc):
    """Rows one step may add to each table: (entries, nodes, tips, hyphae, anastomoses, contacts)."""
    tips = w.cnt[C_TIPS]
    per_segment = 4 + 2 * math.ceil(fc[F_VMAX] * fc[F_DT] / fc[F_SPACING])
    cells = ic[I_FM] * ic[I_FN]
    return per_segment * (tips + 1), tips + 2, 2 * tips + cells + 2, 2 * tips + cells + 2, tips + 1, tips + 1


WALK_DY = (-1, 1, 0, 0)
WALK_DX = (0, 0, -1, 1)
LAUNCH_GAP = 5.0
"""A walker starts this many lattice cells beyond the colony's radius."""


def walk(w, ic, fc, rng):
    """Diffusion-limited regime: one random walker sticks to the colony (1 if one did, else 0).

    It starts ``r_max + LAUNCH_GAP`` lattice cells from the centre (angle ``2 pi u``), steps
    to one of its 4 neighbours per draw (``int(4 u)``), is relaunched when it leaves the
    field or the circle of radius ``2 (r_max + gap) + 10``, and sticks on the first empty
    cell with an occupied 4-neighbour: a node at the cell's centre, linked to the centre of
    that neighbour's first node. No walker once the launch circle leaves the field.
    """
    m, n = ic[I_M], ic[I_N]
    s = fc[F_SPACING]
    cy, cx = fc[F_CY], fc[F_CX]
    r_max = w.cnt[C_WALKER_R] / 1000.0
    r_launch = r_max + LAUNCH_GAP
    if r_launch >= min(min(cy, cx), min(m - 1 - cy, n - 1 - cx)):
        return 0
    r_kill2 = (2.0 * r_launch + 10.0) ** 2
    launch = True
    y = x = 0
    touched = -1
    while True:
        if launch:
            angle = TWO_PI * rng.random()
            y = math.floor(cy + r_launch * math.sin(angle) + 0.5)
            x = math.floor(cx + r_launch * math.cos(angle) + 0.5)
            launch = False
        touched = -1
        for q in range(4):
            yy, xx = y + WALK_DY[q], x + WALK_DX[q]
            if 0 <= yy < m and 0 <= xx < n and w.occ[yy, xx] != 0 and touched < 0:
                touched = w.head[yy * n + xx]
        if touched >= 0:
            break
        q = int(4.0 * rng.random())
        y, x = y + WALK_DY[q], x + WALK_DX[q]
        fy, fx = y - cy, x - cx
        if not (0 <= y < m and 0 <= x < n) or fy * fy + fx * fx > r_kill2:
            launch = True
    prev = w.ent[touched, 0]
    k = add_node(w, ic, fc, (x + 0.5) * s, (y + 0.5) * s, w.nint[prev, N_HYPHA], prev, 0, w.cnt[C_STEP] + 1)
    fy, fx = y - cy, x - cx
    w.cnt[C_WALKER_R] = max(w.cnt[C_WALKER_R], int(math.sqrt(fy * fy + fx * fx) * 1000.0))
    w.acc[0] = w.acc[0] + s
    return 1 if k >= 0 else 0
