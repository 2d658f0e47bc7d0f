"""The model settings of one live view: each model's widgets' values, remembered, applied on Reset.

:class:`ModelSettings` holds the live settings (:func:`mfn.viz.settings.settings_class`) of
every model chosen in a view, each as it was last left, and its view options (variable,
colour scale, active threshold): a model chosen for the first time starts at its own
defaults (its own grid side, a colour scale that shows its pattern), and one chosen again
gets back what it had.
It turns the chosen model's settings into its parameters
(:func:`~mfn.viz.settings.params_from_settings`), names those that differ from the running
simulation's, clamps a typed grid side to the live view's range with a note saying so, and
shows only the parameters in use: a choice (a reaction–diffusion kinetics) brings its own
values at once, and parameters it leaves unset (another kinetics' rates) are not shown.
"""

from __future__ import annotations

from collections.abc import Callable
from typing import Any

import panel as pn
import param

from mfn.core.errors import ParameterError
from mfn.core.model import Model, get_model, model_for
from mfn.viz.live_controls import settings_for, settings_widgets, view_defaults, widget_names
from mfn.viz.settings import LIVE_GRID_RANGE, params_from_settings, to_settings, unapplied_settings

__all__ = ["ModelSettings"]


class ModelSettings:
    """The settings of the models chosen in a live view.

    Parameters
    ----------
    params : ModelParams
        The starting model's parameters (its settings start at them).
    on_change : callable
        Called with no argument after any setting changes (the view refreshes its readout).
    notify : callable
        Called with a note for the readout (a clamped grid side, a choice that cannot apply).
    running : callable
        Returns the running simulation's parameters (None before the first run).
    """

    def __init__(
        self,
        params: Any,
        on_change: Callable[[], None],
        notify: Callable[[str], None],
        running: Callable[[], Any],
    ) -> None:
        self._on_change = on_change
        self._notify = notify
        self._running = running
        self._by_model: dict[str, param.Parameterized] = {}
        self._views: dict[str, dict[str, Any]] = {}
        self.model: Model = model_for(params)
        """The chosen :class:`~mfn.core.model.Model`."""
        self.current = self._watched(settings_for(params))
        """The chosen model's settings (a ``param.Parameterized`` with one parameter per live model parameter)."""
        self.widgets = pn.Column(width=290)
        """The chosen model's widgets (those in use), filled by :meth:`show`."""
        self._shown: tuple[str, ...] = ()

    def choose(self, name: str, view: dict[str, Any]) -> dict[str, Any]:
        """Choose the model ``name``: its settings as last left, or its defaults the first time.

        ``view`` holds the view options (variable, colour scale, active threshold) of the
        model left; they are kept for it. Returns the chosen model's view options as last
        left, or its defaults (:func:`~mfn.viz.live_controls.view_defaults`).
        """
        self._by_model[self.model.name] = self.current
        self._views[self.model.name] = dict(view)
        self.model = get_model(name)
        if name not in self._by_model:
            self._by_model[name] = self._watched(settings_for(self.model.params_class()))
        self.current = self._by_model[name]
        self.show(force=True)
        return self._views.get(name, view_defaults(self.model))

    def params(self, running: Any = None) -> Any:
        """The chosen model's parameters as set (changes applied to ``running``'s, the running parameters)."""
        return params_from_settings(self.current, self.model.params_class, running)

    def unapplied(self, running: Any) -> tuple[str, ...]:
        """Names of the settings that differ from ``running``'s (``"model"`` first for another model)."""
        return unapplied_settings(self.current, self.model, running)

    def in_use(self) -> tuple[str, ...]:
        """The chosen model's widget names, without the parameters its choices leave unset (None)."""
        return tuple(name for name in widget_names(self.model.params_class) if getattr(self.current, name) is not None)

    def show(self, force: bool = False) -> None:
        """Fill :attr:`widgets` with the widgets of the settings in use (again only when they changed or ``force``)."""
        names = self.in_use()
        if force or names != self._shown:
            self._shown = names
            self.widgets.objects = [settings_widgets(self.model.params_class, self.current, names)]

    def _watched(self, settings: param.Parameterized) -> param.Parameterized:
        if "grid_size" in settings.param:
            settings.param.watch(self._on_grid_size, "grid_size")
        specs = self.model.params_class.specs()
        names = widget_names(self.model.params_class)
        choices = [name for name in names if name in specs and specs[name].kind == "choice"]
        if choices:
            settings.param.watch(self._on_choice, choices)
        settings.param.watch(lambda *_: self._on_change(), names)
        return settings

    def _on_choice(self, event: param.parameterized.Event) -> None:
        """A choice changed: show the values it brings (a kinetics' own defaults) and only its parameters."""
        try:
            preview = self.params(self._running())
        except ParameterError as err:
            self._notify(f"{event.name} = {event.new!r} cannot apply with the other settings: {err}")
            return
        self.current.param.update(**to_settings(preview))
        self.show()

    def _on_grid_size(self, event: param.parameterized.Event) -> None:
        """Clamp a grid side outside the live view's range to it, and say so."""
        low, high = LIVE_GRID_RANGE
        side = min(max(event.new, low), high)
        if side != event.new:
            # the value first: the page then shows the message only with the clamped value in the box
            event.obj.grid_size = side  # calls the watchers again, with the clamped value
            self._notify(
                f"grid size {event.new} is outside the live view's range {low}..{high}: "
                f"set to {side} (use mfn.simulate for larger runs)"
            )
