"""Fused numba step of the growing mycelium, bit-identical to :func:`~mfn.models.mycelium.kernels.numpy_step`.

This module imports numba at import time; the stepper imports it only when the ``"numba"``
backend is chosen. The compiled step does, cell by cell and tip by tip, the floating-point
operations of the numpy reference in the same order (compiled without ``fastmath``), and
draws its random numbers with ``Generator.random()`` from the run's own generator (numba
shares the generator's state with Python), so both paths produce the same bits. It touches
only the hyphal cells for uptake, translocation and the membrane (the reference computes
whole fields and masks them; off-hyphal cells stay 0 in both).
"""

from __future__ import annotations

import math

import numba
import numpy as np

from mfn.models.mycelium.kernels import (
    KICK_RADIUS,
    LAUNCH_GAP,
    SENSE_ANGLE,
    SENSE_DISTANCE,
    TWO_PI,
    ColonyConstants,
    ColonyState,
)

__all__ = ["numba_steps"]

_jit = numba.njit(cache=True, nogil=True, fastmath=False, error_model="numpy", boundscheck=False)

_NY = np.array([-1, 1, 0, 0, -1, -1, 1, 1], dtype=np.int64)
_NX = np.array([0, 0, -1, 1, -1, 1, -1, 1], dtype=np.int64)
_WY = np.array([-1, 1, 0, 0], dtype=np.int64)
_WX = np.array([0, 0, -1, 1], dtype=np.int64)
LAUNCH_GAP_C = LAUNCH_GAP
TWO_PI_C = TWO_PI
SENSE_ANGLE_C = SENSE_ANGLE
SENSE_DISTANCE_C = SENSE_DISTANCE


@_jit
def _hyphal_sum(f, occ, y, x, ny, nx):
    m, n = occ.shape
    fc = f[y, x]
    total = 0.0
    for q in range(8):
        yy = y + ny[q]
        xx = x + nx[q]
        if 0 <= yy < m and 0 <= xx < n:
            term = float(occ[yy, xx]) * (f[yy, xx] - fc)
        else:
            term = 0.0 * (0.0 - fc)
        total = term if q == 0 else total + term
    return total


@_jit
def _medium(nut, scratch, d):
    m, n = nut.shape
    scratch[:, :] = nut
    for y in range(m):
        for x in range(n):
            c = scratch[y, x]
            north = scratch[y - 1, x] if y > 0 else c
            south = scratch[y + 1, x] if y < m - 1 else c
            west = scratch[y, x - 1] if x > 0 else c
            east = scratch[y, x + 1] if x < n - 1 else c
            lap = (((north - c) + (south - c)) + (west - c)) + (east - c)
            nut[y, x] = c + d * lap


@_jit
def _normal(rng):
    u1 = rng.random()
    u2 = rng.random()
    return math.sqrt(-2.0 * math.log(1.0 - u1)) * math.cos(TWO_PI_C * u2)


@_jit
def _sense(nut, fy, fx, here, th):
    m, n = nut.shape
    y = math.floor((fy + SENSE_DISTANCE_C * math.sin(th)) + 0.5)
    x = math.floor((fx + SENSE_DISTANCE_C * math.cos(th)) + 0.5)
    return nut[y, x] if 0 <= y < m and 0 <= x < n else here


@_jit
def _gradient_turn(nut, fy, fx, here, th):
    left = _sense(nut, fy, fx, here, th + SENSE_ANGLE_C)
    right = _sense(nut, fy, fx, here, th - SENSE_ANGLE_C)
    den = left + right
    return (left - right) / den if den > 0.0 else 0.0


@_jit
def _kick(u, occ, y, x):
    m, n = occ.shape
    for yy in range(max(y - KICK_RADIUS, 0), min(y + KICK_RADIUS + 1, m)):
        for xx in range(max(x - KICK_RADIUS, 0), min(x + KICK_RADIUS + 1, n)):
            if occ[yy, xx] != 0:
                u[yy, xx] = 1.0


@_jit
def _occupy(occ, born, cell_y, cell_x, n_cells, t, y, x):
    occ[y, x] = 1
    born[y, x] = t + 1
    cell_y[n_cells] = y
    cell_x[n_cells] = x
    return n_cells + 1


@_jit
def _step(
    occ,
    born,
    nut,
    sub,
    u,
    w,
    tip_y,
    tip_x,
    tip_fy,
    tip_fx,
    tip_th,
    cell_y,
    cell_x,
    scratch,
    buf_a,
    buf_b,
    alive,
    ints,
    fl,
    rng,
):
    """One step. ``ints`` = [n_tips, n_cells, t, regime, substeps] (updated in place),
    ``fl`` = [D_n, uptake, D_s, turn_sd, chemotropism, cost, tip_flux, branching,
    spike_rate, D_m, k, a, eps, centre_y, centre_x, r_max, branch_angle, branch_sd] (angles
    in radians; r_max updated in place).
    Returns (extensions, branchings, anastomoses, stalls, edge_stops, spikes)."""
    m, n = occ.shape
    n_tips, n_cells, t, regime, substeps = ints[0], ints[1], ints[2], ints[3], ints[4]
    d_n, uptake, d_s, turn_sd, chemo, cost = fl[0], fl[1], fl[2], fl[3], fl[4], fl[5]
    branch_angle, branch_sd = fl[16], fl[17]
    tip_flux, branching, spike_rate, d_m, k_rate, a_thr, eps = fl[6], fl[7], fl[8], fl[9], fl[10], fl[11], fl[12]
    ext = br = ana = stalls = edge = spikes = 0
    if regime != 1:
        _medium(nut, scratch, d_n)
        for c in range(n_cells):
            y, x = cell_y[c], cell_x[c]
            q = uptake * nut[y, x]
            nut[y, x] = nut[y, x] - q
            sub[y, x] = sub[y, x] + q
        for c in range(n_cells):
            buf_a[c] = sub[cell_y[c], cell_x[c]] + d_s * _hyphal_sum(sub, occ, cell_y[c], cell_x[c], _NY, _NX)
        for c in range(n_cells):
            sub[cell_y[c], cell_x[c]] = buf_a[c]
        limited = regime == 0
        n0 = n_tips
        for i in range(n0):
            alive[i] = True
        for i in range(n0):
            y, x = tip_y[i], tip_x[i]
            if limited and sub[y, x] < cost:
                stalls += 1
                continue
            th = tip_th[i]
            fy, fx = tip_fy[i], tip_fx[i]
            turn = chemo * _gradient_turn(nut, fy, fx, nut[y, x], th)
            th = (th + turn_sd * _normal(rng)) + turn
            dy, dx = math.sin(th), math.cos(th)
            yy, xx = y, x
            while yy == y and xx == x:
                fy, fx = fy + dy, fx + dx
                yy, xx = math.floor(fy + 0.5), math.floor(fx + 0.5)
            if not (0 <= yy < m and 0 <= xx < n):
                alive[i] = False
                edge += 1
                continue
            if occ[yy, xx] != 0:
                alive[i] = False
                ana += 1
                continue
            if limited:
                left = sub[y, x] - cost
                carried = tip_flux * left
                sub[y, x] = left - carried
                sub[yy, xx] = sub[yy, xx] + carried
            n_cells = _occupy(occ, born, cell_y, cell_x, n_cells, t, yy, xx)
            ext += 1
            tip_y[i], tip_x[i], tip_fy[i], tip_fx[i], tip_th[i] = yy, xx, fy, fx, th
            s_new = sub[yy, xx]
            p_branch = branching * (s_new / (s_new + cost)) if limited else branching
            if rng.random() < p_branch:
                side = 1.0 if rng.random() < 0.5 else -1.0
                angle = branch_angle + branch_sd * _normal(rng)
                j = n_tips
                tip_y[j], tip_x[j], tip_fy[j], tip_fx[j] = yy, xx, fy, fx
                tip_th[j] = th + side * angle
                alive[j] = True
                n_tips += 1
                br += 1
            if spike_rate > 0.0 and rng.random() < spike_rate:
                _kick(u, occ, yy, xx)
                spikes += 1
        kept = 0
        for i in range(n_tips):
            if alive[i]:
                tip_y[kept], tip_x[kept], tip_fy[kept], tip_fx[kept] = tip_y[i], tip_x[i], tip_fy[i], tip_fx[i]
                tip_th[kept] = tip_th[i]
                kept += 1
        n_tips = kept
    else:
        cy, cx, r_max = fl[13], fl[14], fl[15]
        r_launch = r_max + LAUNCH_GAP_C
        if r_launch < min(min(cy, cx), min(m - 1 - cy, n - 1 - cx)):
            r_kill2 = (2.0 * r_launch + 10.0) ** 2
            launch = True
            y = x = 0
            while True:
                if launch:
                    angle = TWO_PI_C * rng.random()
                    y = math.floor(cy + r_launch * math.sin(angle) + 0.5)
                    x = math.floor(cx + r_launch * math.cos(angle) + 0.5)
                    launch = False
                touching = False
                for q in range(4):
                    yy, xx = y + _WY[q], x + _WX[q]
                    if 0 <= yy < m and 0 <= xx < n and occ[yy, xx] != 0:
                        touching = True
                if touching:
                    break
                q = int(4.0 * rng.random())
                y, x = y + _WY[q], x + _WX[q]
                fy, fx = y - cy, x - cx
                if not (0 <= y < m and 0 <= x < n) or fy * fy + fx * fx > r_kill2:
                    launch = True
            n_cells = _occupy(occ, born, cell_y, cell_x, n_cells, t, y, x)
            fy, fx = y - cy, x - cx
            fl[15] = max(r_max, math.sqrt(fy * fy + fx * fx))
            ext += 1
            if spike_rate > 0.0 and rng.random() < spike_rate:
                _kick(u, occ, y, x)
                spikes += 1
    for _ in range(substeps):
        for c in range(n_cells):
            y, x = cell_y[c], cell_x[c]
            uc, wc = u[y, x], w[y, x]
            lap = _hyphal_sum(u, occ, y, x, _NY, _NX)
            react = ((uc * (1.0 - uc)) * (uc - a_thr)) - wc
            buf_a[c] = uc + (d_m * lap + k_rate * react)
            buf_b[c] = wc + eps * (uc - wc)
        for c in range(n_cells):
            u[cell_y[c], cell_x[c]] = buf_a[c]
            w[cell_y[c], cell_x[c]] = buf_b[c]
    ints[0], ints[1], ints[2] = n_tips, n_cells, t + 1
    return ext, br, ana, stalls, edge, spikes


@_jit
def _steps(occ, born, nut, sub, u, w, tip_y, tip_x, tip_fy, tip_fx, tip_th, cell_y, cell_x, scratch, buf_a, buf_b,
           alive, ints, fl, rng, nsteps, totals, last):  # fmt: skip
    for _ in range(nsteps):
        counts = _step(occ, born, nut, sub, u, w, tip_y, tip_x, tip_fy, tip_fx, tip_th, cell_y, cell_x, scratch, buf_a,
                       buf_b, alive, ints, fl, rng)  # fmt: skip
        for q in range(6):
            last[q] = counts[q]
            totals[q] += counts[q]


class NumbaWork:
    """Scratch arrays of the compiled step for one colony (allocated once per run)."""

    def __init__(self, s: ColonyState) -> None:
        cap = s.cell_y.size
        self.scratch = np.empty_like(s.nutrient)
        self.buf_a = np.empty(cap)
        self.buf_b = np.empty(cap)
        self.alive = np.zeros(s.tip_y.size, dtype=np.bool_)


def numba_steps(s: ColonyState, c: ColonyConstants, rng: np.random.Generator, nsteps: int, work: NumbaWork) -> tuple:
    """Advance ``s`` by ``nsteps`` steps in place; return ``(totals, last)`` count tuples."""
    ints = np.array([s.n_tips, s.n_cells, s.t, c.regime, c.substeps], dtype=np.int64)
    fl = np.array(
        [
            c.nutrient_diffusion, c.uptake, c.translocation, c.turn_sd, c.chemotropism, c.extension_cost,
            c.tip_flux, c.branching, c.spike_rate, c.coupling, c.fhn_rate, c.fhn_threshold, c.fhn_recovery,
            c.centre_y, c.centre_x, s.r_max, c.branch_angle, c.branch_sd,
        ]
    )  # fmt: skip
    totals = np.zeros(6, dtype=np.int64)
    last = np.zeros(6, dtype=np.int64)
    _steps(s.occ, s.born, s.nutrient, s.substrate, s.u, s.w, s.tip_y, s.tip_x, s.tip_fy, s.tip_fx, s.tip_th, s.cell_y,
           s.cell_x, work.scratch, work.buf_a, work.buf_b, work.alive, ints, fl, rng, nsteps, totals, last)  # fmt: skip
    s.n_tips, s.n_cells, s.t = int(ints[0]), int(ints[1]), int(ints[2])
    s.r_max = float(fl[15])
    return tuple(int(v) for v in totals), tuple(int(v) for v in last)
