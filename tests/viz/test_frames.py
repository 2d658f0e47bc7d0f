"""The latest-frame slot and the rate meter of the live view."""

import threading

import numpy as np
import pytest

from mfn import ParameterError
from mfn.viz.frames import LatestFrame, RateMeter


def test_slot_keeps_only_the_latest_frame_and_every_row_up_to_its_cap():
    slot = LatestFrame(max_rows=3)
    assert slot.take() is None and not slot.pending
    for t in range(5):
        slot.put(t, np.full((2, 2), t), {"step": t})
    frame = slot.take()
    assert frame.t == 4 and frame.V.dtype == np.float32 and np.all(frame.V == 4)
    assert [r["step"] for r in frame.rows] == [2, 3, 4]
    assert slot.take() is None
    assert (slot.written, slot.taken) == (5, 1)


def test_slot_under_concurrent_writers_never_holds_more_than_one_frame():
    slot = LatestFrame(max_rows=10)

    def write(base):
        for t in range(200):
            slot.put(base + t, np.zeros((4, 4)), {"step": base + t})

    threads = [threading.Thread(target=write, args=(k * 1000,)) for k in range(4)]
    for th in threads:
        th.start()
    for th in threads:
        th.join()
    frame = slot.take()
    assert frame is not None and len(frame.rows) == 10 and slot.take() is None
    assert slot.written == 800


def test_slot_restart_drops_the_pending_frame_and_marks_the_next_one_only():
    slot = LatestFrame()
    slot.put(1, np.zeros((2, 2)), {"step": 1})
    assert not slot.take().restart
    slot.put(2, np.zeros((2, 2)), {"step": 2})
    slot.restart()
    assert slot.restarting and slot.take() is None and slot.pending_rows() == ([], [])
    slot.put(0, np.ones((2, 2)), {"step": 0})
    frame = slot.take()
    assert frame.restart and frame.t == 0 and [r["step"] for r in frame.rows] == [0]
    assert not slot.restarting
    slot.put(1, np.ones((2, 2)))
    assert not slot.take().restart


def test_slot_bad_cap():
    with pytest.raises(ParameterError, match="max_rows"):
        LatestFrame(max_rows=0)


def test_rate_meter_counts_over_its_window_only():
    meter = RateMeter(window_s=1.0)
    assert meter.rate(now=0.0) == 0.0
    for k in range(11):
        meter.add(5, now=k * 0.1)  # 50 events per second
    assert meter.rate(now=1.0) == pytest.approx(50.0)
    assert meter.rate(now=10.0) == 0.0  # everything has left the window
    meter.add(1, now=11.0)
    meter.reset()
    assert meter.rate(now=11.0) == 0.0
