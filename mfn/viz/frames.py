"""Backpressure pieces of the live view: a latest-frame slot and a rate meter.

Neither imports Panel, so both can be tested (and reused) on their own.

The live view never queues frames. The simulation writes each new frame into a
:class:`LatestFrame` slot, replacing whatever was there; the publisher takes the slot's
content only when the browser has shown the previous frame. A browser that is slower than
the simulation therefore receives fewer frames, and memory holds at most one pending frame
per session, however long the run and however slow the browser.
"""

from __future__ import annotations

import threading
import time
from collections import deque
from dataclasses import dataclass, field
from typing import Any

import numpy as np

from mfn.core.checks import check_int

__all__ = ["Frame", "LatestFrame", "RateMeter"]


@dataclass(frozen=True)
class Frame:
    """One picture of the field, ready to publish.

    Attributes
    ----------
    t : int
        Simulation step of the picture.
    V : (M, N) float32 ndarray
        Potential, mV (float32 halves what travels to the browser).
    rows : list of dict
        Metric rows (one per simulated frame) produced since the previous frame was taken,
        oldest first; bounded by the slot's ``max_rows``.
    dimension_rows : list of dict
        Box-counting dimension rows produced since the previous frame was taken.
    restart : bool
        Whether the frame starts a new run: the views drop the rows they show before
        adding ``rows``.
    """

    t: int
    V: np.ndarray
    rows: list[dict[str, Any]] = field(default_factory=list)
    dimension_rows: list[dict[str, Any]] = field(default_factory=list)
    restart: bool = False


class LatestFrame:
    """A one-frame slot: writers replace the frame, a reader takes it at most once.

    Metric rows written with each frame accumulate (up to ``max_rows``; older ones are
    dropped) until the frame is taken, so the curves keep every simulated frame even when
    images are skipped.

    Parameters
    ----------
    max_rows : int, default 1000
        Most metric rows kept between two takes, >= 1.

    Examples
    --------
    >>> slot = LatestFrame()
    >>> slot.put(1, np.zeros((2, 2)), {"t": 1})
    >>> slot.put(2, np.ones((2, 2)), {"t": 2})
    >>> frame = slot.take()
    >>> frame.t, [r["t"] for r in frame.rows], slot.take() is None
    (2, [1, 2], True)
    """

    def __init__(self, max_rows: int = 1000) -> None:
        self.max_rows = check_int("max_rows", max_rows, 1)
        self._lock = threading.Lock()
        self._t: int | None = None
        self._V: np.ndarray | None = None
        self._rows: deque[dict[str, Any]] = deque(maxlen=self.max_rows)
        self._dimension_rows: deque[dict[str, Any]] = deque(maxlen=self.max_rows)
        self._restart = False
        self.written = 0
        """Frames written so far."""
        self.taken = 0
        """Frames taken so far (``written - taken`` were replaced before anyone took them)."""

    @property
    def pending(self) -> bool:
        """Whether a frame is waiting to be taken."""
        return self._V is not None

    def put(
        self, t: int, V: np.ndarray, row: dict[str, Any] | None = None, dimension_row: dict[str, Any] | None = None
    ) -> None:
        """Replace the pending frame with the field ``V`` (mV) at step ``t``."""
        image = np.asarray(V, dtype=np.float32)
        with self._lock:
            self._t, self._V = t, image
            if row is not None:
                self._rows.append(row)
            if dimension_row is not None:
                self._dimension_rows.append(dimension_row)
            self.written += 1

    def take(self) -> Frame | None:
        """Return the pending frame and empty the slot, or None when nothing is new."""
        with self._lock:
            if self._V is None:
                return None
            frame = Frame(self._t, self._V, list(self._rows), list(self._dimension_rows), self._restart)
            self._t, self._V = None, None
            self._rows.clear()
            self._dimension_rows.clear()
            self._restart = False
            self.taken += 1
        return frame

    def pending_rows(self) -> tuple[list[dict[str, Any]], list[dict[str, Any]]]:
        """Copies of the metric and dimension rows waiting with the pending frame, oldest first."""
        with self._lock:
            return list(self._rows), list(self._dimension_rows)

    @property
    def restarting(self) -> bool:
        """Whether the next frame taken starts a new run (see :meth:`restart`)."""
        return self._restart

    def restart(self) -> None:
        """Drop the pending frame and its rows; the next frame taken starts a new run.

        The views learn of the new run only with its first frame (``Frame.restart``), so
        nothing reaches them between the two: a browser that has not painted the previous
        frame yet receives the new run's latest frame and the full curves in one update.
        """
        with self._lock:
            self._t, self._V = None, None
            self._rows.clear()
            self._dimension_rows.clear()
            self._restart = True


class RateMeter:
    """Events per second over a sliding time window, in bounded memory.

    Parameters
    ----------
    window_s : float, default 2.0
        Length of the window, seconds.
    max_samples : int, default 256
        Most samples kept (older ones are dropped even inside the window).

    Examples
    --------
    >>> meter = RateMeter()
    >>> meter.add(10, now=0.0); meter.add(10, now=0.5)
    >>> meter.rate(now=0.5)
    20.0
    """

    def __init__(self, window_s: float = 2.0, max_samples: int = 256) -> None:
        self.window_s = window_s
        self._samples: deque[tuple[float, float]] = deque(maxlen=max_samples)

    def add(self, count: float = 1.0, now: float | None = None) -> None:
        """Record ``count`` events at time ``now`` (default: the monotonic clock)."""
        self._samples.append((time.monotonic() if now is None else now, float(count)))

    def rate(self, now: float | None = None) -> float:
        """Events per second in the window: the events after the oldest sample over the time since it."""
        now = time.monotonic() if now is None else now
        while self._samples and now - self._samples[0][0] > self.window_s:
            self._samples.popleft()
        if len(self._samples) < 2:
            return 0.0
        elapsed = now - self._samples[0][0]
        if elapsed <= 0:
            return 0.0
        return sum(c for _, c in list(self._samples)[1:]) / elapsed

    def reset(self) -> None:
        """Forget every sample."""
        self._samples.clear()
