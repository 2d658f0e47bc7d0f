"""The live view's controls: the widgets of a model's settings, the page's layout, and the checks of its input.

The model's widgets come from its parameter specs (:mod:`mfn.viz.settings`); this module
chooses the widget of each kind of parameter, lays out the controls beside the image and
curves, and validates the values :class:`~mfn.viz.explorer.GrowthExplorer` is made with.
"""

from __future__ import annotations

from collections.abc import Iterable
from typing import Any

import panel as pn
import param

from mfn.analysis.features import DEFAULT_FEATURE_PARAMS
from mfn.core.checks import check_choice, check_int, check_real
from mfn.core.errors import ParameterError
from mfn.core.model import Model, get_model, model_for
from mfn.viz.live_figures import LiveFigures
from mfn.viz.settings import LIVE_GRID_RANGE, live_names, optional_names, settings_class, to_settings, widget_name

__all__ = [
    "JS_MAX_SAFE_INTEGER",
    "VIEW_PARAMETERS",
    "build_layout",
    "control_buttons",
    "default_threshold",
    "initial_values",
    "plot_panes",
    "settings_for",
    "settings_widgets",
    "view_defaults",
    "widget_names",
]

JS_MAX_SAFE_INTEGER = 2**53 - 1
"""Largest integer a browser's number holds exactly (a seed widget's end)."""
VIEW_PARAMETERS = ("variable", "colour_scale", "steps_per_frame", "active_threshold", "dimension_every")
"""The explorer's own settings, which apply at once."""
COLUMN_WIDTH = 280
"""Width of the controls' column, px."""
SLIDER_FORMAT = "0.[00000]"
"""How a float slider shows its value: up to five decimals, trailing zeros dropped."""
WIDGET_WIDTH = 250
"""Width of a widget in it, px (its margins fit in the column)."""


def settings_for(params: Any) -> param.Parameterized:
    """The live settings of a model's parameters, set to ``params``."""
    return settings_class(type(params))(**to_settings(params))


def widget_names(params_class: Any) -> list[str]:
    """The names of a model's live widgets (display names where a parameter has one)."""
    specs = params_class.specs()
    return [widget_name(specs[name]) for name in live_names(params_class)]


def view_defaults(spec: Model) -> dict[str, Any]:
    """The view options a model starts with: its primary variable, its colour scale and its active threshold.

    The colour scale is the model's own (``Model.extra["colour_scale"]``: the
    reaction–diffusion model's patterns span a few mV that the fixed -95..40 mV would hide),
    else ``"fixed"`` when the primary variable has a natural range, else ``"auto"``.
    """
    natural = spec.variable(spec.primary).clim is not None
    colour_scale = spec.extra.get("colour_scale", "fixed" if natural else "auto")
    return {"variable": spec.primary, "colour_scale": colour_scale, "active_threshold": default_threshold(spec)}


def default_threshold(spec: Model) -> float | None:
    """The active threshold a model's features use by default (classic: -60 mV; adaptive models: None)."""
    fp = spec.feature_params or DEFAULT_FEATURE_PARAMS
    return float(fp.thresholds[0]) if fp.threshold_mode == "fixed" else None


def settings_widgets(
    params_class: Any, settings: param.Parameterized, names: Iterable[str] | None = None
) -> pn.viewable.Viewable:
    """The widgets of a model's live settings (``names``, default all): sliders, choices and number boxes.

    Each widget has the model's range and is :data:`WIDGET_WIDTH` wide, so that it fits its
    column (Panel's default, 300 px, was clipped at the column's edge).
    """
    names = list(widget_names(params_class) if names is None else names)
    widgets: dict[str, Any] = {name: {"width": WIDGET_WIDTH} for name in names}
    for name, spec in params_class.specs().items():
        if spec.kind == "grid":  # no start/end in the page: the browser would clamp silently
            widgets.get(name, {}).update(
                type=pn.widgets.IntInput, step=16, start=1, end=None, css_classes=["mfn-grid-size"]
            )
        elif name in optional_names(params_class) and spec.kind in ("int", "float"):
            kind = pn.widgets.IntInput if spec.kind == "int" else pn.widgets.FloatInput
            widgets.get(name, {}).update(type=kind, start=spec.lo, end=spec.hi)
        elif spec.kind == "int" and (spec.hi is None or spec.hi - (spec.lo or 0) > 1000):
            # a browser holds integers exactly up to 2**53 - 1: the widget stops there
            end = None if spec.hi is None else min(spec.hi, JS_MAX_SAFE_INTEGER)
            css = [f"mfn-{name.replace('_', '-')}"]
            widgets.get(name, {}).update(type=pn.widgets.IntInput, start=spec.lo, end=end, css_classes=css)
    for name in names:  # a slider's value with its significant digits (dt = 0.005 was shown as 0.01)
        p = settings.param[name]
        if type(p) is param.Number and None not in p.bounds and "type" not in widgets[name]:
            widgets[name]["format"] = SLIDER_FORMAT
    widgets = {name: kw for name, kw in widgets.items() if name in names}
    return pn.Param(settings, parameters=names, widgets=widgets, show_name=False, width=COLUMN_WIDTH)


def control_buttons(explorer: Any) -> tuple[pn.widgets.Button, pn.widgets.Button, pn.widgets.Button]:
    """Play (Pause while playing), Step and Reset, wired to ``explorer``."""
    play = pn.widgets.Button(label="Play", color="primary", width=80)
    step = pn.widgets.Button(label="Step", width=80)
    reset = pn.widgets.Button(label="Reset", color="warning", width=80)
    play.on_click(lambda _: explorer.toggle())
    step.on_click(lambda _: explorer.step())
    reset.on_click(lambda _: explorer.reset())
    return play, step, reset


def plot_panes(figures: LiveFigures) -> list[pn.viewable.Viewable]:
    """The image (in a column the browser tests find by its class) and the grid of curves."""
    curves = pn.GridBox(*[pn.pane.Bokeh(f) for f in figures.curve_figures], ncols=2)
    return [pn.Column(pn.pane.Bokeh(figures.image_figure), css_classes=["mfn-field-image"]), curves]


def build_layout(explorer: Any, buttons: pn.Row, model_widgets: pn.Column, display: Any, plots: pn.Row) -> pn.Row:
    """The page: buttons, view options, model choice and settings on the left; readout, clock and plots on the right.

    The view options (variable, colour scale) come first: they apply at once, and below a
    model's settings (about 30 for the reaction–diffusion model) they were out of sight.
    """
    model_choice = pn.Param(
        explorer.param, parameters=["model"], widgets={"model": {"width": WIDGET_WIDTH}}, show_name=False
    )
    view_widgets: dict[str, Any] = {name: {"width": WIDGET_WIDTH} for name in VIEW_PARAMETERS}
    view_widgets["colour_scale"].update(type=pn.widgets.RadioButtonGroup, css_classes=["mfn-colour-scale"])
    view_widgets["variable"].update(type=pn.widgets.Select, css_classes=["mfn-variable"])
    view_widgets["active_threshold"].update(type=pn.widgets.FloatInput)  # may be empty (None): no slider
    view_options = pn.Param(
        explorer.param, parameters=list(VIEW_PARAMETERS), widgets=view_widgets, show_name=False, width=COLUMN_WIDTH
    )
    controls = pn.Column(
        buttons,
        "**View** (applies at once)",
        view_options,
        "**Model** (applies on Reset)",
        model_choice,
        model_widgets,
        width=COLUMN_WIDTH + 20,
    )
    return pn.Row(controls, pn.Column(display.readout, display.clock, plots))


def initial_values(params: Any, values: dict[str, Any], parameters: Any) -> tuple[Any, dict[str, Any]]:
    """Validate the explorer's construction input; return the model's parameters and the explorer's own values.

    ``parameters`` are the explorer's ``param`` parameters; ``values`` may name them or any
    live parameter of the model (by its displayed name too).
    """
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
    check_int("grid_size", rows, *LIVE_GRID_RANGE, hint=hint)
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
