"""A closed session of the served live view stops its simulation at once (real server, real websocket client)."""

import socket
import time

import pytest

pn = pytest.importorskip("panel")

from bokeh.client import pull_session  # noqa: E402
from bokeh.events import DocumentReady  # noqa: E402

from mfn.models.classic.params import FieldParams  # noqa: E402
from mfn.viz import app  # noqa: E402
from mfn.viz.explorer import GrowthExplorer  # noqa: E402


def _free_port():
    with socket.socket() as s:
        s.bind(("127.0.0.1", 0))
        return s.getsockname()[1]


def _wait(condition, seconds):
    deadline = time.monotonic() + seconds
    while time.monotonic() < deadline:
        if condition():
            return True
        time.sleep(0.02)
    return condition()


@pytest.mark.slow
def test_closing_the_session_stops_its_simulation_within_a_second_or_two():
    made = []

    def page():
        explorer = GrowthExplorer(FieldParams(grid_size=16))
        explorer.play()  # as the Play button would, inside this session (it starts once the page loads)
        made.append(explorer)
        return pn.Column(explorer)

    port = _free_port()
    server = pn.serve(page, threaded=True, show=False, start=True, **app.server_options(port))
    try:
        assert _wait(lambda: socket.socket().connect_ex(("127.0.0.1", port)) == 0, 30)
        session = pull_session(url=f"http://127.0.0.1:{port}/")
        session.document.callbacks.send_event(DocumentReady())  # as a browser does once the page is rendered
        session.force_roundtrip()
        assert _wait(lambda: made and made[0].simulation.t > 0, 30), "the session's simulation did not start"
        explorer = made[0]
        closed = time.monotonic()
        session.close()
        assert _wait(lambda: not explorer.playing, 5), "still playing 5 s after the session closed"
        stopped_after = time.monotonic() - closed
        t = explorer.simulation.t
        time.sleep(0.5)
        assert explorer.simulation.t == t
        assert stopped_after < 2.5, stopped_after
    finally:
        server.stop()


# -- a served `mfn app` process and a non-browser websocket client ------------------------------


@pytest.fixture(scope="module")
def served(tmp_path_factory):
    """``mfn app`` on a free port in its own process: ``(url, psutil.Process, log path)``, shared by this module."""
    import subprocess
    import sys
    import urllib.request
    from pathlib import Path

    psutil = pytest.importorskip("psutil")
    port = _free_port()
    log_path = tmp_path_factory.mktemp("app") / "server.log"
    root = Path(__file__).parents[2]
    with log_path.open("w") as log:
        proc = subprocess.Popen(
            [sys.executable, "-m", "mfn", "app", "--port", str(port), "--grid-size", "32"],
            stdout=log,
            stderr=subprocess.STDOUT,
            cwd=root,
        )
    url = f"http://127.0.0.1:{port}/"

    def live():
        try:
            with urllib.request.urlopen(url + "liveness", timeout=2) as response:
                return response.status == 200
        except OSError:
            return False

    try:
        assert _wait(lambda: proc.poll() is not None or live(), 120) and proc.poll() is None, log_path.read_text()
        yield url, psutil.Process(proc.pid), log_path
    finally:
        proc.terminate()
        try:
            proc.wait(10)
        except subprocess.TimeoutExpired:
            proc.kill()
            proc.wait(10)


def _connect(url):
    """A non-browser client of the app: it pulls the page's document and never sends ``document_ready``."""
    import mfn.viz.clock  # noqa: F401  (the page's custom models must be known to the client)

    return pull_session(url=url)


def _model(session, label):
    """The Bokeh model of the widget titled (or labelled) ``label`` in the client's copy of the page."""
    for model in session.document.models:
        if getattr(model, "label", None) == label or getattr(model, "title", None) == label:
            return model
    raise AssertionError(f"no widget {label!r} in the page")


def _cpu_cores(process, seconds):
    """Cores the process used on average over ``seconds`` (its user + system CPU time over wall time)."""
    before, start = sum(process.cpu_times()[:2]), time.monotonic()
    time.sleep(seconds)
    return (sum(process.cpu_times()[:2]) - before) / (time.monotonic() - start)


@pytest.mark.slow
def test_play_pressed_by_a_client_that_never_loads_the_page_leaves_no_work_behind(served):
    """Issue 24: six Play presses from ``pull_session`` used to leave the server spinning at a full core forever."""
    from bokeh.events import ButtonClick

    url, server, _ = served
    session = _connect(url)
    play = _model(session, "Play")
    for _ in range(6):
        session.document.callbacks.send_event(ButtonClick(play))
        session.force_roundtrip()  # the click is sent (a client's changes go out while its loop runs)
    session.close()
    time.sleep(1.5)  # the server ends the session within about a second
    cores = _cpu_cores(server, 4.0)
    print(f"\nserver after the client left: {cores:.3f} cores")
    assert cores < 0.05


@pytest.mark.slow
def test_play_before_the_page_loads_starts_the_simulation_when_it_loads():
    """A Play press from a page that has not loaded waits for the load; a Pause before it cancels it."""
    from bokeh.events import ButtonClick

    made = []

    def page():
        made.append(GrowthExplorer(FieldParams(grid_size=16)))
        return pn.Column(made[-1])

    port = _free_port()
    server = pn.serve(page, threaded=True, show=False, start=True, **app.server_options(port))
    try:
        assert _wait(lambda: socket.socket().connect_ex(("127.0.0.1", port)) == 0, 30)
        sessions = [_connect(f"http://127.0.0.1:{port}/") for _ in range(2)]
        for session, presses in zip(sessions, (3, 2), strict=True):  # Play, Pause, Play / Play, Pause
            play = _model(session, "Play")
            for _ in range(presses):
                session.document.callbacks.send_event(ButtonClick(play))
                session.force_roundtrip()
        waiting, paused = made
        assert _wait(lambda: waiting.playing and not paused.playing, 10), "the presses did not arrive"
        time.sleep(0.5)
        assert not waiting._ticker.ticking and waiting.simulation.t == 0  # nothing runs before the load
        for session in sessions:  # what a browser sends once the page is rendered
            session.document.callbacks.send_event(DocumentReady())
            session.force_roundtrip()
        assert _wait(lambda: waiting.simulation.t > 0, 10), "Play did not start when the page loaded"
        assert waiting._ticker.ticking and not paused._ticker.ticking and paused.simulation.t == 0
        for session in sessions:
            session.close()
    finally:
        server.stop()


CRAFTED = [  # (widget, property, value) as a crafted websocket message sets them
    ("Model", "value", "bogus"),
    ("Grid size", "value", -5),
    ("Grid size", "value", "abc"),
    ("alpha", "value", 5.0),
    ("alpha", "value", "x"),
    ("Steps per frame", "value", 10**9),
    ("Steps per frame", "value", -1),
    ("seed", "value", -1),
    ("seed", "value", 2**60),
    ("Variable", "value", "nope"),
    ("boundary", "value", "mirror"),
    ("Active threshold", "value", "abc"),
]


@pytest.mark.slow
def test_crafted_widget_values_are_refused_each_in_one_line_without_a_traceback(served):
    """Issue 24: these values gave about 40 tracebacks in the server's console."""
    from bokeh.document.events import ModelChangedEvent
    from bokeh.models import RadioButtonGroup

    url, _, log_path = served
    session = _connect(url)
    doc = session.document
    start = len(log_path.read_text().splitlines())
    crafted = [(_model(session, title), attr, value) for title, attr, value in CRAFTED]
    crafted.append((next(m for m in doc.models if isinstance(m, RadioButtonGroup)), "active", 99))  # colour scale
    for model, attr, value in crafted:  # bypasses the client's own validation, as a crafted message does
        doc.callbacks.trigger_on_change(ModelChangedEvent(doc, model, attr, value))
        session.force_roundtrip()
    grid = _model(session, "Grid size")  # a grid beyond the cap is clamped, with a note in the page
    doc.callbacks.trigger_on_change(ModelChangedEvent(doc, grid, "value", 10**12))
    session.force_roundtrip()
    session.close()
    time.sleep(1.0)
    lines = log_path.read_text().splitlines()[start:]
    print("\n" + "\n".join(lines))
    assert not [line for line in lines if "Traceback" in line or "ERROR" in line]
    refused = [line for line in lines if "refused a value from the browser" in line]
    assert len(refused) == len(crafted), lines
    for (title, _, _), line in zip(CRAFTED, refused, strict=False):
        assert title in line or "a widget" in line, (title, line)
