"""What a simulation gives back as it steps: a copy of its variables (:class:`State`) and the
counts and metrics of its last step (:class:`StepResult`), each readable as attributes."""

from __future__ import annotations

from dataclasses import dataclass, field
from typing import Any

import numpy as np

__all__ = ["State", "StepResult"]


@dataclass(frozen=True)
class State:
    """A copy of a simulation's variables at step ``t``, each also an attribute (``state.V``).

    Attributes
    ----------
    t : int
        Steps taken.
    values : dict of str to (M, N) ndarray
        Every variable of the model, in its units.
    """

    t: int
    values: dict[str, np.ndarray]

    def __getattr__(self, name: str) -> Any:
        values = self.__dict__.get("values", {})
        if name in values:
            return values[name]
        raise AttributeError(name)


@dataclass(frozen=True)
class StepResult:
    """Counts and metrics of the last step taken.

    Attributes
    ----------
    t : int
        Step index after the step.
    counts : dict
        Every counter of the model in the last step (``growth_events``, ``turing_activations``,
        ``clamped_cells`` for the classic model).
    metrics : dict
        Every metric of the model after the step (``V_mean`` in mV for the classic model).

    Counts and metrics are also attributes: ``result.V_mean``, ``result.clamped_cells``.
    """

    t: int
    counts: dict[str, int] = field(default_factory=dict)
    metrics: dict[str, float] = field(default_factory=dict)

    def __getattr__(self, name: str) -> Any:
        for table in ("counts", "metrics"):
            values = self.__dict__.get(table, {})
            if name in values:
                return values[name]
        raise AttributeError(name)
