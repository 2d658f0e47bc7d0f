"""What a calibration's posterior predicts, and the posterior for arviz.

:func:`posterior_predictive` draws parameter values from the weighted final population,
simulates each with a fresh seed and measures the run as the calibration did; the draws'
measures (the final pattern, or series over time) and summaries come back over ``draw``.
``settings`` replaces unfitted parameters (another experiment's field and hours), and
:func:`band_coverage` says how much of an observed series lies inside the predictive band
(:func:`band_at` reads the band between simulated times), optionally after shifting the
observed clock by the colony's age (:mod:`mfn.inference.colony_age`).
:func:`to_arviz` resamples the weighted population to equal weights (systematic resampling)
for arviz, which has no notion of importance weights.
"""

from __future__ import annotations

import json
from collections.abc import Sequence
from contextlib import ExitStack
from typing import TYPE_CHECKING, Any

import numpy as np

from mfn.core.checks import check_bool, check_int, check_real
from mfn.core.errors import ParameterError
from mfn.core.model import get_model
from mfn.core.params import SEED_MAX
from mfn.core.summaries import Summary, summary_values
from mfn.inference.priors import Prior
from mfn.inference.simulator import Simulator

if TYPE_CHECKING:
    import xarray as xr

__all__ = ["band_at", "band_coverage", "posterior_predictive", "resample", "to_arviz"]

DRAWS_MAX = 100_000
"""Most draws of one posterior predictive."""
TIME_TOLERANCE = 1e-6
"""Times closer than this (h) to the ends of a simulated series count as inside it."""


def resample(weights: np.ndarray, n: int, rng: np.random.Generator) -> np.ndarray:
    """Indices of ``n`` equally weighted draws from weighted samples (systematic resampling).

    Examples
    --------
    >>> resample(np.array([0.0, 1.0, 0.0]), 4, np.random.default_rng(0)).tolist()
    [1, 1, 1, 1]
    """
    cumulative = np.cumsum(np.asarray(weights, dtype=float))
    cumulative /= cumulative[-1]
    positions = (rng.random() + np.arange(n)) / n
    return np.minimum(np.searchsorted(cumulative, positions), len(cumulative) - 1)


def posterior_predictive(
    result: xr.Dataset,
    n: int = 100,
    *,
    settings: dict[str, Any] | None = None,
    summaries: list[Summary] | None = None,
    seed: int = 0,
    scheduler: Any = "synchronous",
    workers: int | None = None,
    progress: bool = False,
) -> xr.Dataset:
    """Simulate ``n`` draws from the posterior of a calibration and measure them.

    Parameters
    ----------
    result : xarray.Dataset
        What :func:`mfn.calibrate` returned (or its netCDF file, loaded).
    n : int, default 100
        Draws, 1 <= n <= 100,000, taken from the final population in proportion to the weights.
    settings : dict, optional
        Values of parameters that were not fitted, replacing the calibration's (for example
        another experiment's ``grid_size`` and ``steps``: the posterior predicts it). The
        calibration's observed measures are then not copied (they are another experiment's).
    summaries : list of Summary, optional
        Needed only when the calibration used summaries of your own (the result stores names).
    seed : int, default 0
        Seed of the draws and of their simulations (fresh seeds, not the particles' own: a
        particle's own simulation was selected for being close to the data).
    scheduler : "synchronous", None, str or distributed.Client, default "synchronous"
        Where the simulations run, as for :func:`mfn.calibrate`.
    workers : int, optional
        Workers of a local cluster (``scheduler=None``).
    progress : bool, default False
        Show a progress bar over draws.

    Returns
    -------
    xarray.Dataset
        Over ``draw``: each fitted parameter, ``seed``, ``simulated(draw, summary)``,
        ``failed`` (the reason, empty when the simulation succeeded) and the model's measures
        (for example ``u(draw, y, x)`` for reaction–diffusion; lists of different lengths, such
        as a network's branchings, padded with NaN); ``observed(summary)`` and, without
        ``settings``, the observed measures (``observed_<name>``) copied from ``result``.
    """
    import xarray as xr

    n = check_int("n", n, 1, DRAWS_MAX)
    seed = check_int("seed", seed, 0, SEED_MAX)
    progress = check_bool("progress", progress)
    simulator = _simulator(result, summaries, settings)
    rng = np.random.default_rng(seed)
    picks = rng.choice(result.sizes["sample"], size=n, p=result.weight.values / result.weight.values.sum())
    seeds = [int(s) for s in rng.integers(0, SEED_MAX, size=n, endpoint=True)]
    draws = [{name: float(result[name].values[i]) for name in result.parameter.values} for i in picks]
    with ExitStack() as stack:
        from mfn.sweeps.cluster import connect

        client = connect(scheduler, workers, stack, False, name="scheduler")
        if client is None:
            outcomes = [_predict(simulator, draw, s) for draw, s in zip(draws, seeds, strict=True)]
        else:
            futures = client.map(_predict, [simulator] * n, draws, seeds, pure=False)
            outcomes = client.gather(futures)
    names = [s.name for s in simulator.summaries]
    good = [m for m, _, _ in outcomes if m is not None]
    if not good:
        raise ParameterError("result", "a posterior none of whose draws could be simulated", outcomes[0][2])
    template = xr.full_like(good[0], np.nan, dtype=float)
    measures = xr.concat(
        [_indexed(m) if m is not None else _indexed(template) for m, _, _ in outcomes],
        dim="draw",
        join="outer",
        combine_attrs="drop_conflicts",
    )
    out = measures.assign_coords(draw=np.arange(n), summary=names)
    for name in result.parameter.values:
        out[str(name)] = ("draw", np.array([d[name] for d in draws]), dict(result[name].attrs))
    out["seed"] = ("draw", np.array(seeds, dtype=np.uint64).astype(np.int64))
    out["simulated"] = (("draw", "summary"), np.array([[v.get(k, np.nan) for k in names] for _, v, _ in outcomes]))
    out["failed"] = ("draw", np.array([reason for _, _, reason in outcomes], dtype=str))
    out["observed"] = ("summary", result.observed.sel(summary=names).values)
    observed = [name for name in result.data_vars if str(name).startswith("observed_")]
    if observed and not settings:  # outer join: the observation's own times or list lengths, padded with NaN
        out = xr.merge([out, _indexed(result[observed])], join="outer", combine_attrs="override")
    out.attrs = {"model": result.attrs["model"], "base": json.dumps(simulator.base.to_attrs()), "seed": seed}
    return out


def band_coverage(
    predictive: xr.Dataset,
    observed: xr.Dataset,
    variables: Sequence[str],
    level: float = 0.9,
    *,
    shift: float = 0.0,
) -> dict[str, tuple[int, int]]:
    """How many observed times of each series lie inside the central ``level`` predictive band.

    Parameters
    ----------
    predictive : xarray.Dataset
        :func:`posterior_predictive` of a model whose measures are series over ``time`` (h).
    observed : xarray.Dataset
        The same measures, observed (e.g. :func:`mfn.network_metrics` of a real network).
    variables : sequence of str
        The series to check, e.g. ``["total_length", "free_ends"]``.
    level : float, default 0.9
        Central mass of the band: 0.9 is the 5–95 % band of :func:`mfn.viz.calibration.predictive_bands`.
    shift : float, default 0.0
        Hours added to the observed times before they meet the model's: the observed colony's
        age at its time 0, counted from the model's start (:func:`mfn.inference.colony_age.time_shift`).

    Returns
    -------
    dict
        ``name -> (inside, compared)``: observed times inside the band, and observed times at
        which the predictive has a band (shifted times inside the span of simulated times; the
        band between two simulated times is interpolated, :func:`band_at`).

    Raises
    ------
    ParameterError
        If a variable is not a series over ``time`` of both datasets, ``level`` is not in (0, 1)
        or ``shift`` is not finite.
    """
    level = check_real("level", level, 0.0, 1.0, lo_open=True, hi_open=True)
    shift = check_real("shift", shift)
    out = {}
    for name in variables:
        for data, which in ((predictive, "predictive"), (observed, "observed")):
            if name not in data.data_vars or "time" not in data[name].dims:
                raise ParameterError("variables", name, f"a series over time of the {which} data")
        obs = observed[name].dropna("time")
        lo, hi = band_at(predictive[name], obs.time.values + shift, [(1 - level) / 2, (1 + level) / 2])
        known = np.isfinite(lo) & np.isfinite(hi)
        value = obs.values[known]
        out[name] = (int(np.sum((lo[known] <= value) & (value <= hi[known]))), int(known.sum()))
    return out


def band_at(series: xr.DataArray, times: np.ndarray, quantiles: Sequence[float]) -> np.ndarray:
    """Quantiles over ``draw`` of a predictive series, at any ``times`` inside its span.

    Parameters
    ----------
    series : xarray.DataArray
        A measure of :func:`posterior_predictive` over ``(draw, time)``; time in h.
    times : (T,) float ndarray
        Where to read the quantiles, h (the model's clock).
    quantiles : sequence of float
        Quantiles in [0, 1].

    Returns
    -------
    (Q, T) float ndarray
        The quantiles at the simulated times, joined linearly between them (in log where the
        quantile is positive at both ends: L and N grow exponentially); NaN outside the span of
        simulated times at which every quantile is defined.
    """
    band = series.quantile(list(quantiles), dim="draw").dropna("time", how="any")
    t = band.time.values
    times = np.asarray(times, dtype=float)
    out = np.full((len(quantiles), times.size), np.nan)
    if t.size == 0:
        return out
    inside = (times >= t[0] - TIME_TOLERANCE) & (times <= t[-1] + TIME_TOLERANCE)
    at = np.clip(times[inside], t[0], t[-1])
    for k, q in enumerate(band.values):
        if np.all(q > 0.0):
            out[k, inside] = np.exp(np.interp(at, t, np.log(q)))
        else:
            out[k, inside] = np.interp(at, t, q)
    return out


def _indexed(measures: xr.Dataset) -> xr.Dataset:
    """``measures`` with an index on each dimension that has none, so that draws whose lists
    differ in length (a network's branchings, its apex-speed samples) stack, padded with NaN."""
    missing = {dim: np.arange(size) for dim, size in measures.sizes.items() if dim not in measures.coords}
    return measures.assign_coords(missing)


def _predict(simulator: Simulator, draw: dict, seed: int) -> tuple[Any, dict[str, float], str]:
    """``(measures, summaries, reason)`` of one draw (measures None and the reason when it failed)."""
    try:
        measures = simulator.measures(draw, seed)
        return measures, summary_values(simulator.summaries, measures), ""
    except Exception as err:  # a draw the model refuses is reported, not raised
        return None, {}, f"{type(err).__name__}: {err}"


def _simulator(result: xr.Dataset, summaries: list[Summary] | None, settings: dict[str, Any] | None) -> Simulator:
    model = get_model(result.attrs.get("model"))
    base = model.params_class.from_attrs(json.loads(result.attrs["base"]))
    specs = model.params_class.specs()
    fitted = {str(name) for name in result.parameter.values}
    for name in settings or {}:
        if name not in specs or name in fitted or name == "seed":
            raise ParameterError(
                "settings", name, f"a parameter of the {model.name} model that was not fitted (nor seed)"
            )
    base = base.replace(**(settings or {}))
    priors = tuple(
        Prior(str(name), None, float(lo), float(hi), specs[str(name)].unit, specs[str(name)].kind == "int")
        for name, lo, hi in zip(result.parameter.values, result.prior_lo.values, result.prior_hi.values, strict=True)
    )
    names = [str(s) for s in result.summary.values]
    own = {s.name: s for s in summaries or ()}
    offered = {s.name: s for s in model.summaries.summaries}
    missing = [name for name in names if name not in own and name not in offered]
    if missing:
        raise ParameterError(
            "summaries", summaries, f"Summary objects for {', '.join(missing)}", "the calibration used your own"
        )
    chosen = tuple(own.get(name) or offered[name] for name in names)
    return Simulator(base, priors, chosen, int(result.attrs.get("seed", 0)))


def to_arviz(result: xr.Dataset, seed: int = 0):
    """The posterior of a calibration as an ``arviz.InferenceData``.

    The weighted final population is resampled to as many equally weighted draws (one chain,
    systematic resampling with ``seed``). Groups: ``posterior`` (each fitted parameter),
    ``posterior_predictive`` (the summaries of the resampled particles' simulations),
    ``observed_data`` (the observed summaries, each over a one-long ``observation``
    dimension, as arviz's predictive checks expect) and ``sample_stats`` (``distance``).

    Raises
    ------
    ImportError
        When arviz is not installed (``pip install 'mfn[calibrate]'``).
    """
    try:
        import arviz
    except ImportError:
        raise ImportError("mfn.to_arviz needs arviz: pip install 'mfn[calibrate]'") from None
    seed = check_int("seed", seed, 0, SEED_MAX)
    picks = resample(result.weight.values, result.sizes["sample"], np.random.default_rng(seed))
    names = [str(s) for s in result.summary.values]
    posterior = {str(p): result[str(p)].values[picks][None, :] for p in result.parameter.values}
    predictive = {s: result.simulated.sel(summary=s).values[picks][None, :, None] for s in names}
    return arviz.from_dict(
        posterior=posterior,
        posterior_predictive=predictive,
        observed_data={s: np.atleast_1d(result.observed.sel(summary=s).values) for s in names},
        dims={name: ["observation"] for name in names},
        sample_stats={"distance": result.distance.values[picks][None, :]},
        attrs={"model": result.attrs.get("model", ""), "method": result.attrs.get("method", "")},
    )
