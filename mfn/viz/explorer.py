"""``GrowthExplorer``: a Panel view that grows any registered model live, inline or served.

The model's widgets are generated from its parameter specs (:mod:`mfn.viz.settings`,
laid out by :mod:`mfn.viz.live_controls`), its curves from its counters and metrics
(:func:`mfn.viz.live_figures.curve_columns`), and the image shows its primary variable or
any other one chosen in the view. The run and its per-frame measures are a
:class:`~mfn.viz.live_run.LiveRun`; the text above the image is
:func:`~mfn.viz.live_readout.readout_text`.

How frames reach the browser (one at a time, each after the previous one is painted, so
nothing queues) is :mod:`mfn.viz.live_display`'s job.

Limits: each browser session gets its own simulation; the grid side is capped at
:data:`MAX_LIVE_GRID` cells and a frame at :data:`MAX_STEPS_PER_FRAME` steps (about 65,000
cells x 50 steps, roughly 0.1 s of numpy work per frame); use :func:`mfn.simulate` for bigger runs.
"""

from __future__ import annotations

import math
import time
from typing import Any

import pandas as pd
import panel as pn
import param

from mfn.core.checks import check_int
from mfn.core.errors import ParameterError
from mfn.core.model import Model, model_for, models
from mfn.simulation.simulation import Simulation
from mfn.viz.frames import Frame, RateMeter
from mfn.viz.live_controls import (
    build_layout,
    control_buttons,
    initial_values,
    plot_panes,
    view_defaults,
)
from mfn.viz.live_display import LiveDisplay
from mfn.viz.live_figures import LiveFigures
from mfn.viz.live_readout import readout_text
from mfn.viz.live_run import LiveRun, compile_models, label_and_clim, live_simulation
from mfn.viz.model_settings import ModelSettings
from mfn.viz.server_log import quiet_server_log
from mfn.viz.settings import LIVE_GRID_RANGE, to_settings
from mfn.viz.ticker import Ticker

SELF_PAUSE_GRACE_S = 1.0
"""s: a Play/Pause click this soon after the view paused itself meant Pause (see :meth:`GrowthExplorer.toggle`)."""

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
VIEW_MEMORY = ("variable", "colour_scale", "active_threshold")
"""View options each model keeps while another is chosen."""
VIEW_MEMORY = ("variable", "colour_scale", "active_threshold")
"""View options each model keeps while another is chosen."""
CURVE_LENGTH = 500
"""Points kept per live curve (older points scroll out)."""


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
        params, own = initial_values(params, values, self.param)
        spec = model_for(params)
        self._fit_view_options(spec)
        super().__init__(model=spec.name, **{**view_defaults(spec), **own})
        notify, running = (lambda text: setattr(self, "_notice", text)), (lambda: self._run and self.simulation.params)
        self._settings = ModelSettings(params, self._on_model_change, notify, running)
        self._display = LiveDisplay(CURVE_LENGTH, self._readout_text, self._dress)
        self._steps_per_s = RateMeter(window_s=5.0)
        self._ticker = Ticker(self.tick, FRAME_PERIOD_MS)
        self._notice = ""
        self._layout: pn.viewable.Viewable | None = None
        self._plots = pn.Row()
        self.readout = self._display.readout
        self.play_button, self.step_button, self.reset_button = control_buttons(self)
        self.param.watch(self._on_model_choice, "model")
        self.param.watch(self._on_colour_scale, "colour_scale")
        self.param.watch(self._on_variable, "variable")
        if pn.state.curdoc is not None and pn.state.curdoc.session_context is not None:  # served
            pn.state.on_session_destroyed(lambda _: self.pause())
            quiet_server_log()
        self._run: LiveRun | None = None
        self.reset()

    # -- state -------------------------------------------------------------------------

    @property
    def settings(self) -> param.Parameterized:
        """The chosen model's live settings, one parameter per model parameter (apply on Reset)."""
        return self._settings.current

    @property
    def simulation(self) -> Simulation:
        """The running simulation (replaced on reset)."""
        return self._run.sim

    @property
    def spec(self) -> Model:
        """The running simulation's model."""
        return self._run.model

    @property
    def frames_published(self) -> int:
        """Frames sent to the views since the explorer was made."""
        return self._display.published

    @property
    def frames_pending(self) -> bool:
        """Whether a frame waits in the slot for the browser to catch up."""
        return self._display.slot.pending

    @property
    def curves(self) -> pd.DataFrame:
        """The metric curves of every simulated frame (the newest :data:`CURVE_LENGTH` rows).

        Columns ``step``, then the model's counters (cumulative ones as totals, the others per
        frame), its metrics and ``active_fraction`` (classic: ``growth_events``,
        ``turing_activations``, ``clamped_cells``, ``V_mean`` in mV, ``active_fraction``). They
        include the frames not yet sent to the browser, so what a notebook reads does not
        depend on how fast (or whether) a browser shows the view.
        """
        return self._display.history(0)

    @property
    def dimensions(self) -> pd.DataFrame:
        """The box-counting dimension estimates ``step``, ``D``, ``r2`` (newest :data:`CURVE_LENGTH` rows).

        Like :attr:`curves`, they include the frames not yet sent to the browser.
        """
        return self._display.history(1)

    @property
    def unapplied(self) -> tuple[str, ...]:
        """Names of the settings that differ from the running simulation's (``model`` first); Reset applies them."""
        return self._settings.unapplied(self.simulation.params)

    def model_params(self) -> Any:
        """The model parameters set in the widgets: the changed ones applied to the running parameters.

        See :meth:`mfn.viz.model_settings.ModelSettings.params`.
        """
        return self._settings.params(self._run.sim.params if self._run is not None else None)

    # -- controls ------------------------------------------------------------------------

    def play(self) -> None:
        """Start advancing the simulation in a periodic callback."""
        self.playing = True

    def pause(self) -> None:
        """Stop advancing the simulation."""
        self.playing = False

    def toggle(self) -> None:
        """The Play/Pause button's click: pause while playing, else play.

        A click that arrives within :data:`SELF_PAUSE_GRACE_S` of the view pausing itself
        (its growth ended) was made on the "Pause" the page still showed: it leaves the view
        paused rather than playing an ended run on. A later click plays on, as asked.
        """
        if self.playing:
            self.pause()
        elif time.monotonic() - self._self_paused_at >= SELF_PAUSE_GRACE_S:
            self.play()

    def step(self) -> None:
        """Advance the simulation by one step and show it."""
        self._advance(1)
        self._display.publish()

    def reset(self) -> None:
        """Start a new simulation from the current model and settings and show its step 0.

        The view changes (its curves empty, its image and readout show the new run) with
        the new run's first published frame, that is at once unless the browser has not yet
        painted the previous frame. A new model brings its own curves.
        """
        previous = None if self._run is None else self._run.model
        try:
            params = self.model_params()
        except ParameterError as err:  # settings that cannot run together (dt too large for a D, ...)
            self._notice = f"cannot start a run with these settings: {err}"
            self._display.refresh_readout()
            return
        self._run = LiveRun(params)
        # the widgets now show what runs (a new kinetics' own defaults, for instance)
        self.settings.param.update(**to_settings(self.simulation.params))
        self._notice = ""
        self._ended = ""  # why the run can grow no more, once it says so
        self._self_paused_at = -math.inf  # time.monotonic() when the view last paused itself
        if previous is not self.spec or self._run.theory is not None:
            # another model's curves, or this run's own dispersion relation
            self._display.figures = self._run.figures(self.variable, CURVE_LENGTH)
            self._display.figures.on_tap(self._on_tap)
            if self._layout is not None:
                self._plots.objects = plot_panes(self._display.figures)
        self._display.slot.restart()
        self._display.fps.reset()
        self._steps_per_s.reset()
        self._record()
        self._display.publish()

    def stimulate(self, y: int, x: int) -> None:
        """Stimulate the cell ``(y, x)`` of the running simulation and show it (a click on the image does this).

        For models that can be stimulated (the mycelium: a spike starts there and travels along
        the hyphae); for others the readout says the model cannot be.

        Raises
        ------
        ParameterError
            If the cell is outside the lattice.
        """
        if not self.spec.stimulate:
            self._notice = f"the {self.spec.name} model cannot be stimulated"
            self._display.refresh_readout()
            return
        self.simulation.stimulate(y, x)
        self._notice = f"stimulated cell (y={y}, x={x}) at step {self.simulation.t}"
        self._display.slot.put(self.simulation.t, self._run.image(self.variable))
        if not self._display.publish():
            self._display.refresh_readout()

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
            self._display.publish()

    def tick(self) -> None:
        """One turn of the periodic callback: advance if playing, then publish if possible."""
        if self.playing:
            self._advance(self.steps_per_frame)
        self._display.publish()

    # -- internals -------------------------------------------------------------------------

    def _advance(self, n: int) -> None:
        self._run.advance(n)
        self._steps_per_s.add(n)
        self._record()
        why = None if self._ended else self._run.ended()
        if why:  # found once per run, then always in the readout; Play goes on if asked (a click still spikes)
            self._ended = f"growth ended at step {self.simulation.t}: {why}; paused (Reset starts a new run)"
            self._self_paused_at = time.monotonic()
            self.pause()

    def _record(self) -> None:
        """Measure the current state and put it into the slot as the latest frame."""
        row, dimension_row = self._run.measure(self.active_threshold, self.dimension_every)
        self._display.slot.put(self.simulation.t, self._run.image(self.variable), row, dimension_row)

    def _readout_text(self, t: int, row: dict[str, float] | None) -> str:
        return readout_text(
            self._run,
            t,
            row,
            frame=self._display.run_published,
            fps=self._display.fps.rate(),
            steps_per_s=self._steps_per_s.rate(),
            colour_scale=self.colour_scale,
            clim_text=self._display.figures.clim_text,
            notice="\n".join(note for note in (self._ended, self._notice) if note),
            unapplied=self.unapplied,
        )

    def _dress(self, figures: LiveFigures, frame: Frame) -> None:
        """Show a published frame's image on the current colour scale, with the run's markers and measured k."""
        figures.show_frame(frame.V, self.colour_scale)
        figures.show_markers(self._run.markers())
        figures.show_measured_k(self._run.measured_k)

    def _on_model_change(self) -> None:
        self._display.refresh_readout()

    def _fit_view_options(self, spec: Model) -> None:
        """Offer ``spec``'s variables, and bound the active threshold to its primary variable's range."""
        self.param.variable.objects = [v.name for v in spec.variables]
        self.param.active_threshold.bounds = spec.variable(spec.primary).clim or (None, None)

    def _on_model_choice(self, event: param.parameterized.Event) -> None:
        """Another model chosen: its settings and view options as last left (or its defaults), applied on Reset."""
        view = self._settings.choose(self.model, {name: getattr(self, name) for name in VIEW_MEMORY})
        self._fit_view_options(self._settings.model)
        self.param.update(**view)
        self._on_model_change()

    def _on_variable(self, event: param.parameterized.Event) -> None:
        """Show another variable now: relabel the image and put the current state in the slot."""
        names = [v.name for v in self.spec.variables]
        if self.variable not in names:
            return  # the running model does not have it (a new model waits for Reset)
        with pn.io.hold():  # a Bokeh change from a widget goes out held (see _on_colour_scale)
            self._display.figures.set_variable(*label_and_clim(self.spec, self.variable))
        self._display.slot.put(self.simulation.t, self._run.image(self.variable))
        self._display.publish()

    def _on_colour_scale(self, event: param.parameterized.Event) -> None:
        """Apply a new colour scale to the shown frame (the next frame brings its own), with the readout.

        A widget change arrives outside Bokeh's document lock: a Bokeh model changed there
        directly raised ``_pending_writes should be non-None`` on the server and lost the next
        click; ``pn.io.hold`` sends the changes as one message, as publishing a frame does.
        """
        with pn.io.hold():
            self._display.figures.set_clim(self.colour_scale)
            self._display.refresh_readout()

    @param.depends("playing", watch=True)
    def _on_playing(self) -> None:
        self.play_button.label = "Pause" if self.playing else "Play"
        if self.playing and not self._ticker.running:
            self._display.fps.reset()
            self._steps_per_s.reset()
            self._ticker.start()
        elif not self.playing:
            self._ticker.stop()

    # -- views ---------------------------------------------------------------------------

    def __panel__(self) -> pn.viewable.Viewable:
        if self._layout is None:  # Bokeh models live in one document: build the layout once
            self._settings.show(force=True)
            self._plots.objects = plot_panes(self._display.figures)
            buttons = pn.Row(self.play_button, self.step_button, self.reset_button)
            self._layout = build_layout(self, buttons, self._settings.widgets, self._display, self._plots)
        return self._layout

    def _on_tap(self, y: int, x: int) -> None:
        """A click on the image: stimulate that cell (inside the lattice; elsewhere nothing)."""
        rows, cols = self.simulation.params.shape
        if 0 <= y < rows and 0 <= x < cols:
            with pn.io.hold():
                self.stimulate(y, x)
