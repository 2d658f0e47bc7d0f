"""Spikes on a fixed mycelium: how fast a front travels along a hypha, and where a stimulus reaches.

Both run the model's own membrane substep (:func:`~mfn.models.mycelium.kernels.membrane_substep`)
on nutrient cells joined by hyphae, every cost bounded by :data:`MAX_SUBSTEPS`.

Theory: the potential obeys ``tau_V V_t = lambda^2 V_xx - I_ion(V, h) / g_K`` along a hypha,
a bistable cable while the slow inactivation ``h`` stays near 1; its front travels at
``c = (lambda / tau_V) F`` with ``F`` set by the ionic current alone (substitute ``x / lambda``
and ``t / tau_V``), so the speed is proportional to the space constant ``lambda``, the square
root of the coupling ``g_c = g_K (lambda / dx)^2``: quadrupling the coupling doubles it (the
validation row ``spike_speed_sqrt_coupling``), as long as the front spans several nutrient
cells (``lambda >~ 3 dx``).
"""

from __future__ import annotations

import math

import numpy as np

from mfn.models.mycelium.kernels import M_EEX, M_FIRING, M_KICK, constants, membrane_substep, rest_state

__all__ = ["LINE_CELLS", "MAX_SUBSTEPS", "spike_frames", "spike_front_speed", "spike_reach"]

FIRING_NAME = "halfway from rest to the excitable conductance's reversal"
"""A cell has fired once its potential rose above the mean of ``V_rest`` and ``E_ex``."""
LINE_CELLS = 40
"""Shortest straight hypha on which the front speed is measured, nutrient cells."""
LINE_SPACE_CONSTANTS = 12
"""... and at least this many space constants long (a front, not a whole line firing at once),"""
MAX_LINE_CELLS = 400
"""... but no longer than this (a bound on the measure's cost: NaN when the space constant needs more)."""
MAX_SUBSTEPS = 20_000
"""Most membrane substeps either measure runs (about 1 s of numpy on a line of cells)."""

_MEMBRANE_FIELDS = (
    "k_in", "k_out", "temperature", "leak_conductance", "pump_current", "pump_reversal", "pump_slope",
    "spike_conductance", "spike_reversal", "spike_threshold", "spike_slope", "inactivation_half",
    "inactivation_slope", "upstroke_time", "inactivation_time", "space_constant", "membrane_dt", "spacing",
    "field_cell", "time_step",
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
    first fires. The line is :data:`LINE_SPACE_CONSTANTS` space constants long, at least
    :data:`LINE_CELLS` cells. Cost: at most :data:`MAX_SUBSTEPS` substeps on 3 x
    :data:`MAX_LINE_CELLS` cells (NaN when the space constant needs a longer line, or the front
    has not reached the far end by then, or dies). Cached by the membrane's parameters.
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
    cells = max(LINE_CELLS, math.ceil(LINE_SPACE_CONSTANTS * p.space_constant / fs))
    if cells > MAX_LINE_CELLS:
        return math.nan
    hlen, link = _line(cells)
    v0, h0 = rest_state(p)
    V, gh = np.full(hlen.shape, v0), np.full(hlen.shape, h0)
    centres = (np.arange(cells) + 0.5) * fs
    V[1, (centres - 0.5 * fs) <= c.fields[M_KICK]] = c.fields[M_EEX]
    first = np.full(cells, -1.0)
    hyphal = hlen > 0.0
    for k in range(1, MAX_SUBSTEPS + 1):
        V, gh = membrane_substep(V, gh, hyphal, link, c.fields)
        new = (first < 0) & (V[1] > c.fields[M_FIRING])
        first[new] = k
        if first[-1] >= 0:
            break
    if first[-1] < 0:
        return math.nan
    lo, hi = cells // 4, 3 * cells // 4
    x, t = centres[lo:hi] / 1000.0, first[lo:hi] * (60.0 * p.time_step / c.membrane_substeps)
    dt, dx = t - t.mean(), x - x.mean()
    return float(dx @ dt) / float(dt @ dt) if float(dt @ dt) > 0 else math.nan


def spike_reach(hlen: np.ndarray, link: np.ndarray, fi: int, fj: int, p) -> np.ndarray:
    """Nutrient cells of a fixed mycelium (``hlen > 0``, joined by ``link``) that fire after a
    stimulus at cell ``(fi, fj)``, all at rest before.

    Substeps run until no cell fires any more, at most :data:`MAX_SUBSTEPS` (cost O(cells)
    each).
    """
    c = constants(p)
    fs = p.field_spacing
    v0, h0 = rest_state(p)
    V, gh = np.full(hlen.shape, v0), np.full(hlen.shape, h0)
    hyphal = hlen > 0.0
    ii, jj = np.mgrid[: hlen.shape[0], : hlen.shape[1]]
    near = np.hypot((ii - fi) * fs, (jj - fj) * fs) <= c.fields[M_KICK]
    near[fi, fj] = True
    V[near & hyphal] = c.fields[M_EEX]
    fired = V > c.fields[M_FIRING]
    for _ in range(MAX_SUBSTEPS):
        V, gh = membrane_substep(V, gh, hyphal, link, c.fields)
        firing = V > c.fields[M_FIRING]
        fired |= firing
        if not firing.any():  # every front has passed (or died)
            break
    return fired & hyphal


def spike_frames(stepper, y: int, x: int, seconds) -> list[tuple[float, np.ndarray]]:
    """How a spike started at lattice cell ``(y, x)`` spreads over the colony as it stands now.

    The stepper's hyphae are held fixed (growth takes minutes, a spike seconds); the model's
    own membrane substep runs on a copy of its membrane from the stimulus on, and the
    potential is returned on the lattice (mV, NaN off the hyphae) at each of ``seconds``.
    Cost: ``max(seconds) / dt_m`` substeps (:func:`~mfn.models.mycelium.kernels.membrane_step`),
    at most :data:`MAX_SUBSTEPS`.

    Returns
    -------
    list of (float, (M, N) ndarray)
        ``(time after the stimulus in s, potential)`` for each of ``seconds`` reached.
    """
    from mfn.models.mycelium.agents import F_FSPACING, kick
    from mfn.models.mycelium.state import copy_world

    world = copy_world(stepper.world)
    c = stepper.consts
    p = stepper.params
    kick(world, c.fc[F_FSPACING], c.fields[M_KICK], (x + 0.5) * p.spacing, (y + 0.5) * p.spacing, c.fields[M_EEX])
    dt = 60.0 * p.time_step / c.membrane_substeps
    hyphal = world.hlen > 0.0
    out = []
    V, gh = world.V.copy(), world.gh.copy()
    done = 0
    for target in sorted(float(t) for t in seconds):
        want = min(round(target / dt), MAX_SUBSTEPS)
        while done < want:
            V, gh = membrane_substep(V, gh, hyphal, world.link, c.fields)
            done += 1
        k = p.field_cell
        m, n = p.shape
        lattice = np.repeat(np.repeat(V, k, axis=0), k, axis=1)[:m, :n]
        out.append((done * dt, np.where(world.occ == 1, lattice, np.nan)))
    return out
