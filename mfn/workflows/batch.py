"""Batch reruns of a parameterised notebook over a grid of parameters, in parallel on Dask.

:func:`run_batch` executes the notebook with papermill once per parameter combination
(:func:`mfn.workflows.batch_grid.expand_grid`), each run on a Dask worker, keeping every
executed notebook in ``DIR/runs/``. Each run gets its own ``output_dir``
(``DIR/runs/run_NNNN/``) and writes its result there as ``result.nc``
(:func:`mfn.workflows.parameters.result_path`); the results are then indexed by the run's
parameters and combined into one datacube, ``DIR/results.zarr``
(:func:`mfn.workflows.batch_grid.collect`), with a boolean ``run_ok`` and a text ``error``
variable over the parameter grid. A failed run is recorded in ``DIR/runs.json`` with its
failing cell and error, and does not stop the others; its place in the datacube is NaN and
``run_ok`` is False.

Nothing finished is lost: ``runs.json`` is rewritten as each run finishes and the datacube
rebuilt every second or so (:mod:`mfn.workflows.batch_records`). Running the same batch again
into the same folder resumes it: runs recorded as ``ok`` whose result file is still there are
skipped (failed ones too, unless ``retry_failed``); a different batch is refused rather than
mixed in.
"""

from __future__ import annotations

import json
import os
import time
from collections.abc import Callable, Mapping
from contextlib import ExitStack
from dataclasses import dataclass
from pathlib import Path
from typing import Any

from mfn.core.checks import check_bool, check_int, check_real
from mfn.core.errors import ParameterError
from mfn.core.io import atomic_path, check_output_folder
from mfn.workflows.batch_grid import expand_grid
from mfn.workflows.batch_records import (
    IDENTITY,
    MANIFEST,
    RESULTS_STORE,
    Book,
    identity,
    make_record,
    needs_run,
    resume_state,
)
from mfn.workflows.notebook import execute
from mfn.workflows.parameters import check_parameters, notebook_parameters, result_path

__all__ = ["BatchResult", "run_batch"]


@dataclass(frozen=True)
class BatchResult:
    """What a batch did.

    Attributes
    ----------
    runs : list of dict
        One record per parameter combination: ``run``, ``parameters``, ``status`` (``"ok"`` or
        ``"failed"``), ``notebook`` (the executed copy), ``duration_s`` and, for failures,
        ``error`` (``cell_index``, ``source``, ``ename``, ``evalue``).
    results : pathlib.Path
        The combined datacube (``DIR/results.zarr``); with no successful run it holds only
        ``run_ok`` and ``error``.
    manifest : pathlib.Path
        ``DIR/runs.json``, the records above.
    duration_s : float
        Wall-clock time of the whole batch, s.
    """

    runs: list[dict[str, Any]]
    results: Path
    manifest: Path
    duration_s: float

    @property
    def failed(self) -> list[dict[str, Any]]:
        """Records of the runs that failed."""
        return [r for r in self.runs if r["status"] != "ok"]


def run_batch(
    notebook: str | os.PathLike,
    grid: Mapping[str, Any],
    out: str | os.PathLike,
    *,
    workers: int = 2,
    scheduler: str | None = None,
    timeout: float = 600,
    run_timeout: float | None = None,
    retry_failed: bool = False,
    progress: Callable[[dict[str, Any]], None] | None = None,
) -> BatchResult:
    """Execute ``notebook`` for every combination of ``grid`` in parallel and collect the results.

    Parameters
    ----------
    notebook : path
        A notebook with a ``parameters`` cell declaring every grid name and ``output_dir``.
    grid : mapping
        Parameter name -> values (see :func:`expand_grid`). A name given a list is a
        dimension of the datacube; one given a single value is passed to every run and kept
        as a scalar coordinate.
    out : path
        Output folder: ``runs/`` (executed notebooks and run folders), ``runs.json``,
        ``batch.json``, ``results.zarr``. A folder holding the same batch is resumed.
    workers : int, default 2
        Worker processes of the local Dask cluster (one thread each); ignored with ``scheduler``.
    scheduler : str, optional
        Address of a running Dask scheduler (``"tcp://host:8786"``) to use instead of a local cluster.
        Its workers must see ``out`` and the notebook at the same paths.
    timeout : float, default 600
        Longest time one cell may run, s (> 0); a cell that runs longer fails its run with
        ``CellTimeoutError``.
    run_timeout : float, optional
        Longest time one run may take, s (> 0); a run that takes longer fails with
        ``TimeLimitExceeded`` (recorded like any failure; not rerun on resume unless
        ``retry_failed``).
    retry_failed : bool, default False
        On resume, run again the runs recorded as failed.
    progress : callable, optional
        Called with each run's record as it finishes.

    Returns
    -------
    BatchResult

    Raises
    ------
    ParameterError
        For a bad grid, a grid name the notebook does not declare, a notebook without an
        ``output_dir`` parameter, a bad option, an output folder that cannot be written, a
        folder holding a different batch, or a scheduler that cannot be reached — all
        before anything runs.
    KeyboardInterrupt
        After recording every finished run, when interrupted.
    """
    source = Path(notebook).resolve()
    declared = notebook_parameters(source)
    if "output_dir" not in declared:
        raise ParameterError("notebook", str(notebook), "a notebook declaring an output_dir parameter")
    combos = expand_grid(grid)
    check_parameters(dict(grid), declared)
    workers = check_int("workers", workers, 1, os.cpu_count() or 1)
    if scheduler is not None and (not isinstance(scheduler, str) or scheduler == "synchronous"):
        raise ParameterError("scheduler", scheduler, "the address of a running Dask scheduler (tcp://host:port)")
    timeout = check_real("timeout", timeout, 0, lo_open=True)
    if run_timeout is not None:
        run_timeout = check_real("run_timeout", run_timeout, 0, lo_open=True)
    retry_failed = check_bool("retry_failed", retry_failed)
    root = check_output_folder("out", out)
    records = resume_state(source, grid, root)
    runs_dir = root / "runs"
    start = time.perf_counter()
    jobs = [
        (str(source), f"run_{k:04d}", params, str(runs_dir), timeout, run_timeout) for k, params in enumerate(combos)
    ]
    todo = [job for job in jobs if needs_run(records[job[1]], retry_failed)]
    from mfn.sweeps.cluster import connect  # its store and Dask imports only when a batch runs

    with ExitStack() as stack:
        client = connect(scheduler, workers, stack, name="scheduler") if todo else None  # a bad one: nothing written
        runs_dir.mkdir(parents=True, exist_ok=True)
        with atomic_path(root / IDENTITY) as tmp:
            tmp.write_text(json.dumps(identity(source, grid), indent=2) + "\n", encoding="utf-8")
        for job in todo:
            records[job[1]] = make_record(job[1], job[2], runs_dir / f"{job[1]}.ipynb", "pending", 0.0)
        book = Book(root, dict(grid), [job[1] for job in jobs], records)
        book.write_manifest()
        try:
            if todo:
                _run_on_dask(client, todo, book, progress)
        finally:
            book.write_manifest()
            book.write_results()
    return BatchResult(book.runs(), root / RESULTS_STORE, root / MANIFEST, time.perf_counter() - start)


def _run_on_dask(client, todo, book: Book, progress) -> None:
    from distributed import as_completed

    futures = {client.submit(_run_one, *job, pure=False, key=f"mfn-batch-{job[1]}-{os.getpid()}"): job for job in todo}
    try:
        for future in as_completed(futures):
            job = futures.pop(future)
            try:
                record = future.result()
            except Exception as err:  # the worker itself died (KilledWorker), a cell timed out, the scheduler failed
                record = make_record(job[1], job[2], Path(job[3]) / f"{job[1]}.ipynb", "failed", 0.0)
                record["error"] = {"cell_index": None, "source": "", "ename": type(err).__name__, "evalue": str(err)}
            book.add(record)
            if progress is not None:
                progress(record)
    finally:
        client.cancel(list(futures))


def _run_one(
    notebook: str, name: str, params: dict[str, Any], runs_dir: str, timeout: float, run_timeout: float | None = None
) -> dict[str, Any]:
    """Execute one combination on a worker; never raises for a failing notebook."""
    from mfn.workflows.notebook import NotebookFailed

    executed = Path(runs_dir) / f"{name}.ipynb"
    output_dir = Path(runs_dir) / name
    start = time.perf_counter()
    try:
        execute(notebook, executed, {**params, "output_dir": str(output_dir)}, timeout=timeout, run_timeout=run_timeout)
    except NotebookFailed as err:
        record = make_record(name, params, executed, "failed", time.perf_counter() - start)
        record["error"] = {"cell_index": err.cell_index, "source": err.source, "ename": err.ename, "evalue": err.evalue}
        return record
    record = make_record(name, params, executed, "ok", time.perf_counter() - start)
    result = result_path(output_dir)
    if result.is_file():
        record["result"] = str(result)
    else:
        record["status"] = "failed"
        record["error"] = {
            "cell_index": None,
            "source": "",
            "ename": "MissingResult",
            "evalue": f"the notebook ran but wrote no {result} "
            "(save with mfn.save_dataset(ds, result_path(output_dir)))",
        }
    return record
