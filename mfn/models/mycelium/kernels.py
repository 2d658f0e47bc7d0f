"""The growing mycelium, readable reference step (docs/models.md).

Hyphal tips are agents (:mod:`~mfn.models.mycelium.agents`, the equations of a tip's step);
this module holds the fields, on the nutrient grid of side ``field_spacing`` µm
(:mod:`~mfn.models.mycelium.state` describes every array), as numpy expressions. One step of
``dt`` min (:func:`numpy_step`), in this order:

1. the medium: ``nut += k_n lap(nut)`` (5-point Laplacian, zero-flux edges, summed
   ``((N + S) + W) + E``), ``medium_substeps`` times with ``k_n = D_n dt / (substeps dx_f^2)``;
2. uptake on nutrient cells holding hypha: ``q = (J dt hlen) nut / (K_n + nut)`` fmol, at most
   the medium's ``nut V_cell`` (then the cell is emptied); ``nut -= q / V_cell``, ``sub += q``;
3. translocation, ``translocation_substeps`` times, from the old ``sub``: diffusion between
   cells joined by a hypha, ``k_d sum_d w_d (sub_nb - sub)`` (``w_d`` 1 along the axes, 1/2
   diagonally, summed over the 8 directions in the order N, S, W, E, NW, NE, SW, SE), and
   active transport towards younger hyphae: a cell that grew hyphae into ``n_out``
   neighbours sends ``k_a sub`` to them in equal shares (``k_a = V_a dt / (substeps dx_f)``);
4. the tips (:func:`~mfn.models.mycelium.agents.grow_tips`), then lateral branching
   (:func:`~mfn.models.mycelium.agents.branch_laterally`); in the diffusion-limited regime a
   random walker instead (:func:`~mfn.models.mycelium.agents.walk`);
5. when ``spike_rate > 0``, one draw: a spontaneous spike with probability ``spike_rate dt``,
   at the hyphal cell picked by one more draw (:func:`~mfn.models.mycelium.agents.spontaneous_spike`);
6. the membrane (:func:`membrane_substep`), ``60 dt / dt_m`` substeps (:func:`membrane_step`), only while some
   cell is away from rest (a spike is under way); back within 1e-6 of rest everywhere it is
   set exactly to rest and left alone.

The rich regime skips 1–3 (tips at full speed, no substrate). Nutrient bookkeeping:
``sum(nut) V_cell + sum(sub) + cost * (hypha grown)`` stays at its start to round-off.
"""

from __future__ import annotations

import math
from dataclasses import dataclass

import numpy as np

from mfn.models.mycelium import agents, geometry
from mfn.models.mycelium.state import (
    C_EXCITED,
    C_STEP,
    F_ANGLE,
    F_ANGLE_SD,
    F_APICAL,
    F_ARANGE,
    F_AREA,
    F_AUTO,
    F_CHEMO,
    F_CONTACT,
    F_COST,
    F_CX,
    F_CY,
    F_DT,
    F_FSPACING,
    F_FUSE,
    F_GRACE,
    F_HEIGHT,
    F_KS,
    F_LATERAL,
    F_SPACING,
    F_TURN,
    F_VMAX,
    F_WIDTH,
    I_FIELD_CELL,
    I_FM,
    I_FN,
    I_M,
    I_N,
    I_REGIME,
    World,
)  # fmt: skip

__all__ = ["COUNTERS", "Constants", "constants", "membrane_substep", "numpy_step", "rest_state", "substeps"]

REGIME_CODES = {"nutrient": 0, "diffusion_limited": 1, "rich": 2}
COUNTERS = ("lateral_branchings", "apical_branchings", "anastomoses", "crossings", "edge_stops", "spikes")
"""Per-step event counts, in the order the kernels return them."""
GRACE_DIAMETERS = 4.0
"""Parent and daughter do not touch within this many hyphal diameters of their branch node."""
WEIGHTS = (1.0, 1.0, 1.0, 1.0, 0.5, 0.5, 0.5, 0.5)
"""Coupling weight of each direction on the nutrient grid: axial 1, diagonal 1/2 (distance sqrt 2)."""
OPPOSITE = (1, 0, 3, 2, 7, 6, 5, 4)
"""The direction pointing back (N <-> S, W <-> E, NW <-> SE, NE <-> SW)."""
REST_TOLERANCE = 1e-3
"""A membrane within this of rest everywhere (mV, and inactivation gate) is set to rest and skipped."""
KICK_RADIUS = 0.5
"""A stimulus opens the excitable conductance within this many space constants of it."""


@dataclass(frozen=True)
class Constants:
    """Plain numbers of a step: ``fc``/``ic`` for the agents, ``fields`` for the fields, ``rest``."""

    fc: np.ndarray
    ic: np.ndarray
    fields: np.ndarray
    medium_substeps: int
    translocation_substeps: int
    membrane_substeps: int
    rest: tuple[float, float]


(M_KN, M_UPTAKE, M_KHALF, M_VOLUME, M_KD, M_KA, M_GK, M_EK, M_IMAX, M_EP, M_VP, M_GEX, M_EEX, M_VN, M_KN_GATE, M_VH,
 M_KH, M_RELAX, M_AH, M_GC, M_RATE, M_KICK, M_FIRING) = range(23)  # fmt: skip
"""Indices of ``Constants.fields``."""


def rest_state(p) -> tuple[float, float]:
    """``(V, h)`` of the membrane at rest (mV; the inactivation gate at its steady state there)."""
    from mfn.physics.pump_leak import gate_inf, resting_potential

    v = resting_potential(p)
    return v, gate_inf(v, p.inactivation_half, -p.inactivation_slope)


def membrane_step(p) -> float:
    """The membrane substep, s: ``membrane_dt``, shortened to 0.9 of the explicit scheme's limit
    ``upstroke_time / (6 (lambda / dx_f)^2 + (g_K + I_max / V_p + g_ex) / g_K)`` when needed."""
    local = (p.leak_conductance + p.pump_current / p.pump_slope + p.spike_conductance) / p.leak_conductance
    limit = p.upstroke_time / (6.0 * (p.space_constant / p.field_spacing) ** 2 + local)
    return min(p.membrane_dt, 0.9 * limit)


def substeps(p) -> tuple[int, int, int]:
    """Substeps of one step: medium diffusion (explicit coefficient 4 k <= 0.8), translocation
    (6 k_d + k_a <= 0.75) and membrane (:func:`membrane_step`)."""
    dt, fs = p.time_step, p.field_spacing
    med = max(1, math.ceil(4.0 * p.nutrient_diffusion * dt / fs**2 / 0.8))
    trans = max(1, math.ceil((6.0 * p.translocation_diffusion * dt / fs**2 + p.translocation_speed * dt / fs) / 0.75))
    mem = max(1, math.ceil(60.0 * dt / membrane_step(p) - 1e-9))
    return med, trans, mem


def constants(p, centre_cells: tuple[float, float] = (0.0, 0.0)) -> Constants:
    """The plain numbers of a step for parameters ``p`` (units converted to µm, min, fmol, rad)."""
    dt = p.time_step
    fs = p.field_spacing
    fm, fn = p.field_shape
    m, n = p.shape
    fc = np.zeros(22)
    fc[F_SPACING], fc[F_FSPACING], fc[F_DT] = p.spacing, fs, dt
    fc[F_WIDTH], fc[F_HEIGHT] = n * p.spacing, m * p.spacing
    fc[F_VMAX], fc[F_KS], fc[F_COST] = p.tip_speed, p.substrate_half * 1e-3, p.extension_cost
    fc[F_AREA] = math.pi * (0.5 * p.hyphal_diameter) ** 2
    fc[F_CONTACT], fc[F_GRACE] = p.hyphal_diameter, GRACE_DIAMETERS * p.hyphal_diameter
    fc[F_TURN] = math.radians(p.turn_sd) * math.sqrt(dt)
    fc[F_AUTO], fc[F_ARANGE] = math.radians(p.autotropism) * dt, p.autotropism_range
    fc[F_CHEMO], fc[F_FUSE] = math.radians(p.chemotropism) * dt, p.fusion_probability
    fc[F_LATERAL] = p.lateral_branching / 1000.0 / 60.0 * dt  # per µm per step
    fc[F_APICAL] = p.apical_branching / 60.0 * dt
    fc[F_ANGLE], fc[F_ANGLE_SD] = math.radians(p.branch_angle), math.radians(p.branch_angle_sd)
    fc[F_CY], fc[F_CX] = centre_cells
    ic = np.zeros(6, np.int64)
    ic[I_REGIME], ic[I_M], ic[I_N], ic[I_FM], ic[I_FN], ic[I_FIELD_CELL] = (
        REGIME_CODES[p.regime],
        m,
        n,
        fm,
        fn,
        p.field_cell,
    )
    med, trans, mem = substeps(p)
    v_rest, h_rest = rest_state(p)
    fields = np.zeros(23)
    fields[M_KN] = p.nutrient_diffusion * dt / med / fs**2
    fields[M_UPTAKE], fields[M_KHALF] = p.uptake / 60.0 * dt, p.uptake_half
    fields[M_VOLUME] = fs * fs * p.medium_depth * 1e-3  # fmol per mM in one nutrient cell
    fields[M_KD] = p.translocation_diffusion * dt / trans / fs**2
    fields[M_KA] = p.translocation_speed * dt / trans / fs
    fields[M_GK], fields[M_EK] = p.leak_conductance, p.e_k
    fields[M_IMAX], fields[M_EP], fields[M_VP] = p.pump_current, p.pump_reversal, p.pump_slope
    fields[M_GEX], fields[M_EEX] = p.spike_conductance, p.spike_reversal
    fields[M_VN], fields[M_KN_GATE] = p.spike_threshold, p.spike_slope
    fields[M_VH], fields[M_KH] = p.inactivation_half, p.inactivation_slope
    sub_s = 60.0 * dt / mem
    fields[M_RELAX], fields[M_AH] = sub_s / p.upstroke_time, math.exp(-sub_s / p.inactivation_time)
    fields[M_GC] = p.leak_conductance * (p.space_constant / fs) ** 2
    fields[M_RATE] = p.spike_rate / 60.0 * dt
    fields[M_KICK] = KICK_RADIUS * p.space_constant
    fields[M_FIRING] = 0.5 * (v_rest + p.spike_reversal)
    return Constants(fc, ic, fields, med, trans, mem, (v_rest, h_rest))


def _shifted(a: np.ndarray, d: int) -> np.ndarray:
    """``a`` at the neighbour in direction ``d`` of every cell (0 beyond the grid)."""
    p = np.pad(a, 1)
    m, n = a.shape
    return p[1 + geometry.DY[d] : 1 + geometry.DY[d] + m, 1 + geometry.DX[d] : 1 + geometry.DX[d] + n]


def _bit(mask: np.ndarray, d: int) -> np.ndarray:
    return ((mask >> d) & 1).astype(np.float64)


def diffuse_medium(nut: np.ndarray, k: float) -> np.ndarray:
    """One explicit step of ``nut += k lap(nut)`` with zero-flux edges."""
    p = np.pad(nut, 1, mode="edge")
    c = p[1:-1, 1:-1]
    lap = (((p[:-2, 1:-1] - c) + (p[2:, 1:-1] - c)) + (p[1:-1, :-2] - c)) + (p[1:-1, 2:] - c)
    return nut + k * lap


def take_up(w: World, uptake_dt: float, half: float, volume: float) -> None:
    """Uptake of the medium's nutrient by the hypha of each nutrient cell (step 2), in place."""
    rate = w.nut / (half + w.nut)
    q = (uptake_dt * w.hlen) * rate
    avail = w.nut * volume
    full = (w.hlen > 0.0) & (q >= avail)
    some = (w.hlen > 0.0) & ~full
    w.sub[...] = np.where(full, w.sub + avail, np.where(some, w.sub + q, w.sub))
    w.nut[...] = np.where(full, 0.0, np.where(some, w.nut - q / volume, w.nut))


def translocate(sub: np.ndarray, link: np.ndarray, out: np.ndarray, kd: float, ka: float) -> np.ndarray:
    """One translocation substep (step 3): the new substrate."""
    diff = None
    for d in range(8):
        term = (_bit(link, d) * WEIGHTS[d]) * (_shifted(sub, d) - sub)
        diff = term if diff is None else diff + term
    n_out = sum(_bit(out, d) for d in range(8))
    sent = np.where(n_out > 0.0, ka * sub, 0.0)
    share = np.where(n_out > 0.0, sent / np.maximum(n_out, 1.0), 0.0)
    incoming = None
    for d in range(8):
        term = _bit(_shifted(out, d), OPPOSITE[d]) * _shifted(share, d)
        incoming = term if incoming is None else incoming + term
    return ((sub + kd * diff) - sent) + incoming


def _sigmoid(z: np.ndarray) -> np.ndarray:
    return z / np.sqrt(1.0 + z * z)


def membrane_substep(
    V: np.ndarray, gh: np.ndarray, hyphal: np.ndarray, link: np.ndarray, mc: np.ndarray
) -> tuple[np.ndarray, np.ndarray]:
    """One explicit membrane substep on the hyphal cells (others unchanged); new ``(V, h)``.

    ``tau_V dV/dt = (I_cable - I_ion(V, h)) / g_K`` with the ionic current of
    :func:`mfn.physics.pump_leak.membrane_current` (activation at its steady state ``n_inf(V)``,
    inactivation ``h``) and the cable's current ``I_cable = sum_d g_d (V_d - V)`` over the
    neighbours joined by a hypha (``g_d = g_c w_d``, ``g_c = g_K (lambda / dx_f)^2``), summed
    ``((leak + pump) + excitable)``; then ``h = h_inf + (h - h_inf) exp(-dt_m / tau_h)`` at the
    new ``V``. ``tau_V`` (``upstroke_time``) is not the membrane's RC time (C / g_K, about 10 ms
    at 1 µF/cm²): it lumps the opening of the excitable conductance, which sets how fast a
    spike rises, so the substep can be milliseconds, not microseconds.
    """
    cable = None
    for d in range(8):
        term = (_bit(link, d) * (mc[M_GC] * WEIGHTS[d])) * (_shifted(V, d) - V)
        cable = term if cable is None else cable + term
    x = (V - mc[M_EP]) / mc[M_VP]
    zn = (V - mc[M_VN]) / mc[M_KN_GATE]
    n_inf = 0.5 * (1.0 + zn / np.sqrt(1.0 + zn * zn))
    ionic = (mc[M_GK] * (V - mc[M_EK]) + mc[M_IMAX] * (x / np.sqrt(1.0 + x * x))) + ((mc[M_GEX] * n_inf) * gh) * (
        V - mc[M_EEX]
    )
    v_new = np.where(hyphal, V + mc[M_RELAX] * ((cable - ionic) / mc[M_GK]), V)
    zh = (v_new - mc[M_VH]) / mc[M_KH]
    h_inf = 0.5 * (1.0 - zh / np.sqrt(1.0 + zh * zh))
    return v_new, np.where(hyphal, h_inf + (gh - h_inf) * mc[M_AH], gh)


def settle_membrane(w: World, c: Constants) -> None:
    """Step 6: the membrane substeps while excited; back at rest, set it exactly to rest."""
    if w.cnt[C_EXCITED] == 0:
        return
    hyphal = w.hlen > 0.0
    for _ in range(c.membrane_substeps):
        w.V[...], w.gh[...] = membrane_substep(w.V, w.gh, hyphal, w.link, c.fields)
    v0, h0 = c.rest
    away = np.maximum(np.abs(w.V - v0), np.abs(w.gh - h0))
    if float(away.max()) < REST_TOLERANCE:
        w.V[...], w.gh[...] = v0, h0
        w.cnt[C_EXCITED] = 0


def numpy_step(w: World, c: Constants, rng: np.random.Generator) -> tuple[np.ndarray, float]:
    """Advance the colony one step in place (module docstring); ``w`` must have room
    (:func:`~mfn.models.mycelium.agents.step_need`). Returns the step's event counts
    (:data:`COUNTERS`) and the hypha grown, µm."""
    counts = np.zeros(len(COUNTERS), np.int64)
    grown = 0.0
    regime = int(c.ic[I_REGIME])
    if regime == 1:
        grown = float(agents.walk(w, c.ic, c.fc, rng)) * c.fc[F_SPACING]
    else:
        if regime == 0:
            f = c.fields
            for _ in range(c.medium_substeps):
                w.nut[...] = diffuse_medium(w.nut, f[M_KN])
            take_up(w, f[M_UPTAKE], f[M_KHALF], f[M_VOLUME])
            for _ in range(c.translocation_substeps):
                w.sub[...] = translocate(w.sub, w.link, w.out, f[M_KD], f[M_KA])
        grown = agents.grow_tips(w, c.ic, c.fc, rng, counts)
        agents.branch_laterally(w, c.ic, c.fc, rng, counts)
    if c.fields[M_RATE] > 0.0:
        f = c.fields
        counts[5] += agents.spontaneous_spike(w, c.fc, f[M_RATE], f[M_KICK], f[M_EEX], rng)
    settle_membrane(w, c)
    w.cnt[C_STEP] += 1
    return counts, grown
