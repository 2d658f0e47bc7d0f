"""Size presets: named problem sizes, kept apart from anything about the machine.

A preset fixes the lattice, the number of steps, whether noise is on, and the hidden size of
the MFN network (SPEC section 6). Everything else keeps the :class:`~mfn.models.classic.params.FieldParams`
defaults unless overridden.
"""

from __future__ import annotations

from dataclasses import dataclass
from typing import Any

from mfn.core.checks import check_choice
from mfn.models.classic.params import FieldParams

__all__ = [
    "NOISE_ON_JITTER_VAR",
    "SIZE_PRESETS",
    "SWEEP_PRESETS",
    "SizePreset",
    "SweepPreset",
    "size_preset",
    "sweep_preset",
]

NOISE_ON_JITTER_VAR = 0.0005
"""Noise variance used when a preset switches noise on, V^2 (the original's default)."""


@dataclass(frozen=True)
class SizePreset:
    """A named problem size.

    Attributes
    ----------
    name : str
        ``"small"``, ``"medium"`` or ``"large"``.
    grid_size : int
        Lattice side, cells.
    steps : int
        Time steps.
    noise : bool
        Whether noise is on (``jitter_var = 0.0005`` V^2).
    hidden : int
        Hidden size of the MFN network.
    """

    name: str
    grid_size: int
    steps: int
    noise: bool
    hidden: int

    def field_params(self, **overrides: Any) -> FieldParams:
        """The preset's :class:`FieldParams`, with any parameter overridden.

        Examples
        --------
        >>> size_preset("medium").field_params(seed=2).jitter_var
        0.0005
        """
        values: dict[str, Any] = {
            "grid_size": self.grid_size,
            "steps": self.steps,
            "jitter_var": NOISE_ON_JITTER_VAR if self.noise else 0.0,
        }
        values.update(overrides)
        return FieldParams.from_dict(values)


SIZE_PRESETS = {
    "small": SizePreset("small", grid_size=32, steps=32, noise=False, hidden=16),
    "medium": SizePreset("medium", grid_size=64, steps=64, noise=True, hidden=32),
    "large": SizePreset("large", grid_size=128, steps=128, noise=True, hidden=64),
}


def size_preset(name: str) -> SizePreset:
    """Look up a size preset by name (``"small"``, ``"medium"`` or ``"large"``)."""
    return SIZE_PRESETS[check_choice("preset", name, tuple(SIZE_PRESETS))]


@dataclass(frozen=True)
class SweepPreset:
    """A named sweep: a parameter grid, its seeds and the fixed base parameters.

    Attributes
    ----------
    name : str
        ``"base"`` or ``"extended"``.
    grid : dict of str to tuple
        Swept parameter -> values.
    seeds : tuple of int
        Seeds of every combination.
    base : dict
        Parameters that are not swept (the rest keep the ``FieldParams`` defaults).
    """

    name: str
    grid: dict[str, tuple[Any, ...]]
    seeds: tuple[int, ...]
    base: dict[str, Any]

    @property
    def n_runs(self) -> int:
        """Number of runs.

        Examples
        --------
        >>> sweep_preset("base").n_runs
        72
        """
        n = len(self.seeds)
        for values in self.grid.values():
            n *= len(values)
        return n

    def sweep_grid(self, seeds: Any = None):
        """The preset as a validated :class:`~mfn.sweeps.grid.SweepGrid`, optionally with other seeds."""
        from mfn.sweeps.grid import SweepGrid

        return SweepGrid.build(self.grid, self.seeds if seeds is None else seeds, self.base)


SWEEP_PRESETS = {
    # The original's base sweep (SPEC section 6): 2 x 2 x 3 x 2 combinations x 3 seeds = 72 runs.
    "base": SweepPreset(
        "base",
        grid={"grid_size": (32, 64), "steps": (50, 100), "alpha": (0.10, 0.15, 0.20), "turing": (True, False)},
        seeds=(0, 1, 2),
        base={},
    ),
    # 3 x 4 x 5 x 2 x 3 combinations x 8 seeds = 2880 runs.
    "extended": SweepPreset(
        "extended",
        grid={
            "grid_size": (32, 64, 128),
            "steps": (50, 100, 200, 500),
            "alpha": (0.05, 0.10, 0.15, 0.20, 0.24),
            "turing": (True, False),
            "spike_probability": (0.1, 0.25, 0.5),
        },
        seeds=tuple(range(8)),
        base={},
    ),
}


def sweep_preset(name: str) -> SweepPreset:
    """Look up a sweep preset by name (``"base"`` or ``"extended"``)."""
    return SWEEP_PRESETS[check_choice("preset", name, tuple(SWEEP_PRESETS))]
