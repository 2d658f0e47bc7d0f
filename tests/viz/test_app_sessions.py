"""A closed session of the served live view stops its simulation at once (real server, real websocket client)."""

import socket
import time

import pytest

pn = pytest.importorskip("panel")

from bokeh.client import pull_session  # noqa: E402

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
        explorer.play()  # as the Play button would, inside this session
        made.append(explorer)
        return pn.Column(explorer)

    port = _free_port()
    server = pn.serve(page, threaded=True, show=False, start=True, **app.server_options(port))
    try:
        assert _wait(lambda: socket.socket().connect_ex(("127.0.0.1", port)) == 0, 30)
        session = pull_session(url=f"http://127.0.0.1:{port}/")
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
