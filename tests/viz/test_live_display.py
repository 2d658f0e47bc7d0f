"""What the browser's copy of the live view holds, replayed from the messages the server sends (no browser)."""

import numpy as np
import pytest

pytest.importorskip("panel", reason="needs the viz extra")

from bokeh.document import Document
from bokeh.protocol import Protocol

from mfn import FieldParams
from mfn.viz import GrowthExplorer


def ack(explorer):
    """Play the browser's part: report the last published frame as painted."""
    explorer._display.clock.shown = explorer._display.clock.sent


def held(server, change):
    """Run ``change`` in one held update, as a served session does, and return the messages it sends."""
    events = []
    server.callbacks.on_change(events.append)
    server.hold("combine")
    change()
    server.unhold()
    server.callbacks.remove_on_change(events.append)
    return [Protocol().create("PATCH-DOC", [event]) for event in events]


def test_the_browser_draws_each_row_of_a_new_run_once():
    """After Reset the page drew the new run's rows twice (a straight line back to step 0 across every curve)."""
    explorer = GrowthExplorer(FieldParams(grid_size=16, seed=1), steps_per_frame=2)
    server = Document()
    server.add_root(explorer.__panel__().get_root(server))
    ack(explorer)
    explorer.advance(3)
    client = Document.from_json(server.to_json())  # the browser's copy, painted up to here
    explorer.reset()  # not painted yet: the new run waits for the paint
    explorer.advance(3)
    for message in held(server, lambda: ack(explorer)):  # the paint publishes the new run in one update
        message.apply_to_document(client)
    source = explorer._display.figures.curve_source
    shown = client.get_model_by_id(source.id).data
    assert list(source.data["step"]) == [0, 2, 4, 6]
    np.testing.assert_array_equal(shown["step"], source.data["step"])
    for _ in range(2):  # and the frames after it stream on
        messages = held(server, lambda: (explorer.advance(1), ack(explorer)))
        for message in messages:
            message.apply_to_document(client)
    np.testing.assert_array_equal(client.get_model_by_id(source.id).data["step"], [0, 2, 4, 6, 8, 10])
