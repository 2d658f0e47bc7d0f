"""Parameters that carry their own metadata: one source of truth for every model's parameters.

A model's parameters are a frozen dataclass deriving from :class:`ModelParams` whose fields
are declared with :func:`parameter`. Each field's :class:`ParamSpec` (kind, valid range or
choices, unit, one-line doc, whether a change applies at once or on reset) drives:

- validation on construction (every message names the parameter, the value and the range);
- the command line (``mfn simulate --model NAME`` generates one option per field);
- sweep axes (any sweepable field may be an axis);
- the live view's widgets (sliders, selectors and switches with the field's range).

Examples
--------
>>> from dataclasses import dataclass
>>> @dataclass(frozen=True)
... class Demo(ModelParams):
...     steps: int = parameter(10, "int", lo=1, hi=100, doc="time steps")
>>> Demo(steps=5).steps
5
>>> Demo.specs()["steps"].describe()
'an integer with 1 <= steps <= 100'
"""

from __future__ import annotations

import dataclasses
from collections.abc import Callable, Mapping
from dataclasses import dataclass, fields
from typing import Any, ClassVar, Self

import numpy as np

from mfn.core.checks import check_bool, check_choice, check_int, check_real, describe_interval
from mfn.core.errors import ParameterError

__all__ = ["GRID_RANGE", "SEED_MAX", "STEPS_MAX", "Display", "ModelParams", "ParamSpec", "parameter"]

GRID_RANGE = (4, 1024)
"""Smallest and largest side of a lattice, cells."""
STEPS_MAX = 10_000_000
"""Largest number of steps of one run (a bound on the work a single request can ask for)."""
SEED_MAX = 2**63 - 1
"""Largest seed: seeds are stored as signed 64-bit integers in sweep stores."""

KINDS = ("int", "float", "bool", "choice", "grid")
APPLIES = ("reset", "now")
_META = "mfn"


@dataclass(frozen=True)
class Display:
    """How a person sets a parameter whose stored form is not the natural one to type.

    The classic model stores its noise as a variance in V² (``jitter_var``), but a person
    thinks of noise as a standard deviation in mV: the CLI offers ``--noise-sd`` and the live
    view a ``noise_sd`` slider, converted with ``to_display`` / ``from_display``.

    Attributes
    ----------
    name : str
        Name of the option or widget (``"noise_sd"``).
    unit : str
        Its unit (``"mV"``).
    doc : str
        One line: what it is, and how it maps to the stored parameter.
    to_display, from_display : callable
        Stored value -> shown value, and back; both increasing.
    """

    name: str
    unit: str
    doc: str
    to_display: Callable[[float], float]
    from_display: Callable[[float], float]


@dataclass(frozen=True)
class ParamSpec:
    """What a parameter is and which values it takes.

    Attributes
    ----------
    name : str
        The field name (filled in by :meth:`ModelParams.specs`).
    kind : {"int", "float", "bool", "choice", "grid"}
        ``"grid"`` is a lattice side or ``(rows, cols)``, each in :data:`GRID_RANGE`.
    lo, hi : float or None
        Bounds of an int or float; ``lo_open``/``hi_open`` make them strict.
    choices : tuple
        Allowed values of a ``"choice"``.
    unit : str
        Unit of the value as the user sets it (``""`` when dimensionless).
    doc : str
        One line: what the parameter does.
    applies : {"reset", "now"}
        Whether a change in a running simulation needs a reset (model parameters) or takes
        effect at once (display settings).
    hint : str or None
        Added to error messages (for example why a bound exists).
    sweep : bool
        Whether the parameter may be a sweep axis (``seed`` is the sweep's own axis).
    log : bool
        Whether a widget should move along a logarithmic scale.
    display : Display or None
        How a person sets it, when not in the stored form (CLI options and widgets use it).
    words : tuple of str
        Words accepted besides numbers (``("auto",)`` for a time step the model picks); the
        params class resolves them on construction.
    """

    kind: str
    name: str = ""
    lo: float | None = None
    hi: float | None = None
    lo_open: bool = False
    hi_open: bool = False
    choices: tuple[Any, ...] = ()
    unit: str = ""
    doc: str = ""
    applies: str = "reset"
    hint: str | None = None
    sweep: bool = True
    log: bool = False
    display: Display | None = None
    words: tuple[str, ...] = ()

    def check(self, value: Any) -> Any:
        """Return ``value`` validated and normalised, or raise :class:`ParameterError`."""
        if self.words and isinstance(value, str) and value in self.words:
            return value
        if self.kind == "int":
            return check_int(self.name, value, _int_or_none(self.lo), _int_or_none(self.hi), hint=self.hint)
        if self.kind == "float":
            try:
                return check_real(
                    self.name, value, self.lo, self.hi, lo_open=self.lo_open, hi_open=self.hi_open, hint=self.hint
                )
            except ParameterError as err:
                if not self.words:
                    raise
                raise ParameterError(self.name, value, self.describe(), err.hint) from None
        if self.kind == "bool":
            return check_bool(self.name, value)
        if self.kind == "choice":
            if isinstance(value, bytes):  # netCDF attributes may come back as bytes
                value = value.decode()
            return check_choice(self.name, value, self.choices)
        return check_grid(self.name, value)

    def describe(self) -> str:
        """The valid values in words, as error messages state them."""
        if self.kind == "int":
            return "an integer" + (
                f" with {describe_interval(self.name, self.lo, self.hi)}" if (self.lo, self.hi) != (None, None) else ""
            )
        if self.kind == "float":
            interval = describe_interval(self.name, self.lo, self.hi, self.lo_open, self.hi_open)
            words = "".join(f" or {word!r}" for word in self.words)
            return "a finite real number" + (f" with {interval}" if (self.lo, self.hi) != (None, None) else "") + words
        if self.kind == "bool":
            return "True or False"
        if self.kind == "choice":
            return f"one of {', '.join(map(repr, self.choices))}"
        lo, hi = GRID_RANGE
        return f"an int or (rows, cols), each in [{lo}, {hi}]"


def parameter(
    default: Any,
    kind: str,
    *,
    lo: float | None = None,
    hi: float | None = None,
    lo_open: bool = False,
    hi_open: bool = False,
    choices: tuple[Any, ...] = (),
    unit: str = "",
    doc: str = "",
    applies: str = "reset",
    hint: str | None = None,
    sweep: bool = True,
    log: bool = False,
    display: Display | None = None,
    words: tuple[str, ...] = (),
) -> Any:
    """A dataclass field of a :class:`ModelParams` with its :class:`ParamSpec` attached."""
    if kind not in KINDS:
        raise ParameterError("kind", kind, f"one of {', '.join(map(repr, KINDS))}")
    if applies not in APPLIES:
        raise ParameterError("applies", applies, f"one of {', '.join(map(repr, APPLIES))}")
    spec = ParamSpec(
        kind, "", lo, hi, lo_open, hi_open, tuple(choices), unit, doc, applies, hint, sweep, log, display, tuple(words)
    )
    return dataclasses.field(default=default, metadata={_META: spec})


class ModelParams:
    """Base of every model's frozen parameter dataclass.

    Subclasses are ``@dataclass(frozen=True)`` with fields made by :func:`parameter`; they
    must have ``grid_size``, ``steps`` and ``seed``. Construction validates every field from
    its spec, then calls :meth:`check` for constraints between fields. A ``ModelParams``
    that exists is valid.
    """

    model: ClassVar[str] = ""
    """Name of the model these parameters belong to (as registered)."""
    PRESETS: ClassVar[Mapping[str, Mapping[str, Any]]] = {}
    """Named parameter sets of the model (name -> the values that differ from the defaults)."""

    def __new__(cls, *args: Any, **kwargs: Any) -> Self:
        # runs before the dataclass __init__, which would raise a bare TypeError for these
        names = list(cls.specs())
        if len(args) > len(names):
            raise ParameterError(
                "arguments", args, f"at most {len(names)} positional values ({', '.join(names)})", "pass them by name"
            )
        cls.check_names(kwargs)
        for name in names[: len(args)]:
            if name in kwargs:
                raise ParameterError(name, kwargs[name], "given once (it is also given by position)")
        return super().__new__(cls)

    def __post_init__(self) -> None:
        for name, spec in self.specs().items():
            object.__setattr__(self, name, spec.check(getattr(self, name)))
        self.check()

    def check(self) -> None:
        """Constraints between fields; raise :class:`ParameterError` naming one of them."""

    @classmethod
    def specs(cls) -> dict[str, ParamSpec]:
        """Every field's :class:`ParamSpec`, in declaration order."""
        cached = cls.__dict__.get("_specs_cache")
        if cached is None:
            cached = {f.name: dataclasses.replace(f.metadata[_META], name=f.name) for f in fields(cls)}
            cls._specs_cache = cached  # type: ignore[attr-defined]
        return cached

    @classmethod
    def variants(cls) -> dict[str, Self]:
        """Named default sets, when the defaults depend on a choice ({} when there is one set).

        The reaction–diffusion model's defaults depend on its kinetics: one set per kinetics.
        ``mfn models`` lists the defaults of each.
        """
        return {}

    @property
    def shape(self) -> tuple[int, int]:
        """Lattice shape ``(rows, cols)``."""
        g = self.grid_size  # type: ignore[attr-defined]
        return (g, g) if isinstance(g, int) else g

    @property
    def n_cells(self) -> int:
        """Number of lattice cells."""
        rows, cols = self.shape
        return rows * cols

    @classmethod
    def preset(cls, name: str, **overrides: Any) -> Self:
        """The parameters of the named preset (:attr:`PRESETS`), with any of them overridden.

        Raises
        ------
        ParameterError
            If ``name`` is not a preset of this model (the message lists them), or an
            override is not a parameter or out of its range.
        """
        if name not in cls.PRESETS:
            raise ParameterError("preset", name, f"one of {', '.join(map(repr, cls.PRESETS)) or 'none (no presets)'}")
        return cls.from_dict({**cls.PRESETS[name], **overrides})

    def replace(self, **changes: Any) -> Self:
        """Return a copy with some parameters changed (validated like the constructor)."""
        self.check_names(changes)
        return dataclasses.replace(self, **changes)  # type: ignore[type-var]

    def to_dict(self) -> dict[str, Any]:
        """Every parameter as a plain ``dict`` (``grid_size`` as int or a 2-tuple)."""
        return {name: getattr(self, name) for name in self.specs()}

    @classmethod
    def from_dict(cls, values: Mapping[str, Any]) -> Self:
        """Build from a mapping, refusing unknown names with a ``ParameterError``."""
        cls.check_names(values)
        return cls(**dict(values))

    def to_attrs(self) -> dict[str, Any]:
        """Parameters as netCDF-safe attributes (booleans as 0/1, grid as int or [rows, cols])."""
        attrs = self.to_dict()
        for name, spec in self.specs().items():
            if spec.kind == "bool":
                attrs[name] = int(attrs[name])
            elif spec.kind == "grid" and not isinstance(attrs[name], int):
                attrs[name] = list(attrs[name])
        return attrs

    @classmethod
    def from_attrs(cls, attrs: Mapping[str, Any]) -> Self:
        """Rebuild from the attributes of a run (other attributes are ignored)."""
        specs = cls.specs()
        values = {}
        for name, value in attrs.items():
            spec = specs.get(name)
            if spec is None:
                continue
            if spec.kind == "bool":
                value = bool(value)
            elif spec.kind == "grid" and np.ndim(value) == 1:
                value = tuple(int(g) for g in value)
            elif spec.kind in ("int", "grid") and isinstance(value, np.integer):
                value = int(value)
            elif spec.kind == "float" and isinstance(value, np.floating):
                value = float(value)
            elif isinstance(value, bytes):
                value = value.decode()
            values[name] = value
        return cls(**values)

    @classmethod
    def check_names(cls, values: Mapping[str, Any]) -> None:
        """Raise ``ParameterError`` for the first name that is not a parameter of this class."""
        names = list(cls.specs())
        for key in values:
            if key not in names:
                raise ParameterError(key, values[key], f"a {cls.__name__} parameter: one of {', '.join(names)}")


def check_grid(name: str, value: Any) -> int | tuple[int, int]:
    """A lattice side or ``(rows, cols)``, each in :data:`GRID_RANGE`; a square pair becomes an int."""
    lo, hi = GRID_RANGE
    if isinstance(value, np.ndarray) and value.ndim == 0:
        value = value.item()
    if isinstance(value, (tuple, list, np.ndarray)) and not isinstance(value, str):
        if len(value) != 2:
            raise ParameterError(name, value, f"an int or (rows, cols), each in [{lo}, {hi}]")
        try:
            rows = check_int(name, value[0], lo, hi)
            cols = check_int(name, value[1], lo, hi)
        except ParameterError as err:
            raise ParameterError(name, value, f"{err.valid} for each side") from None
        return rows if rows == cols else (rows, cols)
    return check_int(name, value, lo, hi)


def _int_or_none(x: float | None) -> int | None:
    return None if x is None else int(x)
