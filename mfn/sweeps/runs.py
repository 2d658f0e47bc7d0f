"""A sweep's runs carried out: on Dask a window at a time, their records into the cube and the store.

:func:`run_on_dask` keeps at most :data:`SUBMIT_WINDOW` runs in flight, so the memory of this
process and of the scheduler does not grow with the sweep's size; a run whose worker keeps
dying is recorded as failed with the reason. :class:`Sink` puts each finished record into the
in-memory cube at once and into the store at most every :data:`FLUSH_SECONDS`, and on exit
(Ctrl-C included), so nothing that finished is lost.
"""

from __future__ import annotations

import time
from typing import TYPE_CHECKING, Any

from mfn.core.errors import OutputError
from mfn.sweeps.record import failed_record, run_record

if TYPE_CHECKING:
    import xarray as xr

    from mfn.sweeps.grid import SweepGrid
    from mfn.sweeps.store import SweepStore

__all__ = ["FLUSH_SECONDS", "SUBMIT_WINDOW", "Sink", "progress_bar", "run_on_dask"]

FLUSH_SECONDS = 1.0
"""Longest time a finished record waits in memory before it is written to the store."""

SUBMIT_WINDOW = 512
"""Most runs of a sweep submitted to Dask and not yet finished (more are submitted as they finish)."""


def run_on_dask(client, todo: list[tuple[int, ...]], sink: Sink, bar, time_limit: float | None = None) -> None:
    """Submit the runs, at most :data:`SUBMIT_WINDOW` at a time, and record results as they complete.

    A bounded number of tasks in flight keeps the memory of this process and of the
    scheduler independent of the sweep's size. A worker that dies mid-run is survived by the
    scheduler, which reruns its tasks elsewhere (up to ``distributed.scheduler.allowed-failures``
    times); a run that still cannot finish is recorded as failed with the reason (``KilledWorker``).
    """
    from uuid import uuid4

    from distributed import as_completed

    token = uuid4().hex[:8]
    futures: dict[Any, tuple[int, ...]] = {}
    waiting = iter(todo)
    completed = as_completed()

    def submit_next() -> None:
        index = next(waiting, None)
        if index is None:
            return
        run_id = int(sink.cube.run_id.values[index])
        values = sink.grid.run_values(index)
        future = client.submit(
            run_record,
            *(values, sink.grid.model, sink.feature_params, time_limit),
            key=f"mfn-run-{run_id}-{token}",
            pure=False,
            retries=1,
        )
        futures[future] = index
        completed.add(future)

    for _ in range(SUBMIT_WINDOW):
        submit_next()
    try:
        for future in completed:
            try:
                record = future.result()
            except Exception as err:  # e.g. KilledWorker: recorded as the run's failure
                record = failed_record(f"{type(err).__name__}: {err}", sink.grid.model)
            sink.add(futures.pop(future), record)
            bar.update()
            submit_next()
    finally:
        client.cancel(list(futures))


class Sink:
    """Puts finished records into the in-memory cube and, every second or so, into the store."""

    def __init__(self, cube: xr.Dataset, store: SweepStore | None, on_result, grid: SweepGrid, feature_params) -> None:
        self.cube = cube
        self.feature_params = feature_params
        self.store = store
        self.on_result = on_result
        self.grid = grid
        self.pending: list[tuple[tuple[int, ...], dict[str, Any]]] = []
        self.last_flush = time.monotonic()

    def add(self, index: tuple[int, ...], record: dict[str, Any]) -> None:
        for name, value in record.items():
            self.cube[name].values[index] = value
        self.pending.append((index, record))
        if time.monotonic() - self.last_flush >= FLUSH_SECONDS:
            self.flush()
        if self.on_result is not None:
            run_id = int(self.cube.run_id.values[index])
            self.on_result({"run_id": run_id, **self.grid.run_values(index), **record})

    def flush(self) -> None:
        if self.store is not None and self.pending:
            indices, records = zip(*self.pending, strict=True)
            self.pending.clear()
            try:
                self.store.write(indices, records)
            except OutputError as err:  # a full disk: stop, keeping what is in the store
                self.store = None
                hint = "; ".join(filter(None, [err.hint, "finished runs written before are kept: rerun to resume"]))
                raise OutputError(err.path, err.reason, hint) from None
        self.pending.clear()
        self.last_flush = time.monotonic()


def progress_bar(total: int, initial: int, enabled: bool):
    """A ``tqdm`` bar over a sweep's runs, ``initial`` of ``total`` done already (drawn only when ``enabled``)."""
    from tqdm.auto import tqdm

    return tqdm(total=total, initial=initial, unit="run", desc="sweep", disable=not enabled)
