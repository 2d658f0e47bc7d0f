"""A batch's parameter grid: its combinations, and the runs' results indexed by it in one datacube.

:func:`expand_grid` checks a grid and lists its combinations (:func:`load_grid` reads one from
JSON). :func:`collect` indexes each successful run's result by its parameters and writes them
as one zarr datacube with a boolean ``run_ok`` and a text ``error`` over the grid; a failed
run's place is NaN (integer and boolean results are stored as float64 for that). A parameter
named like a dimension of the results (:data:`RESERVED_DIMS`, or any dimension a result has)
becomes the datacube dimension ``<name>_param``; the renaming is listed in the
``batch_renamed`` attribute (JSON).
"""

from __future__ import annotations

import itertools
import json
import numbers
import os
from collections.abc import Mapping, Sequence
from pathlib import Path
from typing import Any

from mfn.core.checks import read_json_object
from mfn.core.errors import ParameterError
from mfn.core.io import atomic_dir

__all__ = ["RESERVED_DIMS", "collect", "expand_grid", "load_grid"]

RESERVED_DIMS = ("x", "y", "time", "event")
"""Dimensions of an mfn run: a parameter with one of these names becomes ``<name>_param``."""


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

    from mfn.core.netcdf import ENGINE

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
