"""The fold of per-step sums into the running state of the temporal features.

One plain-Python function on floats and ints, shared by both back ends of
:class:`~mfn.analysis.temporal.TemporalAccumulator`: the numpy back end runs it as it is,
:mod:`mfn.analysis.temporal_numba` compiles this same function. Kept in its own module so
that neither back end imports the other.
"""

from __future__ import annotations

import math

__all__ = ["fold"]


def fold(state: tuple, rows, n_cells: int, threshold: float, window: int) -> tuple:
    """Fold the per-step sums ``rows`` (one ``(sum d, sum d^2, sum |d|, max |d|, sum V^2)`` per step) into ``state``.

    ``state`` is ``(steps, run, stable_from, sum_abs, max_abs, n_frames, t_mean, e_mean,
    t_sq, e_comoment)``; returns the new one. Plain Python on floats and ints: the numpy back
    end runs it as it is (``rows`` a list of lists), the numba back end compiles this same
    function for a ``(k, 5)`` array (:data:`mfn.analysis.temporal_numba.fold`). Both carry out the
    same IEEE operations in the same order, so they give the same bits.
    """
    steps, run, stable_from, sum_abs, max_abs, n_frames, t_mean, e_mean, t_sq, e_comoment = state
    for row in rows:
        steps += 1
        mean_d = row[0] / n_cells
        if math.sqrt(max(row[1] / n_cells - mean_d * mean_d, 0.0)) < threshold:
            run += 1
            if run == window and stable_from < 0:
                stable_from = steps - window + 1
        else:
            run = 0
        sum_abs += row[2]
        if row[3] > max_abs:
            max_abs = row[3]
        # Welford-style co-moment of the energy row[4] and the frame index t
        t = float(n_frames)
        n_frames += 1
        dt = t - t_mean
        t_mean += dt / n_frames
        e_mean += (row[4] - e_mean) / n_frames
        t_sq += dt * (t - t_mean)
        e_comoment += dt * (row[4] - e_mean)
    return steps, run, stable_from, sum_abs, max_abs, n_frames, t_mean, e_mean, t_sq, e_comoment
