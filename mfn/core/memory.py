"""How much memory one request may ask for: a fraction of this machine's memory, checked up front.

A run's recorded history, an ensemble's states, a sweep's datacube and a training set's
fields are all held in memory. Each is estimated before any work starts and refused with a
:class:`~mfn.core.errors.ParameterError` giving the numbers and the fix when it would need
more than :func:`memory_limit`: :data:`MEMORY_FRACTION` of the machine's memory (the smaller
of the physical memory and the container's cgroup limit). A quarter leaves room for the
rest of the process and for saving: :func:`mfn.save_run` builds the netCDF file in memory
before writing it, so a run needs about twice its history while it is saved.
"""

from __future__ import annotations

import os
from pathlib import Path
from typing import Any

from mfn.core.errors import ParameterError

__all__ = ["MEMORY_FRACTION", "array_bytes", "check_memory", "format_bytes", "machine_memory", "memory_limit"]

MEMORY_FRACTION = 0.25
"""Share of the machine's memory one run, ensemble, sweep or training set may use."""

_CGROUP_LIMITS = ("/sys/fs/cgroup/memory.max", "/sys/fs/cgroup/memory/memory.limit_in_bytes")
_FALLBACK_BYTES = 8 * 2**30  # where the OS does not say (not POSIX)


def machine_memory() -> int:
    """Bytes of memory this process can use: physical memory, or the cgroup limit when smaller."""
    try:
        total = os.sysconf("SC_PAGE_SIZE") * os.sysconf("SC_PHYS_PAGES")
    except (AttributeError, ValueError, OSError):  # pragma: no cover - not POSIX
        total = _FALLBACK_BYTES
    for path in _CGROUP_LIMITS:
        try:
            text = Path(path).read_text(encoding="ascii").strip()
        except OSError:
            continue
        if text.isdigit() and 0 < int(text) < total:
            total = int(text)
    return int(total)


def memory_limit() -> int:
    """Bytes one request may use: :data:`MEMORY_FRACTION` of :func:`machine_memory`."""
    return int(MEMORY_FRACTION * machine_memory())


def format_bytes(n: float) -> str:
    """``n`` bytes in GiB or MiB, for messages.

    Examples
    --------
    >>> format_bytes(3 * 2**30), format_bytes(5 * 2**20)
    ('3.0 GiB', '5.0 MiB')
    """
    return f"{n / 2**30:.1f} GiB" if n >= 2**30 else f"{n / 2**20:.1f} MiB"


def array_bytes(obj: Any, depth: int = 3) -> int:
    """Bytes of the numpy arrays ``obj`` holds: itself, or its attributes and items ``depth`` levels deep.

    Each array is counted once (by identity). Used to measure a simulation's state, for
    example the first member of an ensemble before the others are made.

    Examples
    --------
    >>> import numpy as np
    >>> class Run:
    ...     def __init__(self):
    ...         self.u = np.zeros(10)
    ...         self.parts = [np.zeros(5), self.u]
    >>> array_bytes(Run())
    120
    """
    import numpy as np

    seen: set[int] = set()

    def walk(item: Any, level: int) -> int:
        if id(item) in seen:
            return 0
        seen.add(id(item))
        if isinstance(item, np.ndarray):
            return item.nbytes
        if level == 0 or isinstance(item, (str, bytes, int, float, type)):
            return 0
        if isinstance(item, dict):
            children = item.values()
        elif isinstance(item, (list, tuple)):
            children = item
        else:
            children = getattr(item, "__dict__", {}).values()
        return sum(walk(child, level - 1) for child in children)

    return walk(obj, depth)


def check_memory(name: str, value: Any, need: float, what: str, fix: str) -> None:
    """Refuse a request whose estimated memory ``need`` (bytes) is above :func:`memory_limit`.

    Parameters
    ----------
    name, value : str, Any
        The parameter to name in the error and the value received.
    need : float
        Estimated bytes.
    what : str
        What needs them (``"recording 100 frames of 512x512"``).
    fix : str
        How to ask for less.

    Raises
    ------
    ParameterError
        With the estimate, the limit, the machine's memory and the fix.

    Examples
    --------
    >>> check_memory("n_fields", 4, 1024, "4 fields", "fewer fields")  # fits: nothing happens
    """
    limit = memory_limit()
    if need > limit:
        raise ParameterError(
            name,
            value,
            f"a size that fits in {format_bytes(limit)} of memory "
            f"({MEMORY_FRACTION:.0%} of this machine's {format_bytes(machine_memory())})",
            f"{what} needs about {format_bytes(need)}: {fix}",
        )
