"""Saving and loading runs as self-describing netCDF files (HDF5 via h5netcdf).

Files are written atomically (to a temporary file beside the target, then renamed), and
loading never unpickles anything. Written files and folders get the usual permissions of
the user's umask (``tempfile`` would give them 0600 / 0700); a temporary file is removed when
the write fails or the process is stopped (``KeyboardInterrupt``, or ``SystemExit`` raised by
the SIGTERM handler of the ``mfn`` command, :func:`raise_on_sigterm`).
"""

from __future__ import annotations

import os
import shutil
import signal
import tempfile
import threading
import uuid
from pathlib import Path
from typing import TYPE_CHECKING

from mfn.core.errors import ParameterError

if TYPE_CHECKING:
    import xarray as xr

__all__ = [
    "atomic_dir",
    "atomic_path",
    "check_output_file",
    "check_output_folder",
    "load_dataset",
    "load_run",
    "raise_on_sigterm",
    "save_dataset",
    "save_run",
]

ENGINE = "h5netcdf"


def _umask() -> int:
    """The process umask, read without changing it where Linux shows it."""
    try:
        with open("/proc/self/status", encoding="ascii") as status:
            for line in status:
                if line.startswith("Umask:"):
                    return int(line.split()[1], 8)
    except OSError:  # pragma: no cover - not Linux
        pass
    mask = os.umask(0o022)  # pragma: no cover
    os.umask(mask)  # pragma: no cover
    return mask  # pragma: no cover


def _chmod_like_new(path: Path, *, folder: bool) -> None:
    """Give ``path`` the permissions a plain ``open()``/``mkdir()`` would under the umask."""
    os.chmod(path, (0o777 if folder else 0o666) & ~_umask())


def _hold_sigterm() -> bool:
    """Block SIGTERM in the main thread (returns whether it was blocked here)."""
    if not hasattr(signal, "pthread_sigmask") or threading.current_thread() is not threading.main_thread():
        return False
    return signal.SIGTERM not in signal.pthread_sigmask(signal.SIG_BLOCK, {signal.SIGTERM})


def _release_sigterm(held: bool) -> None:
    if held:
        signal.pthread_sigmask(signal.SIG_UNBLOCK, {signal.SIGTERM})


def raise_on_sigterm():
    """Make SIGTERM raise ``SystemExit(143)`` in the main thread, so clean-ups (temp files) run.

    Returns the previous handler (for ``signal.signal(signal.SIGTERM, previous)``).
    """

    def handler(signum, frame):
        raise SystemExit(128 + signum)

    return signal.signal(signal.SIGTERM, handler)


def check_output_file(name: str, path, *, suffixes: tuple[str, ...] = ()) -> Path:
    """Check, before any work, that a file can be written at ``path``; return it as a Path.

    Raises
    ------
    ParameterError
        For an empty path, a path naming an existing folder, a wrong suffix, or a place
        that cannot be written (missing permission, a parent that is a file).
    """
    if not isinstance(path, (str, os.PathLike)) or not str(path).strip():
        raise ParameterError(name, path, "a file path (not empty)")
    target = Path(path)
    if target.is_dir():
        raise ParameterError(name, str(path), "a file path, not an existing folder", f"e.g. {target / 'out'}")
    if suffixes and target.suffix not in suffixes:
        raise ParameterError(name, str(path), f"a file ending in {' or '.join(suffixes)}")
    _check_writable_folder(name, path, target.parent)
    return target


def check_output_folder(name: str, path) -> Path:
    """Check, before any work, that ``path`` is or can become a writable folder; return it resolved.

    Raises
    ------
    ParameterError
        For an empty path, an existing file, or a place that cannot be written.
    """
    if not isinstance(path, (str, os.PathLike)) or not str(path).strip():
        raise ParameterError(name, path, "a folder path (not empty)")
    target = Path(path).resolve()
    if target.exists() and not target.is_dir():
        raise ParameterError(name, str(path), "a folder, not an existing file")
    _check_writable_folder(name, path, target)
    return target


def _check_writable_folder(name: str, given, folder: Path) -> None:
    existing = folder
    while not existing.exists():  # the nearest existing ancestor must be a writable folder
        existing = existing.parent
    if not existing.is_dir():
        raise ParameterError(name, str(given), "a path whose parent is a folder", f"{existing} is a file")
    if not os.access(existing, os.W_OK | os.X_OK):
        raise ParameterError(name, str(given), "a place you can write to", f"no write permission in {existing}")


class atomic_dir:
    """Context manager giving a temporary folder that replaces the folder ``target`` on success.

    An existing ``target`` is moved aside, the new folder renamed into place, and the old
    one removed, so ``target`` is always either the old complete folder or the new one
    (for a moment it may be missing). On failure the temporary folder is removed.
    """

    def __init__(self, target: str | os.PathLike) -> None:
        self.target = Path(target)

    def __enter__(self) -> Path:
        self.target.parent.mkdir(parents=True, exist_ok=True)
        self.tmp = Path(tempfile.mkdtemp(prefix=f".{self.target.name}.", suffix=".tmp", dir=self.target.parent))
        _chmod_like_new(self.tmp, folder=True)
        return self.tmp

    def __exit__(self, exc_type, exc, tb) -> None:
        try:
            if exc_type is None:
                if self.target.exists():
                    old = self.target.with_name(f".{self.target.name}.old-{uuid.uuid4().hex[:8]}")
                    os.replace(self.target, old)
                    os.replace(self.tmp, self.target)
                    shutil.rmtree(old, ignore_errors=True)
                else:
                    os.replace(self.tmp, self.target)
        finally:
            if self.tmp.exists():
                shutil.rmtree(self.tmp, ignore_errors=True)


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
        # SIGTERM is held back while the file is made, then let through where it is cleaned up
        held = _hold_sigterm()
        fd, name = tempfile.mkstemp(prefix=f".{self.target.name}.", suffix=".tmp", dir=self.target.parent)
        os.close(fd)
        self.tmp = Path(name)
        try:
            _chmod_like_new(self.tmp, folder=False)  # mkstemp makes 0600; the output follows the umask
            _release_sigterm(held)
        except BaseException:
            self.tmp.unlink(missing_ok=True)
            raise
        return self.tmp

    def __exit__(self, exc_type, exc, tb) -> None:
        try:
            if exc_type is None:
                os.replace(self.tmp, self.target)
        finally:  # a failed write or rename (or an interrupt) leaves no temporary file
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
