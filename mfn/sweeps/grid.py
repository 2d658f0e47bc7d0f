"""A validated sweep grid: parameter axes, seeds and the fixed base parameters, of any model.

:class:`SweepGrid` checks everything a sweep needs before any work starts: the model comes
from the base (a params instance of any registered model, or a mapping with a model name;
classic by default), every name is a sweepable parameter of that model (:func:`sweep_names`,
from its parameter specs), every value list is non-empty, free of duplicates and in range,
and the seeds are distinct integers in ``[0, SEED_MAX]`` (what an int64 store holds). Each
combination of axis values and seed is one run; runs are numbered in C order over the
dimensions ``(*axes, "seed")``. The model is resolved here, once: the grid holds the
registered :class:`~mfn.core.model.Model`, which the driver, the store and each run's record
take from it. A classic sweep's identity carries no model name, so stores made before sweeps
knew other models still resume.
"""

from __future__ import annotations

import json
import math
from collections.abc import Iterator, Mapping, Sequence
from dataclasses import dataclass
from typing import Any

import numpy as np

from mfn.core.checks import check_int
from mfn.core.errors import ParameterError
from mfn.core.memory import check_memory
from mfn.core.model import Model, get_model, model_for
from mfn.core.params import SEED_MAX, ModelParams

__all__ = ["DEFAULT_MODEL", "RUN_BYTES", "SweepGrid", "sweep_names"]

DEFAULT_MODEL = "classic"
"""The model of a sweep whose base does not say (its stores carry no ``model`` in their identity)."""

RUN_BYTES = 2048
"""Memory a sweep holds per run, bytes: the datacube (about 30 float64 values and three strings
per run, held twice while a store is made and read back) and the list of runs to do; measured
at about 1.2 kB per run for the classic model, rounded up for models with more variables."""


def sweep_names(params_class: type[ModelParams]) -> tuple[str, ...]:
    """The parameters of a model that may be sweep axes (``sweep=True`` in their specs; never ``seed``)."""
    return tuple(name for name, spec in params_class.specs().items() if spec.sweep and name != "seed")


@dataclass(frozen=True)
class SweepGrid:
    """The runs of a sweep.

    Attributes
    ----------
    axes : tuple of (str, tuple)
        Swept parameter names with their values, in the order given (the datacube's
        dimensions, before ``seed``).
    seeds : tuple of int
        Seeds; a run's ``FieldParams.seed`` is its seed coordinate itself.
    base : ModelParams
        Values of every parameter that is not swept (its ``seed`` is ignored); an instance
        of the params class of ``model``.
    model : Model
        The registered model the runs belong to (resolved by :meth:`build`; classic by default).

    Examples
    --------
    >>> g = SweepGrid.build({"alpha": [0.1, 0.2], "turing": [True, False]}, seeds=[0, 1, 2])
    >>> g.dims, g.shape, g.n_runs, g.model.name
    (('alpha', 'turing', 'seed'), (2, 2, 3), 12, 'classic')
    >>> g.params_at((1, 0, 2)).alpha, g.params_at((1, 0, 2)).seed
    (0.2, 2)
    """

    axes: tuple[tuple[str, tuple[Any, ...]], ...]
    seeds: tuple[int, ...]
    base: ModelParams
    model: Model

    @classmethod
    def build(
        cls,
        grid: Mapping[str, Sequence[Any]],
        seeds: Sequence[int],
        base: ModelParams | Mapping[str, Any] | None = None,
        model: str | None = None,
    ) -> SweepGrid:
        """Validate a grid and return it.

        Parameters
        ----------
        grid : mapping of str to sequence
            Parameter name -> values (any sweepable parameter of the model, see
            :func:`sweep_names`; a ``grid_size`` value is one int, the side of a square lattice).
        seeds : sequence of int
            Distinct seeds >= 0.
        base : ModelParams or mapping, optional
            Values of the parameters that are not swept: a params instance of any registered
            model (the model is taken from its type), or a mapping of that model's
            parameters; defaults to the model's defaults.
        model : str, optional
            Name of a registered model (``mfn.core.model.models()``); needed only with a
            mapping or no base for a model other than ``"classic"``.

        Raises
        ------
        ParameterError
            Naming the offending parameter, for an unknown name, ``seed`` in the grid, an
            empty or duplicated value list, any value out of range, an unknown model, a base
            of another model than ``model``, or more runs than fit in memory
            (:data:`RUN_BYTES` each, against :func:`mfn.core.memory.memory_limit`).
        """
        if isinstance(base, ModelParams):
            chosen = model_for(base)
            if model is not None and get_model(model).name != chosen.name:
                raise ParameterError("model", model, f"{chosen.name!r}, the model of base", "or leave model out")
        else:
            chosen = get_model(DEFAULT_MODEL if model is None else model)
            if isinstance(base, Mapping):
                base = chosen.params_class.from_dict(base)
            elif base is None:
                base = chosen.params_class()
            else:
                raise ParameterError("base", base, "a model's params instance, a mapping of parameters, or None")
        if not isinstance(grid, Mapping) or not grid:
            raise ParameterError("grid", grid, "a non-empty mapping of parameter name -> list of values")
        names = sweep_names(type(base))
        for name, values in grid.items():
            _check_axis_form(name, values, names, type(base).__name__)
        clean_seeds = _check_seeds(seeds)
        # the size is refused before any value is validated: a value's check can cost milliseconds
        shape = (*(len(values) for values in grid.values()), len(clean_seeds))
        n_runs = math.prod(shape)
        sizes = " x ".join(str(n) for n in shape)
        check_memory(
            "grid",
            f"{sizes} = {n_runs} runs",
            n_runs * RUN_BYTES,
            f"a sweep of {n_runs} runs ({sizes}, the last number the seeds)",
            "sweep fewer values or seeds, or split the sweep into several stores",
        )
        axes = tuple((name, _check_axis_values(name, values, base)) for name, values in grid.items())
        return cls(axes, clean_seeds, base.replace(seed=0), chosen)

    @property
    def names(self) -> tuple[str, ...]:
        """Swept parameter names."""
        return tuple(name for name, _ in self.axes)

    @property
    def dims(self) -> tuple[str, ...]:
        """Dimensions of the datacube: the swept parameters, then ``seed``."""
        return (*self.names, "seed")

    @property
    def shape(self) -> tuple[int, ...]:
        """Size of each dimension."""
        return (*(len(values) for _, values in self.axes), len(self.seeds))

    @property
    def n_runs(self) -> int:
        """Number of runs (combinations times seeds)."""
        return math.prod(self.shape)  # exact: numpy would wrap around past 2**63

    def coords(self) -> dict[str, list[Any]]:
        """Coordinate values of every dimension."""
        return {**{name: list(values) for name, values in self.axes}, "seed": list(self.seeds)}

    def indices(self) -> Iterator[tuple[int, ...]]:
        """Index of every run in the datacube, in run-id (C) order."""
        return iter(np.ndindex(*self.shape))

    def run_values(self, index: tuple[int, ...]) -> dict[str, Any]:
        """All parameters of the run at ``index`` as a plain dict (picklable, cheap to ship)."""
        values = self.base.to_dict()
        for (name, axis), i in zip(self.axes, index[:-1], strict=True):
            values[name] = axis[i]
        values["seed"] = self.seeds[index[-1]]
        return values

    def params_at(self, index: tuple[int, ...]) -> ModelParams:
        """The validated parameters of the run at ``index``."""
        return type(self.base).from_dict(self.run_values(index))

    def to_json(self) -> str:
        """A canonical JSON description (grid, seeds, base), used to recognise a store."""
        base = self.base.to_dict()
        del base["seed"]
        if "grid_size" in base and not isinstance(base["grid_size"], int):
            base["grid_size"] = list(base["grid_size"])
        described = {"grid": self.coords(), "base": base}
        if self.model.name != DEFAULT_MODEL:  # classic sweeps keep the identity of older stores
            described["model"] = self.model.name
        return json.dumps(described, sort_keys=False)


def _check_axis_form(name: str, values: Any, names: tuple[str, ...], params_name: str) -> None:
    """A swept name of the model and a non-empty list of values (cheap: no value is validated)."""
    if name not in names:
        hint = "pass seeds separately" if name == "seed" else None
        what = f"a {params_name} parameter: one of {', '.join(names)}"
        raise ParameterError("grid", name, what, hint)
    if isinstance(values, (str, bytes, Mapping)) or not isinstance(values, (Sequence, np.ndarray)):
        raise ParameterError(f"grid[{name!r}]", values, "a list of values")
    if len(values) == 0:
        raise ParameterError(f"grid[{name!r}]", list(values), "a non-empty list of values")
    if name == "grid_size" and any(isinstance(v, (tuple, list, np.ndarray)) for v in values):
        raise ParameterError(
            "grid['grid_size']", list(values), "a list of ints (square lattices)", "set a (rows, cols) shape in base"
        )


def _check_axis_values(name: str, values: Any, base: ModelParams) -> tuple[Any, ...]:
    """Each value validated by the params class (its own range and the base's other values)."""
    clean = tuple(getattr(base.replace(**{name: v}), name) for v in values)
    if len(set(clean)) != len(clean):
        raise ParameterError(f"grid[{name!r}]", list(values), "distinct values (no duplicates)")
    return clean


def _check_seeds(seeds: Any) -> tuple[int, ...]:
    if isinstance(seeds, (str, bytes)) or not isinstance(seeds, (Sequence, np.ndarray)):
        raise ParameterError("seeds", seeds, f"a list of integers in [0, {SEED_MAX}]", "e.g. seeds=[0, 1, 2]")
    if len(seeds) == 0:
        raise ParameterError("seeds", list(seeds), f"a non-empty list of integers in [0, {SEED_MAX}]")
    clean = tuple(
        check_int("seeds", s, 0, SEED_MAX, hint=f"a store holds int64 seeds: at most {SEED_MAX}") for s in seeds
    )
    if len(set(clean)) != len(clean):
        raise ParameterError("seeds", list(seeds), "distinct seeds (no duplicates)")
    return clean
