"""The model settings of one live view: the chosen model's widgets' values, applied on Reset.

:class:`ModelSettings` holds the live settings (:func:`mfn.viz.settings.settings_class`) of
the model chosen in the view, turns them into the model's parameters
(:func:`~mfn.viz.settings.params_from_settings`), names those that differ from the running
simulation's, and clamps a typed grid side to the live view's range with a note saying so.
"""

from __future__ import annotations

from collections.abc import Callable
from typing import Any

import param

from mfn.core.model import get_model, model_for
from mfn.viz.live_controls import settings_for, widget_names
from mfn.viz.settings import LIVE_GRID_RANGE, params_from_settings, unapplied_settings

__all__ = ["ModelSettings"]


class ModelSettings:
    """The settings of the model chosen in a live view.

    Parameters
    ----------
    params : ModelParams
        The starting model's parameters (the settings start at them).
    on_change : callable
        Called with no argument after any setting changes (the view refreshes its readout).
    notify : callable
        Called with a note for the readout (a clamped grid side).
    """

    def __init__(self, params: Any, on_change: Callable[[], None], notify: Callable[[str], None]) -> None:
        self._on_change = on_change
        self._notify = notify
        self.model = model_for(params)
        """The chosen :class:`~mfn.core.model.Model`."""
        self.current = self._watched(settings_for(params))
        """The chosen model's settings (a ``param.Parameterized`` with one parameter per live model parameter)."""

    def choose(self, name: str) -> param.Parameterized:
        """Choose the model ``name``: its settings at their defaults, with the grid side kept; returns them."""
        side = self.current.grid_size
        self.model = get_model(name)
        settings = settings_for(self.model.params_class())
        settings.grid_size = side
        self.current = self._watched(settings)
        return self.current

    def params(self, running: Any = None) -> Any:
        """The chosen model's parameters as set (changes applied to ``running``'s, the running parameters)."""
        return params_from_settings(self.current, self.model.params_class, running)

    def unapplied(self, running: Any) -> tuple[str, ...]:
        """Names of the settings that differ from ``running``'s (``"model"`` first for another model)."""
        return unapplied_settings(self.current, self.model, running)

    def _watched(self, settings: param.Parameterized) -> param.Parameterized:
        if "grid_size" in settings.param:
            settings.param.watch(self._on_grid_size, "grid_size")
        settings.param.watch(lambda *_: self._on_change(), widget_names(self.model.params_class))
        return settings

    def _on_grid_size(self, event: param.parameterized.Event) -> None:
        """Clamp a grid side outside the live view's range to it, and say so."""
        low, high = LIVE_GRID_RANGE
        side = min(max(event.new, low), high)
        if side != event.new:
            self._notify(
                f"grid size {event.new} is outside the live view's range {low}..{high}: "
                f"set to {side} (use mfn.simulate for larger runs)"
            )
            event.obj.grid_size = side  # calls the watchers again, with the clamped value
