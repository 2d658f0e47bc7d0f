"""Sweep presets: named parameter grids of the classic model (docs/features.md, dataset rows).

``base`` is the original's sweep (72 runs); ``extended`` a larger one (2880 runs). Used by
``mfn sweep --preset NAME``.
"""

from __future__ import annotations

from dataclasses import dataclass
from typing import Any

from mfn.core.checks import check_choice
from mfn.sweeps.grid import SweepGrid

__all__ = ["SWEEP_PRESETS", "SweepPreset", "sweep_preset"]


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
        return SweepGrid.build(self.grid, self.seeds if seeds is None else seeds, self.base)


SWEEP_PRESETS = {
    # The original's base sweep (docs/features.md, dataset rows): 2 x 2 x 3 x 2 combinations x 3 seeds = 72 runs.
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
