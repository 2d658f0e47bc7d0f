"""The live view's stepping loop: a periodic callback that Play starts and Pause stops.

:class:`Ticker` calls a function every :attr:`~Ticker.period_ms` while it runs, through
Panel's periodic callback (``pn.state.add_periodic_callback``; callbacks never overlap),
and after each call rests as long as the call took, so that one session's simulation uses
at most half of the server's time and browser messages and other sessions get through.

In a served session the callback starts only once the page has loaded (Panel's
``document_ready``, :func:`panel.state.onload`). Panel 1.9.4's ``PeriodicCallback.start``
on a session that has not loaded re-queues itself on every tick of the server's event loop
until it loads, and nothing can stop it, since no handle exists yet: a websocket client
that never sends ``document_ready`` (any non-browser client, such as
``bokeh.client.pull_session``) and pressed Play left the server at a full core forever,
also after it disconnected. Waiting for the load instead costs nothing, and a Pause (or
the session's end) before the load simply cancels the start.
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
        self._wanted = False
        self._waiting = False  # a start waits for the session's page to load

    @property
    def running(self) -> bool:
        """Whether the loop is started (its callback may still wait for the page to load)."""
        return self._wanted

    @property
    def ticking(self) -> bool:
        """Whether the periodic callback exists (started, and the page has loaded)."""
        return self._callback is not None

    def start(self) -> None:
        """Start calling :attr:`tick`, at once or when the session's page has loaded (nothing if started)."""
        self._wanted = True
        if self._callback is not None or self._waiting:
            return
        doc = pn.state.curdoc
        if doc is not None and doc.session_context is not None and not pn.state.loaded:
            self._waiting = True
            pn.state.onload(self._on_load)  # never called for a client that never loads: nothing runs
            return
        self._begin()

    def stop(self) -> None:
        """Stop calling :attr:`tick`, or cancel a start that waits for the page (nothing if not started)."""
        self._wanted = False
        if self._callback is not None:
            self._callback.stop()
            self._callback = None

    def _on_load(self) -> None:
        self._waiting = False
        if self._wanted and self._callback is None:
            self._begin()

    def _begin(self) -> None:
        self._rest_until = 0.0
        self._callback = pn.state.add_periodic_callback(self._periodic, period=self.period_ms)

    def _periodic(self) -> None:
        """One turn: :attr:`tick`, unless still resting from the previous one; then rest as long as it took."""
        start = time.monotonic()
        if start < self._rest_until:
            return
        self.tick()
        end = time.monotonic()
        self._rest_until = end + (end - start)
