"""Every output's checks and atomic writes: nothing partial is ever left.

Files and folders are written atomically (to a temporary file or folder beside the target,
then renamed: :class:`atomic_path`, :class:`atomic_dir`). Written files and folders get the
usual permissions of the user's umask (``tempfile`` would give them 0600 / 0700); a temporary
file is removed when the write fails or the process is stopped (``KeyboardInterrupt``, or
``SystemExit`` raised by the SIGTERM handler of the ``mfn`` command, :func:`raise_on_sigterm`).

A write that fails (a full disk, a read-only or forbidden place) raises
:class:`~mfn.core.errors.OutputError` naming the target and the reason (:func:`output_error`),
after removing the temporary file and any folder made for it. Before any work,
:func:`check_output_file` and :func:`check_output_folder` create and remove a probe file where
the output will go (permission bits alone do not tell: root may write anywhere the file system
allows, ``/proc`` refuses everyone) and look at the free space. Runs and Datasets are saved
and loaded by :mod:`mfn.core.netcdf`.
"""

from __future__ import annotations

import errno
import os
import shutil
import signal
import tempfile
import threading
import uuid
from pathlib import Path

from mfn.core.errors import OutputError, ParameterError

__all__ = [
    "atomic_dir",
    "atomic_path",
    "check_output_file",
    "check_output_folder",
    "make_folders",
    "output_error",
    "raise_on_sigterm",
    "remove_folders",
]


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


_SIGTERMS = [0]
"""How many SIGTERMs the handler of :func:`raise_on_sigterm` has received. A SIGTERM can land
in code that swallows the ``SystemExit`` it raises (seen: a lazy import inside xarray's
``to_netcdf``), so the atomic writers compare this count at their start and end and undo a
write that was stopped even when no exception reached them."""


def raise_on_sigterm():
    """Make SIGTERM raise ``SystemExit(143)`` in the main thread, so clean-ups (temp files) run.

    Returns the previous handler (for ``signal.signal(signal.SIGTERM, previous)``).
    """

    def handler(signum, frame):
        _SIGTERMS[0] += 1
        raise SystemExit(128 + signum)

    return signal.signal(signal.SIGTERM, handler)


_HINTS = {
    errno.ENOSPC: "the disk is full: free some space or write elsewhere",
    errno.EDQUOT: "over the disk quota: free some space or write elsewhere",
    errno.EROFS: "a read-only file system: write elsewhere",
    errno.EACCES: "no permission: write elsewhere",
    errno.EPERM: "not permitted: write elsewhere",
    errno.EFBIG: "larger than the file system or the process's file size limit (ulimit -f) allows",
}


def output_error(path: str | os.PathLike, err: OSError) -> OutputError:
    """The :class:`~mfn.core.errors.OutputError` for ``err`` raised while writing ``path``.

    Examples
    --------
    >>> str(output_error("/x/run.nc", OSError(errno.EROFS, "Read-only file system")))
    'cannot write /x/run.nc: Read-only file system (a read-only file system: write elsewhere)'
    """
    if isinstance(err, OutputError):
        return err
    return OutputError(path, err.strerror or " ".join(str(err).split()), _HINTS.get(err.errno or 0))


def _special(path: Path) -> bool:
    """Whether ``path`` is a device, a pipe or a socket (an output would replace it, /dev/null say)."""
    import stat

    try:
        mode = os.lstat(path).st_mode
    except OSError:
        return False
    return not (stat.S_ISREG(mode) or stat.S_ISLNK(mode) or stat.S_ISDIR(mode))


def _beside(target: str | os.PathLike) -> Path:
    """``target`` with its folder resolved and its own name kept (a link there is replaced, not followed).

    ``sub/../x.nc`` is ``./x.nc`` whether or not ``sub`` exists, as the lock and checks see it.
    """
    path = Path(target)
    return path.parent.resolve() / path.name


def check_output_file(name: str, path, *, suffixes: tuple[str, ...] = (), size: int | None = None) -> Path:
    """Check, before any work, that a file can be written at ``path``; return it (folder resolved).

    Parameters
    ----------
    name : str
        The option or parameter to name in errors (``"--out"``).
    path : str or path-like
        Where the file will go.
    suffixes : tuple of str, optional
        Allowed suffixes.
    size : int, optional
        Bytes the file will need, when known: refused up front if the disk has less free.

    Raises
    ------
    ParameterError
        For an empty path, a path naming an existing folder, a wrong suffix, a place that
        cannot be written (missing permission, a read-only or special file system, a parent
        that is a file), or a full disk.
    """
    if not isinstance(path, (str, os.PathLike)) or not str(path).strip():
        raise ParameterError(name, path, "a file path (not empty)")
    target = _beside(path)
    if target.is_dir():
        raise ParameterError(name, str(path), "a file path, not an existing folder", f"e.g. {target / 'out'}")
    if _special(target):
        raise ParameterError(name, str(path), "a regular file path", f"{target} is a device, pipe or socket")
    if suffixes and target.suffix not in suffixes:
        raise ParameterError(name, str(path), f"a file ending in {' or '.join(suffixes)}")
    _check_writable_folder(name, path, target.parent, size)
    return target


def check_output_folder(name: str, path) -> Path:
    """Check, before any work, that ``path`` is or can become a writable folder; return it resolved.

    Raises
    ------
    ParameterError
        For an empty path, an existing file, a place that cannot be written, or a full disk.
    """
    if not isinstance(path, (str, os.PathLike)) or not str(path).strip():
        raise ParameterError(name, path, "a folder path (not empty)")
    target = Path(path).resolve()
    if target.exists() and not target.is_dir():
        raise ParameterError(name, str(path), "a folder, not an existing file")
    _check_writable_folder(name, path, target)
    return target


def _check_writable_folder(name: str, given, folder: Path, size: int | None = None) -> None:
    existing = folder
    while not os.path.exists(existing):  # the nearest existing ancestor must be a writable folder
        existing = existing.parent
    if not existing.is_dir():
        raise ParameterError(name, str(given), "a path whose parent is a folder", f"{existing} is a file")
    try:  # the only sure test: make a file there
        fd, probe = tempfile.mkstemp(prefix=".mfn-write-check-", dir=existing)
        os.close(fd)
        os.unlink(probe)
    except OSError as err:
        why = err.strerror or str(err)
        raise ParameterError(
            name, str(given), "a place you can write to", f"cannot create a file in {existing}: {why}"
        ) from None
    try:
        stats = os.statvfs(existing)
    except OSError:  # pragma: no cover - a file system that does not say
        return
    free = stats.f_bavail * stats.f_frsize
    if free == 0 or (size is not None and free < size):
        from mfn.core.memory import format_bytes

        need = "" if size is None else f", the output needs about {format_bytes(size)}"
        raise ParameterError(
            name,
            str(given),
            "a place with room for the output",
            f"{existing} has {format_bytes(free)} free{need}: free some space or write elsewhere",
        )


def make_folders(folder: Path) -> list[Path]:
    """Create ``folder`` and its missing parents; return the ones made, outermost first."""
    missing = []
    while not os.path.lexists(folder):
        missing.append(folder)
        folder = folder.parent
    for made in reversed(missing):
        made.mkdir(exist_ok=True)
    return list(reversed(missing))


def remove_folders(made: list[Path]) -> None:
    """Remove folders :func:`make_folders` made, innermost first, as long as they are empty."""
    for folder in reversed(made):
        try:
            folder.rmdir()
        except OSError:
            return


class atomic_dir:
    """Context manager giving a temporary folder that replaces the folder ``target`` on success.

    An existing ``target`` is moved aside, the new folder renamed into place, and the old
    one removed, so ``target`` is always either the old complete folder or the new one
    (for a moment it may be missing). On failure the temporary folder is removed.
    """

    def __init__(self, target: str | os.PathLike) -> None:
        self.target = _beside(target)
        self.made: list[Path] = []

    def __enter__(self) -> Path:
        try:
            self.made = make_folders(self.target.parent)
            self.tmp = Path(tempfile.mkdtemp(prefix=f".{self.target.name}.", suffix=".tmp", dir=self.target.parent))
            _chmod_like_new(self.tmp, folder=True)
        except OSError as err:
            remove_folders(self.made)
            raise output_error(self.target, err) from None
        self.sigterms = _SIGTERMS[0]
        return self.tmp

    def __exit__(self, exc_type, exc, tb) -> None:
        failure = exc if isinstance(exc, OSError) else None
        stopped = exc_type is None and _SIGTERMS[0] != self.sigterms
        if stopped:
            exc_type = SystemExit
        try:
            if exc_type is None:
                try:
                    if self.target.exists():
                        old = self.target.with_name(f".{self.target.name}.old-{uuid.uuid4().hex[:8]}")
                        os.replace(self.target, old)
                        os.replace(self.tmp, self.target)
                        shutil.rmtree(old, ignore_errors=True)
                    else:
                        os.replace(self.tmp, self.target)
                except OSError as err:
                    failure = err
        finally:
            if self.tmp.exists():
                shutil.rmtree(self.tmp, ignore_errors=True)
            if exc_type is not None or failure is not None:
                remove_folders(self.made)
        if stopped:
            raise SystemExit(143)
        if failure is not None:
            raise output_error(self.target, failure) from None


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
        self.target = _beside(target)
        self.made: list[Path] = []

    def __enter__(self) -> Path:
        if _special(self.target):  # renaming onto it would replace the device itself
            raise OutputError(self.target, "a device, pipe or socket, not a file", "choose a file path")
        try:
            self.made = make_folders(self.target.parent)
        except OSError as err:
            raise output_error(self.target, err) from None
        # SIGTERM is held back while the file is made, then let through where it is cleaned up
        held = _hold_sigterm()
        try:
            fd, name = tempfile.mkstemp(prefix=f".{self.target.name}.", suffix=".tmp", dir=self.target.parent)
        except OSError as err:
            _release_sigterm(held)
            remove_folders(self.made)
            raise output_error(self.target, err) from None
        os.close(fd)
        self.tmp = Path(name)
        try:
            _chmod_like_new(self.tmp, folder=False)  # mkstemp makes 0600; the output follows the umask
            _release_sigterm(held)
        except BaseException:
            self.tmp.unlink(missing_ok=True)
            remove_folders(self.made)
            raise
        self.sigterms = _SIGTERMS[0]
        return self.tmp

    def __exit__(self, exc_type, exc, tb) -> None:
        failure = exc if isinstance(exc, OSError) else None
        stopped = exc_type is None and _SIGTERMS[0] != self.sigterms  # a SIGTERM something swallowed
        if stopped:
            exc_type = SystemExit
        try:
            if exc_type is None:
                try:
                    os.replace(self.tmp, self.target)
                except OSError as err:
                    failure = err
        finally:  # a failed write or rename (or an interrupt) leaves no temporary file, no folder made for it
            self.tmp.unlink(missing_ok=True)
            if exc_type is not None or failure is not None:
                remove_folders(self.made)
        if stopped:
            raise SystemExit(143)
        if failure is not None:
            raise output_error(self.target, failure) from None
