"""The run recorder: frames, counters and metrics of any model into one :class:`xarray.Dataset`.

:func:`run_recorded` is the one recording loop behind :meth:`mfn.Simulation.run` and
:class:`mfn.Ensemble`. What it records comes from the model (:mod:`mfn.core.model`): every
variable asked for over ``(time, y, x)``, every counter and metric over ``time``, the event
table along ``event``, the model's own data of the finished run (``stepper.run_data()``, a
Dataset, when the stepper has it: the mycelium's hyphal network over ``node``/``edge``), and
attributes holding every parameter, the run totals, metrics and the model's measures. Models
with physical units (``Model.spacing``) get ``x_um``/``y_um`` (cell centres) and
``time_s``/``time_h`` coordinates. A run whose stepper can finish early (``check_every`` and
``finished()``, :mod:`mfn.core.model`) stops at the first check at which every simulation has
finished.
"""

from __future__ import annotations

import time
from collections.abc import Callable, Sequence
from datetime import UTC, datetime
from typing import TYPE_CHECKING, Any, Protocol

import numpy as np

from mfn.core.checks import check_int
from mfn.core.errors import ParameterError
from mfn.core.memory import array_bytes, check_memory
from mfn.core.model import measure_run
from mfn.core.version import __version__

if TYPE_CHECKING:
    import xarray as xr

    from mfn.core.model import Model

__all__ = ["Recordable", "check_variables", "finished", "frame_count", "memory_estimate", "next_stop", "run_recorded"]


class Recordable(Protocol):
    """What the recorder reads of a simulation (:class:`mfn.Simulation` is one): its model,
    parameters and stepper, its step and the fractal dimension of its primary variable."""

    model: Model
    params: Any
    stepper: Any

    @property
    def t(self) -> int: ...

    def fractal_dimension(self) -> tuple[float, float]: ...


def check_variables(model, variables: Any) -> tuple[str, ...]:
    """The variable names to record: None = the model's default ones, ``"all"``, or a list."""
    if variables is None:
        return tuple(v.name for v in model.variables if v.recorded)
    if variables == "all":
        return tuple(v.name for v in model.variables)
    if isinstance(variables, str):
        variables = (variables,)
    try:
        names = tuple(variables)
    except TypeError:
        raise ParameterError("variables", variables, "None, 'all' or a list of variable names") from None
    for name in names:
        model.variable(name)  # raises ParameterError listing the names
    return names


def frame_count(steps: int, record_every: int | None) -> int:
    """Most frames a run of ``steps`` steps records: the first, every ``record_every``-th and the last."""
    return 1 if record_every is None else steps // record_every + 2


def memory_estimate(params, n_variables: int, record_every: int | None) -> int:
    """Bytes the recorded frames of a run take (float64 frames)."""
    return frame_count(params.steps, record_every) * params.n_cells * 8 * n_variables


def next_stop(sims: Sequence[Recordable], t: int, end: int) -> int:
    """The step to advance to from ``t``: ``end``, or sooner at the next check of a stepper that can finish early."""
    stop = end
    for sim in sims:
        every = getattr(sim.stepper, "check_every", None)
        if every:
            stop = min(stop, (t // every + 1) * every)
    return stop


def finished(sims: Sequence[Recordable]) -> bool:
    """Whether every simulation's stepper says its run may end now (False for steppers that never end early)."""
    return all(getattr(sim.stepper, "check_every", None) and sim.stepper.finished() for sim in sims)


def run_recorded(
    sims: Sequence[Recordable], advance: Callable[[int], None], record_every: int | None, variables: Any = None
) -> list[xr.Dataset]:
    """Advance simulations that share ``t`` and ``params.steps`` to the end, recording frames.

    Parameters
    ----------
    sims : sequence of Simulation
        At the same step, with the same ``params.steps`` and the same model.
    advance : callable
        ``advance(n)`` advances every one of them by ``n`` steps.
    record_every : int or None
        Keep a frame every this many steps (frame 0 and the final frame always); None keeps
        the final frame only.
    variables : None, "all" or sequence of str
        Variables to record; None records the model's default ones.

    Raises
    ------
    ParameterError
        If ``record_every`` or ``variables`` is invalid, or the recorded history and the
        simulations' state would not fit in :func:`mfn.core.memory.memory_limit` (a share of
        this machine's memory; the message gives the numbers and the fix).
    """
    if record_every is not None:
        record_every = check_int("record_every", record_every, 1)
    lead = sims[0]
    names = check_variables(lead.model, variables)
    history = memory_estimate(lead.params, len(names), record_every) * len(sims)
    runs = f"{len(sims)} runs" if len(sims) > 1 else "a run"
    check_memory(
        "record_every",
        record_every,
        history + array_bytes(list(sims)),
        f"recording {runs} of {lead.params.steps} steps of {lead.params.n_cells} cells x {len(names)} variable(s)",
        "record fewer frames (record_every=k or None) or fewer steps",
    )
    start = time.perf_counter()
    recorders = [_Recorder(sim, record_every, names) for sim in sims]
    if record_every is not None:
        for recorder in recorders:
            recorder.take()
    while lead.t < lead.params.steps and not finished(sims):
        stop = next_stop(sims, lead.t, lead.params.steps)
        if record_every is not None:  # the next multiple of record_every, or the last step
            stop = min(stop, (lead.t // record_every + 1) * record_every)
        advance(stop - lead.t)
        if record_every is not None and (lead.t % record_every == 0 or lead.t == lead.params.steps):
            for recorder in recorders:
                recorder.take()
    for recorder in recorders:
        if record_every is None or recorder.times[-1] != lead.t:
            recorder.take()
    duration = time.perf_counter() - start
    return [recorder.to_dataset(duration) for recorder in recorders]


class _Recorder:
    """Collects frames and metrics of a run and builds its Dataset."""

    def __init__(self, sim: Recordable, record_every: int | None, names: tuple[str, ...]) -> None:
        self.sim = sim
        self.model = sim.model
        self.record_every = record_every
        self.names = names
        self.times: list[int] = []
        # frames go into arrays made once (pages are used as they are written), not a list
        # stacked at the end, which would hold the history twice
        self.capacity = frame_count(sim.params.steps, record_every)
        self.frames: dict[str, np.ndarray] = {}
        self.counts: dict[str, list[int]] = {c.name: [] for c in self.model.counters}
        self.metrics: dict[str, list[float]] = {m.name: [] for m in self.model.metrics}
        self._previous = sim.stepper.totals()  # counts since the previous frame are differences of totals

    def take(self) -> None:
        stepper = self.sim.stepper
        k = len(self.times)
        self.times.append(stepper.t)
        for name in self.names:
            frame = stepper.variable(name)
            if name not in self.frames:
                self.frames[name] = np.empty((self.capacity, *frame.shape), frame.dtype)
            self.frames[name][k] = frame
        totals = stepper.totals()
        for counter in self.model.counters:
            total = totals[counter.name]
            self.counts[counter.name].append(total if counter.cumulative else total - self._previous[counter.name])
        self._previous = totals
        for name, value in stepper.frame_metrics().items():
            self.metrics[name].append(value)

    def to_dataset(self, duration_s: float) -> xr.Dataset:
        import xarray as xr

        sim, model = self.sim, self.model
        stepper = sim.stepper
        rows, cols = sim.params.shape
        interval = "per step" if self.record_every == 1 else "since the previous frame"
        data_vars: dict[str, Any] = {}
        for name in self.names:
            var = model.variable(name)
            data_vars[name] = (
                ("time", "y", "x"),
                self.frames[name][: len(self.times)],
                {"units": var.units, "long_name": var.long_name},
            )
        for counter in model.counters:
            label = "cumulative" if counter.cumulative else interval
            data_vars[counter.name] = (
                ("time",),
                np.asarray(self.counts[counter.name], np.int64),
                {"units": counter.units, "long_name": f"{counter.long_name} ({label})"},
            )
        for metric in model.metrics:
            data_vars[metric.name] = (
                ("time",),
                np.asarray(self.metrics[metric.name], np.float64),
                {"units": metric.units, "long_name": metric.long_name},
            )
        for name, (values, units, long_name) in stepper.events().items():
            data_vars[name] = (("event",), values, {"units": units, "long_name": long_name})
        extra = stepper.run_data() if hasattr(stepper, "run_data") else None  # e.g. the mycelium's network
        coords: dict[str, Any] = {
            "time": ("time", np.asarray(self.times, np.int64), {"units": "step", "long_name": "step"}),
            "y": ("y", np.arange(rows), {"units": "cell", "long_name": "row"}),
            "x": ("x", np.arange(cols), {"units": "cell", "long_name": "column"}),
        }
        dx_um, dt_s = model.spacing(sim.params) if model.spacing is not None else (None, None)
        if dx_um is not None:  # cell centres
            coords["y_um"] = ("y", (np.arange(rows) + 0.5) * dx_um, {"units": "µm", "long_name": "distance along rows"})
            coords["x_um"] = (
                "x",
                (np.arange(cols) + 0.5) * dx_um,
                {"units": "µm", "long_name": "distance along columns"},
            )
        if dt_s is not None:
            seconds = np.asarray(self.times) * dt_s
            coords["time_s"] = ("time", seconds, {"units": "s", "long_name": "time"})
            coords["time_h"] = ("time", seconds / 3600.0, {"units": "h", "long_name": "time"})
        attrs = sim.params.to_attrs()
        attrs.update(
            {
                "title": f"MyceliumFractalNet {model.title} run",
                "model": model.name,
                "primary": model.primary,
                "mfn_version": __version__,
                "backend": stepper.backend,
                "created": datetime.now(UTC).isoformat(timespec="seconds"),
                "duration_s": float(duration_s),
                "record_every": 0 if self.record_every is None else self.record_every,
            }
        )
        attrs.update({f"{name}_total": int(total) for name, total in stepper.totals().items()})
        attrs["lyapunov"] = stepper.lyapunov
        attrs["fractal_dimension"] = sim.fractal_dimension()[0]
        attrs.update(stepper.run_attrs())
        attrs.update(measure_run(model, stepper))
        run = xr.Dataset(data_vars, coords, attrs)
        return run if extra is None else run.merge(extra, combine_attrs="override")
