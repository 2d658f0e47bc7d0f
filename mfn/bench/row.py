"""One row of ``mfn bench`` and how it is measured: a reference and a fast path, timed alternately.

Times are CPU time of this process (``time.process_time``), single thread: on a shared
machine that is steadier than wall time, and only the ratios are compared against the
stored baseline (:mod:`mfn.bench.baseline`), never absolute times.
"""

from __future__ import annotations

import math
import statistics
import time
from collections.abc import Callable
from dataclasses import dataclass

__all__ = ["Row", "cpu_time", "measure", "scale_reference"]


@dataclass
class Row:
    """One benchmark row: a reference and a fast path doing ``work`` units each."""

    name: str
    unit: str
    work: float
    reference: str
    fast: str
    gated: bool
    reference_s: float = float("nan")
    fast_s: float = float("nan")
    ratio: float = float("nan")
    setup_s: float = float("nan")
    """One-off setup of the reference before its first run (py-pde's compilation), CPU s;
    excluded from the rates; NaN where there is none."""

    def as_dict(self) -> dict:
        return {
            "name": self.name,
            "unit": self.unit,
            "reference": self.reference,
            "fast": self.fast,
            "reference_s": self.reference_s,
            "fast_s": self.fast_s,
            "reference_rate": self.work / self.reference_s,
            "fast_rate": self.work / self.fast_s,
            "ratio": self.ratio,
            "gated": self.gated,
            "setup_s": None if math.isnan(self.setup_s) else self.setup_s,
        }


def cpu_time(fn: Callable[[], object]) -> float:
    """CPU seconds of this process spent in ``fn()``."""
    start = time.process_time()
    fn()
    return time.process_time() - start


def measure(row: Row, reference: Callable[[], object], fast: Callable[[], object], repeats: int) -> Row:
    """Time both alternately (after one warm-up call each); medians and the median ratio, into ``row``."""
    reference(), fast()
    ref_times, fast_times = [], []
    for _ in range(repeats):
        ref_times.append(cpu_time(reference))
        fast_times.append(cpu_time(fast))
    row.reference_s = statistics.median(ref_times)
    row.fast_s = statistics.median(fast_times)
    row.ratio = statistics.median(r / f for r, f in zip(ref_times, fast_times, strict=True))
    return row


def scale_reference(row: Row, factor: float) -> Row:
    """Scale the reference's time (and so the ratio) by ``factor``: the reference did ``1 / factor`` of the work.

    Rows whose reference is too slow to run the fast path's whole work time a fraction of it
    (every ``factor``-th frame, one step in ``factor``) and scale the time up to the same work.
    """
    row.reference_s *= factor
    row.ratio *= factor
    return row
