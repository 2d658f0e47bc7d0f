"""Each model in the live view keeps its own settings and view options, shows only the parameters in use,
and says when its growth has ended (GrowthExplorer and ModelSettings, no server)."""

import pytest

pytest.importorskip("panel", reason="needs the viz extra")

import panel as pn
from bokeh.document import Document

from mfn import FieldParams, MyceliumParams, ReactionDiffusionParams
from mfn.viz import GrowthExplorer
from mfn.viz.live_controls import COLUMN_WIDTH, WIDGET_WIDTH


def ack(explorer):
    """Play the browser's part: report the last published frame as painted."""
    explorer._display.clock.shown = explorer._display.clock.sent


def shown_widgets(explorer):
    """Labels of the model's widgets in the page (built as the page builds them)."""
    explorer.__panel__()
    return [w.name for w in explorer._settings.widgets.select(pn.widgets.Widget)]


def test_each_model_starts_on_its_own_grid_and_gets_back_what_it_had():
    """A mycelium chosen after a 32² classic run used to inherit 32², grew out in ~25 steps and stood still."""
    explorer = GrowthExplorer(FieldParams(grid_size=32, seed=3))
    explorer.model = "mycelium"
    assert explorer.settings.grid_size == MyceliumParams().grid_size == 256  # its own default
    explorer.settings.seed = 7
    explorer.model = "classic"
    assert (explorer.settings.grid_size, explorer.settings.seed) == (32, 3)  # what it had
    explorer.model = "mycelium"
    assert (explorer.settings.grid_size, explorer.settings.seed) == (256, 7)
    explorer.reset()
    assert explorer.simulation.params.shape == (256, 256) and explorer.simulation.params.seed == 7


def test_each_model_keeps_its_view_options():
    explorer = GrowthExplorer(FieldParams(grid_size=32))
    assert (explorer.variable, explorer.colour_scale, explorer.active_threshold) == ("V", "fixed", -60.0)
    explorer.colour_scale = "auto"
    explorer.model = "reaction_diffusion"
    assert (explorer.variable, explorer.colour_scale, explorer.active_threshold) == ("V", "auto", None)
    explorer.reset()
    explorer.variable = "u"
    explorer.model = "mycelium"
    assert (explorer.variable, explorer.colour_scale, explorer.active_threshold) == ("occupied", "fixed", 0.25)
    explorer.model = "classic"
    assert (explorer.variable, explorer.colour_scale) == ("V", "auto")
    explorer.model = "reaction_diffusion"
    assert explorer.variable == "u"


@pytest.mark.parametrize("kinetics", ["schnakenberg", "gierer_meinhardt", "brusselator", "fitzhugh_nagumo"])
def test_the_reaction_diffusion_pattern_spans_the_colour_scale(kinetics):
    """On the fixed -95..40 mV scale the Gierer-Meinhardt spots (about -78..-65 mV) took a tenth of the colours."""
    explorer = GrowthExplorer(ReactionDiffusionParams(kinetics=kinetics, grid_size=32, seed=2), steps_per_frame=50)
    for _ in range(4):
        explorer.advance(1)
        ack(explorer)
    V = explorer.simulation.V
    mapper = explorer._display.figures.mapper
    assert explorer.colour_scale == "auto" and V.std() > 0.1  # a pattern has grown
    assert (V.max() - V.min()) / (mapper.high - mapper.low) > 0.9


def test_the_mycelium_says_its_growth_has_ended_and_pauses():
    explorer = GrowthExplorer(MyceliumParams(grid_size=32, seed=1), steps_per_frame=5)
    explorer.play()
    for _ in range(100):  # about 350 steps (11.6 h) from the spore to the 0.8 mm field's four edges
        ack(explorer)
        explorer.tick()
        if not explorer.playing:
            break
    ended_at = explorer.simulation.t
    occ = explorer.simulation.occupied
    assert not explorer.playing and occ[0].any() and occ[-1].any() and occ[:, 0].any() and occ[:, -1].any()
    ack(explorer)
    assert f"growth ended at step {ended_at}: the colony reaches the field's edge" in explorer.readout.object
    assert explorer.play_button.label == "Play"
    ys, xs = explorer.simulation.occupied.nonzero()
    explorer.stimulate(int(ys[0]), int(xs[0]))  # a click after the end: its note joins, the end's stays
    ack(explorer)
    assert "stimulated cell" in explorer.readout.object and "growth ended" in explorer.readout.object
    explorer.play()  # Play goes on (a click still starts a spike) without pausing again
    ack(explorer)
    explorer.tick()
    assert explorer.playing and explorer.simulation.t == ended_at + 5
    explorer.reset()
    ack(explorer)
    assert "growth ended" not in explorer.readout.object


def test_a_pause_click_arriving_just_after_the_view_paused_itself_leaves_it_paused(monkeypatch):
    """The page still showed "Pause" when the click left it: it must not play the ended run on."""
    from mfn.viz import explorer as explorer_module

    clock = [1000.0]
    monkeypatch.setattr(explorer_module.time, "monotonic", lambda: clock[0])
    explorer = GrowthExplorer(MyceliumParams(grid_size=32, seed=1), steps_per_frame=5)
    explorer.toggle()
    assert explorer.playing
    while explorer.playing:  # about 70 ticks to the field's edges
        ack(explorer)
        explorer.tick()
    clock[0] += 0.9  # the user's Pause, under way while the view paused itself
    explorer.toggle()
    assert not explorer.playing and explorer.play_button.label == "Play"
    clock[0] += 0.2  # a click on the "Play" the page now shows plays on, as asked
    explorer.toggle()
    assert explorer.playing
    explorer.toggle()  # and a Pause while playing pauses at once
    assert not explorer.playing


def test_a_model_that_keeps_growing_never_says_it_ended():
    explorer = GrowthExplorer(FieldParams(grid_size=16), steps_per_frame=50)
    explorer.play()
    for _ in range(5):
        ack(explorer)
        explorer.tick()
    assert explorer.playing and "growth ended" not in explorer.readout.object


def test_only_the_chosen_kinetics_parameters_are_shown_and_a_new_kinetics_brings_its_values_at_once():
    """The panel showed about 12 rate boxes for every kinetics, mostly blank (A, B, F, k, alpha, ...)."""
    explorer = GrowthExplorer(ReactionDiffusionParams(grid_size=32))
    names = shown_widgets(explorer)
    assert {"a", "b"} <= set(names) and not {"A", "B", "F", "k", "alpha", "beta", "epsilon", "ra", "ri"} & set(names)
    explorer.settings.kinetics = "brusselator"
    names = shown_widgets(explorer)
    assert {"A", "B"} <= set(names) and not {"a", "b", "kappa", "F"} & set(names)
    brusselator = ReactionDiffusionParams(kinetics="brusselator", grid_size=32)
    assert (explorer.settings.A, explorer.settings.Du) == (brusselator.A, brusselator.Du)  # before Reset
    assert explorer.unapplied[0] == "kinetics" and "Du" in explorer.unapplied
    explorer.reset()
    assert explorer.simulation.params == brusselator


def test_settings_that_cannot_run_together_are_refused_on_reset_with_a_note():
    explorer = GrowthExplorer(ReactionDiffusionParams(grid_size=32), steps_per_frame=5)
    explorer.advance(2)
    ack(explorer)
    running = explorer.simulation
    explorer.settings.dt = 5.0  # in the widget's range, but unstable with these D
    explorer.reset()
    ack(explorer)
    assert explorer.simulation is running and explorer.simulation.t == 10  # the run goes on
    assert "cannot start a run with these settings: dt = 5.0 is invalid" in explorer.readout.object


def test_the_frame_counter_starts_again_on_reset():
    explorer = GrowthExplorer(FieldParams(grid_size=16), steps_per_frame=2)
    for _ in range(3):
        ack(explorer)
        explorer.advance(1)
    ack(explorer)
    assert explorer.readout.object.startswith("step: 6   frame: 4")
    explorer.reset()
    assert explorer.readout.object.startswith("step: 0   frame: 1")


def test_the_active_threshold_stays_in_the_primary_variable_s_range():
    explorer = GrowthExplorer(FieldParams(grid_size=16))
    with pytest.raises(ValueError, match="active_threshold"):
        explorer.active_threshold = 1e9  # what a crafted browser message would set
    explorer.model = "mycelium"
    with pytest.raises(ValueError, match="active_threshold"):
        explorer.active_threshold = 2.0  # occupancy is 0..1


@pytest.mark.parametrize("model", ["classic", "reaction_diffusion", "mycelium"])
def test_every_control_fits_its_column(model):
    """Panel's widgets default to 300 px: in a 280 px column the grid size box was clipped."""
    explorer = GrowthExplorer(model=model, grid_size=32)
    layout = explorer.__panel__()
    widgets = [w for w in layout[0].select(pn.widgets.Widget) if not isinstance(w, pn.widgets.Button)]
    assert len(widgets) > 5 and all(w.width is not None and w.width <= WIDGET_WIDTH for w in widgets)
    assert WIDGET_WIDTH + 20 <= COLUMN_WIDTH  # its margins fit too
    doc = Document()  # the page as the server sends it (an empty active threshold once made a slider without value)
    doc.add_root(layout.get_root(doc))
    doc.to_json()  # raises for a model property without a value
