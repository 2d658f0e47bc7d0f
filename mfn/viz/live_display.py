"""What the browser shows of a live view, and when: one frame at a time, each after the previous one is painted.

:class:`LiveDisplay` holds the view's figures (:class:`~mfn.viz.live_figures.LiveFigures`),
its readout pane, its one-frame slot (:class:`~mfn.viz.frames.LatestFrame`) and the frame
clock the browser acknowledges paints with (:class:`~mfn.viz.clock.FrameClock`). A frame
goes out only once the browser has painted the previous one, and everything a frame
changes (image, colour range, markers, curves, readout) goes out with it in one held
update (docs/adr/0005-live-view-frames-and-backpressure.md).

How frames flow (and why nothing queues)
----------------------------------------
While playing, a periodic callback (:mod:`mfn.viz.ticker`, every
:data:`~mfn.viz.explorer.FRAME_PERIOD_MS`) advances the simulation
by ``steps_per_frame`` steps, puts the new frame into a one-frame slot
(:class:`~mfn.viz.frames.LatestFrame`, replacing an unpublished one) and then publishes
the slot's frame only if the browser has acknowledged the previous one
(:class:`~mfn.viz.clock.FrameClock`). The metric curves live in Bokeh sources that keep
a fixed number of rows. So a slow browser receives fewer frames, never a backlog, and
the memory of a session does not grow with the length of the run.

The same gate keeps the view consistent. Everything a frame changes (image, colour range,
curves, readout, and on :meth:`~mfn.viz.explorer.GrowthExplorer.reset` the emptying of the curves) goes
out together with the frame, and a frame goes out only once the browser has painted the
previous one. In a notebook this matters under *Run All*: until the view's comm opens,
which happens only after the last queued cell has run, Panel re-sends each update on its
own 0.1 s timer, so updates made before then can arrive in any order. A view that has not
painted its first frame therefore receives nothing until it has, and then the latest
frame, in one update.
"""

from __future__ import annotations

from collections.abc import Callable

import pandas as pd
import panel as pn
import param

from mfn.viz.clock import FrameClock
from mfn.viz.frames import Frame, LatestFrame, RateMeter
from mfn.viz.live_figures import LiveFigures

__all__ = ["LiveDisplay"]


class LiveDisplay:
    """The gate between a live run and the browser.

    Parameters
    ----------
    length : int
        Rows kept per curve (and pending in the slot).
    text : callable
        ``text(t, row)`` returns the readout of the shown frame (step ``t``, curve row ``row``).
    dress : callable
        ``dress(figures, frame)`` puts a published frame's image (with its colour scale and
        markers) into the figures.
    """

    def __init__(
        self,
        length: int,
        text: Callable[[int, dict[str, float] | None], str],
        dress: Callable[[LiveFigures, Frame], None],
    ) -> None:
        self.length = length
        self._text = text
        self._dress = dress
        self.figures: LiveFigures | None = None
        """The figures shown (replaced for another model or run with its own theory)."""
        self.slot = LatestFrame(max_rows=length)
        self.clock = FrameClock(height=20, sizing_mode="stretch_width")
        self.clock.param.watch(self._on_shown, "shown")
        self.readout = pn.pane.Str("", styles={"font-size": "13px"}, css_classes=["mfn-readout"])
        self.fps = RateMeter(window_s=5.0)
        self.published = 0
        """Frames published since the display was made."""
        self.run_published = 0
        """Frames of the current run published (the first frame of a run is 1)."""
        self.shown: tuple[int, dict[str, float] | None] = (0, None)
        """Step and curve row of the frame last published."""
        self._stale = False  # a readout change waits for the browser to paint its frame

    def browser_ready(self) -> bool:
        """Whether the browser has painted the last published frame (or none was published)."""
        return self.clock.shown >= self.clock.sent

    def publish(self) -> bool:
        """Send the latest frame to the views unless the browser is still on the previous one; True if sent."""
        if not self.browser_ready():
            return False
        frame = self.slot.take()
        if frame is None:
            return False
        self.published += 1
        self.run_published = 1 if frame.restart else self.run_published + 1
        self.fps.add(1)
        with pn.io.hold():
            self._dress(self.figures, frame)
            if frame.restart:  # a new run: its rows replace the curves
                self.figures.restart(frame.rows, frame.dimension_rows)
            else:
                self.figures.append(frame.rows, frame.dimension_rows)
            self.shown = (frame.t, frame.rows[-1] if frame.rows else None)
            self.readout.object = self._text(*self.shown)
            self._stale = False
            self.clock.sent = self.published
        return True

    def refresh_readout(self) -> None:
        """Show the readout of the shown frame with the current notes, now or when the browser catches up.

        While a frame is on its way the readout is left alone (it must state that frame);
        the change is remembered and applied when the browser reports the frame painted,
        even when no further frame follows (paused), so a note such as "press Reset" is
        never lost.
        """
        if not self.browser_ready():
            self._stale = True
            return
        with pn.io.hold():  # a Bokeh change from a widget goes out held (GrowthExplorer._on_colour_scale)
            self.readout.object = self._text(*self.shown)
        self._stale = False

    def history(self, which: int) -> pd.DataFrame:
        """Curve rows shown followed by the slot's pending rows (``which``: 0 metrics, 1 dimensions)."""
        source = self.figures.curve_source if which == 0 else self.figures.dimension_source
        shown = self.figures.frame(source)
        if self.slot.restarting:  # the view still shows the previous run
            shown = shown.iloc[:0]
        pending = self.slot.pending_rows()[which]
        if not pending:
            return shown
        rows = pd.DataFrame(pending, columns=shown.columns, dtype="float64")
        return pd.concat([shown, rows], ignore_index=True).tail(self.length).reset_index(drop=True)

    def _on_shown(self, event: param.parameterized.Event) -> None:
        if not self.publish() and self._stale:
            self.refresh_readout()
