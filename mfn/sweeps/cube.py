"""The datacube of a sweep before any run, and how its store is chunked.

:func:`template` makes the cube a sweep starts from (every run ``status="pending"``, values
NaN, axes labelled with the model's units); :func:`chunk_shape` cuts it into zarr chunks of at
most :data:`MAX_CHUNK` runs; :func:`count_inactive` adds the count of runs without an active
cell whenever a cube is returned or loaded.
"""

from __future__ import annotations

from collections.abc import Mapping, Sequence
from typing import TYPE_CHECKING, Any

import numpy as np

from mfn.sweeps.record import TEXT_VARS, numeric_vars

if TYPE_CHECKING:
    import xarray as xr

    from mfn.core.model import Model
    from mfn.sweeps.grid import SweepGrid

__all__ = ["MAX_CHUNK", "chunk_shape", "count_inactive", "template"]

MAX_CHUNK = 4096
"""Most runs in one zarr chunk of a variable."""


def template(grid: SweepGrid, attrs: Mapping[str, Any]) -> xr.Dataset:
    """The datacube of a sweep before any run: values NaN, ``status="pending"``.

    Parameters
    ----------
    grid : SweepGrid
        The runs.
    attrs : mapping
        Dataset attributes (provenance and identity), JSON-serialisable.

    Returns
    -------
    xarray.Dataset
        Dimensions ``grid.dims``; ``run_id`` (int64) and every variable of
        :func:`mfn.sweeps.record.record_vars` of the grid's model, with the units and long
        names the model gives them.
    """
    import xarray as xr

    dims, shape = grid.dims, grid.shape
    data_vars: dict[str, Any] = {
        "run_id": (dims, np.arange(grid.n_runs, dtype=np.int64).reshape(shape), {"long_name": "run id (C order)"})
    }
    for name, var_attrs in numeric_vars(grid.model).items():
        data_vars[name] = (dims, np.full(shape, np.nan), dict(var_attrs))
    fills = {"status": "pending", "error": "", "created": ""}
    for name, var_attrs in TEXT_VARS.items():
        data_vars[name] = (dims, np.full(shape, fills[name], dtype=object), dict(var_attrs))
    coords = {
        name: (
            name,
            np.asarray(values, dtype=object if isinstance(values[0], str) else None),
            _axis_attrs(grid.model, name),
        )
        for name, values in grid.coords().items()
    }
    return xr.Dataset(data_vars, coords, dict(attrs))


def _axis_attrs(model: Model, name: str) -> dict[str, str]:
    """Units and long name of a sweep axis, from the model's parameter spec (plots label themselves)."""
    if name == "seed":
        return {"units": "1", "long_name": "seed of the run's random generator"}
    spec = model.params_class.specs().get(name)
    if spec is None:
        return {}
    return {"units": spec.unit or "1", "long_name": spec.doc}


def chunk_shape(shape: Sequence[int], max_chunk: int = MAX_CHUNK) -> tuple[int, ...]:
    """Chunks covering whole trailing dimensions, halving leading ones until <= ``max_chunk`` runs.

    Examples
    --------
    >>> chunk_shape((3, 4, 5, 2, 8), max_chunk=100)
    (1, 1, 5, 2, 8)
    """
    chunks = list(shape)
    for axis in range(len(chunks)):
        while int(np.prod(chunks)) > max_chunk and chunks[axis] > 1:
            chunks[axis] = (chunks[axis] + 1) // 2
    return tuple(chunks)


def count_inactive(cube: xr.Dataset) -> xr.Dataset:
    """Say in the attrs how many successful runs had no active cell (every structural feature 0).

    At fixed thresholds a classic run rarely crosses -60 mV, so a structural-feature sweep can
    be all zeros; ``runs_without_active_cell`` of ``runs_ok`` makes that visible. Computed from
    the values whenever a cube is loaded or returned, never stored.
    """
    ok = np.asarray(cube.status.values == "ok")
    inactive = ok & (np.asarray(cube.f_active.values) == 0)
    return cube.assign_attrs(runs_ok=int(ok.sum()), runs_without_active_cell=int(inactive.sum()))
