"""One run of a sweep -> one record: the function shipped to Dask workers.

:func:`run_record` never raises for a problem of the run itself: an invalid parameter
combination or a numerical failure becomes a record with ``status="failed"`` and the reason
in ``error``, so a sweep goes on. Only the record's variables listed in :data:`RECORD_VARS`
are stored in the datacube.
"""

from __future__ import annotations

import time
from datetime import UTC, datetime
from typing import Any

__all__ = ["METRIC_VARS", "RECORD_VARS", "TEXT_VARS", "failed_record", "run_record"]

METRIC_VARS: dict[str, dict[str, str]] = {
    "growth_events_total": {"units": "1", "long_name": "growth events in the run"},
    "turing_activations_total": {"units": "cells", "long_name": "Turing activations summed over steps"},
    "clamped_cells_total": {"units": "cells", "long_name": "clamped cells summed over steps"},
    "duration_s": {"units": "s", "long_name": "wall time of the run (simulation and features)"},
}
"""Numeric run metrics: name -> attributes. Stored as float64, NaN where a run did not succeed."""

TEXT_VARS: dict[str, dict[str, str]] = {
    "status": {"long_name": "run status", "flag_values": "pending ok failed"},
    "error": {"long_name": "reason of a failure (empty when ok)"},
    "created": {"long_name": "time the run finished (UTC, ISO 8601)"},
}
"""Text variables of a record."""

RECORD_VARS: tuple[str, ...] = (*METRIC_VARS, *TEXT_VARS)
"""Every variable a record carries, in datacube order."""


def run_record(values: dict[str, Any]) -> dict[str, Any]:
    """Simulate one run and measure it.

    Parameters
    ----------
    values : dict
        Every :class:`~mfn.params.FieldParams` parameter (as from
        :meth:`SweepGrid.run_values <mfn.sweep_grid.SweepGrid.run_values>`).

    Returns
    -------
    dict
        One value for each name in :data:`RECORD_VARS`; ``status`` is ``"ok"`` or
        ``"failed"`` (then ``error`` holds ``"ExceptionType: message"`` and the numeric
        values are NaN).

    Examples
    --------
    >>> rec = run_record({"grid_size": 8, "steps": 4, "seed": 1})
    >>> rec["status"], rec["growth_events_total"] >= 0
    ('ok', True)
    """
    from mfn.field import Simulation
    from mfn.params import FieldParams

    start = time.perf_counter()
    try:
        params = FieldParams.from_dict(values)
        sim = Simulation(params)
        sim.step(params.steps)
        record: dict[str, Any] = {
            "growth_events_total": float(sim.growth_events_total),
            "turing_activations_total": float(sim.turing_activations_total),
            "clamped_cells_total": float(sim.clamped_cells_total),
            "status": "ok",
            "error": "",
        }
    except Exception as err:  # any failure of this run is recorded; the sweep goes on
        record = failed_record(f"{type(err).__name__}: {err}")
    record["duration_s"] = time.perf_counter() - start
    record["created"] = datetime.now(UTC).isoformat(timespec="seconds")
    return record


def failed_record(reason: str) -> dict[str, Any]:
    """A record for a run that did not succeed: NaN values, ``status="failed"``, ``error=reason``."""
    record: dict[str, Any] = dict.fromkeys(METRIC_VARS, float("nan"))
    record.update(status="failed", error=reason, created=datetime.now(UTC).isoformat(timespec="seconds"))
    return record
