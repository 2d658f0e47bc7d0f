"""A tiny browser component that tells the server which frame the browser has painted.

The live view sends a new frame only after the browser has acknowledged the previous one,
so at most one frame is ever in flight per view. The component also keeps the browser's
own counter of frames shown, which the browser tests read to measure delivered frames per
second.

Why the acknowledgement is a message that is repeated until confirmed: in JupyterLab the
browser's first acknowledgement, sent while the notebook's view is still being wired to
the kernel (for instance under *Run All*), is sometimes lost (Panel 1.9.4; seen about one
run in five on a loaded machine: the kernel never heard of the first paint, so the view
never received another frame, though later clicks got through). A property change that is
lost is never sent again, since the browser's copy already holds the new value; so the
browser sends the number of the frame it painted as a message (``model.send_msg``), and
again every :data:`RETRY_MS` until the server's ``shown`` confirms it.
"""

from __future__ import annotations

from typing import Any

import param
from panel.custom import JSComponent

__all__ = ["RETRY_MS", "FrameClock"]

RETRY_MS = 1000
"""Interval at which the browser repeats an unconfirmed acknowledgement, ms."""


class FrameClock(JSComponent):
    """Round trip of frame numbers between the server and the browser.

    The server sets :attr:`sent` after publishing frame ``n``; the browser waits for its
    next animation frame (so the new image has been painted), counts one more frame in its
    text ``frames shown: K`` and reports ``n``, repeating the report until :attr:`shown`
    (set by the server on receipt, and synced back) confirms it. A hidden tab paints
    nothing, acknowledges nothing and so receives nothing until it is visible again.
    """

    sent = param.Integer(default=0, bounds=(0, None), doc="Number of the last frame the server published.")
    shown = param.Integer(default=0, bounds=(0, None), doc="Number of the last frame the browser reported painted.")

    _esm = f"""
    export function render({{ model }}) {{
      const span = document.createElement("span");
      span.className = "mfn-frame-clock";
      span.style.fontFamily = "monospace";
      span.style.fontSize = "11px";
      let count = 0;
      let painted = 0;  // the last frame painted here
      let confirmed = 0;  // the last frame the server confirmed
      const report = () => {{
        if (painted > Math.max(confirmed, model.shown)) {{
          model.send_msg({{ shown: painted }});
        }}
      }};
      const ack = () => requestAnimationFrame(() => {{
        count += 1;
        span.textContent = `frames shown: ${{count}}`;
        painted = Math.max(painted, model.sent);
        report();
      }});
      model.on("sent", ack);
      model.on("msg:custom", (msg) => {{ confirmed = Math.max(confirmed, msg.shown); }});
      const retry = setInterval(report, {RETRY_MS});
      model.on("remove", () => clearInterval(retry));
      ack();
      return span;
    }}
    """

    def _handle_msg(self, data: Any) -> None:
        """A browser reports the frame it painted: record it, or confirm what is recorded."""
        try:
            frame = min(int(data["shown"]), self.sent)  # never more than was sent
        except (KeyError, TypeError, ValueError):
            return  # not a report of this component's script
        if frame > self.shown:
            self.shown = frame  # synced back to the browser: the confirmation
        else:  # a repeat, already recorded: confirm it again (no property changes)
            self._send_msg({"shown": self.shown})
