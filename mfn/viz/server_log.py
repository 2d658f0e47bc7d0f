"""The served live view's log: one line for a refused browser value, nothing for a closed tab.

A Panel server logs a value a browser sends that a widget refuses (a crafted websocket
message: a grid size of -5, a choice not on the list, a number where a string belongs) as
two or three full tracebacks: Panel's ``Callback failed ...`` (``log.exception``), then
the same exception re-raised into Tornado's ``Exception in callback``, or Bokeh's ``error
handling message``. A tab closed while a frame is on its way leaves asyncio's ``Task
exception was never retrieved`` with a ``WebSocketClosedError`` traceback, and Bokeh and
Panel warn ``Failed sending message as connection was closed`` once per unsent message.

:func:`quiet_server_log` (called by every served :class:`~mfn.viz.explorer.GrowthExplorer`
session) turns each refused value into one line on the ``mfn.viz.app`` logger, naming the
widget, the value and the reason, and drops what a closed tab leaves behind. A refusal is
an exception raised while applying a browser's value by the validation of ``param``,
Panel or Bokeh, with no frame of ``mfn`` in its traceback; an
exception raised in ``mfn``'s own code keeps its traceback: it is a bug to see.
"""

from __future__ import annotations

import asyncio
import logging
import re
from pathlib import Path
from types import TracebackType
from typing import Any

import bokeh
import panel
import param

__all__ = ["LOGGER", "is_refusal", "quiet_server_log"]

LOGGER = logging.getLogger("mfn.viz.app")
"""Where the served app says what it refused."""

_REFUSED = "_mfn_refused"  # attribute set on an exception already reported in one line
_VALIDATORS = tuple(str(Path(module.__file__).parent) for module in (param, panel, bokeh))
_MFN = str(Path(__file__).parents[1])
_CLOSED = ("WebSocketClosedError", "StreamClosedError")
_CALLBACK_FAILED = re.compile(
    r"Callback failed for object named '(?P<name>.*?)'(?: changing propert(?:y|ies) (?P<what>.*))?", re.DOTALL
)


def is_refusal(exc: BaseException) -> bool:
    """Whether ``exc`` is a validation's refusal of a value rather than a bug.

    A refusal is raised in ``param``, Panel or Bokeh (a widget's or a property's validation),
    with no frame of mfn's code in its traceback.
    """
    if not isinstance(exc, (ValueError, TypeError, IndexError, KeyError)):
        return False
    files = [frame.f_code.co_filename for frame in _frames(exc.__traceback__)]
    return bool(files) and not any(f.startswith(_MFN) for f in files) and files[-1].startswith(_VALIDATORS)


def quiet_server_log() -> None:
    """Install the filters and handlers above, once per process (and the exception handler once per session)."""
    panel.config.exception_handler = _handle_exception  # per session when called inside one
    for name, log_filter in _FILTERS.items():
        logger = logging.getLogger(name)
        if log_filter not in logger.filters:
            logger.addFilter(log_filter)
    try:
        loop = asyncio.get_running_loop()
    except RuntimeError:  # not on the server's event loop: nothing to install there
        return
    previous = loop.get_exception_handler()
    if getattr(previous, "__name__", "") != _closed_tab_handler.__name__:
        loop.set_exception_handler(_chained(previous))


def _frames(tb: TracebackType | None):
    while tb is not None:
        yield tb.tb_frame
        tb = tb.tb_next


def _report(exc: BaseException, widget: str, value: str) -> None:
    LOGGER.warning("refused a value from the browser for %s%s: %s", widget, value, " ".join(str(exc).split()))
    try:
        setattr(exc, _REFUSED, True)
    except AttributeError:  # pragma: no cover - an exception type without attributes
        pass


def _handle_exception(exc: BaseException) -> None:
    """Panel's exception handler for a session: a refusal was reported already; anything else is logged in full."""
    if not getattr(exc, _REFUSED, False):
        LOGGER.error("error in a live view callback", exc_info=(type(exc), exc, exc.__traceback__))


class _PanelRefusals(logging.Filter):
    """``panel.reactive``'s ``Callback failed ...`` with a refusal: one line instead."""

    def filter(self, record: logging.LogRecord) -> bool:
        exc = record.exc_info[1] if record.exc_info else None
        match = _CALLBACK_FAILED.match(record.getMessage())
        if exc is None or match is None or not is_refusal(exc):
            return True
        what = (match["what"] or "").strip()
        _report(exc, repr(match["name"]), f" ({what})" if what else "")
        return False


class _BokehRefusals(logging.Filter):
    """``bokeh.server.protocol_handler``'s ``error handling message`` for a refused value a browser sent: one line.

    Only for a ``PATCH-DOC`` message (a change from the browser); an error while the server
    builds or sends the page keeps its traceback.
    """

    def filter(self, record: logging.LogRecord) -> bool:
        exc = record.exc_info[1] if record.exc_info else None
        message = record.args[0] if isinstance(record.args, tuple) and record.args else None
        from_browser = getattr(message, "msgtype", None) == "PATCH-DOC"  # a change the browser sent
        if exc is None or not from_browser or not is_refusal(exc):
            return True
        _report(exc, "a widget", "")
        return False


class _ClosedConnection(logging.Filter):
    """Bokeh's and Panel's ``Failed sending message as connection was closed``: expected when a tab closes."""

    def filter(self, record: logging.LogRecord) -> bool:
        return "connection was closed" not in record.getMessage()


_FILTERS: dict[str, logging.Filter] = {
    "panel.reactive": _PanelRefusals(),
    "bokeh.server.protocol_handler": _BokehRefusals(),
    "bokeh.server.views.ws": _ClosedConnection(),
    "panel.io.document": _ClosedConnection(),
}


def _closed_tab_handler(loop: asyncio.AbstractEventLoop, context: dict[str, Any], previous: Any = None) -> None:
    """asyncio's handler: a write to a closed websocket is expected (a tab closed); the rest as before."""
    exc = context.get("exception")
    if exc is not None and type(exc).__name__ in _CLOSED:
        LOGGER.debug("a browser closed its connection while a message was on its way")
        return
    if previous is not None:
        previous(loop, context)
    else:
        loop.default_exception_handler(context)


def _chained(previous: Any) -> Any:
    def handler(loop: asyncio.AbstractEventLoop, context: dict[str, Any]) -> None:
        _closed_tab_handler(loop, context, previous)

    handler.__name__ = _closed_tab_handler.__name__
    return handler
