"""The 18 features of a run, in a fixed order (docs/features.md).

:func:`features` computes them from a recorded run (offline); :meth:`mfn.Simulation.features`
returns the same Dataset from a simulation that accumulated the temporal ones while it
stepped (online, memory independent of the number of steps).

Structural features (1-8, 13-18) come from the final field; temporal ones (9-12) from the
history ``V_0 .. V_T``, one frame per step. Thresholds are fixed (-60/-50/-40 mV by default)
or adaptive (percentiles of the final field, 50/75/90 by default); the thresholds actually
used are recorded in the Dataset's attributes, because with fixed thresholds a default run
rarely crosses -60 mV and every structural feature is then 0.
"""

from __future__ import annotations

from dataclasses import dataclass
from functools import lru_cache
from typing import TYPE_CHECKING, Any

import numpy as np

from mfn.analysis.fractal import NUM_SCALES_RANGE, box_fit, box_sizes
from mfn.analysis.temporal import TemporalAccumulator, TemporalFeatures
from mfn.core.checks import check_array, check_choice, check_int, check_real
from mfn.core.errors import ParameterError

if TYPE_CHECKING:
    import xarray as xr

__all__ = [
    "FEATURE_LONG_NAMES",
    "FEATURE_NAMES",
    "FEATURE_UNITS",
    "FeatureParams",
    "feature_attrs",
    "feature_vector",
    "features",
    "features_from_state",
    "low_threshold",
]

FEATURE_NAMES = (
    "D_box",
    "D_r2",
    "V_min",
    "V_max",
    "V_mean",
    "V_std",
    "V_skew",
    "V_kurt",
    "dV_mean",
    "dV_max",
    "T_stable",
    "E_trend",
    "f_active",
    "N_clusters_low",
    "N_clusters_med",
    "N_clusters_high",
    "max_cluster_size",
    "cluster_size_std",
)
"""Names of the 18 features, in their fixed order (docs/features.md)."""

_UNITS = ("1", "1", "mV", "mV", "mV", "mV", "1", "1", "mV/step", "mV/step", "step", "mV^2/step", "1", "1", "1", "1")
FEATURE_UNITS = dict(zip(FEATURE_NAMES, (*_UNITS, "cells", "cells"), strict=True))
"""Unit of each feature ("1" for dimensionless numbers and counts)."""

_LONG_NAMES = (
    "box-counting dimension of {name} > threshold_low",
    "R^2 of the box-counting fit",
    "minimum of {v}",
    "maximum of {v}",
    "mean of {v}",
    "standard deviation of {v} (ddof=0)",
    "skewness of {v}",
    "excess kurtosis of {v} (Fisher)",
    "mean absolute change of {name} per step",
    "largest absolute change of {name} per step",
    "first step of a stable window of {name}",
    "least-squares slope of sum({name}^2) per step",
    "fraction of cells with {name} > threshold_low",
    "connected components of {name} > threshold_low",
    "connected components of {name} > threshold_med",
    "connected components of {name} > threshold_high",
    "cells in the largest component of {name} > threshold_low",
    "standard deviation of component sizes of {name} > threshold_low (ddof=0)",
)


def feature_attrs(
    name: str = "V", long_name: str = "membrane potential", units: str = "mV"
) -> dict[str, dict[str, str]]:
    """Units and long name of each feature of a field ``name`` (``long_name``, in ``units``).

    The features read a model's primary variable: of the classic model's potential they are
    "mean of V (membrane potential)" in mV, of the mycelium's occupancy "mean of occupied
    (hyphal occupancy)", the occupied fraction, with no unit. ``mV`` in :data:`FEATURE_UNITS`
    becomes ``units``.

    Examples
    --------
    >>> feature_attrs("occupied", "hyphal occupancy", "1")["V_mean"]
    {'units': '1', 'long_name': 'mean of occupied (hyphal occupancy)'}
    >>> feature_attrs()["E_trend"]["units"]
    'mV^2/step'
    """
    out = {}
    for feature, template in zip(FEATURE_NAMES, _LONG_NAMES, strict=True):
        unit = FEATURE_UNITS[feature]
        if units != "mV":
            unit = f"({units})^2/step" if unit == "mV^2/step" else unit.replace("mV", units)
        out[feature] = {"units": unit, "long_name": template.format(v=f"{name} ({long_name})", name=name)}
    return out


FEATURE_LONG_NAMES = {name: attrs["long_name"] for name, attrs in feature_attrs().items()}
"""What each feature is, in words (docs/features.md has the definitions)."""
FIELD_LIMIT_MV = 1e6
"""Largest |V| accepted, mV: a guard against fields given in the wrong units."""
THRESHOLD_MODES = ("fixed", "adaptive")
_STRUCTURES = {4: ((0, 1, 0), (1, 1, 1), (0, 1, 0)), 8: ((1, 1, 1), (1, 1, 1), (1, 1, 1))}
"""Neighbourhood of the cluster labelling, as ``scipy.ndimage.generate_binary_structure(2, 1 or 2)``."""


@dataclass(frozen=True)
class FeatureParams:
    """Settings of the 18 features.

    Parameters
    ----------
    threshold_mode : {"fixed", "adaptive"}, default "fixed"
        ``"fixed"`` uses ``thresholds``; ``"adaptive"`` uses the ``percentiles`` of the
        final field (linear interpolation, as ``numpy.percentile``).
    thresholds : (float, float, float), default (-60, -50, -40)
        Low, medium and high thresholds, mV, strictly increasing, each in [-95, 40].
    percentiles : (float, float, float), default (50, 75, 90)
        Percentiles for the adaptive mode, strictly increasing, each in [0, 100].
    min_box, max_box, num_scales : int
        Box-counting settings (see :func:`mfn.analysis.fractal.box_dimension`): ``min_box >= 1``
        (default 2); ``max_box`` at most the shorter side of the field (default None: half
        of it); ``num_scales`` in [3, 10] (default 5).
    stability_threshold : float, default 0.001
        ``std(V_t - V_{t-1})`` below which a step counts as stable, mV/step, > 0.
    stability_window : int, default 10
        Consecutive stable steps that define ``T_stable``, >= 1.
    connectivity : {4, 8}, default 4
        Neighbourhood of the cluster labelling (edges only, or edges and corners).

    Raises
    ------
    ParameterError
        If a value is of the wrong type or out of range.

    Examples
    --------
    >>> FeatureParams(threshold_mode="adaptive").percentiles
    (50.0, 75.0, 90.0)
    """

    threshold_mode: str = "fixed"
    thresholds: tuple[float, float, float] = (-60.0, -50.0, -40.0)
    percentiles: tuple[float, float, float] = (50.0, 75.0, 90.0)
    min_box: int = 2
    max_box: int | None = None
    num_scales: int = 5
    stability_threshold: float = 0.001
    stability_window: int = 10
    connectivity: int = 4

    def __post_init__(self) -> None:
        set_ = object.__setattr__
        set_(self, "threshold_mode", check_choice("threshold_mode", self.threshold_mode, THRESHOLD_MODES))
        set_(self, "thresholds", _increasing_triple("thresholds", self.thresholds, -95.0, 40.0))
        set_(self, "percentiles", _increasing_triple("percentiles", self.percentiles, 0.0, 100.0))
        set_(self, "min_box", check_int("min_box", self.min_box, 1))
        if self.max_box is not None:
            set_(self, "max_box", check_int("max_box", self.max_box, self.min_box))
        set_(self, "num_scales", check_int("num_scales", self.num_scales, *NUM_SCALES_RANGE))
        set_(
            self,
            "stability_threshold",
            check_real("stability_threshold", self.stability_threshold, 0.0, lo_open=True, hint="mV/step"),
        )
        set_(self, "stability_window", check_int("stability_window", self.stability_window, 1))
        if isinstance(self.connectivity, bool):
            raise ParameterError("connectivity", self.connectivity, "4 or 8")
        set_(self, "connectivity", check_choice("connectivity", self.connectivity, (4, 8)))

    def to_attrs(self) -> dict[str, Any]:
        """Settings as netCDF-safe attributes (``max_box`` None becomes 0)."""
        return {
            "threshold_mode": self.threshold_mode,
            "percentiles": list(self.percentiles),
            "min_box": self.min_box,
            "max_box": 0 if self.max_box is None else self.max_box,
            "num_scales": self.num_scales,
            "stability_threshold": self.stability_threshold,
            "stability_window": self.stability_window,
            "connectivity": self.connectivity,
        }


def _increasing_triple(name: str, value: Any, lo: float, hi: float) -> tuple[float, float, float]:
    valid = f"three strictly increasing numbers, each in [{lo:g}, {hi:g}]"
    if isinstance(value, (str, bytes)) or not hasattr(value, "__len__") or len(value) != 3:
        raise ParameterError(name, value, valid)
    try:
        triple = tuple(check_real(name, v, lo, hi) for v in value)
    except ParameterError:
        raise ParameterError(name, value, valid) from None
    if not triple[0] < triple[1] < triple[2]:
        raise ParameterError(name, value, valid)
    return triple


DEFAULT_FEATURE_PARAMS = FeatureParams()
"""The default settings, made once (FeatureParams is frozen; validating a new one costs ~30 us)."""


def features(run: Any, params: FeatureParams | None = None) -> xr.Dataset:
    """The 18 features of a recorded run.

    Parameters
    ----------
    run : xarray.Dataset, xarray.DataArray or (T+1, M, N) float ndarray
        A run from :func:`mfn.simulate` recorded with ``record_every=1`` (frames 0..T, one
        per step; its primary variable is read, ``V`` for the classic model), that
        DataArray, or a history of potentials in mV.
        A :class:`mfn.Simulation` is accepted too and answers with its online features.
    params : FeatureParams, optional
        Thresholds, box-counting and stability settings; defaults to the run's model's
        (``Model.feature_params``; ``FeatureParams()``, -60/-50/-40 mV, for the classic model).

    Returns
    -------
    xarray.Dataset
        The 18 features as scalar variables in :data:`FEATURE_NAMES` order, each with
        ``units`` and ``long_name``. Attributes: ``threshold_low``, ``threshold_med``,
        ``threshold_high`` (mV, the values used), ``box_sizes`` (cells), ``D_box_raw`` (the
        box-counting slope before it is clipped to [0, 2]) and ``D_box_clipped`` (1 when the
        clip changed it beyond round-off, else 0: judge D_box from these), ``steps`` (T),
        ``T_stable_reached`` (1 when a stable window was reached, 0 when ``T_stable`` is T
        because it never was; see :class:`mfn.analysis.temporal.TemporalFeatures` for what
        each temporal feature tracks),
        ``source`` (``"offline"`` or ``"online"``) and every :class:`FeatureParams` setting.
        No value is ever NaN or infinite.

    Raises
    ------
    ParameterError
        If the run has no history with one frame per step (temporal features need it:
        simulate with ``record_every=1`` or use :meth:`mfn.Simulation.features`), holds
        non-finite values or |V| > 1e6 mV, or a box setting does not fit the field.

    See Also
    --------
    feature_vector : the same numbers as a plain array, without building a Dataset.

    Examples
    --------
    >>> from mfn import FieldParams, simulate
    >>> f = features(simulate(FieldParams(grid_size=16, steps=20)))
    >>> list(f.data_vars)[:3], f.attrs["threshold_low"]
    (['D_box', 'D_r2', 'V_min'], -60.0)
    """
    params = _check_params(params, run)
    if _is_simulation(run):
        return run.features(params)
    history = _history(run)
    return _dataset(*_offline(history, params), source="offline")


def low_threshold(field: np.ndarray, params: FeatureParams) -> float:
    """The low threshold ``params`` set for ``field``: the fixed one, or its first percentile.

    Non-finite cells (V off a mycelium) are left out of the percentile; a field with none
    finite gives 0. The run's ``fractal_dimension`` and the live view's active cells use it.
    """
    if params.threshold_mode == "fixed":
        return float(params.thresholds[0])
    finite = field[np.isfinite(field)]
    return float(np.percentile(finite, params.percentiles[0])) if finite.size else 0.0


def _is_simulation(run: Any) -> bool:
    """Whether ``run`` is a live simulation (it answers with its online features), not a recorded run."""
    return callable(getattr(run, "features", None)) and hasattr(run, "stepper")


def feature_vector(run: Any, params: FeatureParams | None = None) -> np.ndarray:
    """The 18 features of a recorded run as a float64 array in :data:`FEATURE_NAMES` order.

    Takes the same arguments as :func:`features` (except a Simulation) and computes the same
    numbers, without the cost of building a Dataset (about 0.5 ms, as much as the rest for a
    64x64 run of 100 steps); for datasets and ML. The temporal sums run compiled when numba is
    installed (see :mod:`mfn.analysis.temporal`).
    """
    history = _history(run)
    values, _ = _offline(history, _check_params(params, run))
    return np.array([values[name] for name in FEATURE_NAMES], dtype=np.float64)


def features_from_state(
    V: np.ndarray, temporal: TemporalFeatures, params: FeatureParams, *, source: str = "online"
) -> xr.Dataset:
    """The Dataset of the 18 features from a final field (mV) and its temporal features.

    The back end of :meth:`mfn.Simulation.features`; ``V`` is trusted to be a finite 2-D
    float array.
    """
    return _dataset(*_combine(V, temporal, params), source=source)


def _offline(history: np.ndarray, params: FeatureParams) -> tuple[dict[str, float], dict[str, Any]]:
    """The features of a history from :func:`_history`, whose values are checked here.

    The temporal pass reports the largest ``|V|`` it read, so checking the values costs no
    pass of its own over the history.
    """
    acc = TemporalAccumulator(history[0], params.stability_threshold, params.stability_window)
    for peak in (float(np.abs(history[0]).max()), acc.update_many(history[1:])):
        if not peak <= FIELD_LIMIT_MV:  # also NaN and infinities
            raise ParameterError(
                "run", f"values up to {peak:g} in magnitude", f"finite potentials with |V| <= {FIELD_LIMIT_MV:g} mV"
            )
    return _combine(history[-1], acc.result(), params)


def _combine(
    V: np.ndarray, temporal: TemporalFeatures, params: FeatureParams
) -> tuple[dict[str, float], dict[str, Any]]:
    values, attrs = _structural(V, params)
    values.update(
        dV_mean=temporal.dV_mean, dV_max=temporal.dV_max, T_stable=temporal.T_stable, E_trend=temporal.E_trend
    )
    attrs.update(params.to_attrs(), steps=temporal.steps, T_stable_reached=int(temporal.T_stable_reached))
    return values, attrs


def _dataset(values: dict[str, float], attrs: dict[str, Any], *, source: str) -> xr.Dataset:
    import xarray as xr

    data_vars = {
        name: ((), values[name], {"units": FEATURE_UNITS[name], "long_name": FEATURE_LONG_NAMES[name]})
        for name in FEATURE_NAMES
    }
    return xr.Dataset(data_vars, attrs={**attrs, "source": source})


def _check_params(params: Any, run: Any = None) -> FeatureParams:
    if params is None:
        return _model_default(run)
    if not isinstance(params, FeatureParams):
        raise ParameterError("params", params, "a FeatureParams instance")
    return params


def _model_default(run: Any) -> FeatureParams:
    """The feature settings of a run's model (its thresholds in the primary variable's units).

    A run's ``model`` attribute names it; the classic model and anything else use the package
    default (-60/-50/-40 mV).
    """
    attrs = getattr(run, "attrs", None)
    name = attrs.get("model") if isinstance(attrs, dict) else None
    if name:
        from mfn.core.model import models

        model = models().get(name)
        if model is not None and model.feature_params is not None:
            return model.feature_params
    return DEFAULT_FEATURE_PARAMS


_NO_HISTORY_HINT = (
    "temporal features need one frame per step: simulate with record_every=1, "
    "or step a Simulation and call its .features() (online, any record_every)"
)


def _history(run: Any) -> np.ndarray:
    """The (T+1, M, N) history of the primary variable (V in mV), type and shape checked (values: :func:`_offline`)."""
    import xarray as xr

    if isinstance(run, xr.Dataset):
        primary = run.attrs.get("primary", "V")  # the model's primary variable (V for the classic model)
        if primary not in run:
            raise ParameterError(
                "run", f"a Dataset without {primary}", f"a run from mfn.simulate (with its primary variable {primary})"
            )
        time = run["time"].values if "time" in run.coords else None
        if time is None or not np.array_equal(time, np.arange(time.size)):
            every = run.attrs.get("record_every", "?")
            raise ParameterError("run", f"a run with record_every={every}", "frames 0, 1, ..., T", _NO_HISTORY_HINT)
        run = run[primary]
    if isinstance(run, xr.DataArray):
        run = run.values
    history = check_array("run", run, ndim=3, finite=False)
    if min(history.shape) < 1:
        raise ParameterError("run", f"array of shape {history.shape}", "a (T+1, M, N) history with M, N >= 1")
    return history


def _structural(V: np.ndarray, params: FeatureParams) -> tuple[dict[str, float], dict[str, Any]]:
    """Features 1-8 and 13-18 of the final field, and the attributes that describe them."""
    from scipy import ndimage

    sizes = _box_sizes(V.shape, params.min_box, params.max_box, params.num_scales)
    if params.threshold_mode == "fixed":
        low, med, high = params.thresholds
    else:
        low, med, high = (float(x) for x in np.percentile(V, params.percentiles))
    n = V.size
    flat = V.ravel()
    v_min, v_max = float(flat.min()), float(flat.max())
    # The rounded mean of a (nearly) constant field can fall just outside [min, max].
    mean = min(max(float(flat.sum()) / n, v_min), v_max)
    centred = flat - mean
    sq = centred * centred
    m2 = float(sq.sum()) / n if v_min < v_max else 0.0
    std = m2**0.5
    if std <= 1e-12 * max(1.0, abs(v_min), abs(v_max)):
        skew = kurt = 0.0
    else:
        skew = float(np.einsum("i,i->", sq, centred)) / n / m2**1.5
        kurt = float(np.einsum("i,i->", sq, sq)) / n / m2**2 - 3.0
    structure = _STRUCTURES[params.connectivity]
    mask_low = V > low
    labels, n_low = ndimage.label(mask_low, structure)
    if n_low:
        component_sizes = np.bincount(labels.ravel())[1:]
        max_size, size_std = float(component_sizes.max()), float(component_sizes.std())
        fit = box_fit(mask_low, params.min_box, params.max_box, params.num_scales)
        d_box, d_r2, d_raw, d_clipped = fit.dimension, fit.r2, fit.raw_slope, fit.clipped
    else:
        max_size = size_std = d_box = d_r2 = d_raw = 0.0
        d_clipped = False
    n_med = ndimage.label(V > med, structure)[1] if n_low else 0
    n_high = ndimage.label(V > high, structure)[1] if n_med else 0
    values = {
        "D_box": d_box,
        "D_r2": d_r2,
        "V_min": v_min,
        "V_max": v_max,
        "V_mean": mean,
        "V_std": std,
        "V_skew": skew,
        "V_kurt": kurt,
        "f_active": float(np.count_nonzero(mask_low)) / n,
        "N_clusters_low": int(n_low),
        "N_clusters_med": int(n_med),
        "N_clusters_high": int(n_high),
        "max_cluster_size": max_size,
        "cluster_size_std": size_std,
    }
    attrs = {
        "threshold_low": low,
        "threshold_med": med,
        "threshold_high": high,
        "box_sizes": list(sizes),
        "D_box_raw": d_raw,
        "D_box_clipped": int(d_clipped),
    }
    return values, attrs


@lru_cache(maxsize=64)
def _box_sizes(shape: tuple[int, int], min_box: int, max_box: int | None, num_scales: int) -> tuple[int, ...]:
    """:func:`mfn.analysis.fractal.box_sizes` as a tuple, remembered (it costs more than labelling a 64x64 mask)."""
    return tuple(box_sizes(shape, min_box, max_box, num_scales).tolist())
