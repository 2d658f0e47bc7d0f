"""Batch reruns of a parameterised notebook over a grid of parameters, in parallel on Dask.

:func:`run_batch` executes the notebook with papermill once per parameter combination, each run
on a Dask worker, keeping every executed notebook in ``DIR/runs/``. Each run gets its own
``output_dir`` (``DIR/runs/run_NNNN/``) and writes its result there as ``result.nc``
(:func:`mfn.workflows.notebook.result_path`); the results are then indexed by the run's parameters and
combined into one datacube, ``DIR/results.zarr``, with a boolean ``run_ok`` variable over the
parameter grid. A failed run is recorded in ``DIR/runs.json`` with its failing cell and error,
and does not stop the others; its place in the datacube is NaN and ``run_ok`` is False.
"""

from __future__ import annotations

import itertools
import json
import numbers
import os
import time
from collections.abc import Callable, Mapping, Sequence
from dataclasses import dataclass
from pathlib import Path
from typing import Any

from mfn.core.checks import check_int, read_json_object
from mfn.core.errors import ParameterError
from mfn.core.io import atomic_path
from mfn.workflows.notebook import check_parameters, execute, notebook_parameters, result_path

__all__ = ["BatchResult", "expand_grid", "load_grid", "run_batch"]

RESULTS_STORE = "results.zarr"
MANIFEST = "runs.json"


@dataclass(frozen=True)
class BatchResult:
    """What a batch did.

    Attributes
    ----------
    runs : list of dict
        One record per parameter combination: ``run``, ``parameters``, ``status`` (``"ok"`` or
        ``"failed"``), ``notebook`` (the executed copy), ``duration_s`` and, for failures,
        ``error`` (``cell_index``, ``source``, ``ename``, ``evalue``).
    results : pathlib.Path or None
        The combined datacube (``DIR/results.zarr``), or None when no run succeeded.
    manifest : pathlib.Path
        ``DIR/runs.json``, the records above.
    duration_s : float
        Wall-clock time of the whole batch, s.
    """

    runs: list[dict[str, Any]]
    results: Path | None
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
        ``results.zarr``.
    workers : int, default 2
        Worker processes of the local Dask cluster (one thread each); ignored with ``scheduler``.
    scheduler : str, optional
        Address of a running Dask scheduler (``"tcp://host:8786"``) to use instead of a local cluster.
        Its workers must see ``out`` and the notebook at the same paths.
    timeout : float, default 600
        Longest time one cell may run, s.
    progress : callable, optional
        Called with each run's record as it finishes.

    Returns
    -------
    BatchResult

    Raises
    ------
    ParameterError
        For a bad grid, a grid name the notebook does not declare, or a notebook without
        an ``output_dir`` parameter — all before anything runs.
    """
    from distributed import Client, LocalCluster, as_completed

    source = Path(notebook).resolve()
    declared = notebook_parameters(source)
    if "output_dir" not in declared:
        raise ParameterError("notebook", str(notebook), "a notebook declaring an output_dir parameter")
    combos = expand_grid(grid)
    check_parameters(dict(grid), declared)
    workers = check_int("workers", workers, 1, os.cpu_count() or 1)
    root = Path(out).resolve()
    (root / "runs").mkdir(parents=True, exist_ok=True)

    start = time.perf_counter()
    jobs = [(str(source), f"run_{k:04d}", params, str(root / "runs"), timeout) for k, params in enumerate(combos)]
    if scheduler is not None:
        cluster, client = None, Client(scheduler)
    else:
        cluster = LocalCluster(n_workers=workers, threads_per_worker=1, processes=True, dashboard_address=None)
        client = Client(cluster)
    records: dict[str, dict[str, Any]] = {}
    try:
        futures = {
            client.submit(_run_one, *job, pure=False, key=f"mfn-batch-{job[1]}-{os.getpid()}"): job for job in jobs
        }
        for future in as_completed(futures):
            job = futures[future]
            try:
                record = future.result()
            except Exception as err:  # the worker itself died (KilledWorker) or the scheduler failed
                record = _record(job[1], job[2], root / "runs" / f"{job[1]}.ipynb", "failed", 0.0)
                record["error"] = {"cell_index": None, "source": "", "ename": type(err).__name__, "evalue": str(err)}
            records[record["run"]] = record
            if progress is not None:
                progress(record)
    finally:
        client.close()
        if cluster is not None:
            cluster.close()
    runs = [records[job[1]] for job in jobs]
    manifest = root / MANIFEST
    with atomic_path(manifest) as tmp:
        tmp.write_text(json.dumps(runs, indent=2, default=str) + "\n", encoding="utf-8")
    results = _collect(runs, dict(grid), root / RESULTS_STORE)
    return BatchResult(runs, results, manifest, time.perf_counter() - start)


def _record(name: str, params: dict[str, Any], executed: Path, status: str, duration: float) -> dict[str, Any]:
    return {"run": name, "parameters": params, "status": status, "notebook": str(executed), "duration_s": duration}


def _run_one(notebook: str, name: str, params: dict[str, Any], runs_dir: str, timeout: float) -> dict[str, Any]:
    """Execute one combination on a worker; never raises for a failing notebook."""
    from mfn.workflows.notebook import NotebookFailed

    executed = Path(runs_dir) / f"{name}.ipynb"
    output_dir = Path(runs_dir) / name
    start = time.perf_counter()
    try:
        execute(notebook, executed, {**params, "output_dir": str(output_dir)}, timeout=timeout)
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


def _collect(runs: Sequence[dict[str, Any]], grid: dict[str, Any], store: Path) -> Path | None:
    """Index each result by its parameters and combine them into one zarr datacube."""
    import numpy as np
    import xarray as xr

    from mfn.core.io import ENGINE

    axes = {name: (list(v) if isinstance(v, (list, tuple)) else [v]) for name, v in grid.items()}
    parts = []
    for record in runs:
        if record["status"] != "ok":
            continue
        ds = xr.load_dataset(record["result"], engine=ENGINE)
        ds = ds.drop_vars([name for name in axes if name in ds.variables])
        parts.append(ds.expand_dims({name: [value] for name, value in record["parameters"].items()}))
    if not parts:
        return None
    cube = xr.merge(parts, join="outer", compat="no_conflicts", combine_attrs="drop_conflicts").reindex(axes)
    ok = np.zeros([len(v) for v in axes.values()], dtype=bool)
    for record in runs:
        if record["status"] == "ok":
            ok[tuple(axes[n].index(record["parameters"][n]) for n in axes)] = True
    cube["run_ok"] = xr.DataArray(ok, coords=axes, dims=list(axes), attrs={"long_name": "the run wrote its result"})
    fixed = [name for name, v in grid.items() if not isinstance(v, (list, tuple))]
    cube = cube.squeeze(fixed)  # a parameter given as a single value is a scalar coordinate, not a dimension
    for name in axes:  # a run's attribute for a grid parameter would describe only some runs
        cube.attrs.pop(name, None)
    cube.attrs["batch_runs"] = len(runs)
    cube.attrs["batch_failed"] = int(len(runs) - ok.sum())
    cube.to_zarr(store, mode="w", zarr_format=2)  # v2 keeps consolidated metadata standard
    return store
