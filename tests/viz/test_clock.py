"""The frame clock's server side: what it makes of the browser's reports."""

import pytest

pytest.importorskip("panel", reason="needs the viz extra")

from mfn.viz.clock import FrameClock


@pytest.fixture
def clock():
    clock = FrameClock()
    clock.sent = 5
    clock.echoes = []
    clock._send_msg = clock.echoes.append  # what would go back to the browser
    return clock


def test_a_report_records_the_painted_frame(clock):
    seen = []
    clock.param.watch(lambda event: seen.append(event.new), "shown")
    clock._handle_msg({"shown": 3})
    assert clock.shown == 3 and seen == [3] and clock.echoes == []


def test_a_repeated_report_is_confirmed_again_without_a_change(clock):
    clock._handle_msg({"shown": 4})
    clock._handle_msg({"shown": 4})  # the browser had not yet seen the confirmation
    clock._handle_msg({"shown": 2})  # a late report of an older frame
    assert clock.shown == 4 and clock.echoes == [{"shown": 4}, {"shown": 4}]


def test_a_report_beyond_the_last_frame_sent_counts_as_that_frame(clock):
    clock._handle_msg({"shown": 10**9})
    assert clock.shown == 5


@pytest.mark.parametrize("message", [{}, {"shown": "x"}, {"shown": None}, [1, 2], "shown", None])
def test_messages_that_are_not_reports_are_ignored(clock, message):
    clock._handle_msg(message)
    assert clock.shown == 0 and clock.echoes == []
