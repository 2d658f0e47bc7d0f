"""One run of the growing mycelium: :class:`MyceliumStepper` (the model protocol's stepper).

The lattice variables (``occupied``, ``V``, ``nutrient``, ``substrate``, ``born``) are
pictures of the colony on the ``grid_size`` lattice of ``spacing`` µm; fields of the
nutrient grid are shown at the lattice's resolution (each nutrient cell repeated over its
``field_cell`` x ``field_cell`` lattice cells). The hyphae themselves are the network
(:meth:`MyceliumStepper.network`), in µm and h.
"""

from __future__ import annotations

import math
from typing import Any

import numpy as np

from mfn.core.checks import check_int
from mfn.core.errors import ParameterError
from mfn.models.mycelium import agents
from mfn.models.mycelium.inocula import centre_cells, initial_world
from mfn.models.mycelium.kernels import COUNTERS, M_EEX, M_FIRING, M_KICK, M_VOLUME, constants, numpy_step
from mfn.models.mycelium.params import MyceliumParams
from mfn.models.mycelium.state import C_ANA, C_EVENTS, C_NODES, C_STEP, C_TIPS, grow, room

__all__ = ["MyceliumStepper"]


class MyceliumStepper:
    """One colony, advanced in place (the :class:`mfn.core.model.Stepper` protocol).

    Parameters
    ----------
    params : MyceliumParams
    backend : {"numpy", "numba"}
        The reference step or the compiled step (bit-identical).
    lyapunov, record_events : bool
        Accepted for the protocol; this model has no twin and no event table.

    Examples
    --------
    >>> s = MyceliumStepper(MyceliumParams(grid_size=32, steps=30))
    >>> s.advance(30)
    >>> s.hyphal_length() > 0, s.t
    (True, 30)
    """

    def __init__(
        self, params: MyceliumParams, backend: str = "numpy", *, lyapunov: bool = False, record_events: bool = False
    ) -> None:
        self.params = params
        self.backend = backend
        self.rng = np.random.default_rng(params.seed)
        self.consts = constants(params, centre_cells(params))
        self.world = initial_world(params, self.consts, self.rng)
        self._totals = np.zeros(len(COUNTERS), np.int64)
        self._last = np.zeros(len(COUNTERS), np.int64)
        self._stimuli = 0
        self.initial_total = self.nutrient_total()

    @property
    def grown(self) -> float:
        """Hypha grown since the start, µm (each segment added as it grew)."""
        return float(self.world.acc[0])

    @property
    def t(self) -> int:
        """Steps taken so far."""
        return int(self.world.cnt[C_STEP])

    @property
    def lyapunov(self) -> float:
        """NaN: this model has no Lyapunov twin."""
        return math.nan

    def _make_room(self) -> None:
        tables = ("ent", "nodes", "tips", "hyphae", "ana", "events")
        need = dict(zip(tables, agents.step_need(self.world, self.consts.ic, self.consts.fc), strict=True))
        if any(room(self.world)[k] < v for k, v in need.items()):
            self.world = grow(self.world, need)

    def advance(self, n: int) -> None:
        """Take ``n`` steps."""
        last = self._last
        if self.backend == "numba":
            from mfn.models.mycelium.kernels_numba import numba_steps

            done = 0
            while done < n:
                self._make_room()
                k, totals, last, _ = numba_steps(self.world, self.consts, self.rng, n - done)
                self._totals += totals
                done += k
        else:
            for _ in range(n):
                self._make_room()
                last, _ = numpy_step(self.world, self.consts, self.rng)
                self._totals += last
        self._last = np.array(last, np.int64)
        if self._stimuli:
            self._last[-1] += self._stimuli
            self._totals[-1] += self._stimuli
            self._stimuli = 0

    # -- the lattice pictures ----------------------------------------------------------------
    def _on_lattice(self, field: np.ndarray) -> np.ndarray:
        k = self.params.field_cell
        m, n = self.params.shape
        return np.repeat(np.repeat(field, k, axis=0), k, axis=1)[:m, :n]

    def substrate_concentration(self) -> np.ndarray:
        """Internal substrate of each nutrient cell over its hyphal volume, mM (0 without hypha)."""
        w = self.world
        area = math.pi * (0.5 * self.params.hyphal_diameter) ** 2
        with np.errstate(divide="ignore", invalid="ignore"):
            return np.where(w.hlen > 0.0, 1e3 * w.sub / (area * w.hlen), 0.0)

    def variable(self, name: str) -> np.ndarray:
        """A copy of ``occupied`` (0/1), ``V`` (mV, NaN off the hyphae), ``nutrient`` (mM),
        ``substrate`` (mM in the hyphae) or ``born`` (step of occupation, -1 if never)."""
        w = self.world
        if name == "occupied":
            return w.occ.astype(np.float64)
        if name == "V":
            return np.where(w.occ == 1, self._on_lattice(w.V), np.nan)
        if name == "nutrient":
            return self._on_lattice(w.nut)
        if name == "substrate":
            return self._on_lattice(self.substrate_concentration())
        if name == "born":
            return w.born.astype(np.int64)
        raise ParameterError("variable", name, "one of 'occupied', 'V', 'nutrient', 'substrate', 'born'")

    def primary_raw(self) -> tuple[np.ndarray, float]:
        """The live occupancy (uint8, 0/1) and the factor 1."""
        return self.world.occ, 1.0

    # -- counts and measures -----------------------------------------------------------------
    def totals(self) -> dict[str, int]:
        """Run totals of every counter."""
        return {k: int(v) for k, v in zip(COUNTERS, self._totals, strict=True)}

    def last_step(self) -> dict[str, int]:
        """Every counter's count in the last step."""
        return {k: int(v) for k, v in zip(COUNTERS, self._last, strict=True)}

    def tip_positions(self) -> np.ndarray:
        """The live tips' positions, ``(n, 2)`` of ``(x, y)`` µm."""
        w = self.world
        return w.nxy[w.tint[: w.cnt[C_TIPS], 0]].copy()

    def tips(self) -> np.ndarray:
        """The live tips' lattice cells, ``(n, 2)`` int of ``(row, column)``."""
        xy = self.tip_positions()
        m, n = self.params.shape
        s = self.params.spacing
        return np.stack([np.clip(xy[:, 1] // s, 0, m - 1), np.clip(xy[:, 0] // s, 0, n - 1)], axis=1).astype(np.int64)

    def tip_headings(self) -> np.ndarray:
        """The live tips' headings, radians in ``[0, 2 pi)`` (0 along +x, pi/2 along +y)."""
        w = self.world
        return np.mod(w.tfl[: w.cnt[C_TIPS], 0], agents.TWO_PI)

    def markers(self) -> np.ndarray:
        """The live tips' lattice cells: the live view marks them."""
        return self.tips()

    def growth_ended(self) -> str | None:
        """Why the colony can grow no more, or None while it can (the live view says so and pauses).

        Tips (nutrient and rich regimes): the colony reaches the field's edge on all four sides
        (a plate colonised: its margin can spread no further, hyphae there stop, cut), or no
        tip is left alive (each fused with a hypha or stopped at the field edge) and none can
        branch off a hypha (no lateral branching, or in the nutrient regime no substrate
        left). Diffusion-limited regime: the cluster is so close to the field's edge that
        walkers have nowhere to start. Cost: O(lattice side) per call.
        """
        w = self.world
        if self.params.regime == "diffusion_limited":
            m, n = self.params.shape
            cy, cx = self.consts.fc[agents.F_CY], self.consts.fc[agents.F_CX]
            r_launch = w.cnt[agents.C_WALKER_R] / 1000.0 + agents.LAUNCH_GAP
            if r_launch >= min(cy, cx, m - 1 - cy, n - 1 - cx):
                return "the cluster reaches the field's edge zone: no walker can start"
            return None
        occ = w.occ
        if occ[0].any() and occ[-1].any() and occ[:, 0].any() and occ[:, -1].any():
            return "the colony reaches the field's edge on every side: its margin can spread no further"
        no_branch = self.params.lateral_branching == 0.0 or (self.params.regime == "nutrient" and w.sub.max() <= 0.0)
        if w.cnt[C_TIPS] == 0 and no_branch:
            return "no hyphal tip is left (each fused with a hypha or reached the field edge) and none can branch"
        return None

    def hyphal_length(self) -> float:
        """Total length of the hyphae (every segment), µm."""
        w = self.world
        k = w.cnt[C_NODES]
        prev = w.nint[:k, agents.N_PREV]
        has = prev >= 0
        d = w.nxy[:k][has] - w.nxy[prev[has]]
        return float(np.hypot(d[:, 0], d[:, 1]).sum())

    def colony_radius(self) -> float:
        """Largest distance of a node from the inocula's centroid, µm."""
        w = self.world
        xy = w.nxy[: w.cnt[C_NODES]]
        roots = xy[w.nint[: w.cnt[C_NODES], agents.N_PREV] < 0]
        centre = roots.mean(axis=0)
        return float(np.sqrt(((xy - centre) ** 2).sum(axis=1).max()))

    def nutrient_total(self) -> float:
        """Medium + internal substrate + substrate built into hypha (nutrient regime), fmol."""
        w = self.world
        built = self.params.extension_cost * self.grown if self.params.regime == "nutrient" else 0.0
        return float(w.nut.sum() * self.consts.fields[M_VOLUME] + w.sub.sum() + built)

    def frame_metrics(self) -> dict[str, float]:
        """Hyphal length (mm), live tips, colony radius (µm), firing nutrient cells (potential above
        halfway from rest to the excitable conductance's reversal), mean V (mV)."""
        w = self.world
        hyphal = w.hlen > 0.0
        return {
            "total_length": self.hyphal_length() / 1000.0,
            "tips": float(w.cnt[C_TIPS]),
            "colony_radius": self.colony_radius(),
            "firing_cells": float(np.count_nonzero(w.V[hyphal] > self.consts.fields[M_FIRING])),
            "V_mean": float(w.V[hyphal].mean()) if hyphal.any() else float(self.consts.rest[0]),
        }

    def events(self) -> dict[str, tuple[np.ndarray, str, str]]:
        """The contacts: every tip that touched another hypha, where and when, and whether it fused."""
        w = self.world
        e = w.evt[: w.cnt[C_EVENTS]]
        return {
            "contact_t": (e[:, 0] * (self.params.time_step / 60.0), "h", "time of a tip's contact with a hypha"),
            "contact_x": (e[:, 2].copy(), "µm", "position of the contact along x"),
            "contact_y": (e[:, 3].copy(), "µm", "position of the contact along y"),
            "contact_fused": ((e[:, 1] == 0.0).astype(np.uint8), "1", "1: anastomosis, 0: the tip crossed over"),
        }

    # -- stimuli -------------------------------------------------------------------------------
    def stimulate(self, y: int, x: int) -> bool:
        """Start a spike at lattice cell ``(y, x)`` (:func:`~mfn.models.mycelium.agents.kick`);
        False off the hyphae. Counted with the next step's ``spikes``."""
        m, n = self.params.shape
        y = check_int("y", y, 0, m - 1, hint="row of the lattice")
        x = check_int("x", x, 0, n - 1, hint="column of the lattice")
        if not self.world.occ[y, x]:
            return False
        s = self.params.spacing
        f = self.consts.fields
        agents.kick(self.world, self.consts.fc[agents.F_FSPACING], f[M_KICK], (x + 0.5) * s, (y + 0.5) * s, f[M_EEX])
        self._stimuli += 1
        return True

    # -- the network and the run's measures -----------------------------------------------------
    def network(self):
        """The colony's hyphae as a :class:`~mfn.hyphae.network.HyphalNetwork` (µm, h)."""
        from mfn.models.mycelium.export import colony_network

        return colony_network(self.world, self.params)

    def final_counts(self):
        """The network's counts now (:func:`mfn.hyphae.growth.growth_counts` at the present time),
        kept until the next step."""
        if getattr(self, "_counts", (None, None))[0] != self.t:
            from mfn.hyphae.growth import growth_counts

            self._counts = (self.t, growth_counts(self.network(), np.array([self.t * self.params.time_step / 60.0])))
        return self._counts[1]

    def run_data(self):
        """The network's Dataset variables (``node_*``, ``edge_*`` over ``node``/``edge``) for the run."""
        return self.network().to_xarray()

    def run_attrs(self) -> dict[str, Any]:
        """Final colony measures and bookkeeping (:func:`mfn.models.mycelium.export.run_measures`)."""
        from mfn.models.mycelium.export import run_measures

        return run_measures(self)

    @property
    def anastomoses(self) -> int:
        """Anastomosis links so far."""
        return int(self.world.cnt[C_ANA])
