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
from collections.abc import Callable, Mapping, Sequence
from contextlib import ExitStack
from pathlib import Path
from typing import TYPE_CHECKING, Any

from mfn.analysis.features import FeatureParams
from mfn.core.checks import check_bool, check_int, check_real
from mfn.core.errors import ParameterError
from mfn.sweeps.cluster import check_client, connect, host_count, refuse_unguarded_script, require
from mfn.sweeps.cube import count_inactive, template
from mfn.sweeps.grid import SweepGrid
from mfn.sweeps.lock import lock_store
from mfn.sweeps.provenance import identity_attrs, provenance_attrs
from mfn.sweeps.record import run_record
from mfn.sweeps.runs import Sink, progress_bar, run_on_dask
from mfn.sweeps.store import SweepStore

if TYPE_CHECKING:
    import xarray as xr

    from mfn.core.params import ModelParams

__all__ = ["sweep"]


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
    check_client(client, workers)
    refuse_unguarded_script(client)
    if client != "synchronous":
        require("distributed", "running a sweep on Dask (client='synchronous' runs in this process)")
    if store is not None:
        if not isinstance(store, (str, os.PathLike)) or not str(store).strip():
            raise ParameterError("store", store, "a folder path (not empty) or None")
        store = Path(store).resolve()
        require("zarr", "a sweep store")
    if progress:
        require("tqdm", "the progress bar (progress=False does without)")

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
        hosts = 1 if dask_client is None else host_count(dask_client)
        cube = template(sweep_grid, {**provenance_attrs(sweep_grid, hosts), **identity})
        if store is not None and sweep_store is None:
            sweep_store = SweepStore.create(store, cube, sweep_grid.model)
        elif sweep_store is not None:
            cube = sweep_store.load()
        sink = Sink(cube, sweep_store, on_result, sweep_grid, feature_params)
        bar = progress_bar(sweep_grid.n_runs, sweep_grid.n_runs - len(todo), progress)
        stack.callback(bar.close)
        stack.callback(sink.flush)  # also on Ctrl-C: nothing that finished is lost
        if dask_client is None:
            for index in todo:
                values = sweep_grid.run_values(index)
                sink.add(index, run_record(values, sweep_grid.model, feature_params, time_limit))
                bar.update()
        else:
            run_on_dask(dask_client, todo, sink, bar, time_limit)
    cube = sweep_store.load() if sweep_store is not None else count_inactive(sink.cube)
    if sweep_store is not None and sweep_store.missing_measures:
        cube = cube.assign_attrs(missing_measures=list(sweep_store.missing_measures))
    return cube.assign_attrs(repaired_runs=repaired) if repaired else cube
