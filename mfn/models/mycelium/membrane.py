"""Spikes on a fixed mycelium: where a stimulus reaches, and how fast a front travels.

Both run the model's own membrane substep (:func:`~mfn.models.mycelium.kernels.membrane_substep`)
on a frozen occupancy mask, on the smallest box around the hyphae.

Theory (FitzHugh–Nagumo front): on a hypha the excitation front of
``u_t = D u_xx + k u (1 - u) (u - a)`` travels at ``c = sqrt(2 D k) (1/2 - a)`` cells per
substep (the recovery variable, slow at ``eps << k``, barely changes it), so quadrupling the
coupling ``D`` doubles the speed, as long as the front is several cells wide
(``sqrt(D / k) >~ 2``; narrower fronts feel the lattice and slow down or stall).
"""

from __future__ import annotations

import functools
import math

import numpy as np

from mfn.models.mycelium.kernels import ColonyConstants, kick, membrane_substep

__all__ = ["FIRING", "nagumo_speed", "spike_front_speed", "spike_reach"]

FIRING = 0.5
"""A cell has fired once its excitation ``u`` exceeded this."""


def nagumo_speed(coupling: float, fhn_rate: float, fhn_threshold: float) -> float:
    """Continuum front speed ``sqrt(2 D k) (1/2 - a)``, cells per substep."""
    return math.sqrt(2.0 * coupling * fhn_rate) * (0.5 - fhn_threshold)


def _consts(coupling: float, fhn_rate: float, fhn_threshold: float, fhn_recovery: float) -> ColonyConstants:
    return ColonyConstants(0, 0.0, 0.0, 0.0, 0.0, 0.0, 1.0, 0.0, 0.0, 0.0, coupling, 1, fhn_rate, fhn_threshold,
                           fhn_recovery, 0.0, 0.0, 0.0, 0.0)  # fmt: skip


@functools.lru_cache(maxsize=64)
def spike_front_speed(
    coupling: float, fhn_rate: float, fhn_threshold: float, fhn_recovery: float, length: int = 80
) -> float:
    """Measured speed of a spike along a straight hypha of ``length`` cells, cells per substep.

    The first cells are kicked (:func:`~mfn.models.mycelium.kernels.kick` at the end); the
    speed is the least-squares slope of position
    against the substep at which each cell of the middle half first exceeds :data:`FIRING`.
    NaN if the front stalls before the far end. Cached by its arguments.
    """
    c = _consts(coupling, fhn_rate, fhn_threshold, fhn_recovery)
    occ = np.zeros((3, length), np.uint8)
    occ[1] = 1
    u, w = np.zeros((3, length)), np.zeros((3, length))
    kick(u, occ, 1, 0)
    first = np.full(length, -1.0)
    limit = int(20 * length / max(nagumo_speed(coupling, fhn_rate, fhn_threshold), 1e-6))
    for n in range(1, limit + 1):
        u, w = membrane_substep(u, w, occ, c)
        new = (first < 0) & (u[1] > FIRING)
        first[new] = n
        if first[-1] >= 0:
            break
    if first[-1] < 0:
        return math.nan
    x = np.arange(length // 4, 3 * length // 4, dtype=float)
    t = first[length // 4 : 3 * length // 4]
    dt, dx = t - t.mean(), x - x.mean()
    return float(dx @ dt) / float(dt @ dt)


def spike_reach(occ: np.ndarray, y: int, x: int, params, max_substeps: int = 200_000) -> np.ndarray:
    """Cells of the mycelium ``occ`` that fire after a stimulus at ``(y, x)``, all at rest before.

    Runs membrane substeps (coupling and kinetics of ``params``) until every cell is below
    the excitation threshold (then the reaction only pulls ``u`` down and coupling cannot
    raise its maximum).
    """
    c = _consts(params.coupling, params.fhn_rate, params.fhn_threshold, params.fhn_recovery)
    ys, xs = np.nonzero(occ)
    y0, y1, x0, x1 = max(ys.min() - 1, 0), ys.max() + 2, max(xs.min() - 1, 0), xs.max() + 2
    box = (occ[y0:y1, x0:x1] != 0).astype(np.uint8)
    u, w = np.zeros(box.shape), np.zeros(box.shape)
    kick(u, box, y - y0, x - x0)
    fired = u > FIRING
    for _ in range(max_substeps):
        u, w = membrane_substep(u, w, box, c)
        fired |= u > FIRING
        if u.max() < params.fhn_threshold:  # below threshold everywhere: nothing can fire again
            break
    out = np.zeros(occ.shape, bool)
    out[y0:y1, x0:x1] = fired
    return out
