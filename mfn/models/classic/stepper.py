"""One run of the classic model: its state, random draws, kernel, twin and counters.

:class:`ClassicStepper` is the classic model's :class:`~mfn.core.model.Stepper`. It holds the
state in volts (``V``) and the activator and inhibitor, draws every random number from one
:class:`~mfn.models.classic.draws.DrawStream`, advances with the numpy reference kernel or the
fused numba kernel (bit-identical), and optionally steps a perturbed twin with the same draws
to measure the field Lyapunov exponent (:mod:`mfn.models.classic.twin`).
"""

from __future__ import annotations

import math
from typing import Any

import numpy as np

from mfn.core.errors import NumericalInstabilityError
from mfn.models.classic.draws import DrawStream
from mfn.models.classic.kernels import KernelConstants, numpy_step
from mfn.models.classic.params import FieldParams
from mfn.models.classic.twin import TwinTrajectory

__all__ = ["MV_PER_V", "ClassicStepper", "step_kernel"]

MV_PER_V = 1e3
_SUM = np.add.reduce


def step_kernel(backend: str):
    """The step kernel of a resolved backend: :func:`numpy_step` or the fused numba one."""
    if backend == "numpy":
        return numpy_step
    from mfn.models.classic.kernels_numba import numba_step

    return numba_step


def mean(u: np.ndarray) -> float:
    """``float(u.mean())``, bit for bit (the same pairwise sum over the same size), at a fraction of the call cost."""
    if not u.flags.c_contiguous:  # e.g. an ensemble member's view: sum in the order of its own array
        u = np.ascontiguousarray(u)
    return float(_SUM(u, None)) / u.size


class ClassicStepper:
    """A classic lattice field advanced in place (see the module docstring).

    Parameters
    ----------
    params : FieldParams
        Trusted (validated on construction).
    backend : {"numpy", "numba"}
        Resolved backend.
    lyapunov : bool
        Step the twin trajectory alongside.
    record_events : bool
        Keep every growth event (memory grows with the events); totals are counted either way.
    """

    def __init__(self, params: FieldParams, backend: str, *, lyapunov: bool, record_events: bool) -> None:
        self.params = params
        self.backend = backend
        self.kernel = step_kernel(backend)
        self.constants = KernelConstants.from_params(params)
        self.draws = DrawStream(params)
        self.V, self.a, self.i = self.draws.initial_state()
        self.V0_mean = mean(self.V)  # V, in volts, at step 0: a run's V_mean_rise is measured from it
        self.t = 0
        self.growth_events_total = 0
        self.turing_activations_total = 0
        self.clamped_cells_total = 0
        self.event_list: list[tuple[int, int, int, float]] = []
        self.last = (False, 0, 0)  # growth event, activations, clamped cells of the last step
        self.twin = TwinTrajectory(self.V, self.a, self.i, self.kernel, self.constants) if lyapunov else None
        self.record_events = record_events

    def advance(self, n: int) -> None:
        for _ in range(n):
            self._advance()

    def _advance(self) -> None:
        # The per-step path: kept lean (a fused step of a 64x64 lattice takes a few microseconds).
        spike_cell, amplitude, noise = self.draws.next_draws()
        activations, clamped = self.kernel(self.V, self.a, self.i, spike_cell, amplitude, noise, self.constants)
        if self.twin is not None:
            self.twin.step(self.V, spike_cell, amplitude, noise)
        self.t += 1
        event = spike_cell >= 0
        if event:
            if self.record_events:
                y, x = divmod(spike_cell, self.V.shape[1])
                self.event_list.append((self.t, y, x, amplitude * MV_PER_V))
            self.growth_events_total += 1
        self.turing_activations_total += activations
        self.clamped_cells_total += clamped
        self.last = (event, activations, clamped)
        if not math.isfinite(_SUM(self.V, None)):
            raise NumericalInstabilityError(f"the potential became non-finite at step {self.t}")

    def variable(self, name: str) -> np.ndarray:
        if name == "V":
            return self.V * MV_PER_V
        return (self.a if name == "a" else self.i).copy()

    def primary_raw(self) -> tuple[np.ndarray, float]:
        return self.V, MV_PER_V

    def totals(self) -> dict[str, int]:
        return {
            "growth_events": self.growth_events_total,
            "turing_activations": self.turing_activations_total,
            "clamped_cells": self.clamped_cells_total,
        }

    def last_step(self) -> dict[str, int]:
        event, activations, clamped = self.last
        return {"growth_events": int(event), "turing_activations": activations, "clamped_cells": clamped}

    def frame_metrics(self) -> dict[str, float]:
        return {"V_mean": mean(self.V) * MV_PER_V}

    def events(self) -> dict[str, tuple[np.ndarray, str, str]]:
        events = np.array(self.event_list, dtype=np.float64).reshape(-1, 4)
        return {
            "event_step": (events[:, 0].astype(np.int64), "step", "growth event step"),
            "event_y": (events[:, 1].astype(np.int64), "cell", "growth event row"),
            "event_x": (events[:, 2].astype(np.int64), "cell", "growth event column"),
            "event_amplitude": (events[:, 3], "mV", "growth event amplitude"),
        }

    def run_attrs(self) -> dict[str, Any]:
        return {}

    @property
    def lyapunov(self) -> float:
        return self.twin.exponent if self.twin is not None else float("nan")
