"""One run of a sweep -> one record: the function shipped to Dask workers.

A record holds the 18 features (docs/features.md) computed online while the field steps
(:meth:`mfn.Simulation.features`: only the last frame is kept, so memory does not grow with
the number of steps), the thresholds they used, the run metrics of docs/features.md, run metrics (with
``lyapunov``, the field Lyapunov exponent, and ``fractal_dimension``, the box-counting
dimension at the default -60 mV threshold, exactly as a run's attributes report them), and
``status``/``error``/``created``. :func:`run_record` never
raises for a problem of the run itself: an invalid parameter combination (for example a box
size larger than the lattice) or a numerical failure becomes a record with
``status="failed"`` and the reason in ``error``, so a sweep goes on.
"""

from __future__ import annotations

import time
from datetime import UTC, datetime
from typing import Any

from mfn.analysis.features import FEATURE_LONG_NAMES, FEATURE_NAMES, FEATURE_UNITS, FeatureParams

__all__ = ["METRIC_VARS", "NUMERIC_VARS", "RECORD_VARS", "TEXT_VARS", "failed_record", "run_record"]

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
"""Every variable a record carries, in datacube order."""


def run_record(values: dict[str, Any], feature_params: FeatureParams | None = None) -> dict[str, Any]:
    """Simulate one run and measure it.

    Parameters
    ----------
    values : dict
        Every :class:`~mfn.models.classic.params.FieldParams` parameter (as from
        :meth:`SweepGrid.run_values <mfn.sweeps.grid.SweepGrid.run_values>`).
    feature_params : FeatureParams, optional
        Settings of the features; defaults to ``FeatureParams()``.

    Returns
    -------
    dict
        One value for each name in :data:`RECORD_VARS`; ``status`` is ``"ok"`` or
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
    from mfn.models.classic.params import FieldParams
    from mfn.simulation.simulation import Simulation

    import_scipy_ndimage()  # so that duration_s measures the run, not a one-time import
    feature_params = FeatureParams() if feature_params is None else feature_params
    start = time.perf_counter()
    try:
        params = FieldParams.from_dict(values)
        sim = Simulation(params, feature_params=feature_params)  # online features and the Lyapunov twin
        sim.step(params.steps)
        measured = sim.features()
        record: dict[str, Any] = {name: float(measured[name]) for name in FEATURE_NAMES}
        record.update({name: float(measured.attrs[name]) for name in THRESHOLD_VARS})
        record.update(
            growth_events_total=float(sim.growth_events_total),
            turing_activations_total=float(sim.turing_activations_total),
            clamped_cells_total=float(sim.clamped_cells_total),
            lyapunov=float(sim.lyapunov),
            fractal_dimension=float(sim.fractal_dimension()[0]),
            status="ok",
            error="",
        )
    except Exception as err:  # any failure of this run is recorded; the sweep goes on
        record = failed_record(f"{type(err).__name__}: {err}")
    record["duration_s"] = time.perf_counter() - start
    record["created"] = datetime.now(UTC).isoformat(timespec="seconds")
    return record


def import_scipy_ndimage() -> None:
    """Import what the structural features load lazily (a few hundred ms, once per process)."""
    import scipy.ndimage  # noqa: F401


def failed_record(reason: str) -> dict[str, Any]:
    """A record for a run that did not succeed: NaN values, ``status="failed"``, ``error=reason``."""
    record: dict[str, Any] = dict.fromkeys(NUMERIC_VARS, float("nan"))
    record.update(status="failed", error=reason, created=datetime.now(UTC).isoformat(timespec="seconds"))
    return record
