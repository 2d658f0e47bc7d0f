"""Live-view settings generated from a model's parameter specs (one source of truth).

:func:`settings_class` turns a model's :class:`~mfn.core.params.ModelParams` into a
``param.Parameterized`` class with one bounded parameter per model parameter (``steps``
aside: a live run has no fixed length), so the live view's widgets carry the model's own
ranges, choices and docs, for any registered model.
"""

from __future__ import annotations

from functools import cache
from typing import Any

import param

from mfn.core.errors import ParameterError
from mfn.core.params import GRID_RANGE, ModelParams, ParamSpec

__all__ = [
    "LIVE_GRID_RANGE",
    "from_settings",
    "live_names",
    "optional_names",
    "params_from_settings",
    "settings_class",
    "to_settings",
    "unapplied_settings",
    "widget_name",
]

LIVE_GRID_RANGE = (16, 256)
"""Smallest and largest grid side of the live view, cells (a browser cannot ask for more)."""
SKIPPED = ("steps",)
"""Model parameters the live view does not mirror."""


def live_names(params_class: type[ModelParams]) -> tuple[str, ...]:
    """The model parameters the live view mirrors, in declaration order."""
    return tuple(name for name in params_class.specs() if name not in SKIPPED)


def widget_name(spec: ParamSpec) -> str:
    """The name a person sees: the parameter's, or its display name (``noise_sd`` for ``jitter_var``)."""
    return spec.display.name if spec.display is not None else spec.name


def to_settings(params: ModelParams) -> dict[str, Any]:
    """Widget name -> value of the live settings for ``params`` (a square grid as its side)."""
    specs = type(params).specs()
    values = {}
    for name in live_names(type(params)):
        spec, value = specs[name], getattr(params, name)
        if spec.display is not None:
            value = spec.display.to_display(value)
        elif spec.kind == "grid" and not isinstance(value, int):
            value = value[0] if value[0] == value[1] else value
        values[widget_name(spec)] = value
    return values


def from_settings(settings: param.Parameterized, params_class: type[ModelParams]) -> dict[str, Any]:
    """Parameter name -> value from the live settings (displayed values converted back)."""
    specs = params_class.specs()
    values = {}
    for name in live_names(params_class):
        spec = specs[name]
        value = getattr(settings, widget_name(spec))
        values[name] = spec.display.from_display(value) if spec.display is not None else value
    return values


def params_from_settings(
    settings: param.Parameterized, params_class: type[ModelParams], running: ModelParams | None = None
) -> ModelParams:
    """The model parameters the live settings describe, as ``params_class``.

    The settings that differ from ``running``'s (the running simulation's parameters) are
    applied to them with ``replace``, so that a model's own rules hold (a new
    reaction–diffusion kinetics brings its own defaults); for another model (or no running
    one), to that model's defaults. A choice is applied first, then the other values.
    """
    base = running if type(running) is params_class else params_class()
    wanted = from_settings(settings, params_class)
    shown = to_settings(base)
    specs = params_class.specs()
    changes = {
        name: value
        for name, value in wanted.items()
        if getattr(settings, widget_name(specs[name])) != shown[widget_name(specs[name])]
    }
    choices = {name: value for name, value in changes.items() if specs[name].kind == "choice"}
    if choices:  # a choice first (it may reset the values that depend on it), then the rest
        base = base.replace(**choices)
    rest = {name: value for name, value in changes.items() if name not in choices}
    return base.replace(**rest) if rest else base


def unapplied_settings(settings: param.Parameterized, model: Any, running: ModelParams) -> tuple[str, ...]:
    """Widget names of the settings of ``model`` that differ from ``running``'s (``"model"`` first if another model).

    ``model`` is the chosen :class:`~mfn.core.model.Model`; ``running`` the running simulation's parameters.
    """
    if type(running) is not model.params_class:
        specs = model.params_class.specs()
        return ("model", *(widget_name(specs[name]) for name in live_names(model.params_class)))
    return tuple(name for name, value in to_settings(running).items() if getattr(settings, name) != value)


@cache
def optional_names(params_class: type[ModelParams]) -> frozenset[str]:
    """Parameters that some valid setting leaves unset (None), e.g. another kinetics' rates.

    Found by trying every choice of every choice parameter from the defaults: a parameter
    that is None in any of them (or by default) is optional, and its widget is a number box
    that may be empty rather than a slider.
    """
    defaults = params_class()
    optional = {name for name, value in defaults.to_dict().items() if value is None}
    for name, spec in params_class.specs().items():
        if spec.kind != "choice":
            continue
        for choice in spec.choices:
            try:
                variant = defaults.replace(**{name: choice})
            except ParameterError:
                continue
            optional |= {n for n, value in variant.to_dict().items() if value is None}
    return frozenset(optional)


@cache
def settings_class(params_class: type[ModelParams]) -> type[param.Parameterized]:
    """A ``param.Parameterized`` subclass with a bounded parameter per live model parameter."""
    defaults = params_class().to_dict()
    optional = optional_names(params_class)
    attrs: dict[str, Any] = {}
    for name in live_names(params_class):
        spec = params_class.specs()[name]
        attrs[widget_name(spec)] = _parameter(spec, defaults[name], name in optional)
    return type(f"{params_class.__name__}Settings", (param.Parameterized,), attrs)


def _parameter(spec: ParamSpec, default: Any, optional: bool = False) -> param.Parameter:
    doc = spec.doc + (f" ({spec.unit})" if spec.unit else "")
    if optional and spec.kind in ("int", "float"):
        kind = param.Integer if spec.kind == "int" else param.Number
        return kind(
            default, bounds=(spec.lo, spec.hi), allow_None=True, label=spec.name, doc=f"{doc}; empty when unused"
        )
    if spec.display is not None:
        d = spec.display
        lo = None if spec.lo is None else d.to_display(spec.lo)
        hi = None if spec.hi is None else d.to_display(spec.hi)
        step = None if lo is None or hi is None else float(f"{(hi - lo) / 200:.1g}")
        return param.Number(
            d.to_display(default), bounds=(lo, hi), step=step, label=f"{d.name} ({d.unit})", doc=f"{d.doc} ({d.unit})"
        )
    if spec.kind == "grid":
        side = default if isinstance(default, int) else default[0]
        lo, hi = LIVE_GRID_RANGE
        side = min(max(side, lo), hi)
        # the bounds admit any side so that the live view can clamp a typed 1000 to the range and
        # say so (GrowthExplorer._on_grid_size); the soft bounds are the live range
        return param.Integer(
            side, bounds=(1, None), softbounds=(max(lo, GRID_RANGE[0]), hi), doc=f"{doc}; square in the live view"
        )
    if spec.kind == "int":
        return param.Integer(default, bounds=(spec.lo, spec.hi), label=spec.name, doc=doc)
    if spec.kind == "bool":
        return param.Boolean(default, label=spec.name, doc=doc)
    if spec.kind == "choice":
        return param.Selector(default=default, objects=list(spec.choices), label=spec.name, doc=doc)
    lo, hi = spec.lo, spec.hi
    step = soft = None
    if lo is not None and hi is not None:
        step = float(f"{(hi - lo) / 100:.1g}")
        # a slider must not reach an open bound: it stops one step inside
        soft = (lo + step if spec.lo_open else lo, hi - step if spec.hi_open else hi)
    return param.Number(
        default,
        bounds=(lo, hi),
        inclusive_bounds=(not spec.lo_open, not spec.hi_open),
        softbounds=soft,
        step=step,
        label=spec.name + (f" ({spec.unit})" if spec.unit else ""),
        doc=doc,
    )
