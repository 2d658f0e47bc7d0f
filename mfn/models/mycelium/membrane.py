"""Spikes on a fixed mycelium: how fast a front travels along a hypha, and where a stimulus reaches.

Both run the model's own membrane substep (:func:`~mfn.models.mycelium.kernels.membrane_substep`)
on nutrient cells joined by hyphae, every cost bounded by :data:`MAX_SUBSTEPS`.

Theory: once the excitable conductance opens, a hyphal cell depolarises and pulls its
neighbours through the cable (space constant ``lambda``) above the activation threshold,
which opens theirs after the activation time ``tau_n``; the front moves about ``lambda``
per ``tau_n``. The coupling conductance is ``g_K (lambda / dx)^2``, so the speed scales
with ``lambda``, the square root of the coupling: quadrupling the coupling doubles it
(the validation row ``spike_speed_sqrt_coupling``).
"""

from __future__ import annotations

import math

import numpy as np

from mfn.models.mycelium.kernels import M_KICK, constants, membrane_substep, rest_state

__all__ = ["FIRING", "LINE_CELLS", "MAX_SUBSTEPS", "spike_front_speed", "spike_reach"]

FIRING = 0.5
"""A cell has fired once its activation gate ``n`` exceeded this."""
LINE_CELLS = 40
"""Length of the straight hypha on which the front speed is measured, nutrient cells."""
MAX_SUBSTEPS = 20_000
"""Most membrane substeps either measure runs (about 1 s of numpy on a line of cells)."""

_MEMBRANE_FIELDS = (
    "k_in", "k_out", "temperature", "leak_conductance", "pump_current", "pump_reversal", "pump_slope",
    "spike_conductance", "spike_reversal", "spike_threshold", "spike_slope", "inactivation_half",
    "inactivation_slope", "activation_time", "inactivation_time", "space_constant", "membrane_dt", "spacing",
    "field_cell",
)  # fmt: skip
"""The parameters a spike on a fixed mycelium depends on."""


def _line(cells: int) -> tuple[np.ndarray, np.ndarray]:
    """A straight hypha along row 1 of a 3 x ``cells`` grid: its hyphal mask and links (W/E)."""
    hlen = np.zeros((3, cells))
    hlen[1] = 1.0
    link = np.zeros((3, cells), np.uint8)
    link[1, 1:] |= 1 << 2  # west
    link[1, :-1] |= 1 << 3  # east
    return hlen, link


def spike_front_speed(p) -> float:
    """Speed of a spike along a straight hypha with the membrane of ``p``, mm/s (NaN if none).

    The first cells of a line of :data:`LINE_CELLS` nutrient cells are stimulated as
    :meth:`~mfn.models.mycelium.stepper.MyceliumStepper.stimulate` does; the speed is the
    least-squares slope of position against the time at which each cell of the middle half
    first fires. Cost: at most :data:`MAX_SUBSTEPS` substeps on 3 x 40 cells (NaN when the
    front has not reached the far end by then, or dies). Cached by the membrane's parameters.
    """
    key = tuple(getattr(p, name) for name in _MEMBRANE_FIELDS)
    if key not in _SPEEDS:
        if len(_SPEEDS) >= 64:
            _SPEEDS.pop(next(iter(_SPEEDS)))
        _SPEEDS[key] = _front_speed(p)
    return _SPEEDS[key]


_SPEEDS: dict[tuple, float] = {}
"""Measured speeds by the membrane's parameters (at most 64 kept)."""


def _front_speed(p) -> float:
    c = constants(p)
    fs = p.field_spacing
    hlen, link = _line(LINE_CELLS)
    v0, n0, h0 = rest_state(p)
    V, gn, gh = np.full(hlen.shape, v0), np.full(hlen.shape, n0), np.full(hlen.shape, h0)
    centres = (np.arange(LINE_CELLS) + 0.5) * fs
    gn[1, (centres - 0.5 * fs) <= c.fields[M_KICK]] = 1.0
    first = np.full(LINE_CELLS, -1.0)
    hyphal = hlen > 0.0
    for k in range(1, MAX_SUBSTEPS + 1):
        V, gn, gh = membrane_substep(V, gn, gh, hyphal, link, c.fields)
        new = (first < 0) & (gn[1] > FIRING)
        first[new] = k
        if first[-1] >= 0:
            break
    if first[-1] < 0:
        return math.nan
    lo, hi = LINE_CELLS // 4, 3 * LINE_CELLS // 4
    x, t = centres[lo:hi] / 1000.0, first[lo:hi] * p.membrane_dt
    dt, dx = t - t.mean(), x - x.mean()
    return float(dx @ dt) / float(dt @ dt) if float(dt @ dt) > 0 else math.nan


def spike_reach(hlen: np.ndarray, link: np.ndarray, fi: int, fj: int, p) -> np.ndarray:
    """Nutrient cells of a fixed mycelium (``hlen > 0``, joined by ``link``) that fire after a
    stimulus at cell ``(fi, fj)``, all at rest before.

    Substeps run until no cell is more than half activated and none is still rising, at most
    :data:`MAX_SUBSTEPS` (cost O(cells) each).
    """
    c = constants(p)
    fs = p.field_spacing
    v0, n0, h0 = rest_state(p)
    V, gn, gh = np.full(hlen.shape, v0), np.full(hlen.shape, n0), np.full(hlen.shape, h0)
    hyphal = hlen > 0.0
    ii, jj = np.mgrid[: hlen.shape[0], : hlen.shape[1]]
    near = np.hypot((ii - fi) * fs, (jj - fj) * fs) <= c.fields[M_KICK]
    near[fi, fj] = True
    gn[near & hyphal] = 1.0
    fired = gn > FIRING
    for _ in range(MAX_SUBSTEPS):
        before = gn
        V, gn, gh = membrane_substep(V, gn, gh, hyphal, link, c.fields)
        fired |= gn > FIRING
        if not np.any((gn > before) & (gn > n0 + 1e-3)) and not np.any(gn > FIRING):
            break
    return fired & hyphal
