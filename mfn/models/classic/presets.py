"""Size presets: named problem sizes, kept apart from anything about the machine.

A preset fixes the lattice, the number of steps, whether noise is on, and the hidden size of
the MFN network (docs/features.md, dataset rows). Everything else keeps the
:class:`~mfn.models.classic.params.FieldParams` defaults unless overridden.
"""

from __future__ import annotations

from dataclasses import dataclass
from typing import Any

from mfn.core.checks import check_choice
from mfn.models.classic.params import FieldParams

__all__ = ["NOISE_ON_JITTER_VAR", "SIZE_PRESETS", "SizePreset", "size_preset"]

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
