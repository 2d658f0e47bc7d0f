"""The lattice field model: :class:`Simulation` (step by step) and :func:`simulate`.

A run is returned as an :class:`xarray.Dataset` (see :func:`simulate` for its layout).
"""

from __future__ import annotations

import math
import time
from collections.abc import Iterator
from dataclasses import dataclass
from datetime import UTC, datetime
from typing import TYPE_CHECKING

import numpy as np

from mfn.analysis.features import DEFAULT_FEATURE_PARAMS, FeatureParams, features_from_state
from mfn.analysis.fractal import box_dimension
from mfn.analysis.temporal import TemporalAccumulator
from mfn.core.backends import resolve_backend
from mfn.core.checks import check_bool, check_int
from mfn.core.errors import NumericalInstabilityError, ParameterError
from mfn.models.classic.draws import DrawStream
from mfn.models.classic.kernels import KernelConstants
from mfn.models.classic.params import FieldParams
from mfn.simulation.twin import TwinTrajectory

if TYPE_CHECKING:  # xarray is imported when a Dataset is built, keeping `import mfn` light
    import xarray as xr

__all__ = ["FieldState", "Simulation", "StepResult", "simulate"]

MV_PER_V = 1e3


@dataclass(frozen=True)
class FieldState:
    """A copy of the lattice state.

    Attributes
    ----------
    t : int
        Steps taken so far.
    V : (M, N) float64 ndarray
        Potential, mV.
    a, i : (M, N) float64 ndarray
        Activator and inhibitor, dimensionless in [0, 1].
    """

    t: int
    V: np.ndarray
    a: np.ndarray
    i: np.ndarray


@dataclass(frozen=True)
class StepResult:
    """Metrics of the last step taken.

    Attributes
    ----------
    t : int
        Step index after the step.
    growth_event : bool
        Whether a growth event happened.
    turing_activations : int
        Cells raised by the Turing coupling.
    clamped_cells : int
        Cells clamped to [-95, 40] mV.
    V_mean : float
        Mean potential after the step, mV.
    """

    t: int
    growth_event: bool
    turing_activations: int
    clamped_cells: int
    V_mean: float


class Simulation:
    """A lattice field that can be advanced step by step.

    Parameters
    ----------
    params : FieldParams, optional
        Model parameters; defaults to ``FieldParams()``.
    backend : {"auto", "numpy", "numba"}, default "auto"
        Step kernel; see :func:`mfn.core.backends.resolve_backend`.
    lyapunov : bool, default True
        Step a perturbed twin alongside (same kernel, same draws) to measure the field
        Lyapunov exponent (:mod:`mfn.simulation.twin`); it doubles the cost of a step. With False,
        :attr:`lyapunov` is NaN.
    feature_params : FeatureParams, optional
        Settings of the features; its stability threshold and window are used by the
        temporal features accumulated at every step (see :meth:`features`).
    online_features : bool, default True
        Accumulate the temporal features at every step (a few passes over the field);
        False skips that work, and :meth:`features` is then unavailable.
    record_events : bool, default True
        Keep every growth event in :attr:`events`. A simulation that runs for an unbounded
        time (the live view) passes False, so its memory does not grow with the number of
        steps; the event totals are counted either way.

    Examples
    --------
    >>> sim = Simulation(FieldParams(grid_size=16, steps=10))
    >>> _ = sim.step(10)
    >>> sim.t, sim.state.V.shape
    (10, (16, 16))
    """

    def __init__(
        self,
        params: FieldParams | None = None,
        *,
        backend: str = "auto",
        lyapunov: bool = True,
        feature_params: FeatureParams | None = None,
        online_features: bool = True,
        record_events: bool = True,
    ) -> None:
        self.params = FieldParams() if params is None else params
        if not isinstance(self.params, FieldParams):
            raise ParameterError("params", self.params, "a FieldParams instance")
        self.feature_params = DEFAULT_FEATURE_PARAMS if feature_params is None else feature_params
        if not isinstance(self.feature_params, FeatureParams):
            raise ParameterError("feature_params", feature_params, "a FeatureParams instance or None")
        self.backend, self._kernel = resolve_backend(backend)
        self._constants = KernelConstants.from_params(self.params)
        self._draws = DrawStream(self.params)
        self._V, self._a, self._i = self._draws.initial_state()
        self.t = 0
        self.growth_events_total = 0
        self.turing_activations_total = 0
        self.clamped_cells_total = 0
        self._events: list[tuple[int, int, int, float]] = []
        self._last_step = (False, 0, 0)  # growth event, activations, clamped cells of the last step
        fp = self.feature_params
        self._temporal = (
            TemporalAccumulator(
                self._V, fp.stability_threshold, fp.stability_window, scale=MV_PER_V, backend=self.backend
            )
            if check_bool("online_features", online_features)
            else None
        )
        self._twin = (
            TwinTrajectory(self._V, self._a, self._i, self._kernel, self._constants)
            if check_bool("lyapunov", lyapunov)
            else None
        )
        self._record_events = check_bool("record_events", record_events)

    @property
    def state(self) -> FieldState:
        """A copy of the current state (V in mV)."""
        return FieldState(self.t, self._V * MV_PER_V, self._a.copy(), self._i.copy())

    @property
    def V(self) -> np.ndarray:
        """The current potential, mV (a new array)."""
        return self._V * MV_PER_V

    @property
    def events(self) -> list[tuple[int, int, int, float]]:
        """Growth events so far as ``(step, y, x, amplitude_mV)`` tuples."""
        return list(self._events)

    def step(self, n: int = 1) -> StepResult:
        """Advance ``n`` steps and return the metrics of the last one.

        Raises
        ------
        ParameterError
            If ``n`` is not an integer >= 1.
        NumericalInstabilityError
            If the field stops being finite (never with valid parameters).
        """
        n = check_int("n", n, 1)
        for _ in range(n):
            self._advance()
        event, activations, clamped = self._last_step
        return StepResult(self.t, event, activations, clamped, _mean(self._V) * MV_PER_V)

    def _advance(self) -> None:
        # The per-step path: kept lean (a fused step of a 64x64 lattice takes a few microseconds).
        spike_cell, amplitude, noise = self._draws.next_draws()
        activations, clamped = self._kernel(self._V, self._a, self._i, spike_cell, amplitude, noise, self._constants)
        if self._twin is not None:
            self._twin.step(self._V, spike_cell, amplitude, noise)
        if self._temporal is not None:
            self._temporal.update(self._V)
        self.t += 1
        event = spike_cell >= 0
        if event:
            if self._record_events:
                y, x = divmod(spike_cell, self._V.shape[1])
                self._events.append((self.t, y, x, amplitude * MV_PER_V))
            self.growth_events_total += 1
        self.turing_activations_total += activations
        self.clamped_cells_total += clamped
        self._last_step = (event, activations, clamped)
        if not math.isfinite(_SUM(self._V, None)):
            raise NumericalInstabilityError(f"the potential became non-finite at step {self.t}")

    @property
    def lyapunov(self) -> float:
        """Field Lyapunov exponent so far, per step (twin trajectories; NaN when switched off)."""
        return self._twin.exponent if self._twin is not None else float("nan")

    def fractal_dimension(self) -> tuple[float, float]:
        """Box-counting dimension and R^2 of the current field above the default -60 mV threshold.

        Uses the default :class:`~mfn.analysis.features.FeatureParams` threshold and box settings.
        """
        fp = DEFAULT_FEATURE_PARAMS
        sizes = (fp.min_box, fp.max_box, fp.num_scales)
        return box_dimension(self._V * MV_PER_V > fp.thresholds[0], *sizes)

    def features(self, params: FeatureParams | None = None) -> xr.Dataset:
        """The 18 features of the current state, with the temporal ones accumulated online.

        Equal to :func:`mfn.analysis.features.features` on a run of the same steps recorded with
        ``record_every=1`` (to rounding, 1e-9 relative), but needs no history: the temporal
        features were updated at every step in memory independent of the number of steps.

        Parameters
        ----------
        params : FeatureParams, optional
            Defaults to the ``feature_params`` given to the Simulation. Thresholds and box
            settings may differ from those; the stability threshold and window may not,
            because ``T_stable`` was accumulated with them.

        Raises
        ------
        ParameterError
            If ``params`` asks for other stability settings than those accumulated, or the
            Simulation was made with ``online_features=False``.
        """
        params = self.feature_params if params is None else params
        if not isinstance(params, FeatureParams):
            raise ParameterError("params", params, "a FeatureParams instance or None")
        acc = self._temporal
        if acc is None:
            raise ParameterError(
                "online_features",
                False,
                "True",
                "this Simulation was made with online_features=False; make it with True, or record the run "
                "with record_every=1 and call mfn.features(run)",
            )
        if (params.stability_threshold, params.stability_window) != (acc.stability_threshold, acc.stability_window):
            raise ParameterError(
                "params",
                f"stability_threshold={params.stability_threshold}, stability_window={params.stability_window}",
                f"stability_threshold={acc.stability_threshold}, stability_window={acc.stability_window}",
                "T_stable is accumulated while stepping: pass feature_params to Simulation(...) to change them",
            )
        return features_from_state(self.V, acc.result(), params, source="online")

    def frames(self, every: int = 1, steps: int | None = None) -> Iterator[tuple[int, np.ndarray]]:
        """Yield ``(t, V_mV)`` for the current state and then every ``every`` steps.

        Parameters
        ----------
        every : int, default 1
            Steps between yielded frames, >= 1.
        steps : int, optional
            Total steps to advance; defaults to the steps left until ``params.steps``
            (so a fresh simulation yields frames 0, every, ..., params.steps).
        """
        every = check_int("every", every, 1)
        total = max(self.params.steps - self.t, 0) if steps is None else check_int("steps", steps, 0)
        end = self.t + total
        yield self.t, self.V
        while self.t < end:
            self.step(min(every, end - self.t))
            yield self.t, self.V

    def run(self, record_every: int | None = 1, *, record_ai: bool = False) -> xr.Dataset:
        """Advance to ``params.steps`` and return the run as a Dataset.

        Parameters
        ----------
        record_every : int or None, default 1
            Keep a frame every this many steps (the current state and the final state are
            always kept); None keeps the final frame only, so memory does not grow with the
            number of steps.
        record_ai : bool, default False
            Also record the activator ``a`` and inhibitor ``i``.

        Returns
        -------
        xarray.Dataset
            Layout described in :func:`simulate`.
        """
        return run_recorded([self], self._advance_steps, record_every, record_ai)[0]

    def _advance_steps(self, n: int) -> None:
        for _ in range(n):
            self._advance()


def run_recorded(sims, advance, record_every: int | None, record_ai: bool) -> list[xr.Dataset]:
    """Advance simulations that share ``t`` and ``params.steps`` to the end, recording frames.

    The one recording loop behind :meth:`Simulation.run` and :class:`mfn.simulation.ensemble.Ensemble`.

    Parameters
    ----------
    sims : sequence of Simulation
        At the same step, with the same ``params.steps``.
    advance : callable
        ``advance(n)`` advances every one of them by ``n`` steps.
    record_every, record_ai
        As in :meth:`Simulation.run` (validated here).
    """
    if record_every is not None:
        record_every = check_int("record_every", record_every, 1)
    record_ai = check_bool("record_ai", record_ai)
    start = time.perf_counter()
    recorders = [_Recorder(sim, record_every, record_ai) for sim in sims]
    lead = sims[0]
    if record_every is not None:
        for recorder in recorders:
            recorder.take()
    while lead.t < lead.params.steps:
        stop = lead.params.steps
        if record_every is not None:  # the next multiple of record_every, or the last step
            stop = min(stop, (lead.t // record_every + 1) * record_every)
        advance(stop - lead.t)
        if record_every is not None:
            for recorder in recorders:
                recorder.take()
    for recorder in recorders:
        if record_every is None or recorder.times[-1] != lead.t:
            recorder.take()
    duration = time.perf_counter() - start
    return [recorder.to_dataset(duration) for recorder in recorders]


_SUM = np.add.reduce


def _mean(u: np.ndarray) -> float:
    """``float(u.mean())``, bit for bit (the same pairwise sum over the same size), at a fraction of the call cost."""
    if not u.flags.c_contiguous:  # e.g. an ensemble member's view: sum in the order of its own array
        u = np.ascontiguousarray(u)
    return float(_SUM(u, None)) / u.size


class _Recorder:
    """Collects frames and metrics of a run and builds its Dataset."""

    def __init__(self, sim: Simulation, record_every: int | None, record_ai: bool) -> None:
        self.sim = sim
        self.record_every = record_every
        self.record_ai = record_ai
        self.times: list[int] = []
        self.frames: dict[str, list[np.ndarray]] = {"V": [], "a": [], "i": []}
        self.metrics: dict[str, list] = {
            k: [] for k in ("growth_events", "turing_activations", "clamped_cells", "V_mean")
        }
        # counts since the previous frame are differences of the run totals
        self._activations = sim.turing_activations_total
        self._clamped = sim.clamped_cells_total

    def take(self) -> None:
        sim = self.sim
        self.times.append(sim.t)
        self.frames["V"].append(sim.V)
        if self.record_ai:
            self.frames["a"].append(sim._a.copy())
            self.frames["i"].append(sim._i.copy())
        self.metrics["growth_events"].append(sim.growth_events_total)
        self.metrics["turing_activations"].append(sim.turing_activations_total - self._activations)
        self.metrics["clamped_cells"].append(sim.clamped_cells_total - self._clamped)
        self.metrics["V_mean"].append(_mean(sim._V) * MV_PER_V)
        self._activations = sim.turing_activations_total
        self._clamped = sim.clamped_cells_total

    def to_dataset(self, duration_s: float) -> xr.Dataset:
        import xarray as xr

        sim = self.sim
        rows, cols = sim.params.shape
        interval = "per step" if self.record_every == 1 else "since the previous frame"
        data_vars = {
            "V": (("time", "y", "x"), np.stack(self.frames["V"]), {"units": "mV", "long_name": "membrane potential"}),
            "growth_events": (
                ("time",),
                np.asarray(self.metrics["growth_events"], np.int64),
                {"units": "1", "long_name": "growth events (cumulative)"},
            ),
            "turing_activations": (
                ("time",),
                np.asarray(self.metrics["turing_activations"], np.int64),
                {"units": "cells", "long_name": f"Turing activations ({interval})"},
            ),
            "clamped_cells": (
                ("time",),
                np.asarray(self.metrics["clamped_cells"], np.int64),
                {"units": "cells", "long_name": f"clamped cells ({interval})"},
            ),
            "V_mean": (("time",), np.asarray(self.metrics["V_mean"]), {"units": "mV", "long_name": "mean potential"}),
        }
        if self.record_ai:
            data_vars["a"] = (("time", "y", "x"), np.stack(self.frames["a"]), {"units": "1", "long_name": "activator"})
            data_vars["i"] = (("time", "y", "x"), np.stack(self.frames["i"]), {"units": "1", "long_name": "inhibitor"})
        events = np.array(sim._events, dtype=np.float64).reshape(-1, 4)
        data_vars["event_step"] = (
            ("event",),
            events[:, 0].astype(np.int64),
            {"units": "step", "long_name": "growth event step"},
        )
        data_vars["event_y"] = (
            ("event",),
            events[:, 1].astype(np.int64),
            {"units": "cell", "long_name": "growth event row"},
        )
        data_vars["event_x"] = (
            ("event",),
            events[:, 2].astype(np.int64),
            {"units": "cell", "long_name": "growth event column"},
        )
        data_vars["event_amplitude"] = (
            ("event",),
            events[:, 3],
            {"units": "mV", "long_name": "growth event amplitude"},
        )
        coords = {
            "time": ("time", np.asarray(self.times, np.int64), {"units": "step", "long_name": "step"}),
            "y": ("y", np.arange(rows), {"units": "cell", "long_name": "row"}),
            "x": ("x", np.arange(cols), {"units": "cell", "long_name": "column"}),
        }
        from mfn import __version__

        attrs = sim.params.to_attrs()
        attrs.update(
            {
                "title": "MyceliumFractalNet lattice field run",
                "mfn_version": __version__,
                "backend": sim.backend,
                "created": datetime.now(UTC).isoformat(timespec="seconds"),
                "duration_s": float(duration_s),
                "record_every": 0 if self.record_every is None else self.record_every,
                "growth_events_total": sim.growth_events_total,
                "turing_activations_total": sim.turing_activations_total,
                "clamped_cells_total": sim.clamped_cells_total,
                "lyapunov": sim.lyapunov,
                "fractal_dimension": sim.fractal_dimension()[0],
            }
        )
        return xr.Dataset(data_vars, coords, attrs)


def simulate(
    params: FieldParams | None = None,
    record_every: int | None = 1,
    *,
    record_ai: bool = False,
    backend: str = "auto",
    lyapunov: bool = True,
) -> xr.Dataset:
    """Run the lattice field model and return the run.

    Parameters
    ----------
    params : FieldParams, optional
        Model parameters; defaults to ``FieldParams()``.
    record_every : int or None, default 1
        Keep a frame every this many steps; frame 0 (the initial state) and the final frame
        are always kept. None keeps only the final frame (memory independent of steps).
    record_ai : bool, default False
        Also record the activator ``a`` and inhibitor ``i``.
    backend : {"auto", "numpy", "numba"}, default "auto"
        Step kernel.
    lyapunov : bool, default True
        Measure the field Lyapunov exponent with a twin trajectory stepped in the same loop
        (same draws); this doubles the stepping cost. False records ``lyapunov`` as NaN.

    Returns
    -------
    xarray.Dataset
        ``V(time, y, x)``: potential, mV, float64 (``a``, ``i`` too with ``record_ai``);
        over ``time`` (the step index of each frame): ``growth_events`` (cumulative),
        ``turing_activations`` and ``clamped_cells`` (per step; since the previous frame
        when ``record_every > 1``), ``V_mean`` (mV); along ``event``: ``event_step``,
        ``event_y``, ``event_x``, ``event_amplitude`` (mV). Attributes hold every
        parameter, ``mfn_version``, ``backend``, ``created`` (UTC, ISO 8601),
        ``duration_s``, ``record_every`` (0 = final frame only), the run totals
        ``growth_events_total``, ``turing_activations_total``, ``clamped_cells_total``, and
        the run metrics of SPEC section 8: ``lyapunov`` (field Lyapunov exponent, 1/step,
        see :mod:`mfn.simulation.twin`) and ``fractal_dimension`` (box-counting dimension of the
        final field above -60 mV, 0 when no cell is above it).

    Examples
    --------
    >>> run = simulate(FieldParams(grid_size=16, steps=20, seed=1))
    >>> run.V.dims, run.sizes["time"]
    (('time', 'y', 'x'), 21)
    """
    # The online feature accumulators would be discarded with the Simulation: skip them.
    sim = Simulation(params, backend=backend, lyapunov=lyapunov, online_features=False)
    return sim.run(record_every, record_ai=record_ai)
