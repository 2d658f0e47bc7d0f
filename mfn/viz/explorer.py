"""``GrowthExplorer``: a Panel view that grows a field live, inline or served.

How frames flow (and why nothing queues)
----------------------------------------
While playing, a periodic callback (every :data:`FRAME_PERIOD_MS`) advances the simulation
by ``steps_per_frame`` steps, puts the new frame into a one-frame slot
(:class:`~mfn.viz.frames.LatestFrame`, replacing an unpublished one) and then publishes
the slot's frame only if the browser has acknowledged the previous one
(:class:`~mfn.viz.clock.FrameClock`). The metric curves live in HoloViews ``Buffer``
streams of fixed length. So a slow browser receives fewer frames, never a backlog, and
the memory of a session does not grow with the length of the run.

The same gate keeps the view consistent. Everything a frame changes (image, colour range,
curves, readout, and on :meth:`~GrowthExplorer.reset` the emptying of the curves) goes
out together with the frame, and a frame goes out only once the browser has painted the
previous one. In a notebook this matters under *Run All*: until the view's comm opens,
which happens only after the last queued cell has run, Panel re-sends each update on its
own 0.1 s timer, so updates made before then can arrive in any order. A view that has not
painted its first frame therefore receives nothing until it has, and then the latest
frame, in one update.

Limits
------
Each browser session gets its own simulation. To keep one browser from exhausting the
machine the grid side is capped at :data:`MAX_LIVE_GRID` cells and a frame at
:data:`MAX_STEPS_PER_FRAME` steps (at most about 65,000 cells x 50 steps, roughly 0.1 s of
numpy work per frame); use :func:`mfn.simulate` for bigger runs.
"""

from __future__ import annotations

import time
from dataclasses import fields
from typing import Any

import pandas as pd
import panel as pn
import param

from mfn.core.checks import check_choice, check_int, check_real
from mfn.core.errors import ParameterError
from mfn.models.classic.params import BOUNDARIES, FieldParams
from mfn.simulation.simulation import Simulation
from mfn.viz.clock import FrameClock
from mfn.viz.frames import LatestFrame, RateMeter
from mfn.viz.live_figures import LiveFigures
from mfn.viz.plots import FIXED_CLIM

__all__ = ["CURVE_LENGTH", "FRAME_PERIOD_MS", "MAX_LIVE_GRID", "MAX_STEPS_PER_FRAME", "GrowthExplorer"]

MIN_LIVE_GRID = 16
MAX_LIVE_GRID = 256
"""Largest grid side of the live view, cells."""
MAX_STEPS_PER_FRAME = 50
"""Most simulation steps per published frame."""
FRAME_PERIOD_MS = 40
"""Period of the simulation callback, ms (so at most 25 frames per second)."""
CURVE_LENGTH = 500
"""Points kept per live curve (older points scroll out)."""

MODEL_WIDGETS = (
    "grid_size",
    "alpha",
    "spike_probability",
    "turing",
    "turing_threshold",
    "jitter_var",
    "boundary",
    "seed",
)
FIELD_NAMES = tuple(f.name for f in fields(FieldParams) if f.name != "steps")
"""The FieldParams parameters the explorer mirrors (a live run has no fixed length)."""


class GrowthExplorer(pn.viewable.Viewer):
    """Grow a lattice field live, with controls, the image and curves of its metrics.

    Parameters
    ----------
    params : FieldParams, optional
        Starting model parameters (``steps`` is ignored: a live run has no fixed length).
        The grid must be square with a side in [16, 256].
    **values
        Values of the explorer's own parameters (``steps_per_frame``, ``colour_scale``,
        ``active_threshold``, ``dimension_every``) or of any model parameter, overriding
        ``params``.

    Raises
    ------
    ParameterError
        For a value outside its valid range, a non-square grid, a grid beyond the live cap,
        or an unknown name.

    Notes
    -----
    Model parameters changed through the widgets take effect on Reset; ``steps_per_frame``,
    ``colour_scale``, ``active_threshold`` and ``dimension_every`` take effect at once.
    The active fraction is the fraction of cells with ``V > active_threshold``; the
    box-counting dimension is that of the same mask, computed every ``dimension_every``
    frames.

    Examples
    --------
    >>> explorer = GrowthExplorer(FieldParams(grid_size=32, seed=1), steps_per_frame=4)
    >>> explorer.play(); explorer.tick(); explorer.pause()
    >>> explorer.simulation.t
    4
    """

    grid_size = param.Integer(
        64,
        bounds=(1, None),
        softbounds=(MIN_LIVE_GRID, MAX_LIVE_GRID),
        doc=f"Grid side, cells, {MIN_LIVE_GRID}..{MAX_LIVE_GRID} (applies on reset; others are clamped, said so).",
    )
    alpha = param.Number(
        0.18, bounds=(0, 0.25), inclusive_bounds=(False, False), softbounds=(0.01, 0.24), step=0.01,
        doc="Field diffusion per step, 0 < alpha < 0.25 (applies on reset).",
    )  # fmt: skip
    spike_probability = param.Number(0.25, bounds=(0, 1), step=0.01, doc="Growth-event probability per step.")
    turing = param.Boolean(True, doc="Activator-inhibitor coupling on/off (applies on reset).")
    turing_threshold = param.Number(0.75, bounds=(0.5, 0.95), step=0.01, doc="Activator threshold (applies on reset).")
    jitter_var = param.Number(
        0.0, bounds=(0, 0.01), softbounds=(0, 0.002), step=0.0001, doc="Noise variance, V^2 (applies on reset)."
    )
    boundary = param.Selector(default="periodic", objects=list(BOUNDARIES), doc="Boundary (applies on reset).")
    seed = param.Integer(0, bounds=(0, None), doc="Random seed (applies on reset).")
    Da = param.Number(0.1, bounds=(0.01, 0.25), inclusive_bounds=(True, False), softbounds=(0.01, 0.24), step=0.01)
    Di = param.Number(0.05, bounds=(0.01, 0.25), inclusive_bounds=(True, False), softbounds=(0.01, 0.24), step=0.01)
    ra = param.Number(0.01, bounds=(0.001, 0.1), step=0.001)
    ri = param.Number(0.02, bounds=(0.001, 0.1), step=0.001)

    steps_per_frame = param.Integer(5, bounds=(1, MAX_STEPS_PER_FRAME), doc="Speed: simulation steps per frame.")
    colour_scale = param.Selector(
        default="fixed", objects=["fixed", "auto"], doc="fixed: -95..40 mV for every frame; auto: each frame's range."
    )
    active_threshold = param.Number(-60.0, bounds=FIXED_CLIM, step=1.0, doc="Cells above this are active, mV.")
    dimension_every = param.Integer(5, bounds=(1, 100), doc="Frames between box-counting dimension estimates.")
    playing = param.Boolean(False, doc="Whether the simulation is running.")

    def __init__(self, params: FieldParams | None = None, **values: Any) -> None:
        values = _initial_values(params, values, self.param)
        super().__init__(**values)
        self._slot = LatestFrame(max_rows=CURVE_LENGTH)
        self._fps = RateMeter(window_s=5.0)
        self._steps_per_s = RateMeter(window_s=5.0)
        self._rest_until = 0.0
        self._callback: pn.io.PeriodicCallback | None = None
        self._published = 0
        self._frames = 0
        self._dimension: tuple[float, float] | None = None
        self._shown: tuple[int, dict[str, float] | None] = (0, None)
        self._notice = ""
        self._clock = FrameClock(height=20, sizing_mode="stretch_width")
        self._clock.param.watch(self._on_shown, "shown")
        self._figures = LiveFigures(self.grid_size, CURVE_LENGTH)
        self._layout: pn.viewable.Viewable | None = None
        self.readout = pn.pane.Str("", styles={"font-size": "13px"}, css_classes=["mfn-readout"])
        self.play_button = pn.widgets.Button(label="Play", color="primary", width=80)
        self.step_button = pn.widgets.Button(label="Step", width=80)
        self.reset_button = pn.widgets.Button(label="Reset", color="warning", width=80)
        self.play_button.on_click(lambda _: self.pause() if self.playing else self.play())
        self.step_button.on_click(lambda _: self.step())
        self.reset_button.on_click(lambda _: self.reset())
        self.param.watch(self._on_grid_size, "grid_size")
        self.param.watch(self._on_model_change, list(FIELD_NAMES))
        self.param.watch(self._on_colour_scale, "colour_scale")
        if pn.state.curdoc is not None and pn.state.curdoc.session_context is not None:
            pn.state.on_session_destroyed(self._on_session_destroyed)
        self.reset()

    # -- state -------------------------------------------------------------------------

    @property
    def simulation(self) -> Simulation:
        """The running simulation (replaced on reset)."""
        return self._sim

    @property
    def frames_published(self) -> int:
        """Frames sent to the views since the explorer was made."""
        return self._published

    @property
    def frames_pending(self) -> bool:
        """Whether a frame waits in the slot for the browser to catch up."""
        return self._slot.pending

    @property
    def curves(self) -> pd.DataFrame:
        """The metric curves of every simulated frame (the newest :data:`CURVE_LENGTH` rows).

        Columns ``step``, ``growth_events``, ``turing_activations``, ``V_mean`` (mV) and
        ``active_fraction``. They include the frames not yet sent to the browser, so what a
        notebook reads does not depend on how fast (or whether) a browser shows the view.
        """
        return self._history(self._figures.curve_source, 0)

    @property
    def dimensions(self) -> pd.DataFrame:
        """The box-counting dimension estimates ``step``, ``D``, ``r2`` (newest :data:`CURVE_LENGTH` rows).

        Like :attr:`curves`, they include the frames not yet sent to the browser.
        """
        return self._history(self._figures.dimension_source, 1)

    @property
    def unapplied(self) -> tuple[str, ...]:
        """Names of the model parameters set to other values than the running simulation's.

        They apply on :meth:`reset`; until then the readout says so.
        """
        running = self._sim.params
        return tuple(name for name in FIELD_NAMES if getattr(self, name) != getattr(running, name))

    def field_params(self) -> FieldParams:
        """The model parameters currently set in the widgets, as :class:`FieldParams`."""
        return FieldParams(steps=1, **{name: getattr(self, name) for name in FIELD_NAMES})

    # -- controls ------------------------------------------------------------------------

    def play(self) -> None:
        """Start advancing the simulation in a periodic callback."""
        self.playing = True

    def pause(self) -> None:
        """Stop advancing the simulation."""
        self.playing = False

    def step(self) -> None:
        """Advance the simulation by one step and show it."""
        self._advance(1)
        self._publish()

    def reset(self) -> None:
        """Start a new simulation from the current model parameters and show its step 0.

        The view changes (its curves empty, its image and readout show the new run) with
        the new run's first published frame, that is at once unless the browser has not yet
        painted the previous frame.
        """
        self._sim = Simulation(self.field_params(), record_events=False, lyapunov=False, online_features=False)
        self._notice = ""
        self._frames = 0
        self._dimension = None
        self._slot.restart()
        self._fps.reset()
        self._steps_per_s.reset()
        self._record()
        self._publish()

    def advance(self, frames: int = 1) -> None:
        """Grow ``frames`` frames of ``steps_per_frame`` steps now, as Play would, and show the last.

        For driving the view from code: unlike :meth:`play` it starts no timer and leaves the
        Play/Pause state (and its button) as it is. In JupyterLab, Panel may deliver updates
        made while the view is still being drawn out of order (a button would show "Pause"
        after ``play(); ...; pause()`` in one cell under *Run All*); this method makes none.
        """
        frames = check_int("frames", frames, 1)
        for _ in range(frames):
            self._advance(self.steps_per_frame)
            self._publish()

    def tick(self) -> None:
        """One turn of the periodic callback: advance if playing, then publish if possible."""
        if self.playing:
            self._advance(self.steps_per_frame)
        self._publish()

    # -- internals -------------------------------------------------------------------------

    def _history(self, source: Any, which: int) -> pd.DataFrame:
        """Rows shown in ``source`` followed by the slot's pending rows (``which``: 0 metrics, 1 dimensions)."""
        shown = self._figures.frame(source)
        if self._slot.restarting:  # the view still shows the previous run
            shown = shown.iloc[:0]
        pending = self._slot.pending_rows()[which]
        if not pending:
            return shown
        rows = pd.DataFrame(pending, columns=shown.columns, dtype="float64")
        return pd.concat([shown, rows], ignore_index=True).tail(CURVE_LENGTH).reset_index(drop=True)

    def _periodic(self) -> None:
        """The periodic callback: :meth:`tick`, then rest as long as it took.

        Resting keeps a session's simulation to at most half of the server's time, so that
        browser messages (clicks, frame acknowledgements) and other sessions get through
        even when a tick takes longer than the callback period.
        """
        start = time.monotonic()
        if start < self._rest_until:
            return
        self.tick()
        end = time.monotonic()
        self._rest_until = end + (end - start)

    def _advance(self, n: int) -> None:
        before = self._sim.turing_activations_total
        self._sim.step(n)
        self._steps_per_s.add(n)
        self._record(turing=self._sim.turing_activations_total - before)

    def _record(self, turing: int = 0) -> None:
        """Measure the current state and put it into the slot as the latest frame."""
        from mfn.analysis.fractal import box_dimension

        sim = self._sim
        V = sim.V
        active = V > self.active_threshold
        row = {
            "step": float(sim.t),
            "growth_events": float(sim.growth_events_total),
            "turing_activations": float(turing),
            "V_mean": float(V.mean()),
            "active_fraction": float(active.mean()),
        }
        dimension_row = None
        if self._frames % self.dimension_every == 0:
            D, r2 = box_dimension(active)
            self._dimension = (float(D), float(r2))
            dimension_row = {"step": float(sim.t), "D": float(D), "r2": float(r2)}
        self._frames += 1
        self._slot.put(sim.t, V, row, dimension_row)

    def _browser_ready(self) -> bool:
        """Whether the browser has painted the last published frame (or none was published)."""
        return self._clock.shown >= self._clock.sent

    def _publish(self) -> bool:
        """Send the latest frame to the views unless the browser is still on the previous one."""
        if not self._browser_ready():
            return False
        frame = self._slot.take()
        if frame is None:
            return False
        self._published += 1
        self._fps.add(1)
        with pn.io.hold():
            if frame.restart:
                self._figures.clear()
            self._figures.show_frame(frame.V, self.colour_scale)
            self._figures.append(frame.rows, frame.dimension_rows)
            self._shown = (frame.t, frame.rows[-1] if frame.rows else None)
            self.readout.object = self._readout_text(*self._shown)
            self._clock.sent = self._published
        return True

    def _readout_text(self, t: int, row: dict[str, float] | None) -> str:
        rows, cols = self._sim.params.shape
        parts = [
            f"step: {t}",
            f"frame: {self._published}",
            f"fps: {self._fps.rate():.1f}",
            f"steps/s: {self._steps_per_s.rate():.0f}",
            f"grid: {rows}x{cols}",
        ]
        if row is not None:
            parts.append(f"mean V: {row['V_mean']:.2f} mV")
            parts.append(f"active: {100 * row['active_fraction']:.1f} %")
        if self._dimension is not None:
            parts.append(f"D: {self._dimension[0]:.3f} (R² {self._dimension[1]:.2f})")
        return "   ".join(parts) + f"\ncolour scale: {self.colour_scale} ({self._figures.clim_text})" + self._notes()

    def _notes(self) -> str:
        """The readout's last lines: a clamped value, parameters waiting for Reset."""
        names = self.unapplied
        note = f"\nparameters changed ({', '.join(names)}): press Reset to apply" if names else ""
        return (f"\n{self._notice}" if self._notice else "") + note

    def _on_shown(self, event: param.parameterized.Event) -> None:
        self._publish()

    def _on_grid_size(self, event: param.parameterized.Event) -> None:
        """Clamp a grid side outside the live view's range to it, and say so in the readout."""
        side = min(max(event.new, MIN_LIVE_GRID), MAX_LIVE_GRID)
        if side != event.new:
            self._notice = (
                f"grid size {event.new} is outside the live view's range {MIN_LIVE_GRID}..{MAX_LIVE_GRID}: "
                f"set to {side} (use mfn.simulate for larger runs)"
            )
            self.grid_size = side  # calls this watcher and _on_model_change again, with the clamped value

    def _on_model_change(self, *events: param.parameterized.Event) -> None:
        if self._browser_ready():  # otherwise the next frame's readout carries the notes
            self.readout.object = self._readout_text(*self._shown)

    def _on_colour_scale(self, event: param.parameterized.Event) -> None:
        """Apply a new colour scale to the shown frame, with the frame's other updates.

        A widget change arrives outside Bokeh's document lock; changing a Bokeh model there
        directly raises on the server (``_pending_writes should be non-None``) and the
        session's next click is lost. ``pn.io.hold`` collects the changes and sends them as
        one message, like :meth:`_publish`. The range is that of the frame the view shows;
        the next published frame brings its own.
        """
        with pn.io.hold():
            self._figures.set_clim(self.colour_scale)
            self.readout.object = self._readout_text(*self._shown)

    @param.depends("playing", watch=True)
    def _on_playing(self) -> None:
        self.play_button.label = "Pause" if self.playing else "Play"
        if self.playing and self._callback is None:
            self._fps.reset()
            self._steps_per_s.reset()
            self._callback = pn.state.add_periodic_callback(self._periodic, period=FRAME_PERIOD_MS)
        elif not self.playing and self._callback is not None:
            self._callback.stop()
            self._callback = None

    def _on_session_destroyed(self, session_context: Any) -> None:
        self.playing = False

    # -- views ---------------------------------------------------------------------------

    def __panel__(self) -> pn.viewable.Viewable:
        if self._layout is None:  # Bokeh models live in one document: build the layout once
            self._layout = self._build_layout()
        return self._layout

    def _build_layout(self) -> pn.viewable.Viewable:
        widgets = pn.Param(
            self.param,
            parameters=[*MODEL_WIDGETS],
            widgets={
                # no start/end in the page: the browser would clamp silently; _on_grid_size clamps and says so
                "grid_size": {
                    "type": pn.widgets.IntInput,
                    "step": 16,
                    "start": 1,
                    "end": None,
                    "css_classes": ["mfn-grid-size"],
                },
                "seed": {"type": pn.widgets.IntInput, "css_classes": ["mfn-seed"]},
            },
            show_name=False,
            width=280,
        )
        kinetics = pn.Card(
            pn.Param(self.param, parameters=["Da", "Di", "ra", "ri"], show_name=False, width=260),
            title="Turing kinetics",
            collapsed=True,
            width=280,
        )
        view_options = pn.Param(
            self.param,
            parameters=["steps_per_frame", "colour_scale", "active_threshold", "dimension_every"],
            widgets={"colour_scale": pn.widgets.RadioButtonGroup},
            show_name=False,
            width=280,
        )
        controls = pn.Column(
            pn.Row(self.play_button, self.step_button, self.reset_button),
            "**Model** (applies on Reset)",
            widgets,
            kinetics,
            "**View** (applies at once)",
            view_options,
            width=300,
        )
        figures = self._figures
        curves = pn.GridBox(*[pn.pane.Bokeh(f) for f in figures.curve_figures], ncols=2)
        plots = pn.Row(pn.Column(pn.pane.Bokeh(figures.image_figure), css_classes=["mfn-field-image"]), curves)
        return pn.Row(controls, pn.Column(self.readout, self._clock, plots))


def _initial_values(params: FieldParams | None, values: dict[str, Any], parameters: Any) -> dict[str, Any]:
    """Validate the constructor's input and return the explorer's starting parameter values."""
    known = set(parameters) - {"name", "playing"}
    for key in values:
        if key not in known:
            raise ParameterError(key, values[key], "a GrowthExplorer parameter: one of " + ", ".join(sorted(known)))
    if params is None:
        params = FieldParams()
    elif not isinstance(params, FieldParams):
        raise ParameterError("params", params, "a FieldParams instance or None")
    model = {name: getattr(params, name) for name in FIELD_NAMES}
    model.update({k: v for k, v in values.items() if k in FIELD_NAMES})
    params = FieldParams(**model)  # validates every model value
    rows, cols = params.shape
    if rows != cols:
        raise ParameterError("grid_size", params.grid_size, "a square grid in the live view")
    hint = "the live view caps the grid; use mfn.simulate for larger runs"
    check_int("grid_size", rows, MIN_LIVE_GRID, MAX_LIVE_GRID, hint=hint)
    out = {name: getattr(params, name) for name in FIELD_NAMES}
    for key, value in values.items():
        if key in FIELD_NAMES:
            continue
        p = parameters[key]
        if isinstance(p, param.Integer):
            check_int(key, value, *p.bounds)
        elif isinstance(p, param.Selector):
            check_choice(key, value, p.objects)
        else:
            check_real(key, value, *p.bounds)
        out[key] = value
    return out
