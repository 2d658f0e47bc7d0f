"""The growing mycelium, readable numpy reference (docs/models.md).

State (:class:`ColonyState`) on an ``(M, N)`` lattice, distances in cells, one growth step
as the time unit:

- ``occ`` (uint8): 1 where a hypha occupies the cell; ``born``: the step it was occupied
  (-1 if never; 0 for inocula);
- ``nutrient`` (a.u./cell): external nutrient of the medium;
- ``substrate`` (a.u./cell): internal substrate, non-zero on hyphal cells only;
- ``u``, ``w``: the membrane's excitation (0 at rest, 1 at the spike's peak) and recovery
  variables, on hyphal cells only; the potential is ``V = E_rest + amplitude * u`` (mV);
- tips: agents with a position ``(tip_fy, tip_fx)`` (float, cells; the centre of cell
  ``(y, x)`` is ``(y, x)``), the cell containing it ``(tip_y, tip_x)`` =
  ``(floor(fy + 0.5), floor(fx + 0.5))``, always a hyphal cell, and a heading ``tip_th``
  (radians, any real number: 0 along +x, pi/2 along +y, i.e. growing row index), ``n_tips``
  of them;
- the list of hyphal cells in the order they were occupied (``cell_y``, ``cell_x``).

One step (:func:`numpy_step`) in this order:

1. medium: ``nutrient += D_n * lap(nutrient)`` (5-point Laplacian, zero-flux edges:
   ``((north + south) + west) + east`` of the differences to the cell);
2. uptake on hyphal cells: ``q = uptake * nutrient``; ``nutrient -= q``; ``substrate += q``;
3. translocation: ``substrate += D_s * sum_{8 hyphal neighbours} (s_nb - s)`` on hyphal cells
   (neighbours in the order of :data:`NEIGHBOURS`);
4. growth. ``"nutrient"`` and ``"rich"``: each tip alive at the start of the step, in list
   order: in the nutrient regime a tip whose cell holds less substrate than
   ``extension_cost`` stalls (does not move, draws nothing this step). Otherwise its heading
   takes a correlated-random-walk step plus a chemotropic turn:
   ``th' = (th + turn_sd * z) + chemotropism * g``, with ``z`` a standard normal deviate
   from two draws ``u1, u2`` (Box–Muller: ``z = sqrt(-2 ln(1 - u1)) cos(2 pi u2)``) and ``g``
   computed from the old heading ``th``: the relative difference ``(n_l - n_r) / (n_l + n_r)``
   (0 when both are 0) of the external nutrient in the cells containing the points
   :data:`SENSE_DISTANCE` cells ahead of the tip's position at ``th + SENSE_ANGLE`` (``n_l``)
   and ``th - SENSE_ANGLE`` (``n_r``), the tip's own cell's nutrient standing in for a point
   off the plate (sensing ahead of the tip, not at its cell, keeps the hypha's own depleted
   trail, which lies on the lattice, from pulling headings onto the lattice axes). The tip
   then advances along ``th'``: ``(fy, fx) += (sin th', cos th')``, repeated until the
   position leaves the tip's cell (at most twice), so every extension enters exactly one new
   cell, an 8-neighbour of the old one; a hypha is the digitised straight line of its
   heading, at any angle, and a tip moves 1 (along an axis) to 1.41 (diagonal) cells per
   extension, as on the lattice. A new cell off the plate stops the tip (plate edge); a new
   cell already occupied fuses it (anastomosis; the tip stops). Otherwise the tip extends:
   in the nutrient regime it pays ``extension_cost`` from its old cell's substrate
   (converted to biomass) and carries ``tip_flux`` of the rest into the new cell. Draw
   ``u3``: the tip branches when ``u3 < branching * s / (s + extension_cost)`` (``s`` the
   new tip cell's substrate; ``branching`` in the rich regime); a branch starts at the tip's
   new position and cell, with heading ``th' + side * (branch_angle + branch_sd * z)``,
   ``side`` = +1 (counter-clockwise) when a further draw ``u4 < 0.5``, else -1, and ``z``
   from two more draws (Box–Muller as above); it moves from the next step on. When
   ``spike_rate > 0`` draw ``u5``: the new cell starts a spike (:func:`kick`) when
   ``u5 < spike_rate``. Tips that stopped are removed at the end of the step, the others keep
   their order.
   ``"diffusion_limited"``: one random walker per step, launched at distance
   ``r_max + 5`` from the inocula's centre (angle ``2 pi u``), moving to one of its 4
   neighbours per draw (``int(4 u)``: north, south, west, east), relaunched when it leaves
   the plate or the circle of radius ``2 (r_max + 5) + 10``, sticks on the first unoccupied
   cell with an occupied 4-neighbour. No walker once the launch circle leaves the plate.
5. membrane, ``membrane_substeps`` times: ``u += D_m * sum_{8 hyphal nb} (u_nb - u) +
   k (u (1 - u) (u - a) - w)``, ``w += eps (u - w)`` on hyphal cells (both from the old
   values).

Every random number is one ``Generator.random()`` draw, in the order above, from the run's
single generator; the numba path (:mod:`mfn.models.mycelium.kernels_numba`) draws the same
numbers from the same generator in the same order and does the same floating-point
operations, so the two agree bit for bit. Nutrient bookkeeping: ``sum(nutrient) +
sum(substrate) + extension_cost * extensions`` (nutrient regime) stays at its initial value
to round-off.
"""

from __future__ import annotations

import math
from dataclasses import dataclass, field

import numpy as np

__all__ = [
    "NEIGHBOURS",
    "SENSE_ANGLE",
    "SENSE_DISTANCE",
    "TIP_ARRAYS",
    "ColonyConstants",
    "ColonyState",
    "StepCounts",
    "kick",
    "membrane_substep",
    "numpy_step",
]

NEIGHBOURS = ((-1, 0), (1, 0), (0, -1), (0, 1), (-1, -1), (-1, 1), (1, -1), (1, 1))
"""The 8 neighbours in the order their terms are summed (north, south, west, east, diagonals)."""
WALK = ((-1, 0), (1, 0), (0, -1), (0, 1))
"""A walker's moves for ``int(4 u)`` = 0, 1, 2, 3."""
REGIME_CODES = {"nutrient": 0, "diffusion_limited": 1, "rich": 2}
"""Integer code of each regime, as the compiled kernels take it."""
KICK_RADIUS = 2
"""A spike starts on the hyphal cells within this Chebyshev distance of its cell."""
LAUNCH_GAP = 5.0
"""A walker starts this many cells beyond the colony's radius."""
TWO_PI = 2.0 * math.pi
SENSE_DISTANCE = 2.0
"""A tip senses the nutrient of the cells this far ahead of it (cells)."""
SENSE_ANGLE = math.pi / 4.0
"""... at this angle to either side of its heading (radians)."""


@dataclass(frozen=True)
class ColonyConstants:
    """Plain numbers a step needs (from :class:`~mfn.models.mycelium.params.MyceliumParams`)."""

    regime: int
    nutrient_diffusion: float
    uptake: float
    translocation: float
    turn_sd: float
    chemotropism: float
    extension_cost: float
    tip_flux: float
    branching: float
    spike_rate: float
    coupling: float
    substeps: int
    fhn_rate: float
    fhn_threshold: float
    fhn_recovery: float
    centre_y: float
    centre_x: float
    branch_angle: float
    branch_sd: float


@dataclass
class ColonyState:
    """The mutable state of one colony (see the module docstring)."""

    occ: np.ndarray
    born: np.ndarray
    nutrient: np.ndarray
    substrate: np.ndarray
    u: np.ndarray
    w: np.ndarray
    tip_y: np.ndarray
    tip_x: np.ndarray
    tip_fy: np.ndarray
    tip_fx: np.ndarray
    tip_th: np.ndarray
    cell_y: np.ndarray
    cell_x: np.ndarray
    n_tips: int = 0
    n_cells: int = 0
    t: int = 0
    r_max: float = 0.0
    extra: dict = field(default_factory=dict)

    def copy(self) -> ColonyState:
        """A deep copy."""
        arrays = {k: getattr(self, k).copy() for k in _ARRAYS}
        return ColonyState(
            **arrays, n_tips=self.n_tips, n_cells=self.n_cells, t=self.t, r_max=self.r_max, extra=dict(self.extra)
        )


TIP_ARRAYS = ("tip_y", "tip_x", "tip_fy", "tip_fx", "tip_th")
"""The per-tip arrays: cell (row, column), position (row, column, float) and heading (radians)."""
_ARRAYS = ("occ", "born", "nutrient", "substrate", "u", "w", *TIP_ARRAYS, "cell_y", "cell_x")


@dataclass
class StepCounts:
    """Events of one step."""

    extensions: int = 0
    branchings: int = 0
    anastomoses: int = 0
    stalls: int = 0
    edge_stops: int = 0
    spikes: int = 0

    def as_tuple(self) -> tuple[int, ...]:
        return (self.extensions, self.branchings, self.anastomoses, self.stalls, self.edge_stops, self.spikes)


def _diffuse_medium(n: np.ndarray, d: float) -> np.ndarray:
    p = np.pad(n, 1, mode="edge")
    c = p[1:-1, 1:-1]
    lap = (((p[:-2, 1:-1] - c) + (p[2:, 1:-1] - c)) + (p[1:-1, :-2] - c)) + (p[1:-1, 2:] - c)
    return n + d * lap


def _hyphal_sum(f: np.ndarray, occf: np.ndarray) -> np.ndarray:
    """``sum over the 8 neighbours of occ_nb * (f_nb - f)`` in :data:`NEIGHBOURS` order."""
    p = np.pad(f, 1)
    q = np.pad(occf, 1)
    m, n = f.shape
    total = None
    for dy, dx in NEIGHBOURS:
        sl = (slice(1 + dy, 1 + dy + m), slice(1 + dx, 1 + dx + n))
        term = q[sl] * (p[sl] - f)
        total = term if total is None else total + term
    return total


def membrane_substep(
    u: np.ndarray, w: np.ndarray, occ: np.ndarray, c: ColonyConstants
) -> tuple[np.ndarray, np.ndarray]:
    """One explicit Euler substep of the hyphal FitzHugh–Nagumo membrane; new ``(u, w)``.

    ``u += D_m * sum_{8 hyphal nb}(u_nb - u) + k (u (1 - u) (u - a) - w)`` and
    ``w += eps (u - w)``, on hyphal cells only (others stay 0).
    """
    occb = occ.astype(bool)
    lap = _hyphal_sum(u, occ.astype(np.float64))
    react = ((u * (1.0 - u)) * (u - c.fhn_threshold)) - w
    u_new = u + (c.coupling * lap + c.fhn_rate * react)
    w_new = w + c.fhn_recovery * (u - w)
    return np.where(occb, u_new, 0.0), np.where(occb, w_new, 0.0)


def kick(u: np.ndarray, occ: np.ndarray, y: int, x: int) -> None:
    """Start a spike: ``u = 1`` on the hyphal cells within :data:`KICK_RADIUS` of ``(y, x)``.

    One cell alone is drained by its neighbours faster than it excites them (it is below
    the critical nucleus of a front a few cells wide, all the more at a junction).
    """
    m, n = occ.shape
    for yy in range(max(y - KICK_RADIUS, 0), min(y + KICK_RADIUS + 1, m)):
        for xx in range(max(x - KICK_RADIUS, 0), min(x + KICK_RADIUS + 1, n)):
            if occ[yy, xx]:
                u[yy, xx] = 1.0


def _occupy(s: ColonyState, y: int, x: int) -> None:
    s.occ[y, x] = 1
    s.born[y, x] = s.t + 1
    s.cell_y[s.n_cells] = y
    s.cell_x[s.n_cells] = x
    s.n_cells += 1


def _normal(rng: np.random.Generator) -> float:
    """One standard normal deviate from two ``random()`` draws (Box–Muller, cosine branch)."""
    u1 = rng.random()
    u2 = rng.random()
    return math.sqrt(-2.0 * math.log(1.0 - u1)) * math.cos(TWO_PI * u2)


def _sense(nut: np.ndarray, fy: float, fx: float, here: float, th: float) -> float:
    """Nutrient of the cell :data:`SENSE_DISTANCE` ahead of ``(fy, fx)`` along ``th`` (``here`` off the plate)."""
    m, n = nut.shape
    y = math.floor((fy + SENSE_DISTANCE * math.sin(th)) + 0.5)
    x = math.floor((fx + SENSE_DISTANCE * math.cos(th)) + 0.5)
    return nut[y, x] if 0 <= y < m and 0 <= x < n else here


def _gradient_turn(nut: np.ndarray, fy: float, fx: float, here: float, th: float) -> float:
    """Relative nutrient difference between the cells sensed ahead-left and ahead-right of a tip.

    ``(n_left - n_right) / (n_left + n_right)`` (0 when both are 0), ``n_left`` at heading
    ``th + SENSE_ANGLE`` (counter-clockwise), ``n_right`` at ``th - SENSE_ANGLE``.
    """
    left = _sense(nut, fy, fx, here, th + SENSE_ANGLE)
    right = _sense(nut, fy, fx, here, th - SENSE_ANGLE)
    den = left + right
    return (left - right) / den if den > 0.0 else 0.0


def _grow_tips(s: ColonyState, c: ColonyConstants, rng: np.random.Generator, k: StepCounts) -> None:
    m, n = s.occ.shape
    limited = c.regime == 0
    alive = np.ones(s.n_tips, dtype=bool)
    n0 = s.n_tips
    for i in range(n0):
        y, x = int(s.tip_y[i]), int(s.tip_x[i])
        if limited and s.substrate[y, x] < c.extension_cost:
            k.stalls += 1
            continue
        th = float(s.tip_th[i])
        fy, fx = float(s.tip_fy[i]), float(s.tip_fx[i])
        turn = c.chemotropism * _gradient_turn(s.nutrient, fy, fx, s.nutrient[y, x], th)
        th = (th + c.turn_sd * _normal(rng)) + turn
        dy, dx = math.sin(th), math.cos(th)
        yy, xx = y, x
        while yy == y and xx == x:
            fy, fx = fy + dy, fx + dx
            yy, xx = math.floor(fy + 0.5), math.floor(fx + 0.5)
        if not (0 <= yy < m and 0 <= xx < n):
            alive[i] = False
            k.edge_stops += 1
            continue
        if s.occ[yy, xx]:
            alive[i] = False
            k.anastomoses += 1
            continue
        if limited:
            left = s.substrate[y, x] - c.extension_cost
            carried = c.tip_flux * left
            s.substrate[y, x] = left - carried
            s.substrate[yy, xx] = s.substrate[yy, xx] + carried
        _occupy(s, yy, xx)
        k.extensions += 1
        s.tip_y[i], s.tip_x[i], s.tip_fy[i], s.tip_fx[i], s.tip_th[i] = yy, xx, fy, fx, th
        sub = s.substrate[yy, xx]
        p_branch = c.branching * (sub / (sub + c.extension_cost)) if limited else c.branching
        if rng.random() < p_branch:
            side = 1.0 if rng.random() < 0.5 else -1.0
            angle = c.branch_angle + c.branch_sd * _normal(rng)
            j = s.n_tips
            s.tip_y[j], s.tip_x[j], s.tip_fy[j], s.tip_fx[j] = yy, xx, fy, fx
            s.tip_th[j] = th + side * angle
            s.n_tips += 1
            k.branchings += 1
        if c.spike_rate > 0.0 and rng.random() < c.spike_rate:
            kick(s.u, s.occ, yy, xx)
            k.spikes += 1
    keep = np.concatenate([alive, np.ones(s.n_tips - n0, dtype=bool)])
    kept = int(keep.sum())
    for name in TIP_ARRAYS:
        arr = getattr(s, name)
        arr[:kept] = arr[: s.n_tips][keep]
    s.n_tips = kept


def _walk(s: ColonyState, c: ColonyConstants, rng: np.random.Generator, k: StepCounts) -> None:
    m, n = s.occ.shape
    cy, cx = c.centre_y, c.centre_x
    r_launch = s.r_max + LAUNCH_GAP
    if r_launch >= min(cy, cx, m - 1 - cy, n - 1 - cx):
        return
    r_kill2 = (2.0 * r_launch + 10.0) ** 2
    launch = True
    y = x = 0
    while True:
        if launch:
            angle = TWO_PI * rng.random()
            y = math.floor(cy + r_launch * math.sin(angle) + 0.5)
            x = math.floor(cx + r_launch * math.cos(angle) + 0.5)
            launch = False
        touching = False
        for dy, dx in WALK:
            yy, xx = y + dy, x + dx
            if 0 <= yy < m and 0 <= xx < n and s.occ[yy, xx]:
                touching = True
        if touching:
            break
        dy, dx = WALK[int(4.0 * rng.random())]
        y, x = y + dy, x + dx
        fy, fx = y - cy, x - cx
        if not (0 <= y < m and 0 <= x < n) or fy * fy + fx * fx > r_kill2:
            launch = True
    _occupy(s, y, x)
    fy, fx = y - cy, x - cx
    s.r_max = max(s.r_max, math.sqrt(fy * fy + fx * fx))
    k.extensions += 1
    if c.spike_rate > 0.0 and rng.random() < c.spike_rate:
        kick(s.u, s.occ, y, x)
        k.spikes += 1


def numpy_step(s: ColonyState, c: ColonyConstants, rng: np.random.Generator) -> tuple[int, ...]:
    """Advance the colony one step in place (module docstring); return the step's counts.

    Returns
    -------
    (extensions, branchings, anastomoses, stalls, edge_stops, spikes) : tuple of int
    """
    k = StepCounts()
    if c.regime != 1:
        s.nutrient[...] = _diffuse_medium(s.nutrient, c.nutrient_diffusion)
        occb = s.occ.astype(bool)
        q = np.where(occb, c.uptake * s.nutrient, 0.0)
        s.nutrient[...] = s.nutrient - q
        s.substrate[...] = s.substrate + q
        lap = _hyphal_sum(s.substrate, s.occ.astype(np.float64))
        s.substrate[...] = np.where(occb, s.substrate + c.translocation * lap, 0.0)
        _grow_tips(s, c, rng, k)
    else:
        _walk(s, c, rng, k)
    for _ in range(c.substeps):
        s.u[...], s.w[...] = membrane_substep(s.u, s.w, s.occ, c)
    s.t += 1
    return k.as_tuple()
