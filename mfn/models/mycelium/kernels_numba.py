"""Compiled step of the growing mycelium, bit-identical to :func:`~mfn.models.mycelium.kernels.numpy_step`.

This module imports numba at import time; the stepper imports it only when the ``"numba"``
backend is chosen. The tips are the very code of :mod:`~mfn.models.mycelium.agents`,
compiled (its helpers registered with ``register_jitable``); the fields are loops that do,
cell by cell, the floating-point operations of the numpy expressions of
:mod:`~mfn.models.mycelium.kernels` in the same order. Compiled without ``fastmath``; random
numbers come from the run's own generator (numba shares its state with Python), so both
paths draw the same numbers and produce the same bits. Several steps run in one call; the
call returns early when a table needs more rows (the stepper grows it and calls again).

numba's on-disk cache notices a change to the file holding a compiled function, not to the
files it calls into: :func:`_invalidate_stale_cache` keeps a fingerprint of every source the
compiled step is made of beside the cache and empties the cache when one has changed.
"""

from __future__ import annotations

import hashlib
import math
from pathlib import Path

import numba
import numpy as np
from numba.extending import register_jitable

from mfn.models.mycelium import agents, geometry
from mfn.models.mycelium.kernels import (
    M_AH,
    M_EEX,
    M_EK,
    M_EP,
    M_GC,
    M_GEX,
    M_GK,
    M_IMAX,
    M_KA,
    M_KD,
    M_KH,
    M_KHALF,
    M_KICK,
    M_KN,
    M_KN_GATE,
    M_RATE,
    M_RELAX,
    M_UPTAKE,
    M_VH,
    M_VN,
    M_VOLUME,
    M_VP,
    OPPOSITE,
    REST_TOLERANCE,
    WEIGHTS,
    Constants,
)  # fmt: skip
from mfn.models.mycelium.state import C_ENT, C_EXCITED, C_NODES, C_STEP, C_TIPS, World

__all__ = ["numba_steps"]

_OPTIONS = {"cache": True, "nogil": True, "fastmath": False, "error_model": "numpy", "boundscheck": False}
_HELPERS = (
    geometry.cell_index, geometry.direction_bit, geometry.insert_segment, geometry.add_node, geometry.near_junction,
    geometry.closest, geometry.first_contact, geometry.sense_hyphae, geometry.medium_at, geometry.sense_nutrient,
    geometry.inside, geometry.edge_fraction, geometry.record_contact,
    agents.normal, agents.monod, agents.new_hypha, agents.new_tip, agents.branch_heading, agents.kick,
)  # fmt: skip
for _helper in _HELPERS:
    register_jitable(_helper)
_grow_tips = numba.njit(**_OPTIONS)(agents.grow_tips)
_branch_laterally = numba.njit(**_OPTIONS)(agents.branch_laterally)
_walk = numba.njit(**_OPTIONS)(agents.walk)
_step_need = numba.njit(**_OPTIONS)(agents.step_need)
_spontaneous = numba.njit(**_OPTIONS)(agents.spontaneous_spike)
_jit = numba.njit(**_OPTIONS)

_DY = np.array(geometry.DY, np.int64)
_DX = np.array(geometry.DX, np.int64)
_W = np.array(WEIGHTS)
_OPP = np.array(OPPOSITE, np.int64)


@_jit
def _medium(nut, scratch, k):
    m, n = nut.shape
    scratch[:, :] = nut
    for y in range(m):
        for x in range(n):
            c = scratch[y, x]
            north = scratch[y - 1, x] if y > 0 else c
            south = scratch[y + 1, x] if y < m - 1 else c
            west = scratch[y, x - 1] if x > 0 else c
            east = scratch[y, x + 1] if x < n - 1 else c
            nut[y, x] = c + k * ((((north - c) + (south - c)) + (west - c)) + (east - c))


@_jit
def _take_up(nut, sub, hlen, uptake_dt, half, volume):
    m, n = nut.shape
    for y in range(m):
        for x in range(n):
            if hlen[y, x] <= 0.0:
                continue
            rate = nut[y, x] / (half + nut[y, x])
            q = (uptake_dt * hlen[y, x]) * rate
            avail = nut[y, x] * volume
            if q >= avail:
                sub[y, x] = sub[y, x] + avail
                nut[y, x] = 0.0
            else:
                sub[y, x] = sub[y, x] + q
                nut[y, x] = nut[y, x] - q / volume


@_jit
def _count_out(out, y, x):
    n_out = 0.0
    for d in range(8):
        n_out = n_out + float((out[y, x] >> d) & 1)
    return n_out


@_jit
def _translocate(sub, link, out, kd, ka, old, share):
    """The reference's sums skipping their zero terms (cells and directions without a hypha):
    adding 0 leaves a sum unchanged, so the values are the same bits."""
    m, n = sub.shape
    old[:, :] = sub
    for y in range(m):
        for x in range(n):
            if out[y, x] != 0:
                share[y, x] = (ka * old[y, x]) / _count_out(out, y, x)
    for y in range(m):
        for x in range(n):
            bits = link[y, x]
            if bits == 0:
                continue
            s = old[y, x]
            diff = 0.0
            incoming = 0.0
            for d in range(8):
                if (bits >> d) & 1:
                    yy, xx = y + _DY[d], x + _DX[d]
                    diff = diff + _W[d] * (old[yy, xx] - s)
                    if (out[yy, xx] >> _OPP[d]) & 1:
                        incoming = incoming + share[yy, xx]
            sent = ka * s if out[y, x] != 0 else 0.0
            sub[y, x] = ((s + kd * diff) - sent) + incoming


@_jit
def _membrane(V, gh, hlen, link, mc, v_old):
    """The reference's substep, its cable sum skipping the zero terms (the same bits)."""
    m, n = V.shape
    v_old[:, :] = V
    for y in range(m):
        for x in range(n):
            if hlen[y, x] <= 0.0:
                continue
            v = v_old[y, x]
            cable = 0.0
            bits = link[y, x]
            for d in range(8):
                if (bits >> d) & 1:
                    cable = cable + (mc[M_GC] * _W[d]) * (v_old[y + _DY[d], x + _DX[d]] - v)
            xp = (v - mc[M_EP]) / mc[M_VP]
            zn = (v - mc[M_VN]) / mc[M_KN_GATE]
            n_inf = 0.5 * (1.0 + zn / math.sqrt(1.0 + zn * zn))
            ionic = (mc[M_GK] * (v - mc[M_EK]) + mc[M_IMAX] * (xp / math.sqrt(1.0 + xp * xp))) + (
                (mc[M_GEX] * n_inf) * gh[y, x]
            ) * (v - mc[M_EEX])
            v_new = v + mc[M_RELAX] * ((cable - ionic) / mc[M_GK])
            zh = (v_new - mc[M_VH]) / mc[M_KH]
            h_inf = 0.5 * (1.0 - zh / math.sqrt(1.0 + zh * zh))
            V[y, x] = v_new
            gh[y, x] = h_inf + (gh[y, x] - h_inf) * mc[M_AH]


@_jit
def _settle(w, mc, substeps, rest, v_old):
    if w.cnt[C_EXCITED] == 0:
        return
    for _ in range(substeps):
        _membrane(w.V, w.gh, w.hlen, w.link, mc, v_old)
    away = 0.0
    fm, fn = w.V.shape
    for i in range(fm):
        for j in range(fn):
            a = max(abs(w.V[i, j] - rest[0]), abs(w.gh[i, j] - rest[1]))
            away = max(away, a)
    if away < REST_TOLERANCE:
        w.V[:, :] = rest[0]
        w.gh[:, :] = rest[1]
        w.cnt[C_EXCITED] = 0


@_jit
def _has_room(w, ic, fc):
    ent, nodes, tips, hyphae, ana, events = _step_need(w, ic, fc)
    return (
        w.ent.shape[0] - w.cnt[C_ENT] >= ent
        and w.nxy.shape[0] - w.cnt[C_NODES] >= nodes
        and w.tfl.shape[0] - w.cnt[C_TIPS] >= tips
        and w.hyp.shape[0] - w.cnt[2] >= hyphae
        and w.ana.shape[0] - w.cnt[3] >= ana
        and w.evt.shape[0] - w.cnt[8] >= events
    )


@_jit
def _steps(w, ic, fc, mc, subs, rest, rng, nsteps, totals, last, scratch, old, share):
    regime = ic[agents.I_REGIME]
    grown = 0.0
    done = 0
    for _ in range(nsteps):
        if not _has_room(w, ic, fc):
            break
        counts = np.zeros(6, np.int64)
        if regime == 1:
            grown += float(_walk(w, ic, fc, rng)) * fc[agents.F_SPACING]
        else:
            if regime == 0:
                for _ in range(subs[0]):
                    _medium(w.nut, scratch, mc[M_KN])
                _take_up(w.nut, w.sub, w.hlen, mc[M_UPTAKE], mc[M_KHALF], mc[M_VOLUME])
                for _ in range(subs[1]):
                    _translocate(w.sub, w.link, w.out, mc[M_KD], mc[M_KA], old, share)
            grown += _grow_tips(w, ic, fc, rng, counts)
            _branch_laterally(w, ic, fc, rng, counts)
        if mc[M_RATE] > 0.0:
            counts[5] += _spontaneous(w, fc, mc[M_RATE], mc[M_KICK], mc[M_EEX], rng)
        _settle(w, mc, subs[2], rest, old)
        w.cnt[C_STEP] += 1
        for q in range(6):
            last[q] = counts[q]
            totals[q] += counts[q]
        done += 1
    return done, grown


def numba_steps(
    w: World, c: Constants, rng: np.random.Generator, nsteps: int
) -> tuple[int, np.ndarray, np.ndarray, float]:
    """Advance ``w`` by up to ``nsteps`` steps in place, stopping early when a table is full.

    Returns ``(steps done, totals, last step's counts, hypha grown µm)``.
    """
    totals = np.zeros(6, np.int64)
    last = np.zeros(6, np.int64)
    subs = np.array([c.medium_substeps, c.translocation_substeps, c.membrane_substeps], np.int64)
    scratch = np.empty_like(w.nut)
    old = np.empty_like(w.sub)
    share = np.empty_like(w.sub)
    done, grown = _steps(
        w, c.ic, c.fc, c.fields, subs, np.array(c.rest), rng, nsteps, totals, last, scratch, old, share
    )
    return int(done), totals, last, float(grown)


_SOURCES = ("agents.py", "geometry.py", "kernels.py", "kernels_numba.py", "state.py")
"""The files the compiled step is made of (this folder)."""


def _invalidate_stale_cache() -> None:
    """Empty the compiled step's on-disk cache when any of :data:`_SOURCES` changed since it was written."""
    here = Path(__file__).parent
    digest = hashlib.sha256(b"".join((here / name).read_bytes() for name in _SOURCES)).hexdigest()
    cache = _steps._cache
    stamp = Path(cache.cache_path) / "mycelium_kernels.sha256"
    try:
        if stamp.read_text() == digest:
            return
    except OSError:
        pass
    dispatchers = [v for v in globals().values() if isinstance(v, numba.core.registry.CPUDispatcher)]
    for dispatcher in dispatchers:
        dispatcher._cache.flush()
    try:
        stamp.write_text(digest)
    except OSError:  # a read-only install: numba caches elsewhere or not at all
        pass


_invalidate_stale_cache()
