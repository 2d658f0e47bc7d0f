"""The live view's run: a simulation and what the view measures on it each frame.

:class:`LiveRun` holds one live simulation (made by :func:`live_simulation`: no event log,
no twin, no online features) and measures each frame for the curves: the model's counters
(cumulative ones as totals, the others since the previous frame), its metrics, the active
fraction of the primary variable and, every few frames, the box-counting dimension of the
active cells and the dominant wavenumber of a model with a dispersion relation. A reset of
the view makes a new :class:`LiveRun`, so its frame count starts again.
"""

from __future__ import annotations

from typing import Any

import numpy as np

from mfn.analysis.features import DEFAULT_FEATURE_PARAMS, low_threshold
from mfn.core.model import Model, models
from mfn.simulation.simulation import Simulation
from mfn.viz.live_figures import LiveFigures, curve_columns, curve_labels

__all__ = ["LiveRun", "compile_models", "label_and_clim", "live_simulation"]


def live_simulation(params: Any) -> Simulation:
    """The simulation the live view runs for ``params``: no event log, no twin, no online features."""
    return Simulation(params, record_events=False, lyapunov=False, online_features=False)


def compile_models(side: int = 16) -> None:
    """Step every registered model once, as the live view runs it, on a ``side`` x ``side`` grid.

    A model's numba kernel compiles on its first call: about 10 s for the mycelium on a cold
    cache, then loaded from numba's on-disk cache in well under a second. ``mfn app`` calls
    this before it serves, so that a session's first Play shows frames at once instead of
    seconds of nothing.
    """
    for spec in models().values():
        live_simulation(spec.params_class(grid_size=side)).step(1)


def label_and_clim(spec: Model, name: str) -> tuple[str, tuple[float, float]]:
    """The image label (``"V (mV)"``) and natural colour range of a model's variable ``name``."""
    var = spec.variable(name)
    return f"{var.name} ({var.units})", var.clim if var.clim is not None else (0.0, 1.0)


class LiveRun:
    """One live simulation of ``params`` and the measures of its frames.

    Parameters
    ----------
    params : ModelParams
        Parameters of any registered model.

    Attributes
    ----------
    sim : Simulation
        The running simulation.
    frames : int
        Frames measured so far (step 0 is the first).
    dimension : (float, float) or None
        The latest box-counting dimension of the active cells and its R².
    measured_k : float or None
        The latest dominant wavenumber, rad/cell (None without a dispersion relation or a pattern).
    theory : dict or None
        The model's dispersion relation for ``params`` (``Model.extra["dispersion"]``), if any.
    """

    def __init__(self, params: Any) -> None:
        self.sim = live_simulation(params)
        self.frames = 0
        self.dimension: tuple[float, float] | None = None
        self.measured_k: float | None = None
        self._totals = self.sim.totals
        dispersion = self.model.extra.get("dispersion")
        self.theory: dict[str, Any] | None = dispersion(params) if dispersion is not None else None

    @property
    def model(self) -> Model:
        """The running model."""
        return self.sim.model

    def advance(self, n: int) -> None:
        """Take ``n`` steps."""
        self.sim.step(n)

    def measure(
        self, active_threshold: float | None, dimension_every: int
    ) -> tuple[dict[str, float], dict[str, float] | None]:
        """Measure the current state as the next frame: its curve row and, every few frames, a dimension row.

        ``active_threshold`` is in the primary variable's units; None takes the model's own rule
        (an adaptive model: the first of its feature percentiles, the median, of this frame). The
        dimension row (box-counting dimension of the active cells) comes every ``dimension_every`` frames.
        """
        from mfn.analysis.fractal import box_dimension

        sim = self.sim
        primary = sim.primary
        threshold = active_threshold
        if threshold is None:
            threshold = low_threshold(primary, self.model.feature_params or DEFAULT_FEATURE_PARAMS)
        with np.errstate(invalid="ignore"):
            active = primary > threshold  # NaN cells (off a mycelium) are never active
        totals = sim.totals
        row = {"step": float(sim.t)}
        for counter in self.model.counters:
            total = totals[counter.name]
            row[counter.name] = float(total if counter.cumulative else total - self._totals[counter.name])
        self._totals = totals
        row.update({name: float(value) for name, value in sim.stepper.frame_metrics().items()})
        row["active_fraction"] = float(active.mean())
        dimension_row = None
        if self.frames % dimension_every == 0:
            D, r2 = box_dimension(active)
            self.dimension = (float(D), float(r2))
            dimension_row = {"step": float(sim.t), "D": float(D), "r2": float(r2)}
            self.measured_k = self._measure_k()
        self.frames += 1
        return row, dimension_row

    def _measure_k(self) -> float | None:
        """The dominant wavenumber of the variable a model's dispersion relation speaks of (None without one)."""
        if self.theory is None:
            return None
        from mfn.analysis.spectra import dominant_wavelength

        field = self.sim.variable(self.theory["variable"])
        if not np.isfinite(field).all():
            return None
        k = float(dominant_wavelength(field, floor=self.theory["pattern_above"]).attrs["k"])
        return k if np.isfinite(k) else None  # NaN: no pattern yet (below the floor, or no spectral peak)

    def ended(self) -> str | None:
        """Why the run can grow no more (the stepper's ``growth_ended``), or None (while it can, or never says)."""
        check = getattr(self.sim.stepper, "growth_ended", None)
        return None if check is None else check()

    def markers(self) -> np.ndarray | None:
        """Points the model marks on its image (the mycelium's hyphal tips), ``(n, 2)`` of ``(y, x)``."""
        markers = getattr(self.sim.stepper, "markers", None)
        return None if markers is None else markers()

    def figures(self, variable: str, length: int) -> LiveFigures:
        """New figures for this run: the image of ``variable``, the model's curves, its dispersion relation.

        The image shows ``variable`` (or the primary variable if the model has no such
        variable); each curve keeps ``length`` rows; a model with a dispersion relation gets
        its figure, on which the view marks the measured k; a model with physical units
        (``Model.spacing``) is drawn in µm with a scale bar.
        """
        shown = variable if variable in [v.name for v in self.model.variables] else self.model.primary
        label, clim = label_and_clim(self.model, shown)
        side = self.sim.params.shape[0]
        spacing = self.model.spacing(self.sim.params)[0] if self.model.spacing is not None else None  # µm + scale bar
        columns, ylabels = curve_columns(self.model), curve_labels(self.model)
        figures = LiveFigures(side, length, columns, label, clim, ylabels, spacing_um=spacing)
        if self.theory is not None:
            figures.add_dispersion(self.theory["k"], self.theory["sigma"], self.theory["k_max"])
        return figures

    def image(self, variable: str) -> np.ndarray:
        """The variable ``variable`` now (the primary variable if the running model has no such variable)."""
        names = [v.name for v in self.model.variables]
        return self.sim.variable(variable if variable in names else self.model.primary)
