"""Where the kernels mfn starts keep their files, and clearing those left by killed processes.

A kernel talking over IPC has five socket files (shell, iopub, stdin, control, heartbeat)
and a connection file. Its manager removes them when the kernel is shut down, but a process
killed with SIGKILL (a batch stopped hard, a Dask worker killed by its nanny) cannot. So each
process that starts kernels keeps their files in a folder of its own,
``<temp>/mfn-kernels-<uid>/p<pid>-<random>/``, and holds an exclusive ``flock`` on the
``.lock`` file inside for as long as it lives (the kernel releases it when the process ends,
however it ends). The folder is removed when the process exits normally; the next process
that starts a kernel removes every folder whose lock nobody holds.

The shared folder ``mfn-kernels-<uid>`` is private (0700) and must belong to the user; if it
does not (another user made it, or it is a link), a private folder of this process is used
instead, without clearing anything. A socket's path may not exceed 107 bytes, so when the
temporary folder's path is long (a deep ``TMPDIR``) the shared folder goes to ``/tmp``.
"""

from __future__ import annotations

import atexit
import contextlib
import os
import shutil
import stat
import tempfile
from pathlib import Path

__all__ = ["kernel_runtime_dir", "remove_stale_runtime_dirs"]

_OWNED: dict[int, tuple[Path, int]] = {}  # pid -> (its folder, the locked descriptor)


def kernel_runtime_dir() -> Path:
    """This process's folder for kernel files (made, and stale folders cleared, on first use)."""
    import fcntl

    pid = os.getpid()
    if pid in _OWNED:
        return _OWNED[pid][0]
    root = _shared_root()
    if root is None:
        folder = Path(tempfile.mkdtemp(prefix="mfn-kernels-"))
        _OWNED[pid] = (folder, -1)
        atexit.register(_remove_own, pid)
        return folder
    remove_stale_runtime_dirs(root)
    made = Path(tempfile.mkdtemp(prefix=f".new-{pid}-", dir=root))  # dot names are never cleared
    fd = os.open(made / ".lock", os.O_RDWR | os.O_CREAT | os.O_EXCL | os.O_NOFOLLOW | os.O_CLOEXEC, 0o600)
    fcntl.flock(fd, fcntl.LOCK_EX)
    folder = root / f"p{pid}-{made.name.rsplit('-', 1)[-1]}"
    os.rename(made, folder)
    _OWNED[pid] = (folder, fd)
    atexit.register(_remove_own, pid)
    return folder


def remove_stale_runtime_dirs(root: Path | None = None) -> list[Path]:
    """Remove the kernel folders under ``root`` whose owning process has ended; return them.

    A folder is stale when the lock on its ``.lock`` file can be taken: its owner, which held
    it, is gone. Folders being made (names starting with a dot) are left alone.
    """
    import fcntl

    root = _shared_root() if root is None else root
    removed: list[Path] = []
    if root is None or not root.is_dir():
        return removed
    for entry in root.iterdir():
        if entry.name.startswith(".") or not entry.is_dir() or entry.is_symlink():
            continue
        try:
            fd = os.open(entry / ".lock", os.O_RDWR | os.O_NOFOLLOW | os.O_CLOEXEC)
        except OSError:
            continue  # no lock: not one of these folders, or being removed
        try:
            fcntl.flock(fd, fcntl.LOCK_EX | fcntl.LOCK_NB)
        except BlockingIOError:
            continue  # its process is alive
        finally:
            os.close(fd)
        shutil.rmtree(entry, ignore_errors=True)
        removed.append(entry)
    return removed


_MAX_BASE = 48
"""Longest temporary folder path under which kernel socket paths stay within the 107-byte limit."""
# only the parent of the private, owner-checked folder below: kernel socket paths must stay short
_SHORT_BASE = "/tmp"  # noqa: S108  # nosec B108


def _shared_root() -> Path | None:
    """``<temp>/mfn-kernels-<uid>``, made private if missing; None if it is not safely ours."""
    base = tempfile.gettempdir()
    if len(base) > _MAX_BASE and os.path.isdir(_SHORT_BASE) and os.access(_SHORT_BASE, os.W_OK):
        base = _SHORT_BASE  # the sockets' paths must stay short
    root = Path(base) / f"mfn-kernels-{os.getuid()}"
    with contextlib.suppress(FileExistsError):
        root.mkdir(mode=0o700)
    try:
        info = os.lstat(root)
    except OSError:
        return None
    mine = stat.S_ISDIR(info.st_mode) and info.st_uid == os.getuid() and not info.st_mode & 0o077
    return root if mine else None


def _remove_own(pid: int) -> None:
    """At exit: remove this process's folder (not in a forked child that inherited the record)."""
    if os.getpid() != pid or pid not in _OWNED:
        return
    folder, fd = _OWNED.pop(pid)
    shutil.rmtree(folder, ignore_errors=True)
    if fd >= 0:
        os.close(fd)
