"""The model protocol: what a model gives the workbench, and the registry of models.

A model is registered once (:func:`register`) and every layer then works with it:
:class:`mfn.Simulation` and :func:`mfn.simulate` pick the model from the type of the
parameters, the run recorder writes its variables, counters and metrics with their units,
features read its primary variable, sweeps take their axes from its parameter specs, the CLI
generates its options and the live view its widgets. See ``docs/models.md`` and ADR 0010.

What a model provides (:class:`Model`):

- ``params_class``: a frozen :class:`~mfn.core.params.ModelParams` dataclass whose fields
  carry their metadata (range, unit, doc, applies at once or on reset);
- ``variables``: the state variables (unit, long name, natural colour range) and which one is
  ``primary`` (the one features, the fractal dimension and the live image read by default);
- ``counters`` (integer events per step: recorded per frame, totals in the run's attributes)
  and ``metrics`` (float scalars recorded per frame);
- ``measures``: what the model itself says about a finished run (a number each, with unit and
  long name: the mycelium's tips and growth unit, a pattern's wavelength and whether it
  settled), written into the run's attributes and into a sweep's datacube;
- ``stepper``: a factory of :class:`Stepper` objects, one per run, with a numpy reference
  step and optionally a fused numba step (``backends``);
- optional capabilities a consumer detects: ``twin`` (the stepper measures a field Lyapunov
  exponent), ``batch`` (stepping many runs at once, for ensembles), ``stimulate`` (a stimulus
  at a cell), ``spacing`` (grid spacing in µm and time step in s: a run then carries ``x_um``,
  ``y_um``, ``time_s`` and ``time_h`` coordinates), ``checks`` (the model's
  rows of :func:`mfn.validate`), ``summaries`` (what :func:`mfn.calibrate` compares with data,
  :class:`mfn.core.summaries.SummarySet`).

A stepper may also end a run early: with ``check_every`` (steps, or None) and ``finished()``
the recorder and sweeps stop at the first multiple of ``check_every`` at which ``finished()``
is true (a reaction–diffusion run with ``until_settled``); ``params.steps`` is then the cap.
"""

from __future__ import annotations

from collections.abc import Callable, Mapping
from dataclasses import dataclass, field
from typing import Any, Protocol, runtime_checkable

import numpy as np

from mfn.core.errors import ParameterError
from mfn.core.params import ModelParams
from mfn.core.summaries import SummarySet

__all__ = [
    "Measure",
    "Model",
    "Quantity",
    "Stepper",
    "Variable",
    "get_model",
    "measure_run",
    "model_for",
    "models",
    "register",
]


@dataclass(frozen=True)
class Variable:
    """A state variable on the lattice.

    Attributes
    ----------
    name : str
        Name in the run's Dataset (``"V"``, ``"u"``, ``"occupied"``).
    units : str
        Unit (``"mV"``, ``"1"`` for dimensionless).
    long_name : str
        Label for plots.
    clim : (float, float) or None
        Natural colour range; None lets a plot scale to the data.
    recorded : bool
        Whether a run records it by default (others on request, ``variables=``).
    """

    name: str
    units: str
    long_name: str
    clim: tuple[float, float] | None = None
    recorded: bool = True


@dataclass(frozen=True)
class Quantity:
    """A per-step counter or per-frame metric.

    Attributes
    ----------
    name, units, long_name : str
        As in :class:`Variable`.
    cumulative : bool
        For counters: recorded as the running total (True) or as the count since the previous
        frame (False). Metrics ignore it.
    """

    name: str
    units: str
    long_name: str
    cumulative: bool = False


@dataclass(frozen=True)
class Measure:
    """A number a model reports about a finished run, in its own terms.

    Attributes
    ----------
    name, units, long_name : str
        As in :class:`Variable`; the name of the run attribute and of the sweep datacube's variable.
    compute : callable
        ``compute(stepper) -> float`` on the run's :class:`Stepper` at its final step (NaN
        where the measure does not apply, for example a wavelength without a pattern; booleans
        as 0.0/1.0). A module-level function, so that a model can be sent to Dask workers.
    """

    name: str
    units: str
    long_name: str
    compute: Callable[[Any], float]


@runtime_checkable
class Stepper(Protocol):
    """One run of a model, advanced in place. Made by ``Model.stepper(params, ...)``.

    Attributes
    ----------
    params : ModelParams
        The run's parameters.
    backend : str
        ``"numpy"`` or ``"numba"``: the step actually used.
    t : int
        Steps taken so far.
    lyapunov : float
        Field Lyapunov exponent so far (NaN when the model or the run has no twin).
    """

    params: ModelParams
    backend: str
    t: int

    def advance(self, n: int) -> None:
        """Take ``n`` steps (``n >= 1``, trusted)."""

    def variable(self, name: str) -> np.ndarray:
        """A new array holding the variable ``name`` in its units."""

    def primary_raw(self) -> tuple[np.ndarray, float]:
        """The live array behind the primary variable and the factor to its units (not copied)."""

    def totals(self) -> dict[str, int]:
        """Run totals of every counter."""

    def last_step(self) -> dict[str, int]:
        """Every counter's count in the last step."""

    def frame_metrics(self) -> dict[str, float]:
        """Every metric's value now."""

    def events(self) -> dict[str, tuple[np.ndarray, str, str]]:
        """Event table columns ``name -> (values, units, long_name)`` along ``event`` ({} if none)."""

    def run_attrs(self) -> dict[str, Any]:
        """Model-specific attributes of a finished run (run metrics)."""

    # Optional: ``stimulate(y, x)`` (with ``Model.stimulate``); ``markers()``, an ``(n, 2)``
    # array of ``(y, x)`` cells the live view marks on the image (the mycelium's tips);
    # ``run_data()``, an xarray Dataset the recorder merges into a finished run (the
    # mycelium's hyphal network over the dimensions ``node`` and ``edge``);
    # ``growth_ended()``, why the run can grow no more (None while it can): the live view
    # says so and pauses; ``check_every`` (int or None) with ``finished() -> bool``, a run that
    # may end before ``params.steps`` (see the module docstring). A model whose single step can
    # take long (many substeps) declares ``checkpoint = None``: when set to a callable,
    # ``advance`` does its work in slices of about 50 ms and calls it after each (it may raise
    # to stop the run: a sweep's time limit), with the same results.

    @property
    def lyapunov(self) -> float: ...


@dataclass(frozen=True)
class Model:
    """A model as the workbench sees it (see the module docstring).

    ``stepper(params, backend, *, lyapunov, record_events)`` makes a :class:`Stepper`;
    ``backend`` is already resolved to one of ``backends``. ``batch(steppers)``, when given,
    returns an object whose ``advance(n)`` steps every stepper ``n`` steps at once with the
    same results as stepping each alone. ``spacing(params)`` returns ``(dx_um, dt_s)``.
    ``checks`` are the model's validation rows: functions taking no argument and returning a
    :class:`mfn.core.rows.ValidationRow` (group = the model's name), run by :func:`mfn.validate`.
    ``feature_params`` is the :class:`mfn.FeatureParams` that suits the primary variable
    (thresholds in its units); None means the package default (-60/-50/-40 mV).
    ``measures`` are the model's own numbers about a finished run (:class:`Measure`): a run's
    attributes and a sweep's datacube hold each of them.
    ``summaries`` are the summary statistics :func:`mfn.calibrate` fits the model with (None: the
    model offers none, and a calibration needs summaries of your own).
    ``extra`` holds what a consumer may look for: ``"dispersion"`` (``params -> dict``, the
    linear theory the live view draws) and ``"colour_scale"`` (the live view's default,
    ``"fixed"`` or ``"auto"``, when the primary variable's natural range would hide the
    model's pattern).
    """

    name: str
    title: str
    description: str
    params_class: type[ModelParams]
    variables: tuple[Variable, ...]
    primary: str
    counters: tuple[Quantity, ...]
    metrics: tuple[Quantity, ...]
    stepper: Callable[..., Stepper]
    backends: tuple[str, ...] = ("numpy",)
    twin: bool = False
    batch: Callable[[list], Any] | None = None
    stimulate: bool = False
    spacing: Callable[[Any], tuple[float | None, float | None]] | None = None
    checks: tuple[Callable[[], Any], ...] = ()
    feature_params: Any = None
    measures: tuple[Measure, ...] = ()
    summaries: SummarySet | None = None
    extra: Mapping[str, Any] = field(default_factory=dict)

    def __post_init__(self) -> None:
        names = [v.name for v in self.variables]
        if self.primary not in names:
            raise ParameterError("primary", self.primary, f"one of the variables {names}")
        taken = {*names, *(q.name for q in (*self.counters, *self.metrics))}
        for measure in self.measures:
            if measure.name in taken:
                raise ParameterError("measures", measure.name, "a name no variable, counter, metric or measure has")
            taken.add(measure.name)

    def variable(self, name: str) -> Variable:
        """The :class:`Variable` called ``name`` (``ParameterError`` listing them otherwise)."""
        for v in self.variables:
            if v.name == name:
                return v
        raise ParameterError("variable", name, f"one of {', '.join(repr(v.name) for v in self.variables)}")


def measure_run(model: Model, stepper: Any) -> dict[str, float]:
    """Every measure of ``model`` on a finished run's ``stepper``, as floats, by name."""
    return {m.name: float(m.compute(stepper)) for m in model.measures}


_REGISTRY: dict[str, Model] = {}


def register(model: Model) -> Model:
    """Register a model under its name (once); returns it. Its params class learns its name."""
    if model.name in _REGISTRY and _REGISTRY[model.name] is not model:
        raise ParameterError("name", model.name, "a model name not registered yet")
    _REGISTRY[model.name] = model
    model.params_class.model = model.name
    return model


def models() -> dict[str, Model]:
    """Every registered model by name (``import mfn`` registers the built-in ones)."""
    return dict(_REGISTRY)


def get_model(name: Any) -> Model:
    """The model registered as ``name``; a ``ParameterError`` lists the names otherwise."""
    if isinstance(name, Model):
        return name
    try:
        return _REGISTRY[name]
    except (KeyError, TypeError):
        raise ParameterError("model", name, f"one of {', '.join(map(repr, _REGISTRY))}") from None


def model_for(params: Any) -> Model:
    """The model whose parameter class ``params`` is an instance of."""
    for model in _REGISTRY.values():
        if type(params) is model.params_class:
            return model
    known = ", ".join(m.params_class.__name__ for m in _REGISTRY.values())
    raise ParameterError("params", params, f"parameters of a registered model: {known}")
