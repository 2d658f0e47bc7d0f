"""A tiny browser component that tells the server which frame the browser has painted.

The live view sends a new frame only after the browser has acknowledged the previous one,
so at most one frame is ever in flight per view. The component also keeps the browser's
own counter of frames shown, which the browser tests read to measure delivered frames per
second.
"""

from __future__ import annotations

import param
from panel.custom import JSComponent

__all__ = ["FrameClock"]


class FrameClock(JSComponent):
    """Round trip of frame numbers between the server and the browser.

    The server sets :attr:`sent` after publishing frame ``n``; the browser waits for its
    next animation frame (so the new image has been painted), then sets :attr:`shown` to
    ``n`` and counts one more frame in its text ``frames shown: K``. A hidden tab paints
    nothing, acknowledges nothing and so receives nothing until it is visible again.
    """

    sent = param.Integer(default=0, bounds=(0, None), doc="Number of the last frame the server published.")
    shown = param.Integer(default=0, bounds=(0, None), doc="Number of the last frame the browser painted.")

    _esm = """
    export function render({ model }) {
      const span = document.createElement("span");
      span.className = "mfn-frame-clock";
      span.style.fontFamily = "monospace";
      span.style.fontSize = "11px";
      let count = 0;
      const ack = () => requestAnimationFrame(() => {
        count += 1;
        span.textContent = `frames shown: ${count}`;
        model.shown = model.sent;
      });
      model.on("sent", ack);
      ack();
      return span;
    }
    """
