"""Saving and loading runs as self-describing netCDF files (HDF5 via h5netcdf).

Files are written atomically (to a temporary file beside the target, then renamed), and
loading never unpickles anything.
"""

from __future__ import annotations

import os
import tempfile
from pathlib import Path
from typing import TYPE_CHECKING

from mfn.core.errors import ParameterError

if TYPE_CHECKING:
    import xarray as xr

__all__ = ["atomic_path", "load_dataset", "load_run", "save_dataset", "save_run"]

ENGINE = "h5netcdf"


class atomic_path:
    """Context manager giving a temporary path that replaces ``target`` on success.

    Examples
    --------
    >>> import pathlib, tempfile
    >>> target = pathlib.Path(tempfile.mkdtemp()) / "x.txt"
    >>> with atomic_path(target) as tmp:
    ...     _ = tmp.write_text("done")
    >>> target.read_text()
    'done'
    """

    def __init__(self, target: str | os.PathLike) -> None:
        self.target = Path(target)

    def __enter__(self) -> Path:
        self.target.parent.mkdir(parents=True, exist_ok=True)
        fd, name = tempfile.mkstemp(prefix=f".{self.target.name}.", suffix=".tmp", dir=self.target.parent)
        os.close(fd)
        self.tmp = Path(name)
        return self.tmp

    def __exit__(self, exc_type, exc, tb) -> None:
        if exc_type is None:
            os.replace(self.tmp, self.target)
        else:
            self.tmp.unlink(missing_ok=True)


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
    """
    import xarray as xr

    if not isinstance(ds, xr.Dataset):
        raise ParameterError("ds", type(ds).__name__, "an xarray.Dataset")
    target = Path(path)
    with atomic_path(target) as tmp:
        ds.to_netcdf(tmp, engine=ENGINE)
    return target


def save_run(run: xr.Dataset, path: str | os.PathLike) -> Path:
    """Write a run of :func:`mfn.simulate` to a netCDF file atomically.

    Parameters
    ----------
    run : xarray.Dataset
        As returned by :func:`mfn.simulate` (other Datasets: :func:`save_dataset`).
    path : str or path-like
        Target file (conventionally ``.nc``); parent folders are created.

    Returns
    -------
    pathlib.Path
        The path written.

    Raises
    ------
    ParameterError
        If ``run`` is not a run (no ``mfn_version`` attribute or no primary variable).
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

    if path is None or not isinstance(path, (str, os.PathLike)):
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
