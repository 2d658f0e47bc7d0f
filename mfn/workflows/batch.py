"""Batch reruns of a parameterised notebook over a grid of parameters, in parallel on Dask.

:func:`run_batch` executes the notebook with papermill once per parameter combination, each run
on a Dask worker, keeping every executed notebook in ``DIR/runs/``. Each run gets its own
``output_dir`` (``DIR/runs/run_NNNN/``) and writes its result there as ``result.nc``
(:func:`mfn.workflows.parameters.result_path`); the results are then indexed by the run's parameters and
combined into one datacube, ``DIR/results.zarr`` (:func:`collect`), with a boolean ``run_ok``
and a text ``error`` variable over the parameter grid. A failed run is recorded in
``DIR/runs.json`` with its failing cell and error, and does not stop the others; its place in
the datacube is NaN (integer and boolean results are stored as float64 for that) and
``run_ok`` is False.

Nothing finished is lost: ``runs.json`` is rewritten (atomically) as each run finishes, with
``"pending"`` for the runs not finished yet, and the datacube is rebuilt (atomically) at most
every :data:`FLUSH_SECONDS` and when the batch ends or is interrupted. Running the same batch
again into the same folder resumes it: runs recorded as ``ok`` whose result file is still
there are skipped (failed ones too, unless ``retry_failed``). ``DIR/batch.json`` records the
notebook and grid, so a different batch is refused rather than mixed in.

A parameter named like a dimension of the results (:data:`RESERVED_DIMS`, or any dimension a
result has) becomes the datacube dimension ``<name>_param``; the renaming is listed in the
``batch_renamed`` attribute (JSON), and ``runs.json`` keeps the notebook's own names.
"""

from __future__ import annotations

import itertools
import json
import numbers
import os
import time
from collections.abc import Callable, Mapping, Sequence
from contextlib import ExitStack
from dataclasses import dataclass
from pathlib import Path
from typing import Any

from mfn.core.checks import check_bool, check_int, check_real, read_json_object
from mfn.core.errors import ParameterError
from mfn.core.io import atomic_dir, atomic_path, check_output_folder
from mfn.workflows.notebook import execute
from mfn.workflows.parameters import check_parameters, notebook_parameters, result_path

__all__ = ["RESERVED_DIMS", "BatchResult", "collect", "expand_grid", "load_grid", "resume_state", "run_batch"]

RESULTS_STORE = "results.zarr"
MANIFEST = "runs.json"
IDENTITY = "batch.json"
FLUSH_SECONDS = 1.0
"""Longest time the datacube lags behind ``runs.json`` while a batch runs, s."""
RESERVED_DIMS = ("x", "y", "time", "event")
"""Dimensions of an mfn run: a parameter with one of these names becomes ``<name>_param``."""


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


def load_grid(path: str | os.PathLike) -> dict[str, list[Any]]:
    """Read a parameter grid from a JSON object ``{"name": [values...], ...}`` and check it."""
    grid = read_json_object("grid", path)
    expand_grid(grid)
    return grid


def expand_grid(grid: Mapping[str, Any]) -> list[dict[str, Any]]:
    """Every combination of a parameter grid, the last name varying fastest.

    Parameters
    ----------
    grid : mapping
        Parameter name -> list of values (a single scalar counts as a one-value list). Values
        must be numbers, strings or booleans, without repeats.

    Examples
    --------
    >>> expand_grid({"steps": [10, 20], "seed": [0, 1]})
    [{'steps': 10, 'seed': 0}, {'steps': 10, 'seed': 1}, {'steps': 20, 'seed': 0}, {'steps': 20, 'seed': 1}]
    """
    if not isinstance(grid, Mapping) or not grid:
        raise ParameterError("grid", grid, "a non-empty mapping of parameter name -> list of values")
    axes = {}
    for name, values in grid.items():
        values = list(values) if isinstance(values, (list, tuple)) else [values]
        if not values:
            raise ParameterError(f"grid[{name!r}]", values, "a non-empty list of values")
        for v in values:
            if not isinstance(v, (numbers.Real, str)):
                raise ParameterError(f"grid[{name!r}]", v, "numbers, strings or booleans")
        if len(set(values)) != len(values):
            raise ParameterError(f"grid[{name!r}]", values, "values without repeats")
        axes[name] = values
    if "output_dir" in axes:
        raise ParameterError("grid['output_dir']", axes["output_dir"], "not set: each run gets its own folder")
    return [dict(zip(axes, combo, strict=True)) for combo in itertools.product(*axes.values())]


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
    todo = [job for job in jobs if _needs_run(records[job[1]], retry_failed)]
    from mfn.sweeps.cluster import connect  # its store and Dask imports only when a batch runs

    with ExitStack() as stack:
        client = connect(scheduler, workers, stack, name="scheduler") if todo else None  # a bad one: nothing written
        runs_dir.mkdir(parents=True, exist_ok=True)
        with atomic_path(root / IDENTITY) as tmp:
            tmp.write_text(json.dumps(_identity(source, grid), indent=2) + "\n", encoding="utf-8")
        for job in todo:
            records[job[1]] = _record(job[1], job[2], runs_dir / f"{job[1]}.ipynb", "pending", 0.0)
        book = _Book(root, dict(grid), [job[1] for job in jobs], records)
        book.write_manifest()
        try:
            if todo:
                _run_on_dask(client, todo, book, progress)
        finally:
            book.write_manifest()
            book.write_results()
    return BatchResult(book.runs(), root / RESULTS_STORE, root / MANIFEST, time.perf_counter() - start)


def resume_state(notebook: str | os.PathLike, grid: Mapping[str, Any], out: str | os.PathLike) -> dict[str, dict]:
    """The record of every run of a batch as found in ``out``: run name -> record.

    Runs not recorded yet (or whose result file has gone) are ``"pending"``.

    Raises
    ------
    ParameterError
        If ``out`` holds a different batch (another notebook or grid), naming what differs.
    """
    source = Path(notebook).resolve()
    combos = expand_grid(grid)
    root = Path(out)
    names = [f"run_{k:04d}" for k in range(len(combos))]
    records = {
        name: _record(name, params, root / "runs" / f"{name}.ipynb", "pending", 0.0)
        for name, params in zip(names, combos, strict=True)
    }
    how = "choose another --out folder, or remove that one to start over"
    identity_file = root / IDENTITY
    if identity_file.is_file():
        try:
            found = json.loads(identity_file.read_text(encoding="utf-8"))
        except ValueError:
            found = None
        expected = _identity(source, grid)
        if found != expected:
            what = "grid" if isinstance(found, dict) and found.get("notebook") == expected["notebook"] else "notebook"
            raise ParameterError(
                "out",
                str(out),
                f"a new folder or one holding this batch (not a different batch: its {what} differs)",
                how,
            )
    manifest = root / MANIFEST
    if not manifest.is_file():
        return records
    try:
        previous = json.loads(manifest.read_text(encoding="utf-8"))
    except ValueError as err:
        raise ParameterError("out", str(out), f"a folder whose {MANIFEST} is readable JSON ({err})", how) from None
    for rec in previous if isinstance(previous, list) else []:
        name = rec.get("run") if isinstance(rec, dict) else None
        if name not in records or rec.get("parameters") != json.loads(json.dumps(records[name]["parameters"])):
            raise ParameterError(
                "out", str(out), "a new folder or one holding this batch (not a different batch: its runs differ)", how
            )
        if rec.get("status") == "failed" or (rec.get("status") == "ok" and Path(rec.get("result", "")).is_file()):
            records[name] = {**rec, "parameters": records[name]["parameters"]}
    return records


def _identity(source: Path, grid: Mapping[str, Any]) -> dict[str, Any]:
    return json.loads(json.dumps({"notebook": str(source), "grid": dict(grid)}, default=str))


def _needs_run(record: dict[str, Any], retry_failed: bool) -> bool:
    return record["status"] == "pending" or (retry_failed and record["status"] == "failed")


def _run_on_dask(client, todo, book: _Book, progress) -> None:
    from distributed import as_completed

    futures = {client.submit(_run_one, *job, pure=False, key=f"mfn-batch-{job[1]}-{os.getpid()}"): job for job in todo}
    try:
        for future in as_completed(futures):
            job = futures.pop(future)
            try:
                record = future.result()
            except Exception as err:  # the worker itself died (KilledWorker), a cell timed out, the scheduler failed
                record = _record(job[1], job[2], Path(job[3]) / f"{job[1]}.ipynb", "failed", 0.0)
                record["error"] = {"cell_index": None, "source": "", "ename": type(err).__name__, "evalue": str(err)}
            book.add(record)
            if progress is not None:
                progress(record)
    finally:
        client.cancel(list(futures))


class _Book:
    """The records of a batch, written to ``runs.json`` at once and to the datacube every second or so."""

    def __init__(self, root: Path, grid: dict[str, Any], order: list[str], records: dict[str, dict]) -> None:
        self.root, self.grid, self.order, self.records = root, grid, order, records
        self.last_results = time.monotonic()

    def runs(self) -> list[dict[str, Any]]:
        return [self.records[name] for name in self.order]

    def add(self, record: dict[str, Any]) -> None:
        self.records[record["run"]] = record
        self.write_manifest()
        if time.monotonic() - self.last_results >= FLUSH_SECONDS:
            self.write_results()

    def write_manifest(self) -> None:
        with atomic_path(self.root / MANIFEST) as tmp:
            tmp.write_text(json.dumps(self.runs(), indent=2, default=str) + "\n", encoding="utf-8")

    def write_results(self) -> None:
        collect(self.runs(), self.grid, self.root / RESULTS_STORE)
        self.last_results = time.monotonic()


def _record(name: str, params: dict[str, Any], executed: Path, status: str, duration: float) -> dict[str, Any]:
    return {"run": name, "parameters": params, "status": status, "notebook": str(executed), "duration_s": duration}


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
        record = _record(name, params, executed, "failed", time.perf_counter() - start)
        record["error"] = {"cell_index": err.cell_index, "source": err.source, "ename": err.ename, "evalue": err.evalue}
        return record
    record = _record(name, params, executed, "ok", time.perf_counter() - start)
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


def collect(runs: Sequence[dict[str, Any]], grid: Mapping[str, Any], store: str | os.PathLike) -> Path:
    """Index each run's result by its parameters and write them as one zarr datacube, atomically.

    Parameters
    ----------
    runs : sequence of dict
        Run records (``run_batch``'s): ``parameters``, ``status`` and, for ``"ok"`` runs,
        ``result`` (a netCDF file); a failed run's ``error`` (``ename``, ``evalue``) goes
        into the ``error`` variable.
    grid : mapping
        The batch's grid (names given one value become scalar coordinates).
    store : path
        The zarr folder to (re)write; it is replaced only once the new one is complete.

    Returns
    -------
    pathlib.Path
        ``store``. Every numeric result is float64, NaN where a run did not succeed.
    """
    import numpy as np
    import xarray as xr

    from mfn.core.io import ENGINE

    axes = {name: (list(v) if isinstance(v, (list, tuple)) else [v]) for name, v in grid.items()}
    loaded = []
    for record in runs:
        if record["status"] == "ok":
            ds = xr.load_dataset(record["result"], engine=ENGINE)
            ds = ds.drop_vars([name for name in axes if name in ds.variables and name not in ds.dims])
            loaded.append((record, ds))
    taken = set(RESERVED_DIMS).union(*(ds.dims for _, ds in loaded))
    rename = {name: f"{name}_param" for name in axes if name in taken}
    dims = {rename.get(name, name): values for name, values in axes.items()}
    parts = []
    for record, ds in loaded:
        ds = ds.assign({k: v.astype(np.float64) for k, v in ds.data_vars.items() if v.dtype.kind in "biu"})
        parts.append(ds.expand_dims({rename.get(n, n): [v] for n, v in record["parameters"].items()}))
    if parts:
        cube = xr.merge(parts, join="outer", compat="no_conflicts", combine_attrs="drop_conflicts").reindex(dims)
    else:
        cube = xr.Dataset(coords=dims)
    ok = np.zeros([len(v) for v in axes.values()], dtype=bool)
    error = np.full(ok.shape, "", dtype=object)
    for record in runs:
        at = tuple(axes[n].index(record["parameters"][n]) for n in axes)
        ok[at] = record["status"] == "ok"
        if record["status"] == "failed":
            err = record.get("error") or {}
            error[at] = f"{err.get('ename', 'Error')}: {err.get('evalue', '')}"
        elif record["status"] == "pending":
            error[at] = "pending: not run yet"
    cube["run_ok"] = xr.DataArray(ok, coords=dims, dims=list(dims), attrs={"long_name": "the run wrote its result"})
    cube["error"] = xr.DataArray(error, coords=dims, dims=list(dims), attrs={"long_name": "why the run has no result"})
    fixed = [rename.get(name, name) for name, v in grid.items() if not isinstance(v, (list, tuple))]
    cube = cube.squeeze(fixed)  # a parameter given as a single value is a scalar coordinate, not a dimension
    for name in axes:  # a run's attribute for a grid parameter would describe only some runs
        cube.attrs.pop(name, None)
    cube.attrs["batch_runs"] = len(runs)
    cube.attrs["batch_failed"] = sum(r["status"] == "failed" for r in runs)
    cube.attrs["batch_pending"] = sum(r["status"] == "pending" for r in runs)
    if rename:
        cube.attrs["batch_renamed"] = json.dumps(rename)
    target = Path(store)
    with atomic_dir(target) as tmp:
        cube.to_zarr(tmp, mode="w", zarr_format=2)  # v2 keeps consolidated metadata standard
    return target
