"""Saving and loading runs and other Datasets as self-describing netCDF files (HDF5 via h5netcdf).

Files are written atomically (:class:`mfn.core.io.atomic_path`) and loading never unpickles
anything. A netCDF file is built in memory and then written with plain file I/O, because HDF5
that fails to write its file leaves the library in a state that crashes the interpreter (a
segmentation fault) later; a write that fails raises :class:`~mfn.core.errors.OutputError`
and leaves nothing behind.
"""

from __future__ import annotations

import os
from pathlib import Path
from typing import TYPE_CHECKING

from mfn.core.errors import ParameterError
from mfn.core.io import atomic_path

if TYPE_CHECKING:
    import xarray as xr

__all__ = ["ENGINE", "load_dataset", "load_run", "save_dataset", "save_run"]

ENGINE = "h5netcdf"
"""The netCDF engine of every file mfn writes and reads."""


def save_dataset(ds: xr.Dataset, path: str | os.PathLike) -> Path:
    """Write any Dataset (a result table, a summary) to a netCDF file atomically.

    Parameters
    ----------
    ds : xarray.Dataset
        The data.
    path : str or path-like
        Target file (conventionally ``.nc``); parent folders are created.

    Returns
    -------
    pathlib.Path
        The path written.

    Raises
    ------
    OutputError
        If the file cannot be written (a full disk, no permission); nothing is left behind.
        The file is built in memory first, so saving needs about its size in free memory.
    """
    import xarray as xr

    if not isinstance(ds, xr.Dataset):
        raise ParameterError("ds", type(ds).__name__, "an xarray.Dataset")
    target = Path(path)
    with atomic_path(target) as tmp:
        # built in memory, written with plain I/O: HDF5 failing on a full disk would crash later
        tmp.write_bytes(ds.to_netcdf(engine=ENGINE))
    return target


def save_run(run: xr.Dataset, path: str | os.PathLike) -> Path:
    """Write a run of :func:`mfn.simulate` to ``path`` as :func:`save_dataset` does, and return the path.

    Other Datasets go through :func:`save_dataset` itself.

    Raises
    ------
    ParameterError
        If ``run`` is not a run (no ``mfn_version`` attribute or no primary variable).
    OutputError
        If the file cannot be written; nothing is left behind.
    """
    import xarray as xr

    if not isinstance(run, xr.Dataset):
        raise ParameterError("run", type(run).__name__, "an xarray.Dataset")
    _check_run("run", run)
    return save_dataset(run, path)


def load_dataset(path: str | os.PathLike) -> xr.Dataset:
    """Load a netCDF file written by :func:`save_dataset` (or any netCDF/HDF5 file) into memory.

    Raises
    ------
    ParameterError
        If the file does not exist or cannot be read as netCDF.
    """
    import xarray as xr

    if not isinstance(path, (str, os.PathLike)) or not str(path).strip():
        raise ParameterError("path", path, "a path to an existing netCDF file")
    p = Path(path)
    if not p.is_file():
        raise ParameterError("path", str(path), "an existing netCDF file written by mfn")
    try:
        return xr.load_dataset(p, engine=ENGINE)
    except (OSError, ValueError) as err:
        raise ParameterError("path", str(path), f"a readable netCDF/HDF5 file ({err})") from None


def load_run(path: str | os.PathLike) -> xr.Dataset:
    """Load a run written by :func:`save_run`, fully into memory.

    Raises
    ------
    ParameterError
        If the file does not exist, cannot be read, or is not an mfn run (no ``mfn_version``
        attribute or no primary variable; :func:`load_dataset` loads other files).
    """
    ds = load_dataset(path)
    _check_run("path", ds, str(path))
    return ds


def _check_run(name: str, ds: xr.Dataset, shown: str | None = None) -> None:
    primary = ds.attrs.get("primary", "V")
    if primary not in ds or "mfn_version" not in ds.attrs:
        value = shown if shown is not None else "a Dataset"
        raise ParameterError(
            name,
            value,
            f"an mfn run (its primary variable {primary} and an mfn_version attribute)",
            "use save_dataset/load_dataset for other Datasets",
        )
