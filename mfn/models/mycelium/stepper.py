"""One run of the growing mycelium: the initial colony and :class:`MyceliumStepper`.

The initial state draws from the run's generator, before any step, in this order: the
patches of a patchy medium (``rng.random((ceil(M / P), ceil(N / P)))``), the inocula's cells
when there are several (``rng.choice(M * N, n_inocula, replace=False)``; one inoculum sits
at the centre), then one draw per inoculum for the direction of its first tip
(``int(8 u)``, one of the 8 lattice directions, 45 degrees apart; its ``initial_tips`` tips
leave from the centre of the inoculum's cell along evenly spaced lattice directions, so each
enters a neighbour cell of its own: tips at arbitrary angles from one cell would often share
their first cell and half of them fuse at the first step).
"""

from __future__ import annotations

import math
from typing import Any

import numpy as np

from mfn.core.checks import check_int
from mfn.models.mycelium.kernels import (
    LAUNCH_GAP,
    REGIME_CODES,
    TWO_PI,
    ColonyConstants,
    ColonyState,
    kick,
    numpy_step,
)
from mfn.models.mycelium.membrane import spike_front_speed
from mfn.models.mycelium.params import MyceliumParams

__all__ = ["COUNTERS", "MyceliumStepper", "constants", "initial_state"]

COUNTERS = ("growth_events", "branchings", "anastomoses", "stalls", "edge_stops", "spikes")
"""Per-step counters, in the order the kernels return them."""
ACTIVE = 0.5
"""A hyphal cell is firing while its excitation ``u`` exceeds this."""
SPEED_LINE = 40
"""Length of the straight hypha on which a run's spike speed is measured, cells."""


def initial_medium(p: MyceliumParams, rng: np.random.Generator) -> np.ndarray:
    """The initial external nutrient, a.u./cell (mean ``p.nutrient`` for every medium)."""
    m, n = p.shape
    if p.medium == "uniform":
        return np.full((m, n), p.nutrient)
    if p.medium == "patchy":
        size = p.patch_size
        blocks = rng.random((-(-m // size), -(-n // size)))
        field = np.repeat(np.repeat(blocks, size, axis=0), size, axis=1)[:m, :n]
        return p.nutrient * 2.0 * field
    ramp = 0.5 + np.arange(n) / max(n - 1, 1)
    return np.broadcast_to(p.nutrient * ramp, (m, n)).copy()


def initial_state(p: MyceliumParams, rng: np.random.Generator) -> ColonyState:
    """The colony at step 0 (draws in the order of the module docstring)."""
    m, n = p.shape
    nutrient = initial_medium(p, rng)
    if p.n_inocula == 1:
        cells = np.array([(m // 2) * n + n // 2])
    else:
        cells = rng.choice(m * n, size=p.n_inocula, replace=False)
    cap_tips = m * n + p.n_inocula * p.initial_tips + 1
    s = ColonyState(
        occ=np.zeros((m, n), np.uint8),
        born=np.full((m, n), -1, np.int32),
        nutrient=nutrient,
        substrate=np.zeros((m, n)),
        u=np.zeros((m, n)),
        w=np.zeros((m, n)),
        tip_y=np.zeros(cap_tips, np.int64),
        tip_x=np.zeros(cap_tips, np.int64),
        tip_fy=np.zeros(cap_tips),
        tip_fx=np.zeros(cap_tips),
        tip_th=np.zeros(cap_tips),
        cell_y=np.zeros(m * n, np.int64),
        cell_x=np.zeros(m * n, np.int64),
    )
    for cell in cells:
        y, x = divmod(int(cell), n)
        s.occ[y, x] = 1
        s.born[y, x] = 0
        s.substrate[y, x] = p.inoculum_substrate
        s.cell_y[s.n_cells], s.cell_x[s.n_cells] = y, x
        s.n_cells += 1
        if p.regime != "diffusion_limited":
            d0 = int(8.0 * rng.random())
            for j in range(p.initial_tips):
                s.tip_y[s.n_tips], s.tip_x[s.n_tips] = y, x
                s.tip_fy[s.n_tips], s.tip_fx[s.n_tips] = y, x
                s.tip_th[s.n_tips] = ((d0 + (j * 8) // p.initial_tips) % 8) * (TWO_PI / 8.0)
                s.n_tips += 1
    ys, xs = np.divmod(cells, n)
    s.extra["centre"] = (float(ys.mean()), float(xs.mean()))
    s.r_max = float(np.max(np.hypot(ys - ys.mean(), xs - xs.mean())))
    return s


def constants(p: MyceliumParams, centre: tuple[float, float]) -> ColonyConstants:
    """The plain numbers of a step."""
    return ColonyConstants(
        regime=REGIME_CODES[p.regime],
        nutrient_diffusion=p.nutrient_diffusion,
        uptake=p.uptake,
        translocation=p.translocation,
        turn_sd=math.radians(p.turn_sd),
        chemotropism=p.chemotropism,
        extension_cost=p.extension_cost,
        tip_flux=p.tip_flux,
        branching=p.branching,
        spike_rate=p.spike_rate,
        coupling=p.coupling,
        substeps=p.membrane_substeps,
        fhn_rate=p.fhn_rate,
        fhn_threshold=p.fhn_threshold,
        fhn_recovery=p.fhn_recovery,
        centre_y=centre[0],
        centre_x=centre[1],
        branch_angle=math.radians(p.branch_angle),
        branch_sd=math.radians(p.branch_angle_sd),
    )


class MyceliumStepper:
    """One colony, advanced in place (the :class:`mfn.core.model.Stepper` protocol).

    Parameters
    ----------
    params : MyceliumParams
    backend : {"numpy", "numba"}
        The numpy reference or the compiled step (bit-identical).
    lyapunov, record_events : bool
        Accepted for the protocol; this model has no twin and no event table.

    Examples
    --------
    >>> s = MyceliumStepper(MyceliumParams(grid_size=32, steps=10))
    >>> s.advance(10)
    >>> int(s.variable("occupied").sum()) > 1
    True
    """

    def __init__(
        self, params: MyceliumParams, backend: str = "numpy", *, lyapunov: bool = False, record_events: bool = False
    ) -> None:
        self.params = params
        self.backend = backend
        self.rng = np.random.default_rng(params.seed)
        self.state = initial_state(params, self.rng)
        self.consts = constants(params, self.state.extra["centre"])
        self.e_rest = params.E_rest
        self._totals = [0] * len(COUNTERS)
        self._last = [0] * len(COUNTERS)
        self._stimuli = 0
        self.initial_total = self.nutrient_total()
        self._work = None
        if backend == "numba":
            from mfn.models.mycelium.kernels_numba import NumbaWork

            self._work = NumbaWork(self.state)

    @property
    def t(self) -> int:
        """Steps taken so far."""
        return self.state.t

    @property
    def lyapunov(self) -> float:
        """NaN: this model has no Lyapunov twin."""
        return math.nan

    def advance(self, n: int) -> None:
        """Take ``n`` steps."""
        if self.backend == "numba":
            from mfn.models.mycelium.kernels_numba import numba_steps

            totals, last = numba_steps(self.state, self.consts, self.rng, n, self._work)
            self._totals = [a + b for a, b in zip(self._totals, totals, strict=True)]
        else:
            for _ in range(n):
                last = numpy_step(self.state, self.consts, self.rng)
                self._totals = [a + b for a, b in zip(self._totals, last, strict=True)]
        self._last = list(last)
        if self._stimuli:
            self._last[-1] += self._stimuli
            self._totals[-1] += self._stimuli
            self._stimuli = 0

    def stimulate(self, y: int, x: int) -> bool:
        """Start a spike at hyphal cell ``(y, x)`` (:func:`~mfn.models.mycelium.kernels.kick`); False off the mycelium.

        The spike is counted with the next step's ``spikes``.
        """
        m, n = self.params.shape
        y = check_int("y", y, 0, m - 1, hint="row of the plate")
        x = check_int("x", x, 0, n - 1, hint="column of the plate")
        if not self.state.occ[y, x]:
            return False
        kick(self.state.u, self.state.occ, y, x)
        self._stimuli += 1
        return True

    def variable(self, name: str) -> np.ndarray:
        """A copy of ``occupied`` (0/1), ``V`` (mV, NaN off the mycelium), ``nutrient``,
        ``substrate`` (a.u./cell) or ``born`` (step of occupation, -1 if never)."""
        s = self.state
        if name == "occupied":
            return s.occ.astype(np.float64)
        if name == "V":
            return np.where(s.occ == 1, self.e_rest + self.params.spike_amplitude * s.u, np.nan)
        if name in ("nutrient", "substrate", "u", "w", "born"):
            return getattr(s, name).copy()
        from mfn.core.errors import ParameterError

        raise ParameterError("variable", name, "one of 'occupied', 'V', 'nutrient', 'substrate', 'born'")

    def primary_raw(self) -> tuple[np.ndarray, float]:
        """The live occupancy (uint8, 0/1) and the factor 1."""
        return self.state.occ, 1.0

    def totals(self) -> dict[str, int]:
        """Run totals of every counter."""
        return dict(zip(COUNTERS, self._totals, strict=True))

    def last_step(self) -> dict[str, int]:
        """Every counter's count in the last step."""
        return dict(zip(COUNTERS, self._last, strict=True))

    def tips(self) -> np.ndarray:
        """The live tips' cells as an ``(n, 2)`` int array of ``(y, x)``."""
        s = self.state
        return np.stack([s.tip_y[: s.n_tips], s.tip_x[: s.n_tips]], axis=1)

    def tip_headings(self) -> np.ndarray:
        """The live tips' headings, radians in ``[0, 2 pi)`` (0 along +x, pi/2 along +y, rows)."""
        s = self.state
        return np.mod(s.tip_th[: s.n_tips], TWO_PI)

    def markers(self) -> np.ndarray:
        """The live tips' cells as an ``(n, 2)`` array of ``(y, x)``: the live view marks them."""
        return self.tips()

    def growth_ended(self) -> str | None:
        """Why the colony can grow no more, or None while it can (the live view says so and pauses).

        Tips (nutrient and rich regimes): none is left alive. Diffusion-limited regime: the
        cluster is so close to the plate's edge that walkers have nowhere to start.
        """
        s, c = self.state, self.consts
        if self.params.regime == "diffusion_limited":
            m, n = s.occ.shape
            if s.r_max + LAUNCH_GAP >= min(c.centre_y, c.centre_x, m - 1 - c.centre_y, n - 1 - c.centre_x):
                return "the cluster reaches the plate's edge zone: no walker can start"
            return None
        if s.n_tips == 0:
            return "no hyphal tip is left (each reached the plate edge, fused with a hypha or ran out of substrate)"
        return None

    def colony_radius(self) -> float:
        """Largest distance of a hyphal cell from the inocula's centre, cells."""
        s = self.state
        cy, cx = s.extra["centre"]
        ys, xs = s.cell_y[: s.n_cells], s.cell_x[: s.n_cells]
        return float(np.sqrt(np.max((ys - cy) ** 2 + (xs - cx) ** 2)))

    def nutrient_total(self) -> float:
        """Medium + internal substrate + substrate converted to biomass (nutrient regime), a.u."""
        s = self.state
        grown = self._totals[COUNTERS.index("growth_events")]
        converted = self.params.extension_cost * grown if self.params.regime == "nutrient" else 0.0
        return float(s.nutrient.sum() + s.substrate.sum() + converted)

    def frame_metrics(self) -> dict[str, float]:
        """Biomass (hyphal cells), live tips, colony radius (cells), firing cells, mean V (mV)."""
        s = self.state
        on = s.occ == 1
        return {
            "biomass": float(s.n_cells),
            "tips": float(s.n_tips),
            "colony_radius": self.colony_radius(),
            "firing_cells": float(np.count_nonzero(s.u[on] > ACTIVE)),
            "V_mean": float(self.e_rest + self.params.spike_amplitude * s.u[on].mean()),
        }

    def events(self) -> dict[str, tuple[np.ndarray, str, str]]:
        """No event table (growth is counted per step)."""
        return {}

    def run_attrs(self) -> dict[str, Any]:
        """Final colony measures (:func:`mfn.analysis.colony.final_colony_attrs`), bookkeeping
        (``nutrient_balance_error``, relative), ``E_rest_mV`` and ``spike_speed`` (cells/step: a
        spike's speed on a straight hypha of :data:`SPEED_LINE` cells with this run's membrane,
        :func:`~mfn.models.mycelium.membrane.spike_front_speed`)."""
        from mfn.analysis.colony import final_colony_attrs

        attrs = final_colony_attrs(self.state.occ == 1, self.state.born)
        total = self.nutrient_total()
        attrs["nutrient_balance_error"] = abs(total - self.initial_total) / max(abs(self.initial_total), 1e-300)
        attrs["E_rest_mV"] = self.e_rest
        p = self.params
        per_substep = spike_front_speed(p.coupling, p.fhn_rate, p.fhn_threshold, p.fhn_recovery, SPEED_LINE)
        attrs["spike_speed"] = per_substep * p.membrane_substeps
        return attrs
