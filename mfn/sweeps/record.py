"""One run of a sweep -> one record: the function shipped to Dask workers.

A record holds the 18 features (docs/features.md) computed online while the field steps
(:meth:`mfn.Simulation.features`: only the last frame is kept, so memory does not grow with
the number of steps), the thresholds they used, the run metrics of docs/features.md, run metrics (with
``lyapunov``, the field Lyapunov exponent, and ``fractal_dimension``, the box-counting
dimension at the default -60 mV threshold, exactly as a run's attributes report them), and
``status``/``error``/``created``. :func:`run_record` never
raises for a problem of the run itself: an invalid parameter combination (for example a box
size larger than the lattice) or a numerical failure becomes a record with
``status="failed"`` and the reason in ``error``, so a sweep goes on. With a ``time_limit``
a run that takes longer stops between steps and is recorded as failed with
``TimeLimitExceeded`` and how far it got.
"""

from __future__ import annotations

import time
from datetime import UTC, datetime
from typing import Any

from mfn.analysis.features import FEATURE_LONG_NAMES, FEATURE_NAMES, FEATURE_UNITS, FeatureParams
from mfn.core.errors import MFNError

__all__ = [
    "METRIC_VARS",
    "NUMERIC_VARS",
    "RECORD_VARS",
    "TEXT_VARS",
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


FEATURE_VARS: dict[str, dict[str, str]] = {
    name: {"units": FEATURE_UNITS[name], "long_name": FEATURE_LONG_NAMES[name]} for name in FEATURE_NAMES
}
"""The 18 features, in their fixed order (docs/features.md)."""

THRESHOLD_VARS: dict[str, dict[str, str]] = {
    f"threshold_{level}": {"units": "mV", "long_name": f"{level} threshold the features used"}
    for level in ("low", "med", "high")
}
"""Thresholds used (fixed, or the run's own percentiles in adaptive mode)."""

METRIC_VARS: dict[str, dict[str, str]] = {
    "growth_events_total": {"units": "1", "long_name": "growth events in the run"},
    "turing_activations_total": {"units": "cells", "long_name": "Turing activations summed over steps"},
    "clamped_cells_total": {"units": "cells", "long_name": "clamped cells summed over steps"},
    "lyapunov": {"units": "1/step", "long_name": "field Lyapunov exponent (twin trajectory)"},
    "fractal_dimension": {"units": "1", "long_name": "box-counting dimension of V > -60 mV (run metric)"},
    "duration_s": {"units": "s", "long_name": "wall time of the run (simulation and features)"},
}
"""Run metrics (docs/features.md, run metrics)."""

NUMERIC_VARS: dict[str, dict[str, str]] = {**FEATURE_VARS, **THRESHOLD_VARS, **METRIC_VARS}
"""Every numeric variable: name -> attributes. Stored as float64, NaN where a run did not succeed."""

TEXT_VARS: dict[str, dict[str, str]] = {
    "status": {"long_name": "run status", "flag_values": "pending ok failed"},
    "error": {"long_name": "reason of a failure (empty when ok)"},
    "created": {"long_name": "time the run finished (UTC, ISO 8601)"},
}
"""Text variables of a record."""

RECORD_VARS: tuple[str, ...] = (*NUMERIC_VARS, *TEXT_VARS)
"""Every variable a record of the classic model carries, in datacube order."""


def metric_vars(model: str = "classic") -> dict[str, dict[str, str]]:
    """Run metrics of a model's sweep: ``<counter>_total`` for each of its counters, then
    ``lyapunov``, ``fractal_dimension`` and ``duration_s``.

    For the classic model these are exactly :data:`METRIC_VARS` (same names, same attributes).
    """
    from mfn.core.model import get_model

    found = get_model(model)
    out = {
        f"{c.name}_total": {"units": c.units, "long_name": f"{c.long_name}, summed over the run"}
        for c in found.counters
    }
    primary = found.variable(found.primary)
    out["lyapunov"] = {"units": "1/step", "long_name": "field Lyapunov exponent (twin trajectory; NaN without)"}
    out["fractal_dimension"] = {"units": "1", "long_name": f"box-counting dimension of {primary.name} (run metric)"}
    out["duration_s"] = dict(METRIC_VARS["duration_s"])
    return {name: dict(METRIC_VARS.get(name, attrs)) for name, attrs in out.items()}


def numeric_vars(model: str = "classic") -> dict[str, dict[str, str]]:
    """Every numeric variable of a model's sweep records: features, thresholds, run metrics.

    Features and thresholds are in the units of the model's primary variable (mV for the
    classic model, whose records are exactly :data:`FEATURE_VARS` and :data:`THRESHOLD_VARS`).
    """
    from mfn.core.model import get_model

    found = get_model(model)
    units = found.variable(found.primary).units
    measured = {**FEATURE_VARS, **THRESHOLD_VARS}
    if units != "mV":
        measured = {name: {**attrs, "units": _in_units(attrs["units"], units)} for name, attrs in measured.items()}
    return {**measured, **metric_vars(model)}


def _in_units(feature_units: str, units: str) -> str:
    """A feature's units with mV replaced by the primary variable's (``"mV/step"`` -> ``"1/step"``)."""
    if feature_units == "mV^2/step":
        return f"({units})^2/step"
    return feature_units.replace("mV", units)


def record_vars(model: str = "classic") -> tuple[str, ...]:
    """Every variable of a model's sweep records, in datacube order."""
    return (*numeric_vars(model), *TEXT_VARS)


def run_record(
    values: dict[str, Any],
    feature_params: FeatureParams | None = None,
    time_limit: float | None = None,
    model: str = "classic",
) -> dict[str, Any]:
    """Simulate one run and measure it.

    Parameters
    ----------
    values : dict
        Every parameter of the model's params class (as from
        :meth:`SweepGrid.run_values <mfn.sweeps.grid.SweepGrid.run_values>`).
    feature_params : FeatureParams, optional
        Settings of the features; defaults to ``FeatureParams()``.
    time_limit : float, optional
        Longest wall time of the run's steps, s, counted from the end of its first slice of work
        (which may include a one-time compilation of the kernels in a fresh worker) and checked
        between steps and, for a model with long steps (reaction-diffusion substeps), inside
        them; :func:`mfn.sweeps.driver.sweep` validates it. The results do not depend on it.
    model : str, default "classic"
        Name of the registered model the parameters belong to.

    Returns
    -------
    dict
        One value for each name in :func:`record_vars` of the model; ``status`` is ``"ok"`` or
        ``"failed"`` (then ``error`` holds ``"ExceptionType: message"`` and the numeric
        values are NaN).

    Examples
    --------
    >>> rec = run_record({"grid_size": 8, "steps": 4, "seed": 1})
    >>> rec["status"], rec["growth_events_total"] >= 0, rec["fractal_dimension"] == rec["D_box"]
    ('ok', True, True)
    >>> abs(rec["lyapunov"]) < 1e-6  # periodic boundaries conserve the mean: a neutral mode
    True
    """
    from mfn.core.model import get_model
    from mfn.simulation.simulation import Simulation

    import_scipy_ndimage()  # so that duration_s measures the run, not a one-time import
    feature_params = FeatureParams() if feature_params is None else feature_params
    start = time.perf_counter()
    try:
        params = get_model(model).params_class.from_dict(values)
        sim = Simulation(params, feature_params=feature_params)  # online features and the Lyapunov twin
        if time_limit is None:
            sim.step(params.steps)
        else:
            _step_within(sim, params.steps, time_limit)
        measured = sim.features()
        record: dict[str, Any] = {name: float(measured[name]) for name in FEATURE_NAMES}
        record.update({name: float(measured.attrs[name]) for name in THRESHOLD_VARS})
        record.update({f"{name}_total": float(total) for name, total in sim.totals.items()})
        record.update(
            lyapunov=float(sim.lyapunov),
            fractal_dimension=float(sim.fractal_dimension()[0]),
            status="ok",
            error="",
        )
    except Exception as err:  # any failure of this run is recorded; the sweep goes on
        record = failed_record(f"{type(err).__name__}: {err}", model)
    record["duration_s"] = time.perf_counter() - start
    record["created"] = datetime.now(UTC).isoformat(timespec="seconds")
    return record


def _step_within(sim, steps: int, time_limit: float) -> None:
    """Advance ``steps`` steps in slices of about ``_SLICE_SECONDS``, stopping past ``time_limit``.

    The clock starts after the first slice of work (which may compile the kernels): the first
    step for most models, the first substep for a model whose stepper has a ``checkpoint``
    (its long steps are sliced and the limit is checked inside them too).
    """
    budget = _Budget(sim, steps, time_limit)
    sliced = hasattr(sim.stepper, "checkpoint")
    if sliced:
        sim.stepper.checkpoint = budget.check
    try:
        sim.step(1)
        budget.check()
        done, chunk = 1, 1
        while done < steps:
            n = min(chunk, steps - done)
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


def failed_record(reason: str, model: str = "classic") -> dict[str, Any]:
    """A record for a run that did not succeed: NaN values, ``status="failed"``, ``error=reason``."""
    record: dict[str, Any] = dict.fromkeys(numeric_vars(model), float("nan"))
    record.update(status="failed", error=reason, created=datetime.now(UTC).isoformat(timespec="seconds"))
    return record
