"""A sweep's datacube as a flat table: one row per run, for pandas and parquet users."""

from __future__ import annotations

import json
import os
from pathlib import Path
from typing import TYPE_CHECKING

from mfn.core.errors import ParameterError
from mfn.core.io import atomic_path

if TYPE_CHECKING:
    import pandas as pd
    import xarray as xr

__all__ = ["to_parquet", "to_table"]


def to_table(cube: xr.Dataset) -> pd.DataFrame:
    """One row per run: ``run_id``, ``seed``, every parameter, every feature and metric.

    Swept parameters come from the cube's coordinates; the fixed ones from its ``mfn_sweep``
    attribute; ``mfn_version`` is a column too, so a row stands on its own (docs/features.md, dataset rows).

    Parameters
    ----------
    cube : xarray.Dataset
        As returned by :func:`mfn.sweeps.driver.sweep` or loaded from its store.

    Returns
    -------
    pandas.DataFrame
        Sorted by ``run_id``, with a plain integer index.
    """
    import xarray as xr

    if not isinstance(cube, xr.Dataset) or "run_id" not in cube or "mfn_sweep" not in cube.attrs:
        raise ParameterError("cube", type(cube).__name__, "a sweep datacube (from mfn.sweeps.driver.sweep)")
    table = cube.to_dataframe().reset_index().sort_values("run_id", ignore_index=True)
    base = json.loads(cube.attrs["mfn_sweep"])["base"]
    for name, value in base.items():
        if name not in table:
            table[name] = str(value) if isinstance(value, list) else value
    table["mfn_version"] = cube.attrs.get("mfn_version", "")
    first = ["run_id", "seed", *cube.run_id.dims[:-1]]
    return table[first + [c for c in table.columns if c not in first]]


def to_parquet(cube: xr.Dataset, path: str | os.PathLike) -> Path:
    """Write :func:`to_table` of ``cube`` to a parquet file, atomically; returns the path."""
    table = to_table(cube)
    target = Path(path)
    with atomic_path(target) as tmp:
        table.to_parquet(tmp, index=False)
    return target
