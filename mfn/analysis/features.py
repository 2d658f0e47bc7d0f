"""The 18 features of a run, in a fixed order (docs/features.md).

:func:`features` computes them from a recorded run (offline); :meth:`mfn.Simulation.features`
returns the same Dataset from a simulation that accumulated the temporal ones while it
stepped (online, memory independent of the number of steps).

Structural features (1-8, 13-18) come from the final field; temporal ones (9-12) from the
history ``V_0 .. V_T``, one frame per step. Thresholds are fixed (-60/-50/-40 mV by default)
or adaptive (percentiles of the final field, 50/75/90 by default); the thresholds actually
used are recorded in the Dataset's attributes, because with fixed thresholds a default run
rarely crosses -60 mV and every structural feature is then 0.

The features' names, units and long names are in :mod:`mfn.analysis.feature_names`, their
settings (:class:`FeatureParams`, importable from here too) in :mod:`mfn.analysis.feature_params`.
"""

from __future__ import annotations

from functools import lru_cache
from typing import TYPE_CHECKING, Any

import numpy as np

from mfn.analysis.feature_names import FEATURE_LONG_NAMES, FEATURE_NAMES, FEATURE_UNITS
from mfn.analysis.feature_params import DEFAULT_FEATURE_PARAMS, FeatureParams
from mfn.analysis.fractal import box_fit, box_sizes
from mfn.analysis.temporal import TemporalAccumulator, TemporalFeatures
from mfn.core.checks import check_array
from mfn.core.errors import ParameterError

if TYPE_CHECKING:
    import xarray as xr

__all__ = [
    "FEATURE_NAMES",
    "FeatureParams",
    "feature_vector",
    "features",
    "features_from_state",
    "low_threshold",
]

FIELD_LIMIT_MV = 1e6
"""Largest |V| accepted, mV: a guard against fields given in the wrong units."""
_STRUCTURES = {4: ((0, 1, 0), (1, 1, 1), (0, 1, 0)), 8: ((1, 1, 1), (1, 1, 1), (1, 1, 1))}
"""Neighbourhood of the cluster labelling, as ``scipy.ndimage.generate_binary_structure(2, 1 or 2)``."""


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
