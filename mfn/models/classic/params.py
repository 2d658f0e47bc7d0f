"""Validated, immutable parameter sets.

:class:`FieldParams` holds every parameter of the lattice field model (SPEC section 2).
Instances are frozen and checked on construction, so a ``FieldParams`` that exists is valid.
"""

from __future__ import annotations

import dataclasses
from collections.abc import Mapping
from dataclasses import dataclass, fields
from typing import Any

import numpy as np

from mfn.core.checks import check_bool, check_choice, check_int, check_real
from mfn.core.errors import ParameterError

__all__ = ["BOUNDARIES", "GRID_RANGE", "FieldParams"]

BOUNDARIES = ("periodic", "neumann", "dirichlet")
"""Boundary conditions: wrap-around, zero flux, or edges held at the resting potential."""
GRID_RANGE = (4, 1024)
"""Smallest and largest side of the lattice, cells."""
CFL_LIMIT = 0.25
"""Stability limit of explicit Euler with the 5-point Laplacian in 2-D."""


@dataclass(frozen=True)
class FieldParams:
    """Parameters of the MFN classic lattice field model.

    Parameters
    ----------
    grid_size : int or (int, int), default 64
        Side of the square lattice, or ``(rows, cols)``; each side in [4, 1024] cells.
    steps : int, default 64
        Number of time steps, >= 1.
    alpha : float, default 0.18
        Diffusion coefficient of the potential per step (dimensionless, in lattice units);
        ``0 < alpha < 0.25``, the CFL limit of explicit 2-D Euler.
    spike_probability : float, default 0.25
        Probability per step of one growth event, in [0, 1].
    turing : bool, default True
        Whether the activator–inhibitor coupling runs.
    Da, Di : float, default 0.1, 0.05
        Diffusion coefficients of activator and inhibitor, in [0.01, 0.25).
    ra, ri : float, default 0.01, 0.02
        Reaction rates of activator and inhibitor per step, in [0.001, 0.1].
    turing_threshold : float, default 0.75
        Activator level above which a cell's potential is raised by 5 mV, in [0.5, 0.95].
    jitter_var : float, default 0.0
        Variance of the Gaussian noise added to every cell each step, V^2, in [0, 0.01];
        0 switches noise off (the original's "quantum jitter" used 0.0005).
    boundary : {"periodic", "neumann", "dirichlet"}, default "periodic"
        Wrap-around; zero flux; or cells outside the lattice held at -70 mV (and the
        activator and inhibitor at 0).
    seed : int, default 0
        Seed of the run's single random generator, >= 0.

    Raises
    ------
    ParameterError
        If any value is of the wrong type or outside its valid range.

    Examples
    --------
    >>> p = FieldParams(alpha=0.2)
    >>> p.replace(seed=3).seed
    3
    """

    grid_size: int | tuple[int, int] = 64
    steps: int = 64
    alpha: float = 0.18
    spike_probability: float = 0.25
    turing: bool = True
    Da: float = 0.1
    Di: float = 0.05
    ra: float = 0.01
    ri: float = 0.02
    turing_threshold: float = 0.75
    jitter_var: float = 0.0
    boundary: str = "periodic"
    seed: int = 0

    def __post_init__(self) -> None:
        set_ = object.__setattr__
        set_(self, "grid_size", _check_grid(self.grid_size))
        set_(self, "steps", check_int("steps", self.steps, 1))
        set_(
            self,
            "alpha",
            check_real(
                "alpha",
                self.alpha,
                0.0,
                CFL_LIMIT,
                lo_open=True,
                hi_open=True,
                hint="0.25 is the CFL stability limit of explicit 2-D diffusion",
            ),
        )
        set_(self, "spike_probability", check_real("spike_probability", self.spike_probability, 0, 1))
        set_(self, "turing", check_bool("turing", self.turing))
        for name in ("Da", "Di"):
            set_(self, name, check_real(name, getattr(self, name), 0.01, 0.25, hi_open=True))
        for name in ("ra", "ri"):
            set_(self, name, check_real(name, getattr(self, name), 0.001, 0.1))
        set_(self, "turing_threshold", check_real("turing_threshold", self.turing_threshold, 0.5, 0.95))
        set_(self, "jitter_var", check_real("jitter_var", self.jitter_var, 0.0, 0.01, hint="V^2"))
        set_(self, "boundary", check_choice("boundary", self.boundary, BOUNDARIES))
        set_(self, "seed", check_int("seed", self.seed, 0))

    @property
    def shape(self) -> tuple[int, int]:
        """Lattice shape ``(rows, cols)``."""
        g = self.grid_size
        return (g, g) if isinstance(g, int) else g

    @property
    def n_cells(self) -> int:
        """Number of lattice cells."""
        rows, cols = self.shape
        return rows * cols

    def replace(self, **changes: Any) -> FieldParams:
        """Return a copy with some parameters changed (validated like the constructor)."""
        _check_names(changes)
        return dataclasses.replace(self, **changes)

    def to_dict(self) -> dict[str, Any]:
        """Every parameter as a plain ``dict`` (``grid_size`` as int or a 2-tuple)."""
        return {f.name: getattr(self, f.name) for f in fields(self)}

    @classmethod
    def from_dict(cls, values: Mapping[str, Any]) -> FieldParams:
        """Build from a mapping, refusing unknown names with a ``ParameterError``."""
        _check_names(values)
        return cls(**dict(values))

    def to_attrs(self) -> dict[str, Any]:
        """Parameters as netCDF-safe attributes (booleans as 0/1, grid as int or [rows, cols])."""
        attrs = self.to_dict()
        attrs["turing"] = int(self.turing)
        if not isinstance(self.grid_size, int):
            attrs["grid_size"] = list(self.grid_size)
        return attrs

    @classmethod
    def from_attrs(cls, attrs: Mapping[str, Any]) -> FieldParams:
        """Rebuild from the attributes of a run written by :func:`mfn.simulate`."""
        names = {f.name for f in fields(cls)}
        values = {k: v for k, v in attrs.items() if k in names}
        if "turing" in values:
            values["turing"] = bool(values["turing"])
        grid = values.get("grid_size")
        if grid is not None and np.ndim(grid) == 1:
            values["grid_size"] = tuple(int(g) for g in grid)
        for key in ("grid_size", "steps", "seed"):
            if isinstance(values.get(key), np.integer):
                values[key] = int(values[key])
        if isinstance(values.get("boundary"), bytes):
            values["boundary"] = values["boundary"].decode()
        return cls(**values)


def _check_names(values: Mapping[str, Any]) -> None:
    names = [f.name for f in fields(FieldParams)]
    for key in values:
        if key not in names:
            raise ParameterError(key, values[key], f"a FieldParams parameter: one of {', '.join(names)}")


def _check_grid(value: Any) -> int | tuple[int, int]:
    lo, hi = GRID_RANGE
    if isinstance(value, (tuple, list, np.ndarray)) and not isinstance(value, str):
        if len(value) != 2:
            raise ParameterError("grid_size", value, f"an int or (rows, cols), each in [{lo}, {hi}]")
        try:
            rows = check_int("grid_size", value[0], lo, hi)
            cols = check_int("grid_size", value[1], lo, hi)
        except ParameterError as err:
            raise ParameterError("grid_size", value, f"{err.valid} for each side") from None
        return rows if rows == cols else (rows, cols)
    return check_int("grid_size", value, lo, hi)
