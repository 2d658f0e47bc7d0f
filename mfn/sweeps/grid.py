"""A validated sweep grid: parameter axes, seeds and the fixed base parameters.

:class:`SweepGrid` checks everything a sweep needs before any work starts: every name is a
:class:`~mfn.models.classic.params.FieldParams` parameter, every value list is non-empty, free of duplicates
and in range, and the seeds are distinct integers in ``[0, SEED_MAX]`` (what an int64 store
holds). Each combination of axis values and seed is one run; runs are numbered in C order over
the dimensions ``(*axes, "seed")``.
"""

from __future__ import annotations

import json
from collections.abc import Iterator, Mapping, Sequence
from dataclasses import dataclass, fields
from typing import Any

import numpy as np

from mfn.core.checks import check_int
from mfn.core.errors import ParameterError
from mfn.core.params import SEED_MAX
from mfn.models.classic.params import FieldParams

__all__ = ["SweepGrid"]

_NAMES = tuple(f.name for f in fields(FieldParams) if f.name != "seed")


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
    base : FieldParams
        Values of every parameter that is not swept (its ``seed`` is ignored).

    Examples
    --------
    >>> g = SweepGrid.build({"alpha": [0.1, 0.2], "turing": [True, False]}, seeds=[0, 1, 2])
    >>> g.dims, g.shape, g.n_runs
    (('alpha', 'turing', 'seed'), (2, 2, 3), 12)
    >>> g.params_at((1, 0, 2)).alpha, g.params_at((1, 0, 2)).seed
    (0.2, 2)
    """

    axes: tuple[tuple[str, tuple[Any, ...]], ...]
    seeds: tuple[int, ...]
    base: FieldParams

    @classmethod
    def build(
        cls,
        grid: Mapping[str, Sequence[Any]],
        seeds: Sequence[int],
        base: FieldParams | Mapping[str, Any] | None = None,
    ) -> SweepGrid:
        """Validate a grid and return it.

        Parameters
        ----------
        grid : mapping of str to sequence
            Parameter name -> values (any ``FieldParams`` parameter except ``seed``; a
            ``grid_size`` value is one int, the side of a square lattice).
        seeds : sequence of int
            Distinct seeds >= 0.
        base : FieldParams or mapping, optional
            Values of the parameters that are not swept; defaults to ``FieldParams()``.

        Raises
        ------
        ParameterError
            Naming the offending parameter, for an unknown name, ``seed`` in the grid, an
            empty or duplicated value list, or any value out of range.
        """
        if isinstance(base, Mapping):
            base = FieldParams.from_dict(base)
        elif base is None:
            base = FieldParams()
        elif not isinstance(base, FieldParams):
            raise ParameterError("base", base, "a FieldParams, a mapping of parameters, or None")
        if not isinstance(grid, Mapping) or not grid:
            raise ParameterError("grid", grid, "a non-empty mapping of parameter name -> list of values")
        axes = tuple((name, _check_axis(name, values, base)) for name, values in grid.items())
        return cls(axes, _check_seeds(seeds), base.replace(seed=0))

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
        return int(np.prod(self.shape))

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

    def params_at(self, index: tuple[int, ...]) -> FieldParams:
        """The validated parameters of the run at ``index``."""
        return FieldParams.from_dict(self.run_values(index))

    def to_json(self) -> str:
        """A canonical JSON description (grid, seeds, base), used to recognise a store."""
        base = self.base.to_dict()
        del base["seed"]
        if not isinstance(base["grid_size"], int):
            base["grid_size"] = list(base["grid_size"])
        return json.dumps({"grid": self.coords(), "base": base}, sort_keys=False)


def _check_axis(name: str, values: Any, base: FieldParams) -> tuple[Any, ...]:
    if name not in _NAMES:
        hint = "pass seeds separately" if name == "seed" else None
        raise ParameterError("grid", name, f"a FieldParams parameter: one of {', '.join(_NAMES)}", hint)
    if isinstance(values, (str, bytes, Mapping)) or not isinstance(values, (Sequence, np.ndarray)):
        raise ParameterError(f"grid[{name!r}]", values, "a list of values")
    if len(values) == 0:
        raise ParameterError(f"grid[{name!r}]", list(values), "a non-empty list of values")
    if name == "grid_size" and any(isinstance(v, (tuple, list, np.ndarray)) for v in values):
        raise ParameterError(
            "grid['grid_size']", list(values), "a list of ints (square lattices)", "set a (rows, cols) shape in base"
        )
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
