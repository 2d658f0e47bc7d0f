"""Compiled per-frame sums of the temporal features: one pass over each frame instead of seven.

The numba counterpart of the numpy sums in :mod:`mfn.temporal`. For each step it reads the
frame and the one before it once and returns the five numbers the accumulator folds in:
``sum d``, ``sum d^2``, ``sum |d|``, ``max |d|`` and ``sum V_t^2`` (``d = V_t - V_{t-1}``).

The sums run cell by cell in index order, without ``fastmath``, so the online path (one
frame per call, :func:`frame_stats`) and the offline one (a stack of recorded frames,
:func:`stack_stats`) give the same bits. They are not bit-identical to numpy's pairwise
sums (``numpy.sum`` and ``einsum`` group the additions differently), only equal to rounding:
the tests hold them within 1e-12 relative (for 64x64 frames the two differ by about 1e-15).
The maximum is exact in both.

This module imports numba at import time; :mod:`mfn.temporal` imports it only when the
``"numba"`` back end is chosen. Compiled functions are cached on disk (``cache=True``).
"""

from __future__ import annotations

import numba
import numpy as np

from mfn.temporal import _fold

__all__ = ["fold", "frame_stats", "stack_stats"]

_jit = numba.njit(cache=True, nogil=True, fastmath=False, error_model="numpy", boundscheck=False)

fold = _jit(_fold)
""":func:`mfn.temporal._fold` compiled: folds a ``(k, 5)`` array of per-step sums into the running state."""


@_jit
def _sums(prev, cur):
    """The five per-step numbers of two flat frames (same length), and the largest ``|V_t|``.

    The last is NaN when ``cur`` holds a NaN (a check of the input at no extra pass).
    """
    sum_d = sum_d2 = sum_abs = max_abs = energy = peak = 0.0
    for j in range(cur.size):
        c = cur[j]
        d = c - prev[j]
        a = abs(d)
        sum_d += d
        sum_d2 += d * d
        sum_abs += a
        max_abs = a if a > max_abs else max_abs
        energy += c * c
        m = abs(c)
        peak = m if (m > peak or m != m) else peak  # once NaN, stays NaN
    return sum_d, sum_d2, sum_abs, max_abs, energy, peak


@_jit
def frame_stats(V, scale, prev, cur):
    """Write ``V * scale`` into ``cur`` and return the numbers of the step ``prev -> cur``.

    ``V``, ``prev`` and ``cur`` are flat float64 arrays of one length; ``cur`` is overwritten.
    Returns the six numbers of :func:`stack_stats`'s rows.
    """
    for j in range(V.size):
        cur[j] = V[j] * scale
    return _sums(prev, cur)


@_jit
def stack_stats(prev, frames):
    """The numbers of each step of a ``(k, n)`` stack of frames following the flat ``prev``.

    Returns a ``(k, 6)`` float64 array, one row per frame: the five numbers of the module
    docstring, then the largest ``|V_t|`` (NaN when the frame holds a NaN).
    """
    k = frames.shape[0]
    out = np.empty((k, 6))
    before = prev
    for t in range(k):
        row = _sums(before, frames[t])
        for i in range(6):
            out[t, i] = row[i]
        before = frames[t]
    return out
