"""One run of a sweep -> one record: the function shipped to Dask workers.

A record holds the 18 features (docs/features.md) of the model's primary variable, computed
online while the field steps (:meth:`mfn.Simulation.features`: only the last frame is kept, so
memory does not grow with the number of steps), the thresholds they used, the run metrics
(each counter's total, ``lyapunov``, the field Lyapunov exponent, and ``fractal_dimension``,
the box-counting dimension of the primary variable above the first threshold of the model's
feature settings, exactly as a run's attributes report them), the model's own measures
(:class:`mfn.core.model.Measure`), and ``status``/``error``/``created``. Every variable's
unit and long name comes from the model (:func:`numeric_vars`). :func:`run_record` never
raises for a problem of the run itself: an invalid parameter combination (for example a box
size larger than the lattice) or a numerical failure becomes a record with
``status="failed"`` and the reason in ``error``, so a sweep goes on. With a ``time_limit``
a run that takes longer stops between steps and is recorded as failed with
``TimeLimitExceeded`` and how far it got.
"""

from __future__ import annotations

import time
from datetime import UTC, datetime
from typing import TYPE_CHECKING, Any

from mfn.analysis.feature_names import FEATURE_NAMES, feature_attrs
from mfn.analysis.feature_params import DEFAULT_FEATURE_PARAMS, FeatureParams
from mfn.core.errors import MFNError
from mfn.core.model import measure_run

if TYPE_CHECKING:
    from mfn.core.model import Model

__all__ = [
    "TEXT_VARS",
    "THRESHOLD_NAMES",
    "TimeLimitExceeded",
    "failed_record",
    "metric_vars",
    "numeric_vars",
    "record_vars",
    "run_record",
]

_SLICE_SECONDS = 0.05  # a time-limited run checks the clock about this often


class TimeLimitExceeded(MFNError):
    """A run took longer than its time limit and was stopped."""


THRESHOLD_NAMES = ("threshold_low", "threshold_med", "threshold_high")
"""The thresholds the features used (fixed, or the run's own percentiles in adaptive mode)."""

TEXT_VARS: dict[str, dict[str, str]] = {
    "status": {"long_name": "run status", "flag_values": "pending ok failed"},
    "error": {"long_name": "reason of a failure (empty when ok)"},
    "created": {"long_name": "time the run finished (UTC, ISO 8601)"},
}
"""Text variables of a record."""


def _dimension_long_name(model: Model) -> str:
    """What a run's ``fractal_dimension`` measures, in the model's terms (:meth:`mfn.Simulation.fractal_dimension`)."""
    primary = model.variable(model.primary)
    fp = model.feature_params or DEFAULT_FEATURE_PARAMS
    if fp.threshold_mode == "fixed":
        above = f"> {fp.thresholds[0]:g}" + (f" {primary.units}" if primary.units != "1" else "")
    else:
        above = f"above its {fp.percentiles[0]:g}th percentile"
    return f"box-counting dimension of {primary.name} ({primary.long_name}) {above} (run metric)"


def metric_vars(model: Model) -> dict[str, dict[str, str]]:
    """Run metrics of a model's sweep: ``<counter>_total`` for each of its counters, ``lyapunov``,
    ``fractal_dimension``, then the model's measures and ``duration_s``."""
    out = {
        f"{c.name}_total": {"units": c.units, "long_name": f"{c.long_name}, summed over the run"}
        for c in model.counters
    }
    out["lyapunov"] = {"units": "1/step", "long_name": "field Lyapunov exponent (twin trajectory; NaN without)"}
    out["fractal_dimension"] = {"units": "1", "long_name": _dimension_long_name(model)}
    out.update({m.name: {"units": m.units, "long_name": m.long_name} for m in model.measures})
    out["duration_s"] = {"units": "s", "long_name": "wall time of the run (simulation and features)"}
    return out


def numeric_vars(model: Model) -> dict[str, dict[str, str]]:
    """Every numeric variable of a model's sweep records (name -> attributes), in datacube order.

    The features and thresholds read the model's primary variable, in its units (mV for the
    classic model's ``V``; no unit for the mycelium's ``occupied``, whose ``V_mean`` is the
    occupied fraction), then :func:`metric_vars`. Stored as float64, NaN where a run did not succeed.
    """
    primary = model.variable(model.primary)
    out = feature_attrs(primary.name, primary.long_name, primary.units)
    for name in THRESHOLD_NAMES:
        level = name.split("_")[1]
        out[name] = {"units": primary.units, "long_name": f"{level} threshold of {primary.name} the features used"}
    out.update(metric_vars(model))
    return out


def record_vars(model: Model) -> tuple[str, ...]:
    """Every variable of a model's sweep records, in datacube order."""
    return (*numeric_vars(model), *TEXT_VARS)


def run_record(
    values: dict[str, Any],
    model: Model,
    feature_params: FeatureParams | None = None,
    time_limit: float | None = None,
) -> dict[str, Any]:
    """Simulate one run and measure it.

    Parameters
    ----------
    values : dict
        Every parameter of the model's params class (as from
        :meth:`SweepGrid.run_values <mfn.sweeps.grid.SweepGrid.run_values>`).
    model : Model
        The registered model the parameters belong to (``SweepGrid.model``).
    feature_params : FeatureParams, optional
        Settings of the features; defaults to ``FeatureParams()``.
    time_limit : float, optional
        Longest wall time of the run's steps, s, counted from the end of its first slice of work
        (which may include a one-time compilation of the kernels in a fresh worker) and checked
        between steps and, for a model with long steps (reaction-diffusion substeps), inside
        them; :func:`mfn.sweeps.driver.sweep` validates it. The results do not depend on it.

    Returns
    -------
    dict
        One value for each name in :func:`record_vars` of the model; ``status`` is ``"ok"`` or
        ``"failed"`` (then ``error`` holds ``"ExceptionType: message"`` and the numeric
        values are NaN).

    Examples
    --------
    >>> from mfn.core.model import get_model
    >>> rec = run_record({"grid_size": 8, "steps": 4, "seed": 1}, get_model("classic"))
    >>> rec["status"], rec["growth_events_total"] >= 0, rec["fractal_dimension"] == rec["D_box"]
    ('ok', True, True)
    >>> abs(rec["lyapunov"]) < 1e-6  # periodic boundaries conserve the mean: a neutral mode
    True
    """
    from mfn.simulation.simulation import Simulation

    import_scipy_ndimage()  # so that duration_s measures the run, not a one-time import
    feature_params = FeatureParams() if feature_params is None else feature_params
    start = time.perf_counter()
    try:
        params = model.params_class.from_dict(values)
        sim = Simulation(params, feature_params=feature_params)  # online features and the Lyapunov twin
        if time_limit is None:
            sim.advance_to_end()
        else:
            _step_within(sim, params.steps, time_limit)
        measured = sim.features()
        record: dict[str, Any] = {name: float(measured[name]) for name in FEATURE_NAMES}
        record.update({name: float(measured.attrs[name]) for name in THRESHOLD_NAMES})
        record.update({f"{name}_total": float(total) for name, total in sim.totals.items()})
        record.update(
            lyapunov=float(sim.lyapunov),
            fractal_dimension=float(sim.fractal_dimension()[0]),
            status="ok",
            error="",
        )
        record.update(measure_run(model, sim.stepper))
    except Exception as err:  # any failure of this run is recorded; the sweep goes on
        record = failed_record(f"{type(err).__name__}: {err}", model)
    record["duration_s"] = time.perf_counter() - start
    record["created"] = datetime.now(UTC).isoformat(timespec="seconds")
    return record


def _step_within(sim, steps: int, time_limit: float) -> None:
    """Advance ``steps`` steps in slices of about ``_SLICE_SECONDS``, stopping past ``time_limit``.

    The clock starts after the first slice of work (which may compile the kernels): the first
    step for most models, the first substep for a model whose stepper has a ``checkpoint``
    (its long steps are sliced and the limit is checked inside them too). A model that can
    finish early (a reaction-diffusion run until its pattern settles) is checked at its
    checkpoints.
    """
    from mfn.simulation.recorder import next_stop

    budget = _Budget(sim, steps, time_limit)
    sliced = hasattr(sim.stepper, "checkpoint")
    if sliced:
        sim.stepper.checkpoint = budget.check
    try:
        sim.step(1)
        budget.check()
        done, chunk = 1, 1
        while done < steps and not sim.finished:
            n = min(chunk, next_stop([sim], done, steps) - done)
            before = time.perf_counter()
            sim.step(n)
            done += n
            if done < steps:
                budget.check()
            if time.perf_counter() - before < _SLICE_SECONDS / 2:
                chunk *= 2
    finally:
        if sliced:
            sim.stepper.checkpoint = None


class _Budget:
    """The clock of a time-limited run: started by the first :meth:`check`, raising once past the limit."""

    def __init__(self, sim, steps: int, time_limit: float) -> None:
        self.sim, self.steps, self.time_limit = sim, steps, time_limit
        self.start: float | None = None

    def check(self) -> None:
        now = time.perf_counter()
        if self.start is None:
            self.start = now
        elif now - self.start > self.time_limit:
            raise TimeLimitExceeded(
                f"stopped after {now - self.start:.2f} s (time_limit = {self.time_limit:g} s) "
                f"at step {self.sim.t} of {self.steps} steps"
            )


def import_scipy_ndimage() -> None:
    """Import what the structural features load lazily (a few hundred ms, once per process)."""
    import scipy.ndimage  # noqa: F401


def failed_record(reason: str, model: Model) -> dict[str, Any]:
    """A record for a run that did not succeed: NaN values, ``status="failed"``, ``error=reason``."""
    record: dict[str, Any] = dict.fromkeys(numeric_vars(model), float("nan"))
    record.update(status="failed", error=reason, created=datetime.now(UTC).isoformat(timespec="seconds"))
    return record
