"""Parameter sweeps into one datacube, run on Dask.

:func:`sweep` runs every combination of a parameter grid for every seed, measures each run
(:func:`mfn.sweeps.record.run_record`) and gathers the records into one :class:`xarray.Dataset`
whose dimensions are the swept parameters and ``seed``. Runs execute on a Dask
``distributed`` cluster (a local one sized to the machine unless a client or a scheduler
address is given), or in-process with ``client="synchronous"`` for debugging. With a
``store`` the records are written to a zarr store as they finish, and rerunning the same
sweep resumes it. The store is locked while a sweep writes it, and a resume first checks every
chunk (:meth:`mfn.sweeps.store.SweepStore.verify`). The Dask dashboard is off unless asked
for, and then listens on 127.0.0.1 only.
"""

from __future__ import annotations

import os
import signal
import sys
import threading
import time
from collections.abc import Callable, Mapping, Sequence
from contextlib import ExitStack
from pathlib import Path
from typing import TYPE_CHECKING, Any

from mfn.analysis.features import FeatureParams
from mfn.core.checks import check_bool, check_int, check_real
from mfn.core.errors import MFNError, OutputError, ParameterError
from mfn.sweeps.cube import count_inactive, template
from mfn.sweeps.grid import SweepGrid
from mfn.sweeps.lock import lock_store
from mfn.sweeps.provenance import identity_attrs, provenance_attrs
from mfn.sweeps.record import run_record
from mfn.sweeps.store import SweepStore

if TYPE_CHECKING:
    import xarray as xr

    from mfn.core.params import ModelParams

__all__ = [
    "FLUSH_SECONDS",
    "MAIN_GUARD_HINT",
    "SCHEDULER_TIMEOUT",
    "SUBMIT_WINDOW",
    "connect",
    "dask_setup",
    "local_cluster_options",
    "sweep",
]

SCHEDULER_TIMEOUT = 5.0
"""Seconds to wait for a Dask scheduler given by address (the distributed default is 30 s)."""

MAIN_GUARD_HINT = (
    "Dask starts worker processes that re-import your script, so a script must start a sweep under "
    'if __name__ == "__main__": (or pass client="synchronous" to run in this process)'
)
"""What a plain script that starts a sweep at top level is told to add."""

FLUSH_SECONDS = 1.0
"""Longest time a finished record waits in memory before it is written to the store."""

SUBMIT_WINDOW = 512
"""Most runs of a sweep submitted to Dask and not yet finished (more are submitted as they finish)."""


def sweep(
    grid: Mapping[str, Sequence[Any]] | SweepGrid,
    seeds: Sequence[int] | None = None,
    *,
    base: ModelParams | Mapping[str, Any] | None = None,
    model: str | None = None,
    feature_params: FeatureParams | None = None,
    store: str | os.PathLike | None = None,
    client: Any = None,
    workers: int | None = None,
    progress: bool = True,
    retry_failed: bool = False,
    on_result: Callable[[dict[str, Any]], None] | None = None,
    time_limit: float | None = None,
    dashboard: bool = False,
    repair: bool = False,
) -> xr.Dataset:
    """Run every combination of ``grid`` for every seed and return the datacube.

    Parameters
    ----------
    grid : mapping of str to list, or SweepGrid
        Parameter name -> values; any sweepable parameter of the model (``seed`` excepted;
        :func:`mfn.sweeps.grid.sweep_names`).
    seeds : sequence of int
        Seeds, distinct, >= 0 (not needed when ``grid`` is a :class:`SweepGrid`). A run's
        ``FieldParams.seed`` is its seed coordinate, so runs that share a seed share their
        random draws (common random numbers across the grid).
    base : ModelParams or mapping, optional
        Values of the parameters that are not swept: a params instance of any registered
        model (the sweep's model is taken from it), or a mapping of parameters of ``model``;
        defaults to the model's defaults.
    model : str, optional
        Name of a registered model, for a mapping or no base (default ``"classic"``).
    feature_params : FeatureParams, optional
        Settings of the 18 features (thresholds, box counting); defaults to
        ``FeatureParams()``.
    store : str or path-like, optional
        A zarr folder. A new path is created; a store made by the same sweep is resumed
        (runs already there are skipped); anything else is refused. The path is resolved
        once (``sub/../c.zarr`` is ``c.zarr`` even when ``sub`` does not exist), so the lock,
        the existence check and the writes all name the same folder.
    client : None, "synchronous", str or distributed.Client
        None starts a ``distributed.LocalCluster`` (worker processes, one thread each, as
        many as ``workers`` or the machine's cores) and closes it at the end; a string other
        than ``"synchronous"`` is a scheduler address; a ``Client`` is used as is;
        ``"synchronous"`` runs in this process, one run after another (for debugging).
    workers : int, optional
        Workers of the local cluster, >= 1 (only with ``client=None``).
    progress : bool, default True
        Show a progress bar over finished runs (``tqdm.auto``).
    retry_failed : bool, default False
        On resume, run again the runs recorded as failed.
    on_result : callable, optional
        Called in this process with each finished record (a dict holding ``run_id``,
        the run's parameters and every record variable).
    time_limit : float, optional
        Longest wall time of one run, s (> 0). A run that takes longer is stopped between
        steps and recorded as failed (``TimeLimitExceeded: ...`` in ``error``); on resume it
        is not run again unless ``retry_failed``.
    dashboard : bool, default False
        Serve the Dask dashboard of the local cluster on 127.0.0.1 (a free port; its link is
        ``distributed.get_client().dashboard_link``). Off by default: it has no authentication.
    repair : bool, default False
        On resume, when a chunk of the store is missing or corrupted, mark the runs it held
        as pending and run them again (without it such a store is refused, naming the chunk).

    Returns
    -------
    xarray.Dataset
        Dimensions ``(*grid, "seed")``; variables ``run_id``, the 18 features, the
        thresholds they used (``threshold_low/med/high``), the run metrics
        (``<counter>_total`` for each counter of the model: ``growth_events_total``,
        ``turing_activations_total``, ``clamped_cells_total`` for the classic model; then
        ``lyapunov``, ``fractal_dimension``, ``duration_s``) (all float64, NaN where a run
        failed),
        ``status`` (``"ok"``/``"failed"``), ``error`` and ``created``; provenance in ``attrs``.
        With a store, ``attrs["store_checksums"]`` is ``"crc32c"`` (every chunk checked when
        read) or ``"none"`` (a store made before checksums: chunks checked for presence and
        decoding only); after a repair, ``attrs["repaired_runs"]`` lists the runs run again.
        ``ds.to_dataframe()`` is the flat table; :func:`mfn.sweeps.table.to_parquet` writes it.

    Raises
    ------
    ParameterError
        Before any run starts: for a bad grid, seeds or option, a store that is not this
        sweep's, a store another process is writing, or a damaged store (without ``repair``).
    MFNError
        When Dask cannot start its worker processes, saying what to do (in a script: put the
        sweep under ``if __name__ == "__main__":``).
    KeyboardInterrupt
        After writing every finished record to the store, when interrupted.

    Examples
    --------
    >>> cube = sweep({"alpha": [0.1, 0.2]}, seeds=[0, 1], base={"grid_size": 8, "steps": 5},
    ...              client="synchronous", progress=False)
    >>> cube.growth_events_total.dims, str(cube.status.values[0, 0])
    (('alpha', 'seed'), 'ok')
    """
    if isinstance(grid, SweepGrid):
        if seeds is not None or base is not None or model is not None:
            raise ParameterError("seeds", seeds, "None when grid is a SweepGrid (it holds its seeds, base and model)")
        sweep_grid = grid
    else:
        if seeds is None:
            raise ParameterError("seeds", seeds, "a non-empty list of integers >= 0")
        sweep_grid = SweepGrid.build(grid, seeds, base, model)
    if feature_params is None:  # the model's own settings (thresholds in its primary variable's units)
        feature_params = sweep_grid.model.feature_params or FeatureParams()
    elif not isinstance(feature_params, FeatureParams):
        raise ParameterError("feature_params", feature_params, "a FeatureParams instance or None")
    progress = check_bool("progress", progress)
    retry_failed = check_bool("retry_failed", retry_failed)
    if workers is not None:
        workers = check_int("workers", workers, 1)
    if on_result is not None and not callable(on_result):
        raise ParameterError("on_result", on_result, "a callable or None")
    if time_limit is not None:
        time_limit = check_real("time_limit", time_limit, 0, lo_open=True)
    dashboard = check_bool("dashboard", dashboard)
    repair = check_bool("repair", repair)
    _check_client(client, workers)
    _refuse_unguarded_script(client)
    if client != "synchronous":
        _require("distributed", "running a sweep on Dask (client='synchronous' runs in this process)")
    if store is not None:
        if not isinstance(store, (str, os.PathLike)) or not str(store).strip():
            raise ParameterError("store", store, "a folder path (not empty) or None")
        store = Path(store).resolve()
        _require("zarr", "a sweep store")
    if progress:
        _require("tqdm", "the progress bar (progress=False does without)")

    identity = identity_attrs(sweep_grid, feature_params)
    with ExitStack() as stack:
        if store is not None:
            stack.enter_context(lock_store(store))  # released last, after the final flush
        done = None
        sweep_store = None
        repaired: list[int] = []
        if store is not None and SweepStore.exists(store):
            sweep_store = SweepStore.open(store, identity, sweep_grid.shape, sweep_grid.model)
            repaired = sweep_store.verify(repair=repair)
            status = sweep_store.status()
            done = (status == "ok") | ((status == "failed") & (not retry_failed))
        todo = [index for index in sweep_grid.indices() if done is None or not done[index]]
        dask_client = connect(client, workers, stack, dashboard) if todo else None  # nothing left: no cluster
        hosts = 1 if dask_client is None else _host_count(dask_client)
        cube = template(sweep_grid, {**provenance_attrs(sweep_grid, hosts), **identity})
        if store is not None and sweep_store is None:
            sweep_store = SweepStore.create(store, cube, sweep_grid.model)
        elif sweep_store is not None:
            cube = sweep_store.load()
        sink = _Sink(cube, sweep_store, on_result, sweep_grid, feature_params)
        bar = _progress_bar(sweep_grid.n_runs, sweep_grid.n_runs - len(todo), progress)
        stack.callback(bar.close)
        stack.callback(sink.flush)  # also on Ctrl-C: nothing that finished is lost
        if dask_client is None:
            for index in todo:
                values = sweep_grid.run_values(index)
                sink.add(index, run_record(values, sweep_grid.model, feature_params, time_limit))
                bar.update()
        else:
            _run_on_dask(dask_client, todo, sink, bar, time_limit)
    cube = sweep_store.load() if sweep_store is not None else count_inactive(sink.cube)
    if sweep_store is not None and sweep_store.missing_measures:
        cube = cube.assign_attrs(missing_measures=list(sweep_store.missing_measures))
    return cube.assign_attrs(repaired_runs=repaired) if repaired else cube


def _require(module: str, what: str) -> None:
    """Raise ImportError naming the extra to install when an optional module is missing."""
    from importlib.util import find_spec

    if find_spec(module) is None:
        raise ImportError(f"{what} needs the {module} package: pip install 'mfn[sweep]'")


def _check_client(client: Any, workers: int | None) -> None:
    if client is None or isinstance(client, str):
        if workers is not None and client is not None:
            raise ParameterError("workers", workers, "None when client is given", "size the cluster you connect to")
        return
    from distributed import Client

    if not isinstance(client, Client):
        raise ParameterError("client", client, 'None, "synchronous", a scheduler address or a distributed.Client')
    if workers is not None:
        raise ParameterError("workers", workers, "None when client is given", "size the cluster you connect to")


def _refuse_unguarded_script(client: Any) -> None:
    """Fail at once, saying what to add, in a worker process that is re-importing a script.

    Dask's worker processes start with ``spawn``, which runs the main script again as
    ``__mp_main__``; a sweep at the script's top level would then start inside each worker.
    """
    if client == "synchronous":
        return
    frame = sys._getframe(2)  # the caller of sweep()
    while frame is not None:
        if frame.f_globals.get("__name__") == "__mp_main__":
            raise MFNError(f"mfn.sweep was started while a worker process imported the script: {MAIN_GUARD_HINT}")
        frame = frame.f_back


def connect(client: Any, workers: int | None, stack: ExitStack, dashboard: bool = False, name: str = "client"):
    """The Dask client to use (None for synchronous); clients and clusters started here close with ``stack``.

    Parameters
    ----------
    client : distributed.Client, str or None
        A client to use as it is; ``"synchronous"`` for none; the address of a running
        scheduler (waits at most :data:`SCHEDULER_TIMEOUT` s); None for a new ``LocalCluster``
        on 127.0.0.1 (:func:`local_cluster_options`).
    workers : int or None
        Worker processes of a new local cluster (one thread each); None for one per core.
    stack : contextlib.ExitStack
        Closes what is started here.
    dashboard : bool, default False
        Serve the local cluster's dashboard (on 127.0.0.1).
    name : str, default "client"
        The parameter a bad address is reported as (``"scheduler"`` for ``mfn batch``).

    Raises
    ------
    ParameterError
        If a scheduler address cannot be reached.
    MFNError
        If the local cluster's worker processes cannot start.
    """
    if client == "synchronous":
        return None
    from distributed import Client, LocalCluster

    if isinstance(client, Client):
        return client
    if isinstance(client, str):
        try:
            return stack.enter_context(Client(client, timeout=SCHEDULER_TIMEOUT))
        except (OSError, TimeoutError, ValueError, TypeError) as err:
            raise ParameterError(
                name, client, "the address of a running Dask scheduler (tcp://host:port)", f"cannot connect: {err}"
            ) from None
    import logging

    n = workers or len(os.sched_getaffinity(0))
    nanny_log = logging.getLogger("distributed.nanny")
    stack.callback(nanny_log.setLevel, nanny_log.level)  # restored once the cluster has closed
    try:
        cluster = stack.enter_context(
            LocalCluster(n_workers=n, threads_per_worker=1, processes=True, **local_cluster_options(dashboard))
        )
    except Exception as err:  # "Nanny failed to start" and kin: the workers could not start
        raise MFNError(
            f"Dask could not start its worker processes ({type(err).__name__}: {err}). {MAIN_GUARD_HINT}"
        ) from err
    # closed after an interrupt, a worker busy in a run is stopped after a grace time: no warning each
    stack.callback(nanny_log.setLevel, logging.ERROR)
    return stack.enter_context(Client(cluster))


def dask_setup(worker) -> None:
    """Run in each worker process of a local cluster as it starts (its ``preload``): ignore SIGINT.

    Ctrl-C in a terminal reaches every process of its group, so each worker would stop with a
    ``KeyboardInterrupt`` traceback; the sweep's own process handles the interrupt instead,
    keeping every finished run and closing the workers (the runs in progress are cancelled
    without a warning per run).
    """
    import logging

    if threading.current_thread() is threading.main_thread():
        signal.signal(signal.SIGINT, signal.SIG_IGN)
    # closing the cluster on an interrupt cancels the runs in progress: one warning line each
    logging.getLogger("distributed.worker.state_machine").setLevel(logging.ERROR)


def local_cluster_options(dashboard: bool = False) -> dict[str, Any]:
    """``LocalCluster`` keywords that keep its HTTP server on 127.0.0.1 (a free port), the dashboard off unless asked.

    ``dashboard_address=":0"`` would listen on every interface and ``None`` still opens port
    8787 (for health and metrics routes), so the address is always ``127.0.0.1:0``. Workers
    preload this module, whose :func:`dask_setup` makes them ignore Ctrl-C.
    """
    return {
        "dashboard_address": "127.0.0.1:0",
        "scheduler_kwargs": {"dashboard": bool(dashboard)},
        "preload": ["mfn.sweeps.driver"],  # dask_setup: workers leave Ctrl-C to this process
    }


def _host_count(client) -> int:
    workers = client.scheduler_info(n_workers=-1)["workers"].values()
    return len({w["host"] for w in workers}) or 1


def _run_on_dask(client, todo: list[tuple[int, ...]], sink: _Sink, bar, time_limit: float | None = None) -> None:
    """Submit the runs, at most :data:`SUBMIT_WINDOW` at a time, and record results as they complete.

    A bounded number of tasks in flight keeps the memory of this process and of the
    scheduler independent of the sweep's size. A worker that dies mid-run is survived by the
    scheduler, which reruns its tasks elsewhere (up to ``distributed.scheduler.allowed-failures``
    times); a run that still cannot finish is recorded as failed with the reason (``KilledWorker``).
    """
    from uuid import uuid4

    from distributed import as_completed

    from mfn.sweeps.record import failed_record

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


class _Sink:
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


def _progress_bar(total: int, initial: int, enabled: bool):
    from tqdm.auto import tqdm

    return tqdm(total=total, initial=initial, unit="run", desc="sweep", disable=not enabled)
