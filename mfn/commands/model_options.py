"""Command-line options generated from the models' parameter specs (one source of truth).

:func:`add_model_options` adds ``--model NAME`` and one ``--option`` per parameter of every
registered model (a name shared by several models is one option); :func:`params_from_args`
builds the chosen model's parameters from the options given, converting and validating each
through its :class:`~mfn.core.params.ParamSpec`, and refuses options the model does not have.
"""

from __future__ import annotations

import argparse
import math
from typing import Any

from mfn.core.errors import ParameterError
from mfn.core.model import get_model, models
from mfn.core.params import ParamSpec

__all__ = ["add_model_options", "describe_model", "params_from_args"]


def _flag(name: str) -> str:
    return "--" + name.replace("_", "-")


def add_model_options(parser: argparse.ArgumentParser, default_model: str = "classic") -> None:
    """Add ``--model`` and every model's parameters as options (unset ones keep their defaults)."""
    registry = models()
    parser.add_argument(
        "--model",
        default=default_model,
        metavar="NAME",
        help=f"model to run: {', '.join(registry)} (default {default_model}; `mfn models` lists their parameters)",
    )
    seen: dict[str, str] = {}
    for model in registry.values():
        group = parser.add_argument_group(f"{model.name} parameters (defaults as in {model.params_class.__name__})")
        for name, spec in model.params_class.specs().items():
            if name in seen:
                continue
            seen[name] = model.name
            _add_option(group, name, spec)


def _add_option(group, name: str, spec: ParamSpec) -> None:
    if spec.display is not None:
        shown = _display_spec(spec)
        help_ = f"{spec.display.doc}; {shown.describe()} [{spec.display.unit}]".replace("%", "%%")
        group.add_argument(
            _flag(spec.display.name), dest=spec.display.name, metavar=spec.display.unit.upper(), help=help_
        )
        return
    help_ = f"{spec.doc}; {spec.describe()}" + (f" [{spec.unit}]" if spec.unit else "")
    help_ = help_.replace("%", "%%")
    if spec.kind == "bool":
        group.add_argument(_flag(name), dest=name, action=argparse.BooleanOptionalAction, default=None, help=help_)
    elif spec.kind == "grid":
        group.add_argument(_flag(name), dest=name, nargs="+", metavar="N", help=f"{help_} (side, or rows cols)")
    else:
        group.add_argument(_flag(name), dest=name, metavar=name.upper(), help=help_)


def params_from_args(args: argparse.Namespace):
    """The chosen model's parameters from the options given.

    Raises
    ------
    ParameterError
        If the model is unknown, an option does not belong to it, or a value is invalid.
    """
    model = get_model(args.model)
    specs = model.params_class.specs()
    values: dict[str, Any] = {}
    for name, option in _all_options():
        raw = getattr(args, option, None)
        if raw is None:
            continue
        if name not in specs:
            raise ParameterError(
                _flag(option), raw, f"an option of the {model.name} model", "see `mfn models` for its parameters"
            )
        spec = specs[name]
        if spec.display is not None:
            shown = _display_spec(spec)
            values[name] = spec.display.from_display(shown.check(_convert(option, raw, shown)))
        else:
            values[name] = _convert(name, raw, spec)
    return model.params_class(**values)


def _display_spec(spec: ParamSpec) -> ParamSpec:
    """The spec of a parameter as a person sets it (its :class:`~mfn.core.params.Display`)."""
    d = spec.display
    lo = None if spec.lo is None else d.to_display(spec.lo)
    hi = None if spec.hi is None else d.to_display(spec.hi)
    return ParamSpec("float", d.name, lo, hi, spec.lo_open, spec.hi_open, unit=d.unit, doc=d.doc)


def _all_options() -> list[tuple[str, str]]:
    """Every (parameter, option destination) pair of every model, each once."""
    pairs: list[tuple[str, str]] = []
    for model in models().values():
        for name, spec in model.params_class.specs().items():
            pair = (name, spec.display.name if spec.display is not None else name)
            if pair not in pairs:
                pairs.append(pair)
    return pairs


def _convert(name: str, raw: Any, spec: ParamSpec) -> Any:
    """A command-line string (or list, or bool) as the spec's type; the spec validates it afterwards."""
    if isinstance(raw, str) and raw in spec.words:
        return raw
    try:
        if spec.kind == "grid":
            sides = [int(s) for s in raw]
            return sides[0] if len(sides) == 1 else tuple(sides)
        if spec.kind == "int":
            return int(raw)
        if spec.kind == "float":
            value = float(raw)
            if not math.isfinite(value):
                raise ValueError(raw)
            return value
    except (TypeError, ValueError):
        raise ParameterError(name, raw, spec.describe()) from None
    return raw


def describe_model(name: str) -> str:
    """A model's parameters as a table: name, default, valid values, unit, doc.

    A model whose defaults depend on a choice (``ModelParams.variants()``: the reaction–diffusion
    kinetics) shows "per <choice>" for the fields that differ, then each variant's defaults.
    """
    model = get_model(name)
    defaults = model.params_class().to_dict()
    variants = {label: p.to_dict() for label, p in model.params_class.variants().items()}
    varying = {n for n in defaults if len({repr(v.get(n)) for v in variants.values()}) > 1}
    chooser = next((n for n in varying if model.params_class.specs()[n].kind == "choice"), "variant")
    varying.discard(chooser)
    lines = [f"{model.name}: {model.description}", f"  primary variable: {model.primary}"]
    variables = ", ".join(f"{v.name} [{v.units}]" for v in model.variables)
    lines.append(f"  variables: {variables}")
    capabilities = [c for c in ("twin", "stimulate") if getattr(model, c)]
    if model.spacing is not None:
        capabilities.append("units (µm, s, h)")
    if model.batch is not None:
        capabilities.append("batch")
    if "numba" in model.backends:
        capabilities.append("numba")
    lines.append(f"  capabilities: {', '.join(capabilities) or 'none'}")
    presets = model.params_class.PRESETS
    if presets:
        cls = model.params_class.__name__
        lines.append(f"  presets ({cls}.preset(name, **overrides)): {', '.join(presets)}")
    if model.measures:
        lines.append(f"  measures: {', '.join(f'{m.name} [{m.units}]' for m in model.measures)}")
    for pname, spec in model.params_class.specs().items():
        if spec.display is not None:
            shown = _display_spec(spec)
            default = f"{spec.display.to_display(defaults[pname]):g}"
            lines.append(f"  {_flag(shown.name):<22} {default:<12} {shown.describe()} [{shown.unit}]: {shown.doc}")
            continue
        unit = f" [{spec.unit}]" if spec.unit else ""
        default = f"per {chooser}" if pname in varying else repr(defaults[pname])
        lines.append(f"  {_flag(pname):<22} {default:<12} {spec.describe()}{unit}: {spec.doc}")
    if varying:
        lines.append(f"  defaults per {chooser} (what a field left unset takes):")
        for label, values in variants.items():
            shown = ", ".join(f"{n}={_plain(values[n])}" for n in defaults if n in varying and values[n] is not None)
            lines.append(f"    {label}: {shown}")
    return "\n".join(lines)


def _plain(value: Any) -> str:
    return f"{value:g}" if isinstance(value, float) else str(value)
