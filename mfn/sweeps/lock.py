"""One writer at a time: the exclusive lock a sweep (or a calibration) holds on its store.

:func:`lock_store` takes ``flock`` on a hidden ``.<name>.lock`` file beside the store, which
the kernel releases when the process ends, however it ends; a second sweep on the same store
therefore refuses with a clear message instead of running everything twice.
"""

from __future__ import annotations

import contextlib
import os
from collections.abc import Iterator
from pathlib import Path

from mfn.core.errors import ParameterError

__all__ = ["lock_store"]


@contextlib.contextmanager
def lock_store(path: str | os.PathLike) -> Iterator[Path]:
    """Hold an exclusive lock on the store at ``path`` for the ``with`` block.

    The lock is ``flock`` on ``.<name>.lock`` beside the store (the file holds the owner's
    pid); the kernel releases it when the process ends, however it ends. The file is made
    with exclusive creation and never through a symbolic link (``O_EXCL | O_NOFOLLOW``), so
    a link planted there cannot make a sweep write to its target. A lock file nobody holds
    (left by a killed sweep) is removed and made anew.

    Raises
    ------
    ParameterError
        If another process (or another sweep in this process) holds it, or the lock file is
        a symbolic link or not a regular file.
    """
    import fcntl
    import stat

    from mfn.core.io import make_folders, output_error, remove_folders

    target = Path(path).resolve()
    try:
        made = make_folders(target.parent)  # removed again at the end if the store was not made
    except OSError as err:
        raise output_error(target, err) from None
    lock = target.with_name(f".{target.name}.lock")
    flags = os.O_RDWR | os.O_NOFOLLOW | os.O_CLOEXEC
    while True:
        try:
            fd = os.open(lock, flags | os.O_CREAT | os.O_EXCL, 0o666)
            created = True
        except FileExistsError:
            try:
                fd = os.open(lock, flags)
            except FileNotFoundError:
                continue  # its owner just removed it
            except OSError as err:  # ELOOP: a symbolic link
                why = "a symbolic link" if os.path.islink(lock) else f"unreadable ({err.strerror})"
                raise ParameterError(
                    "store", str(path), "a store whose lock file is a regular file", f"{lock} is {why}; remove it"
                ) from None
            created = False
        except OSError as err:  # a read-only, forbidden or full place
            remove_folders(made)
            raise output_error(target, err) from None
        if not stat.S_ISREG(os.fstat(fd).st_mode):
            os.close(fd)
            raise ParameterError("store", str(path), "a store whose lock file is a regular file", f"remove {lock}")
        try:
            fcntl.flock(fd, fcntl.LOCK_EX | fcntl.LOCK_NB)
        except BlockingIOError:
            owner = os.pread(fd, 32, 0).decode(errors="replace").strip() or "?"
            os.close(fd)
            raise ParameterError(
                "store",
                str(path),
                "a store that no other sweep is writing",
                f"another process is writing it (pid {owner}); wait for it to finish or stop it, then rerun",
            ) from None
        in_place = os.path.lexists(lock) and os.lstat(lock).st_ino == os.fstat(fd).st_ino
        if in_place and created:
            break  # our own new file, still in place
        if in_place:  # a lock nobody holds, left by a killed sweep: only a holder may remove it
            lock.unlink()
        os.close(fd)
    try:
        try:
            os.pwrite(fd, f"{os.getpid()}\n".encode(), 0)
        except OSError:  # a full disk: the lock holds without the pid in it
            pass
        yield target
    finally:
        lock.unlink(missing_ok=True)
        os.close(fd)
        remove_folders(made)  # only folders still empty: not when the store is in them
