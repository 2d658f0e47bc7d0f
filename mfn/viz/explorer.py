"""``GrowthExplorer``: a Panel view that grows any registered model live, inline or served.

The model's widgets are generated from its parameter specs (:mod:`mfn.viz.settings`), its
curves from its counters and metrics (:func:`mfn.viz.live_figures.curve_columns`), and the
image shows its primary variable or any other one chosen in the view.

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
from typing import Any

import numpy as np
import pandas as pd
import panel as pn
import param

from mfn.analysis.features import DEFAULT_FEATURE_PARAMS, low_threshold
from mfn.core.checks import check_choice, check_int, check_real
from mfn.core.errors import ParameterError
from mfn.core.model import Model, get_model, model_for, models
from mfn.simulation.simulation import Simulation
from mfn.viz.clock import FrameClock
from mfn.viz.frames import LatestFrame, RateMeter
from mfn.viz.live_figures import LiveFigures, curve_columns, curve_labels
from mfn.viz.settings import (
    LIVE_GRID_RANGE,
    from_settings,
    live_names,
    optional_names,
    settings_class,
    to_settings,
    widget_name,
)

__all__ = [
    "CURVE_LENGTH",
    "FRAME_PERIOD_MS",
    "MAX_LIVE_GRID",
    "MAX_STEPS_PER_FRAME",
    "GrowthExplorer",
    "compile_models",
    "live_simulation",
]

MIN_LIVE_GRID, MAX_LIVE_GRID = LIVE_GRID_RANGE
"""Smallest and largest grid side of the live view, cells."""
MAX_STEPS_PER_FRAME = 50
"""Most simulation steps per published frame."""
FRAME_PERIOD_MS = 40
"""Period of the simulation callback, ms (so at most 25 frames per second)."""
CURVE_LENGTH = 500
"""Points kept per live curve (older points scroll out)."""
JS_MAX_SAFE_INTEGER = 2**53 - 1
"""Largest integer a browser's number holds exactly (a seed widget's end)."""
VIEW_PARAMETERS = ("variable", "steps_per_frame", "colour_scale", "active_threshold", "dimension_every")
"""The explorer's own settings, which apply at once."""


class GrowthExplorer(pn.viewable.Viewer):
    """Grow a model live, with controls generated from its parameters, its image and curves.

    Parameters
    ----------
    params : ModelParams, optional
        Starting parameters of any registered model (``FieldParams()`` by default; ``steps``
        is ignored: a live run has no fixed length). The grid must be square with a side in
        [16, 256].
    **values
        Values of the explorer's own parameters (``model``, ``variable``,
        ``steps_per_frame``, ``colour_scale``, ``active_threshold``, ``dimension_every``) or
        of any parameter of the model, overriding ``params``.

    Raises
    ------
    ParameterError
        For a value outside its valid range, a non-square grid, a grid beyond the live cap,
        or an unknown name.

    Notes
    -----
    Model parameters (in :attr:`settings`) and the model itself take effect on Reset;
    ``variable``, ``steps_per_frame``, ``colour_scale``, ``active_threshold`` and
    ``dimension_every`` at once. The active fraction is the fraction of cells whose primary
    variable exceeds ``active_threshold`` (in its units; None, the default for a model with
    adaptive feature thresholds such as the reaction–diffusion one, takes the first of its
    percentiles, the median, of each frame); the box-counting dimension is that of the same
    mask, computed every ``dimension_every`` frames.

    Examples
    --------
    >>> from mfn import FieldParams
    >>> explorer = GrowthExplorer(FieldParams(grid_size=32, seed=1), steps_per_frame=4)
    >>> explorer.play(); explorer.tick(); explorer.pause()
    >>> explorer.simulation.t
    4
    """

    model = param.Selector(default="classic", objects=["classic"], doc="Model to grow (applies on reset).")
    variable = param.Selector(default="V", objects=["V"], doc="Variable shown in the image (applies at once).")
    steps_per_frame = param.Integer(5, bounds=(1, MAX_STEPS_PER_FRAME), doc="Speed: simulation steps per frame.")
    colour_scale = param.Selector(
        default="fixed",
        objects=["fixed", "auto"],
        doc="fixed: the variable's natural range for every frame; auto: each frame's range.",
    )
    active_threshold = param.Number(
        -60.0,
        allow_None=True,
        doc="Cells whose primary variable exceeds this are active (its units); "
        "empty: the model's own rule (an adaptive model: the median of each frame).",
    )
    dimension_every = param.Integer(5, bounds=(1, 100), doc="Frames between box-counting dimension estimates.")
    playing = param.Boolean(False, doc="Whether the simulation is running.")

    def __init__(self, params: Any = None, **values: Any) -> None:
        self.param.model.objects = list(models())
        params, own = _initial_values(params, values, self.param)
        spec = model_for(params)
        self.param.variable.objects = [v.name for v in spec.variables]
        own.setdefault("variable", spec.primary)
        own.setdefault("active_threshold", _default_threshold(spec))
        super().__init__(model=spec.name, **own)
        self.settings = _settings(params)
        self._slot = LatestFrame(max_rows=CURVE_LENGTH)
        self._fps = RateMeter(window_s=5.0)
        self._steps_per_s = RateMeter(window_s=5.0)
        self._rest_until = 0.0
        self._callback: pn.io.PeriodicCallback | None = None
        self._published = 0
        self._frames = 0
        self._dimension: tuple[float, float] | None = None
        self._shown: tuple[int, dict[str, float] | None] = (0, None)
        self._readout_stale = False  # a readout change waits for the browser to paint its frame
        self._notice = ""
        self._clock = FrameClock(height=20, sizing_mode="stretch_width")
        self._clock.param.watch(self._on_shown, "shown")
        dispersion = spec.extra.get("dispersion")
        self._theory: dict[str, Any] | None = dispersion(params) if dispersion is not None else None
        self._figures = self._make_figures(spec, params.shape[0])
        self._layout: pn.viewable.Viewable | None = None
        self._model_widgets = pn.Column(width=290)
        self._plots = pn.Row()
        self.readout = pn.pane.Str("", styles={"font-size": "13px"}, css_classes=["mfn-readout"])
        self.play_button = pn.widgets.Button(label="Play", color="primary", width=80)
        self.step_button = pn.widgets.Button(label="Step", width=80)
        self.reset_button = pn.widgets.Button(label="Reset", color="warning", width=80)
        self.play_button.on_click(lambda _: self.pause() if self.playing else self.play())
        self.step_button.on_click(lambda _: self.step())
        self.reset_button.on_click(lambda _: self.reset())
        self._watch_settings()
        self.param.watch(self._on_model_choice, "model")
        self.param.watch(self._on_colour_scale, "colour_scale")
        self.param.watch(self._on_variable, "variable")
        if pn.state.curdoc is not None and pn.state.curdoc.session_context is not None:
            pn.state.on_session_destroyed(self._on_session_destroyed)
        self._sim: Simulation | None = None
        self.reset()

    # -- state -------------------------------------------------------------------------

    @property
    def simulation(self) -> Simulation:
        """The running simulation (replaced on reset)."""
        return self._sim

    @property
    def spec(self) -> Model:
        """The running simulation's model."""
        return self._sim.model

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

        Columns ``step``, then the model's counters (cumulative ones as totals, the others per
        frame), its metrics and ``active_fraction`` (classic: ``growth_events``,
        ``turing_activations``, ``clamped_cells``, ``V_mean`` in mV, ``active_fraction``). They
        include the frames not yet sent to the browser, so what a notebook reads does not
        depend on how fast (or whether) a browser shows the view.
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
        """Names of the settings that differ from the running simulation's (``model`` first).

        They apply on :meth:`reset`; until then the readout says so.
        """
        running = self._sim.params
        if self.model != self._sim.model.name:
            return ("model", *_widget_names(get_model(self.model).params_class))
        return tuple(name for name, value in to_settings(running).items() if getattr(self.settings, name) != value)

    def model_params(self) -> Any:
        """The model parameters currently set in the widgets, as the model's params class.

        The settings that differ from the running simulation's are applied to its parameters
        with ``replace`` (a model's own rules then hold: a new reaction–diffusion kinetics
        brings its own defaults); for another model, to that model's defaults.
        """
        params_class = get_model(self.model).params_class
        running = self._sim.params if self._sim is not None else None
        base = running if type(running) is params_class else params_class()
        wanted = from_settings(self.settings, params_class)
        shown = to_settings(base)
        specs = params_class.specs()
        changes = {
            name: value
            for name, value in wanted.items()
            if getattr(self.settings, widget_name(specs[name])) != shown[widget_name(specs[name])]
        }
        choices = {name: value for name, value in changes.items() if specs[name].kind == "choice"}
        if choices:  # a choice first (it may reset the values that depend on it), then the rest
            base = base.replace(**choices)
        rest = {name: value for name, value in changes.items() if name not in choices}
        return base.replace(**rest) if rest else base

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
        """Start a new simulation from the current model and settings and show its step 0.

        The view changes (its curves empty, its image and readout show the new run) with
        the new run's first published frame, that is at once unless the browser has not yet
        painted the previous frame. A new model brings its own curves.
        """
        previous = None if self._sim is None else self._sim.model
        self._sim = live_simulation(self.model_params())
        # the widgets now show what runs (a new kinetics' own defaults, for instance)
        self.settings.param.update(**to_settings(self._sim.params))
        self._totals = self._sim.totals
        self._notice = ""
        self._markers = None
        self._measured_k = None
        dispersion = self._sim.model.extra.get("dispersion")
        self._theory = dispersion(self._sim.params) if dispersion is not None else None
        if previous is not None and (previous is not self._sim.model or self._theory is not None):
            # another model's curves, or this run's own dispersion relation
            self._figures = self._make_figures(self._sim.model, self._sim.params.shape[0])
            if self._layout is not None:
                self._plots.objects = self._plot_panes()
        self._frames = 0
        self._dimension = None
        self._slot.restart()
        self._fps.reset()
        self._steps_per_s.reset()
        self._record()
        self._publish()

    def stimulate(self, y: int, x: int) -> None:
        """Stimulate the cell ``(y, x)`` of the running simulation and show it (a click on the image does this).

        For models that can be stimulated (the mycelium: a spike starts there and travels along
        the hyphae); for others the readout says the model cannot be.

        Raises
        ------
        ParameterError
            If the cell is outside the lattice.
        """
        if not self._sim.model.stimulate:
            self._notice = f"the {self._sim.model.name} model cannot be stimulated"
            self._refresh_readout()
            return
        self._sim.stimulate(y, x)
        self._notice = f"stimulated cell (y={y}, x={x}) at step {self._sim.t}"
        self._markers = self._current_markers()
        self._slot.put(self._sim.t, self._image())
        if not self._publish():
            self._refresh_readout()

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
        self._sim.step(n)
        self._steps_per_s.add(n)
        self._record()

    def _record(self) -> None:
        """Measure the current state and put it into the slot as the latest frame."""
        from mfn.analysis.fractal import box_dimension

        sim = self._sim
        primary = sim.primary
        threshold = self.active_threshold
        if threshold is None:  # the model's own rule (adaptive: a percentile of this frame)
            threshold = low_threshold(primary, sim.model.feature_params or DEFAULT_FEATURE_PARAMS)
        with np.errstate(invalid="ignore"):
            active = primary > threshold  # NaN cells (off a mycelium) are never active
        totals = sim.totals
        row = {"step": float(sim.t)}
        for counter in sim.model.counters:
            total = totals[counter.name]
            row[counter.name] = float(total if counter.cumulative else total - self._totals[counter.name])
        self._totals = totals
        row.update({name: float(value) for name, value in sim.stepper.frame_metrics().items()})
        row["active_fraction"] = float(active.mean())
        dimension_row = None
        if self._frames % self.dimension_every == 0:
            D, r2 = box_dimension(active)
            self._dimension = (float(D), float(r2))
            dimension_row = {"step": float(sim.t), "D": float(D), "r2": float(r2)}
            self._measured_k = self._measure_k()
        self._frames += 1
        self._markers = self._current_markers()
        self._slot.put(sim.t, self._image(), row, dimension_row)

    def _measure_k(self) -> float | None:
        """The dominant wavenumber of the variable a model's dispersion relation speaks of (None without one)."""
        if self._theory is None:
            return None
        from mfn.analysis.spectra import dominant_wavelength

        field = self._sim.variable(self._theory["variable"])
        if not np.isfinite(field).all():
            return None
        k = float(dominant_wavelength(field, floor=self._theory["pattern_above"]).attrs["k"])
        return k if np.isfinite(k) else None  # NaN: no pattern yet (below the floor, or no spectral peak)

    def _current_markers(self) -> np.ndarray | None:
        """Points the model marks on its image (the mycelium's hyphal tips), ``(n, 2)`` of ``(y, x)``."""
        markers = getattr(self._sim.stepper, "markers", None)
        return None if markers is None else markers()

    def _image(self) -> np.ndarray:
        """The shown variable now (the primary variable if the running model has no such variable)."""
        names = [v.name for v in self._sim.model.variables]
        return self._sim.variable(self.variable if self.variable in names else self._sim.model.primary)

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
            self._figures.show_markers(self._markers)
            self._figures.show_measured_k(self._measured_k)
            self._figures.append(frame.rows, frame.dimension_rows)
            self._shown = (frame.t, frame.rows[-1] if frame.rows else None)
            self.readout.object = self._readout_text(*self._shown)
            self._readout_stale = False
            self._clock.sent = self._published
        return True

    def _refresh_readout(self) -> None:
        """Show the readout of the shown frame with the current notes, now or when the browser catches up.

        While a frame is on its way the readout is left alone (it must state that frame);
        the change is remembered and applied when the browser reports the frame painted,
        even when no further frame follows (paused), so a note such as "press Reset" is
        never lost.
        """
        if not self._browser_ready():
            self._readout_stale = True
            return
        with pn.io.hold():  # a Bokeh change from a widget goes out held (see _on_colour_scale)
            self.readout.object = self._readout_text(*self._shown)
        self._readout_stale = False

    def _readout_text(self, t: int, row: dict[str, float] | None) -> str:
        rows, cols = self._sim.params.shape
        model = self._sim.model
        run = [
            f"step: {t}",
            f"frame: {self._published}",
            f"fps: {self._fps.rate():.1f}",
            f"steps/s: {self._steps_per_s.rate():.0f}",
            f"grid: {rows}x{cols}",
            f"model: {model.name}",
        ]
        measured = []  # on a line of their own, so that the readout fits beside the image
        if row is not None:
            for metric in model.metrics[:1]:
                measured.append(f"{metric.long_name}: {row[metric.name]:.2f} {metric.units}")
            measured.append(f"active: {100 * row['active_fraction']:.1f} %")
        if self._dimension is not None:
            measured.append(f"D: {self._dimension[0]:.3f} (R² {self._dimension[1]:.2f})")
        lines = ["   ".join(run), *(["   ".join(measured)] if measured else [])]
        lines.append(f"colour scale: {self.colour_scale} ({self._figures.clim_text})")
        return "\n".join(lines) + self._notes()

    def _notes(self) -> str:
        """The readout's last lines: a clamped value, parameters waiting for Reset."""
        names = self.unapplied
        note = f"\nparameters changed ({', '.join(names)}): press Reset to apply" if names else ""
        return (f"\n{self._notice}" if self._notice else "") + note

    def _on_shown(self, event: param.parameterized.Event) -> None:
        if not self._publish() and self._readout_stale:
            self._refresh_readout()

    def _on_model_change(self, *events: param.parameterized.Event) -> None:
        self._refresh_readout()

    def _on_grid_size(self, event: param.parameterized.Event) -> None:
        """Clamp a grid side outside the live view's range to it, and say so in the readout."""
        side = min(max(event.new, MIN_LIVE_GRID), MAX_LIVE_GRID)
        if side != event.new:
            self._notice = (
                f"grid size {event.new} is outside the live view's range {MIN_LIVE_GRID}..{MAX_LIVE_GRID}: "
                f"set to {side} (use mfn.simulate for larger runs)"
            )
            self.settings.grid_size = side  # calls the watchers again, with the clamped value

    def _watch_settings(self) -> None:
        if "grid_size" in self.settings.param:
            self.settings.param.watch(self._on_grid_size, "grid_size")
        self.settings.param.watch(self._on_model_change, _widget_names(get_model(self.model).params_class))

    def _on_model_choice(self, event: param.parameterized.Event) -> None:
        """Another model chosen: its settings at their defaults (kept grid side), applied on Reset."""
        spec = get_model(self.model)
        side = self.settings.grid_size
        self.settings = _settings(spec.params_class())
        self.settings.grid_size = side
        self._watch_settings()
        self.param.variable.objects = [v.name for v in spec.variables]
        self.variable = spec.primary
        self.active_threshold = _default_threshold(spec)
        if self._layout is not None:
            self._model_widgets.objects = [self._settings_widgets()]
        self._on_model_change()

    def _on_variable(self, event: param.parameterized.Event) -> None:
        """Show another variable now: relabel the image and put the current state in the slot."""
        names = [v.name for v in self._sim.model.variables]
        if self.variable not in names:
            return  # the running model does not have it (a new model waits for Reset)
        with pn.io.hold():  # a Bokeh change from a widget goes out held (see _on_colour_scale)
            self._figures.set_variable(*_label_and_clim(self._sim.model, self.variable))
        self._slot.put(self._sim.t, self._image())
        self._publish()

    def _on_colour_scale(self, event: param.parameterized.Event) -> None:
        """Apply a new colour scale to the shown frame, with the readout that states it.

        A widget change arrives outside Bokeh's document lock; changing a Bokeh model there
        directly raised on the server (``_pending_writes should be non-None``) and the
        session's next click was lost. ``pn.io.hold`` collects the changes and sends them as
        one message, like :meth:`_publish`. The range is that of the frame the view shows;
        the next published frame brings its own.
        """
        with pn.io.hold():
            self._figures.set_clim(self.colour_scale)
            self._refresh_readout()

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

    def _make_figures(self, spec: Model, side: int) -> LiveFigures:
        shown = self.variable if self.variable in [v.name for v in spec.variables] else spec.primary
        label, clim = _label_and_clim(spec, shown)
        figures = LiveFigures(side, CURVE_LENGTH, curve_columns(spec), label, clim, curve_labels(spec))
        figures.on_tap(self._on_tap)
        if self._theory is not None:  # a model with a linear theory: its dispersion relation, the measured k on it
            figures.add_dispersion(self._theory["k"], self._theory["sigma"], self._theory["k_max"])
        return figures

    def _on_tap(self, y: int, x: int) -> None:
        """A click on the image: stimulate that cell (inside the lattice; elsewhere nothing)."""
        rows, cols = self._sim.params.shape
        if 0 <= y < rows and 0 <= x < cols:
            with pn.io.hold():
                self.stimulate(y, x)

    def _settings_widgets(self) -> pn.viewable.Viewable:
        params_class = get_model(self.model).params_class
        widgets: dict[str, Any] = {}
        for name, spec in params_class.specs().items():
            if spec.kind == "grid":  # no start/end in the page: the browser would clamp silently
                widgets[name] = {
                    "type": pn.widgets.IntInput,
                    "step": 16,
                    "start": 1,
                    "end": None,
                    "css_classes": ["mfn-grid-size"],
                }
            elif name in optional_names(params_class) and spec.kind in ("int", "float"):
                kind = pn.widgets.IntInput if spec.kind == "int" else pn.widgets.FloatInput
                widgets[name] = {"type": kind, "start": spec.lo, "end": spec.hi}
            elif spec.kind == "int" and (spec.hi is None or spec.hi - (spec.lo or 0) > 1000):
                # a browser holds integers exactly up to 2**53 - 1: the widget stops there
                end = None if spec.hi is None else min(spec.hi, JS_MAX_SAFE_INTEGER)
                widgets[name] = {
                    "type": pn.widgets.IntInput,
                    "start": spec.lo,
                    "end": end,
                    "css_classes": [f"mfn-{name.replace('_', '-')}"],
                }
        return pn.Param(
            self.settings, parameters=_widget_names(params_class), widgets=widgets, show_name=False, width=280
        )

    def _plot_panes(self) -> list[pn.viewable.Viewable]:
        figures = self._figures
        curves = pn.GridBox(*[pn.pane.Bokeh(f) for f in figures.curve_figures], ncols=2)
        return [pn.Column(pn.pane.Bokeh(figures.image_figure), css_classes=["mfn-field-image"]), curves]

    def _build_layout(self) -> pn.viewable.Viewable:
        self._model_widgets.objects = [self._settings_widgets()]
        model_choice = pn.Param(self.param, parameters=["model"], show_name=False, width=280)
        view_options = pn.Param(
            self.param,
            parameters=list(VIEW_PARAMETERS),
            widgets={
                "colour_scale": pn.widgets.RadioButtonGroup,
                "variable": {"type": pn.widgets.Select, "css_classes": ["mfn-variable"]},
            },
            show_name=False,
            width=280,
        )
        controls = pn.Column(
            pn.Row(self.play_button, self.step_button, self.reset_button),
            "**Model** (applies on Reset)",
            model_choice,
            self._model_widgets,
            "**View** (applies at once)",
            view_options,
            width=300,
        )
        self._plots.objects = self._plot_panes()
        return pn.Row(controls, pn.Column(self.readout, self._clock, self._plots))


def live_simulation(params: Any) -> Simulation:
    """The simulation the live view runs for ``params``: no event log, no twin, no online features."""
    return Simulation(params, record_events=False, lyapunov=False, online_features=False)


def compile_models(side: int = 16) -> None:
    """Step every registered model once, as the live view runs it, on a ``side`` x ``side`` grid.

    A model's numba kernel compiles on its first call: about 10 s for the mycelium on a cold
    cache, then loaded from numba's on-disk cache in well under a second. ``mfn app`` calls
    this before it serves, so that a session's first Play shows frames at once instead of
    seconds of nothing.
    """
    for spec in models().values():
        live_simulation(spec.params_class(grid_size=side)).step(1)


def _settings(params: Any) -> param.Parameterized:
    """The live settings of a model's parameters, set to ``params``."""
    return settings_class(type(params))(**to_settings(params))


def _widget_names(params_class: Any) -> list[str]:
    """The names of a model's live widgets (display names where a parameter has one)."""
    specs = params_class.specs()
    return [widget_name(specs[name]) for name in live_names(params_class)]


def _label_and_clim(spec: Model, name: str) -> tuple[str, tuple[float, float]]:
    var = spec.variable(name)
    return f"{var.name} ({var.units})", var.clim if var.clim is not None else (0.0, 1.0)


def _default_threshold(spec: Model) -> float | None:
    """The active threshold a model's features use by default (classic: -60 mV; adaptive models: None)."""
    fp = spec.feature_params or DEFAULT_FEATURE_PARAMS
    return float(fp.thresholds[0]) if fp.threshold_mode == "fixed" else None


def _initial_values(params: Any, values: dict[str, Any], parameters: Any) -> tuple[Any, dict[str, Any]]:
    """Validate the constructor's input; return the model's parameters and the explorer's own values."""
    own_names = set(parameters) - {"name", "playing"}
    if "model" in values:
        spec = get_model(values.pop("model"))
        if params is not None and model_for(params) is not spec:
            raise ParameterError("model", spec.name, f"the model of params ({model_for(params).name})")
    elif params is not None:
        spec = model_for(params)  # a ParameterError for anything but a registered model's parameters
    else:
        spec = get_model("classic")
    if params is None:
        params = spec.params_class()
    names = live_names(spec.params_class)
    specs = spec.params_class.specs()
    for name in names:  # a displayed name (noise_sd) sets its parameter (jitter_var)
        display = specs[name].display
        if display is not None and display.name in values:
            shown = values.pop(display.name)
            values[name] = display.from_display(check_real(display.name, shown, *_display_bounds(specs[name])))
    for key in values:
        if key not in own_names and key not in names:
            known = ", ".join(sorted(own_names | set(names)))
            raise ParameterError(key, values[key], f"a GrowthExplorer or {spec.name} parameter: one of {known}")
    params = params.replace(**{k: v for k, v in values.items() if k in names})  # validates every model value
    rows, cols = params.shape
    if rows != cols:
        raise ParameterError("grid_size", params.grid_size, "a square grid in the live view")
    hint = "the live view caps the grid; use mfn.simulate for larger runs"
    check_int("grid_size", rows, MIN_LIVE_GRID, MAX_LIVE_GRID, hint=hint)
    out = {}
    for key, value in values.items():
        if key in names:
            continue
        p = parameters[key]
        if key == "variable":
            check_choice(key, value, [v.name for v in spec.variables])
        elif key == "active_threshold" and value is not None:
            clim = spec.variable(spec.primary).clim
            check_real(key, value, *(clim or (None, None)), hint=f"in the range of {spec.primary}")
        elif isinstance(p, param.Integer):
            check_int(key, value, *p.bounds)
        elif isinstance(p, param.Selector):
            check_choice(key, value, p.objects)
        else:
            check_real(key, value, *p.bounds)
        out[key] = value
    return params, out


def _display_bounds(spec: Any) -> tuple[float | None, float | None]:
    d = spec.display
    return (None if spec.lo is None else d.to_display(spec.lo), None if spec.hi is None else d.to_display(spec.hi))
