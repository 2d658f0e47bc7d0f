"""Any registered model, step by step (:class:`Simulation`) or in one call (:func:`simulate`).

The model is picked from the type of the parameters (:func:`mfn.core.model.model_for`):
``mfn.simulate(mfn.FieldParams())`` runs the classic lattice field,
``mfn.simulate(mfn.ReactionDiffusionParams())`` a reaction–diffusion system, and so on. A run
is returned as an :class:`xarray.Dataset` (see :func:`simulate` for its layout).
"""

from __future__ import annotations

from collections.abc import Iterator
from typing import TYPE_CHECKING, Any

import numpy as np

from mfn.analysis.feature_params import DEFAULT_FEATURE_PARAMS, FeatureParams
from mfn.analysis.features import features_from_state, low_threshold
from mfn.analysis.fractal import box_dimension
from mfn.analysis.temporal import TemporalAccumulator
from mfn.core.backends import resolve_backend
from mfn.core.checks import check_bool, check_int
from mfn.core.errors import ParameterError
from mfn.core.model import Model, get_model, model_for
from mfn.simulation.recorder import finished, next_stop, run_recorded
from mfn.simulation.state import State, StepResult

if TYPE_CHECKING:  # xarray is imported when a Dataset is built, keeping `import mfn` light
    import xarray as xr

__all__ = ["Simulation", "simulate"]


class Simulation:
    """A run of any registered model that can be advanced step by step.

    Parameters
    ----------
    params : ModelParams, optional
        Parameters of a registered model (``FieldParams``, ...); the model is picked from
        their type. Defaults to the classic model's ``FieldParams()``.
    backend : {"auto", "numpy", "numba"}, default "auto"
        Step kernel; ``"auto"`` uses the model's numba step when numba is installed.
    lyapunov : bool, default True
        Step a perturbed twin alongside (same kernel, same draws) to measure the field
        Lyapunov exponent, for models that have a twin; it doubles the cost of a step. With
        False, or a model without a twin, :attr:`lyapunov` is NaN.
    feature_params : FeatureParams, optional
        Settings of the features; defaults to the model's (thresholds in the primary
        variable's units). Its stability threshold and window are used by the temporal
        features accumulated at every step (see :meth:`features`).
    online_features : bool, default True
        Accumulate the temporal features of the primary variable at every step; False skips
        that work, and :meth:`features` is then unavailable.
    record_events : bool, default True
        Keep every event (growth events of the classic model) for the run's event table. A
        simulation that runs for an unbounded time (the live view) passes False, so its
        memory does not grow with the number of steps; totals are counted either way.

    Examples
    --------
    >>> from mfn import FieldParams
    >>> sim = Simulation(FieldParams(grid_size=16, steps=10))
    >>> _ = sim.step(10)
    >>> sim.t, sim.V.shape, sim.model.name
    (10, (16, 16), 'classic')
    """

    def __init__(
        self,
        params: Any = None,
        *,
        backend: str = "auto",
        lyapunov: bool = True,
        feature_params: FeatureParams | None = None,
        online_features: bool = True,
        record_events: bool = True,
    ) -> None:
        if params is None:
            params = get_model("classic").params_class()
        self.model: Model = model_for(params)
        self.params = params
        default_features = self.model.feature_params or DEFAULT_FEATURE_PARAMS
        self.feature_params = default_features if feature_params is None else feature_params
        if not isinstance(self.feature_params, FeatureParams):
            raise ParameterError("feature_params", feature_params, "a FeatureParams instance or None")
        self.backend = resolve_backend(backend, self.model.backends, f"the {self.model.name} model")
        lyapunov = check_bool("lyapunov", lyapunov) and self.model.twin
        self.stepper = self.model.stepper(
            params, self.backend, lyapunov=lyapunov, record_events=check_bool("record_events", record_events)
        )
        fp = self.feature_params
        raw, scale = self.stepper.primary_raw()
        self._temporal = (
            TemporalAccumulator(raw, fp.stability_threshold, fp.stability_window, scale=scale, backend=self.backend)
            if check_bool("online_features", online_features)
            else None
        )

    @property
    def t(self) -> int:
        """Steps taken so far."""
        return self.stepper.t

    @property
    def primary(self) -> np.ndarray:
        """The current primary variable in its units (a new array)."""
        return self.stepper.variable(self.model.primary)

    def variable(self, name: str) -> np.ndarray:
        """The current value of the variable ``name`` in its units (a new array).

        Raises
        ------
        ParameterError
            If the model has no such variable (the message lists them).
        """
        self.model.variable(name)
        return self.stepper.variable(name)

    def __getattr__(self, name: str) -> Any:
        # every variable is an attribute too (sim.V, sim.u, sim.occupied), in its units
        if name != "model" and "model" in self.__dict__:
            for var in self.model.variables:
                if var.name == name:
                    return self.stepper.variable(name)
            # and every counter's run total: sim.growth_events_total
            if name.endswith("_total") and name[: -len("_total")] in {c.name for c in self.model.counters}:
                return self.stepper.totals()[name[: -len("_total")]]
        raise AttributeError(f"{type(self).__name__!r} object has no attribute {name!r}")

    @property
    def state(self) -> State:
        """A copy of every variable in its units, at step ``t`` (``sim.state.V``, ``sim.state.a``)."""
        return State(self.t, {v.name: self.stepper.variable(v.name) for v in self.model.variables})

    @property
    def totals(self) -> dict[str, int]:
        """Run totals of every counter."""
        return self.stepper.totals()

    @property
    def events(self) -> list[tuple]:
        """The event table as rows (growth events of the classic model as ``(step, y, x, amplitude_mV)``)."""
        columns = [values.tolist() for values, _, _ in self.stepper.events().values()]
        return list(zip(*columns, strict=True)) if columns else []

    def step(self, n: int = 1) -> StepResult:
        """Advance ``n`` steps and return the counts and metrics of the last one.

        Raises
        ------
        ParameterError
            If ``n`` is not an integer >= 1.
        NumericalInstabilityError
            If the state stops being finite (never with valid parameters).
        """
        n = check_int("n", n, 1)
        self.advance(n)
        return StepResult(self.t, self.stepper.last_step(), self.stepper.frame_metrics())

    def advance(self, n: int) -> None:
        """Advance ``n`` steps (trusted ``n >= 1``), feeding the online features at every step."""
        if self._temporal is None:
            self.stepper.advance(n)
            return
        raw = self.stepper.primary_raw()[0]
        for _ in range(n):
            self.stepper.advance(1)
            self._temporal.update(raw)

    @property
    def finished(self) -> bool:
        """Whether the run may end before ``params.steps``: the model says so (a reaction–diffusion
        run with ``until_settled`` whose pattern has settled); always False for other runs."""
        return finished([self])

    def advance_to_end(self) -> None:
        """Advance to ``params.steps``, or until :attr:`finished` at one of the model's checks, whichever is first."""
        while self.t < self.params.steps and not self.finished:
            self.advance(next_stop([self], self.t, self.params.steps) - self.t)

    def stimulate(self, y: int, x: int) -> None:
        """Stimulate the cell ``(y, x)`` (models with the ``stimulate`` capability).

        Raises
        ------
        ParameterError
            If the model cannot be stimulated or the cell is outside the lattice.
        """
        if not self.model.stimulate:
            raise ParameterError("model", self.model.name, "a model that can be stimulated")
        rows, cols = self.params.shape
        y = check_int("y", y, 0, rows - 1)
        x = check_int("x", x, 0, cols - 1)
        self.stepper.stimulate(y, x)

    @property
    def lyapunov(self) -> float:
        """Field Lyapunov exponent so far, per step (NaN without a twin)."""
        return self.stepper.lyapunov

    def fractal_dimension(self) -> tuple[float, float]:
        """Box-counting dimension and R^2 of the primary variable above the first feature threshold.

        Uses the thresholds and box settings of the model's default
        :class:`~mfn.analysis.features.FeatureParams` (-60 mV for the classic model); with
        adaptive thresholds, the first percentile of the current field.
        """
        fp = self.model.feature_params or DEFAULT_FEATURE_PARAMS
        field = self.primary
        mask = np.where(np.isfinite(field), field, -np.inf) > low_threshold(field, fp)
        return box_dimension(mask, fp.min_box, fp.max_box, fp.num_scales)

    def features(self, params: FeatureParams | None = None) -> xr.Dataset:
        """The 18 features of the current state, with the temporal ones accumulated online.

        Equal to :func:`mfn.analysis.features.features` on a run of the same steps recorded with
        ``record_every=1`` (to rounding, 1e-9 relative), but needs no history: the temporal
        features were updated at every step in memory independent of the number of steps.

        Parameters
        ----------
        params : FeatureParams, optional
            Defaults to the ``feature_params`` given to the Simulation. Thresholds and box
            settings may differ from those; the stability threshold and window may not,
            because ``T_stable`` was accumulated with them.

        Raises
        ------
        ParameterError
            If ``params`` asks for other stability settings than those accumulated, or the
            Simulation was made with ``online_features=False``.
        """
        params = self.feature_params if params is None else params
        if not isinstance(params, FeatureParams):
            raise ParameterError("params", params, "a FeatureParams instance or None")
        acc = self._temporal
        if acc is None:
            raise ParameterError(
                "online_features",
                False,
                "True",
                "this Simulation was made with online_features=False; make it with True, or record the run "
                "with record_every=1 and call mfn.features(run)",
            )
        if (params.stability_threshold, params.stability_window) != (acc.stability_threshold, acc.stability_window):
            raise ParameterError(
                "params",
                f"stability_threshold={params.stability_threshold}, stability_window={params.stability_window}",
                f"stability_threshold={acc.stability_threshold}, stability_window={acc.stability_window}",
                "T_stable is accumulated while stepping: pass feature_params to Simulation(...) to change them",
            )
        return features_from_state(self.primary, acc.result(), params, source="online")

    def frames(self, every: int = 1, steps: int | None = None) -> Iterator[tuple[int, np.ndarray]]:
        """Yield ``(t, primary)`` for the current state and then every ``every`` steps.

        Parameters
        ----------
        every : int, default 1
            Steps between yielded frames, >= 1.
        steps : int, optional
            Total steps to advance; defaults to the steps left until ``params.steps``
            (so a fresh simulation yields frames 0, every, ..., params.steps).
        """
        every = check_int("every", every, 1)
        total = max(self.params.steps - self.t, 0) if steps is None else check_int("steps", steps, 0)
        end = self.t + total
        yield self.t, self.primary
        while self.t < end:
            self.step(min(every, end - self.t))
            yield self.t, self.primary

    def run(self, record_every: int | None = 1, *, variables: Any = None) -> xr.Dataset:
        """Advance to ``params.steps`` and return the run as a Dataset.

        Parameters
        ----------
        record_every : int or None, default 1
            Keep a frame every this many steps (the current state and the final state are
            always kept); None keeps the final frame only, so memory does not grow with the
            number of steps.
        variables : None, "all" or sequence of str
            Variables to record; None records the model's default ones (``V`` for the classic
            model), ``"all"`` every one (``V``, ``a``, ``i``).

        Returns
        -------
        xarray.Dataset
            Layout described in :func:`simulate`.
        """
        return run_recorded([self], self.advance, record_every, variables)[0]


def simulate(
    params: Any = None,
    record_every: int | None = 1,
    *,
    variables: Any = None,
    backend: str = "auto",
    lyapunov: bool = True,
) -> xr.Dataset:
    """Run a registered model and return the run.

    Parameters
    ----------
    params : ModelParams, optional
        Parameters of a registered model; the model is picked from their type. Defaults to
        the classic model's ``FieldParams()``.
    record_every : int or None, default 1
        Keep a frame every this many steps; frame 0 (the initial state) and the final frame
        are always kept. None keeps only the final frame (memory independent of steps).
    variables : None, "all" or sequence of str
        Variables to record; None records the model's default ones.
    backend : {"auto", "numpy", "numba"}, default "auto"
        Step kernel.
    lyapunov : bool, default True
        Measure the field Lyapunov exponent with a twin trajectory stepped in the same loop
        (same draws), for models that have one; this doubles the stepping cost. False
        records ``lyapunov`` as NaN.

    Returns
    -------
    xarray.Dataset
        Every recorded variable over ``(time, y, x)`` with its units (classic: ``V`` in mV;
        ``a`` and ``i`` with ``variables="all"``); over ``time`` (the step index of each
        frame) every counter (classic: ``growth_events`` cumulative, ``turing_activations``
        and ``clamped_cells`` per step, or since the previous frame when ``record_every >
        1``) and metric (classic: ``V_mean``, mV); the event table along ``event`` (classic:
        ``event_step``, ``event_y``, ``event_x``, ``event_amplitude`` in mV); ``x_um``,
        ``y_um``, ``time_s`` coordinates when the model has physical units. Attributes hold
        every parameter, ``model``, ``primary``, ``mfn_version``, ``backend``, ``created``
        (UTC, ISO 8601), ``duration_s``, ``record_every`` (0 = final frame only), the run
        totals ``<counter>_total``, and the run metrics (``docs/models.md``): ``lyapunov``
        (field Lyapunov exponent, 1/step, NaN without a twin) and ``fractal_dimension``
        (box-counting dimension of the final primary variable above the first feature
        threshold, 0 when no cell is above it), plus the model's own run metrics.

    Raises
    ------
    ParameterError
        If ``params`` are not a registered model's, or any option is invalid, or the
        recorded history would not fit in memory.

    Examples
    --------
    >>> from mfn import FieldParams
    >>> run = simulate(FieldParams(grid_size=16, steps=20, seed=1))
    >>> run.V.dims, run.sizes["time"], run.attrs["model"]
    (('time', 'y', 'x'), 21, 'classic')
    """
    # The online feature accumulators would be discarded with the Simulation: skip them.
    sim = Simulation(params, backend=backend, lyapunov=lyapunov, online_features=False)
    return sim.run(record_every, variables=variables)
