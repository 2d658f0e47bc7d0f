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

__all__ = ["frame_stats", "stack_stats"]

_jit = numba.njit(cache=True, nogil=True, fastmath=False, error_model="numpy", boundscheck=False)


@_jit
def _sums(prev, cur):
    """The five per-step numbers of two flat frames (same length); see the module docstring."""
    sum_d = sum_d2 = sum_abs = max_abs = energy = 0.0
    for j in range(cur.size):
        c = cur[j]
        d = c - prev[j]
        a = abs(d)
        sum_d += d
        sum_d2 += d * d
        sum_abs += a
        max_abs = a if a > max_abs else max_abs
        energy += c * c
    return sum_d, sum_d2, sum_abs, max_abs, energy


@_jit
def frame_stats(V, scale, prev, cur):
    """Write ``V * scale`` into ``cur`` and return the five numbers of the step ``prev -> cur``.

    ``V``, ``prev`` and ``cur`` are flat float64 arrays of one length; ``cur`` is overwritten.
    """
    for j in range(V.size):
        cur[j] = V[j] * scale
    return _sums(prev, cur)


@_jit
def stack_stats(prev, frames):
    """The five numbers of each step of a ``(k, n)`` stack of frames following the flat ``prev``.

    Returns a ``(k, 5)`` float64 array, one row per frame (columns in the order above).
    """
    k = frames.shape[0]
    out = np.empty((k, 5))
    before = prev
    for t in range(k):
        row = _sums(before, frames[t])
        for i in range(5):
            out[t, i] = row[i]
        before = frames[t]
    return out
