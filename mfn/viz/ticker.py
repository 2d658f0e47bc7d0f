"""The live view's stepping loop: a periodic callback that Play starts and Pause stops.

:class:`Ticker` calls a function every :attr:`~Ticker.period_ms` while it runs, through
Panel's periodic callback (``pn.state.add_periodic_callback``; callbacks never overlap),
and after each call rests as long as the call took, so that one session's simulation uses
at most half of the server's time and browser messages and other sessions get through.
"""

from __future__ import annotations

import time
from collections.abc import Callable

import panel as pn

__all__ = ["Ticker"]


class Ticker:
    """Call ``tick`` every ``period_ms`` while running, resting as long as each call took.

    Parameters
    ----------
    tick : callable
        Called with no argument on every turn.
    period_ms : int
        Period of the callback, ms.
    """

    def __init__(self, tick: Callable[[], None], period_ms: int) -> None:
        self.tick = tick
        self.period_ms = period_ms
        self._callback: pn.io.PeriodicCallback | None = None
        self._rest_until = 0.0

    @property
    def running(self) -> bool:
        """Whether the loop is started."""
        return self._callback is not None

    def start(self) -> None:
        """Start calling :attr:`tick` (nothing if already started)."""
        if self._callback is None:
            self._rest_until = 0.0
            self._callback = pn.state.add_periodic_callback(self._periodic, period=self.period_ms)

    def stop(self) -> None:
        """Stop calling :attr:`tick` (nothing if not started)."""
        if self._callback is not None:
            self._callback.stop()
            self._callback = None

    def _periodic(self) -> None:
        """One turn: :attr:`tick`, unless still resting from the previous one; then rest as long as it took."""
        start = time.monotonic()
        if start < self._rest_until:
            return
        self.tick()
        end = time.monotonic()
        self._rest_until = end + (end - start)
