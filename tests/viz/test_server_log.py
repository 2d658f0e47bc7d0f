"""The served app's log: a refused browser value is one line, a closed tab leaves nothing (no server needed)."""

import asyncio
import gc
import logging

import pytest

pn = pytest.importorskip("panel")

from tornado.websocket import WebSocketClosedError  # noqa: E402

from mfn.core.errors import ParameterError  # noqa: E402
from mfn.core.model import get_model  # noqa: E402
from mfn.viz import server_log  # noqa: E402


@pytest.fixture
def quiet():
    """The filters installed (as a served session does), removed afterwards; the exception handler reset."""
    server_log.quiet_server_log()
    yield
    for name, log_filter in server_log._FILTERS.items():
        logging.getLogger(name).removeFilter(log_filter)
    pn.config.exception_handler = None


def tracebacks(caplog):
    return [r for r in caplog.records if r.exc_info]


@pytest.mark.parametrize(
    ("widget", "event", "says"),
    [
        (pn.widgets.IntInput(label="Grid size", start=1), {"value": 2.5}, "'Grid size' ({'value': 2.5})"),
        (pn.widgets.Select(label="Model", options=["classic"]), {"value": "bogus"}, "'Model'"),
        (pn.widgets.RadioButtonGroup(label="Colour scale", options=["fixed", "auto"]), {"active": 9}, "'Colour scale'"),
        (pn.widgets.IntSlider(label="Steps per frame", start=1, end=50), {"value": "x"}, "'Steps per frame'"),
    ],
)
def test_a_value_a_widget_refuses_is_one_line_without_a_traceback(quiet, caplog, widget, event, says):
    caplog.set_level(logging.INFO)
    with pytest.raises((ValueError, TypeError, IndexError)) as info:
        widget._process_events(event)  # what a browser's message does on the server
    pn.state._handle_exception(info.value)  # where Panel sends the re-raised exception in a session
    lines = [r.getMessage() for r in caplog.records]
    assert len(lines) == 1 and not tracebacks(caplog), lines
    assert lines[0].startswith(f"refused a value from the browser for {says}")
    assert caplog.records[0].name == "mfn.viz.app" and caplog.records[0].levelname == "WARNING"


def test_without_the_filters_panel_logs_the_refusal_with_its_traceback(caplog):
    """The defect itself: what the served app printed per crafted value before (Panel 1.9.4)."""
    with pytest.raises(ValueError):
        pn.widgets.IntInput(label="Grid size", start=1)._process_events({"value": 2.5})
    logged = [r.getMessage().split(" changing")[0] for r in tracebacks(caplog)]
    assert logged == ["Callback failed for object named 'Grid size'"]


def test_an_error_of_the_view_s_own_code_keeps_its_traceback(quiet, caplog):
    widget = pn.widgets.IntInput(label="Grid size")

    def broken(event):
        raise ValueError("a bug in a watcher")

    widget.param.watch(broken, "value")
    with pytest.raises(ValueError) as info:
        widget._process_events({"value": 7})
    pn.state._handle_exception(info.value)
    assert not server_log.is_refusal(info.value)
    assert len(tracebacks(caplog)) == 2  # Panel's and the handler's: a bug is there to be seen


def test_an_error_raised_in_mfn_is_not_a_refusal():
    with pytest.raises(ParameterError) as info:
        get_model("nope")
    assert not server_log.is_refusal(info.value)


def test_a_write_to_a_closed_websocket_leaves_no_traceback(quiet, caplog):
    """What a closed tab leaves: a write task failing with WebSocketClosedError that nobody awaits."""

    async def write():
        raise WebSocketClosedError()

    async def main():
        server_log.quiet_server_log()  # on the running loop, as a session does
        task = asyncio.ensure_future(write())
        await asyncio.sleep(0.01)
        assert task.done()
        del task
        gc.collect()  # the task is dropped unretrieved: asyncio calls the loop's exception handler

    caplog.set_level(logging.DEBUG)
    loop = asyncio.new_event_loop()
    try:
        loop.run_until_complete(main())
    finally:
        loop.close()
    assert not tracebacks(caplog) and not [r for r in caplog.records if r.levelno >= logging.WARNING]
    assert "closed its connection" in caplog.text


def test_other_loop_errors_still_reach_the_default_handler(caplog):
    async def fail():
        raise RuntimeError("something else")

    async def main():
        server_log.quiet_server_log()
        task = asyncio.ensure_future(fail())
        await asyncio.sleep(0.01)
        del task
        gc.collect()

    loop = asyncio.new_event_loop()
    try:
        loop.run_until_complete(main())
    finally:
        loop.close()
    pn.config.exception_handler = None
    assert [r for r in tracebacks(caplog) if "something else" in str(r.exc_info[1])]


def test_an_error_while_the_server_builds_the_page_keeps_its_traceback(quiet):
    """Only a change a browser sent (PATCH-DOC) is a refusal; an error serving the page is a bug to see."""

    class Message:
        msgtype = "PULL-DOC-REQ"

    try:
        raise ValueError("Slider.value doesn't have a value set")
    except ValueError as err:
        text = "error handling message\n message: %r \n error: %r"
        info = (ValueError, err, err.__traceback__)
        name = "bokeh.server.protocol_handler"
        record = logging.LogRecord(name, logging.ERROR, __file__, 1, text, (Message(), err), info)
    assert server_log._FILTERS["bokeh.server.protocol_handler"].filter(record)  # kept, with its traceback
