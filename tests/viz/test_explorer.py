"""GrowthExplorer without a server: drive its controls and check its state."""

import numpy as np
import pytest

pytest.importorskip("panel", reason="needs the viz extra")

from mfn import FieldParams, ParameterError, Simulation
from mfn.analysis.fractal import box_dimension
from mfn.viz import MAX_LIVE_GRID, MAX_STEPS_PER_FRAME, GrowthExplorer
from mfn.viz.explorer import CURVE_LENGTH


def ack(explorer):
    """Play the browser's part: report the last published frame as painted."""
    explorer._display.clock.shown = explorer._display.clock.sent


@pytest.fixture
def explorer():
    return GrowthExplorer(FieldParams(grid_size=32, seed=3), steps_per_frame=4)


def test_starts_paused_at_step_zero_with_its_frame_published(explorer):
    assert explorer.simulation.t == 0 and not explorer.playing
    assert explorer.frames_published == 1
    assert explorer.readout.object.startswith("step: 0")
    assert explorer.play_button.label == "Play"


def test_play_button_toggles_and_ticks_advance_by_steps_per_frame(explorer):
    explorer.play_button.clicks += 1
    assert explorer.playing and explorer.play_button.label == "Pause"
    for _ in range(3):
        ack(explorer)
        explorer.tick()
    assert explorer.simulation.t == 12
    assert explorer.frames_published == 4
    assert "step: 12" in explorer.readout.object
    explorer.play_button.clicks += 1
    assert not explorer.playing and explorer.play_button.label == "Play"
    explorer.tick()
    assert explorer.simulation.t == 12


def test_the_live_state_matches_a_plain_simulation(explorer):
    explorer.play()
    for _ in range(5):
        ack(explorer)
        explorer.tick()
    twin = Simulation(explorer.model_params())
    twin.step(20)
    np.testing.assert_array_equal(explorer.simulation.V, twin.V)
    last = explorer.curves.iloc[-1]
    assert last["step"] == 20 and last["growth_events"] == twin.growth_events_total
    assert last["V_mean"] == pytest.approx(twin.V.mean(), abs=1e-9)
    assert last["active_fraction"] == pytest.approx(np.mean(twin.V > -60.0), abs=1e-12)


def test_step_button_advances_one_step(explorer):
    ack(explorer)
    explorer.step_button.clicks += 1
    assert explorer.simulation.t == 1
    assert "step: 1" in explorer.readout.object


def test_without_the_browser_acknowledging_only_the_latest_frame_waits(explorer):
    explorer.play()
    for _ in range(10):  # the browser never reports painting frame 1
        explorer.tick()
    assert explorer.simulation.t == 40  # the simulation runs on
    assert explorer.frames_published == 1  # but nothing more is sent
    assert explorer.frames_pending and explorer._display.slot.written - explorer._display.slot.taken == 1 + 10 - 1
    ack(explorer)  # the acknowledgement publishes the latest frame at once
    assert explorer.frames_published == 2 and not explorer.frames_pending
    assert "step: 40" in explorer.readout.object
    # every simulated frame still reaches the curves
    assert list(explorer.curves["step"]) == [0, *range(4, 41, 4)]


def test_curves_are_bounded(explorer):
    explorer.play()
    explorer.steps_per_frame = 1
    for _ in range(CURVE_LENGTH + 40):
        ack(explorer)
        explorer.tick()
    assert len(explorer.curves) == CURVE_LENGTH
    assert explorer.curves["step"].iloc[-1] == CURVE_LENGTH + 40
    assert len(explorer.dimensions) <= CURVE_LENGTH
    assert explorer.simulation.events == []  # the live run keeps no per-event history


def test_dimension_every_k_frames_matches_box_dimension(explorer):
    explorer.dimension_every = 2
    explorer.active_threshold = -70.0
    explorer.play()
    for _ in range(4):
        ack(explorer)
        explorer.tick()
    assert list(explorer.dimensions["step"]) == [0, 8, 16]  # frames 0, 2, 4 (steps 0, 8, 16)
    D, r2 = box_dimension(explorer.simulation.V > -70.0)
    assert explorer.dimensions["D"].iloc[-1] == pytest.approx(D)
    assert explorer.dimensions["r2"].iloc[-1] == pytest.approx(r2)
    assert f"D: {D:.3f}" in explorer.readout.object


def test_model_changes_apply_on_reset(explorer):
    explorer.play()
    ack(explorer)
    explorer.tick()
    ack(explorer)
    explorer.settings.grid_size = 48
    explorer.settings.seed = 9
    assert explorer.simulation.params.shape == (32, 32)
    assert explorer.unapplied == ("grid_size", "seed")
    assert "parameters changed (grid_size, seed): press Reset" in explorer.readout.object
    explorer.settings.seed = 3  # back to the running value
    assert explorer.unapplied == ("grid_size",)
    assert "parameters changed (grid_size): press Reset" in explorer.readout.object
    explorer.settings.seed = 9
    explorer.reset_button.clicks += 1
    assert explorer.unapplied == ()
    assert explorer.simulation.t == 0 and explorer.simulation.params.shape == (48, 48)
    assert explorer.simulation.params.seed == 9
    assert "press Reset" not in explorer.readout.object and "grid: 48x48" in explorer.readout.object
    assert list(explorer.curves["step"]) == [0]
    np.testing.assert_array_equal(explorer.simulation.V, Simulation(explorer.model_params()).V)


def test_colour_scale_applies_at_once(explorer):
    mapper = explorer._display.figures.mapper
    assert (mapper.low, mapper.high) == (-95.0, 40.0)
    explorer.colour_scale = "auto"
    V = explorer.simulation.V
    assert (mapper.low, mapper.high) == pytest.approx((V.min(), V.max()), abs=1e-3)


def test_speed_applies_at_once(explorer):
    explorer.play()
    explorer.steps_per_frame = 7
    explorer.tick()
    assert explorer.simulation.t == 7


@pytest.mark.parametrize(
    ("kwargs", "parameter"),
    [
        ({"grid_size": MAX_LIVE_GRID + 1}, "grid_size"),
        ({"grid_size": (32, 64)}, "grid_size"),
        ({"alpha": 0.25}, "alpha"),
        ({"steps_per_frame": MAX_STEPS_PER_FRAME + 1}, "steps_per_frame"),
        ({"steps_per_frame": 0}, "steps_per_frame"),
        ({"colour_scale": "rainbow"}, "colour_scale"),
        ({"active_threshold": 50.0}, "active_threshold"),
        ({"speed": 3}, "speed"),
    ],
)
def test_bad_input_names_the_parameter(kwargs, parameter):
    with pytest.raises(ParameterError, match=parameter) as info:
        GrowthExplorer(**kwargs)
    assert info.value.parameter == parameter


def test_params_must_be_field_params():
    with pytest.raises(ParameterError, match="params"):
        GrowthExplorer({"grid_size": 32})


@pytest.mark.parametrize(("typed", "clamped"), [(1000, MAX_LIVE_GRID), (4, 16)])
def test_a_grid_size_beyond_the_cap_is_clamped_with_a_visible_message(explorer, typed, clamped):
    ack(explorer)
    explorer.settings.grid_size = typed  # what the grid-size box sends when a user types it
    assert explorer.settings.grid_size == clamped
    note = f"grid size {typed} is outside the live view's range 16..{MAX_LIVE_GRID}: set to {clamped}"
    assert note in explorer.readout.object and "press Reset" in explorer.readout.object
    explorer.reset()
    assert explorer.simulation.params.shape == (clamped, clamped)
    assert "grid size" not in explorer.readout.object  # said once; the run now has the clamped size


def test_the_readout_and_the_colour_bar_state_the_colour_scale(explorer):
    assert "colour scale: fixed (V (mV), fixed scale -95..40)" in explorer.readout.object
    ack(explorer)
    explorer.colour_scale = "auto"
    V = explorer.simulation.V
    stated = f"V (mV), this frame's range {V.min():.1f}..{V.max():.1f}"
    assert f"colour scale: auto ({stated})" in explorer.readout.object
    assert explorer._display.figures.colour_bar.title == stated


def test_steps_per_frame_cannot_leave_its_cap(explorer):
    with pytest.raises(ValueError):
        explorer.steps_per_frame = MAX_STEPS_PER_FRAME + 1


def test_layout_is_built_once_and_holds_the_controls(explorer):
    layout = explorer.__panel__()
    assert explorer.__panel__() is layout
    names = [w.label for w in layout.select(lambda o: hasattr(o, "clicks"))]
    assert names == ["Play", "Step", "Reset"]


def test_periodic_callback_rests_as_long_as_its_tick_took(explorer):
    explorer.play()
    explorer._ticker._periodic()
    assert explorer.simulation.t == 4
    explorer._ticker._periodic()  # called again at once: still resting
    assert explorer.simulation.t == 4
    explorer._ticker._rest_until = 0.0  # the rest is over
    explorer._ticker._periodic()
    assert explorer.simulation.t == 8


def test_curves_include_frames_the_browser_has_not_received(explorer):
    explorer.play()
    for _ in range(3):  # no acknowledgement: frames 1-3 wait in the slot
        explorer.tick()
    assert explorer.frames_published == 1
    assert list(explorer.curves["step"]) == [0, 4, 8, 12]
    assert list(explorer.dimensions["step"]) == [0]
    ack(explorer)
    assert list(explorer.curves["step"]) == [0, 4, 8, 12]  # the same rows once shown


def test_advance_grows_frames_without_playing(explorer):
    explorer.advance(3)
    assert explorer.simulation.t == 12 and not explorer.playing
    assert explorer.play_button.label == "Play"
    assert list(explorer.curves["step"]) == [0, 4, 8, 12]
    with pytest.raises(ParameterError, match="frames"):
        explorer.advance(0)


def test_a_browser_behind_receives_nothing_until_it_paints_then_the_latest_run_at_once(explorer):
    """What a notebook's *Run All* does before the view's comm opens (see the module docstring)."""
    explorer.advance(3)  # the browser has not painted frame 1: nothing is sent
    explorer.settings.seed = 5
    assert explorer.unapplied == ("seed",) and "press Reset" not in explorer.readout.object
    explorer.reset()
    explorer.advance(2)
    assert explorer.frames_published == 1 and explorer.readout.object.startswith("step: 0   frame: 1")
    assert list(explorer.curves["step"]) == [0, 4, 8]  # the new run only, though the view still shows the old
    ack(explorer)  # the first paint: one update carries the new run's latest frame and its curves
    assert explorer.frames_published == 2 and not explorer.frames_pending
    assert explorer.readout.object.startswith("step: 8   frame: 1") and "press Reset" not in explorer.readout.object
    shown = explorer._display.figures.frame(explorer._display.figures.curve_source)
    assert list(shown["step"]) == [0, 4, 8]
    np.testing.assert_array_equal(
        explorer._display.figures.image_source.data["image"][0], explorer.simulation.V.astype(np.float32)
    )


def test_a_click_on_the_mycelium_starts_a_spike_and_tips_are_marked():
    """The mycelium is shown in µm (25 µm cells): axes, a scale bar, its tips at their cells'
    centres in µm, a click converted back to its cell, the time in hours."""
    from mfn import MyceliumParams

    explorer = GrowthExplorer(MyceliumParams(grid_size=64, seed=2), steps_per_frame=30)
    explorer.advance(4)
    ack(explorer)
    figures = explorer._display.figures
    assert figures.image_figure.xaxis[0].axis_label == "x (µm)" and figures.scale_bar.unit == "µm"
    assert figures.image.glyph.dw == 64 * 25.0 and "(4.00 h)" in explorer.readout.object
    tips = explorer.simulation.stepper.markers()
    assert len(tips) > 0 and explorer.simulation.occupied[tips[:, 0], tips[:, 1]].all()
    marked = figures.marker_source.data
    cells = zip(marked["y"] / 25.0 - 0.5, marked["x"] / 25.0 - 0.5, strict=True)
    assert sorted(cells) == sorted(map(tuple, tips.astype(float)))
    ys, xs = np.nonzero(explorer.simulation.occupied)
    before = np.nanmax(explorer.simulation.V)
    explorer._on_tap(int(ys[0]), int(xs[0]))  # what a click on that cell of the image calls
    assert np.nanmax(explorer.simulation.V) > before + 50  # a spike: tens of mV above rest
    ack(explorer)
    assert f"stimulated cell (y={ys[0]}, x={xs[0]})" in explorer.readout.object
    explorer._on_tap(-1, 5)  # outside the lattice: nothing


def test_a_model_that_cannot_be_stimulated_says_so(explorer):
    ack(explorer)
    explorer.stimulate(3, 3)
    assert "the classic model cannot be stimulated" in explorer.readout.object


def test_the_reaction_diffusion_view_marks_the_measured_k_on_its_dispersion_relation():
    from mfn import ReactionDiffusionParams, dominant_wavelength, turing_analysis

    params = ReactionDiffusionParams(grid_size=64, seed=1)
    explorer = GrowthExplorer(params, steps_per_frame=10, dimension_every=1)
    figure = explorer._display.figures.curve_figures[0]
    assert figure.title.text.startswith("growth rate vs k")
    assert not explorer._display.figures.measured_k.visible  # the initial noise has no wavelength yet to speak of
    for _ in range(8):
        explorer.advance(1)
        ack(explorer)
    u = explorer.simulation.variable("u")
    expected = 2 * np.pi / dominant_wavelength(u).attrs["wavelength"]
    measured = explorer._display.figures.measured_k
    assert measured.visible and measured.location == pytest.approx(expected)
    k_max = turing_analysis(params).attrs["k_max"]
    assert abs(expected - k_max) < 2 * np.pi / 64 + 1e-12  # within one lattice mode of the prediction
    explorer.settings.kinetics = "brusselator"
    explorer.reset()
    assert explorer._run.theory["k_max"] == pytest.approx(turing_analysis(explorer.simulation.params).attrs["k_max"])


def test_a_change_made_while_a_frame_is_on_its_way_reaches_the_readout_when_it_is_painted(explorer):
    """Paused with the last frame still unpainted: the note must not wait for a frame that never comes."""
    explorer.play()
    ack(explorer)
    explorer.tick()  # published; the browser has not painted it yet
    explorer.pause()
    explorer.settings.grid_size = 48
    assert "press Reset" not in explorer.readout.object  # the readout still states the frame in flight
    ack(explorer)  # painted: no new frame to send, the waiting readout goes out
    assert "parameters changed (grid_size): press Reset" in explorer.readout.object
    assert explorer.readout.object.startswith(f"step: {explorer.simulation.t}")
