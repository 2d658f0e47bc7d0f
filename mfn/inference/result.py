"""The result of a calibration as an xarray Dataset, read from its pyabc history.

Layout (``docs/calibration.md``):

- over ``sample`` (the final generation's particles): one variable per fitted parameter (its
  unit and doc from the parameter spec), ``weight`` (sums to 1), ``distance``, ``seed`` (the
  simulation's, so it can be repeated) and ``simulated(sample, summary)``;
- over ``generation``: ``epsilon``, ``acceptance_rate``, ``ess`` (effective sample size of the
  weights), ``simulations``, ``failed`` and ``wall_time``;
- over ``summary``: ``observed`` and each summary's ``summary_units``;
- over ``parameter``: ``prior`` (in words), ``prior_lo``, ``prior_hi`` and ``truth`` (the
  observed run's value when the data were simulated, NaN otherwise);
- attributes: the model, the base parameters (JSON), population, seed, store, simulations
  (all, with the sample from the prior that calibrated the distance), the failures by reason
  (JSON), the method, versions, creation time and duration.
"""

from __future__ import annotations

import json
from collections import Counter
from collections.abc import Mapping, Sequence
from typing import TYPE_CHECKING, Any

import numpy as np

from mfn.core.summaries import Summary
from mfn.inference.priors import Prior
from mfn.inference.simulator import SEED_KEY

if TYPE_CHECKING:
    import xarray as xr

__all__ = ["build_result", "credible_intervals", "effective_sample_size", "weighted_quantile"]

METHOD = (
    "ABC-SMC (pyabc): adaptive p-norm distance (p = 2, scales refitted every generation by the median "
    "absolute deviation of all simulations), threshold = weighted median of the previous generation's "
    "distances, multivariate normal perturbation kernel; failed simulations rejected"
)


def effective_sample_size(weights: np.ndarray) -> float:
    """Kish's effective sample size ``(Σw)² / Σw²`` of importance weights.

    Examples
    --------
    >>> effective_sample_size(np.ones(10))
    10.0
    """
    w = np.asarray(weights, dtype=float)
    return float(w.sum() ** 2 / np.sum(w**2))


def build_result(
    history,
    priors: Mapping[str, Prior],
    summaries: Sequence[Summary],
    observed: Mapping[str, float],
    truth: Mapping[str, float],
    failures: Mapping[int, Counter],
    attrs: Mapping[str, Any],
) -> xr.Dataset:
    """The result Dataset (module docstring) of the finished generations in ``history``."""
    import xarray as xr

    table = history.get_all_populations()
    table = table[table["t"] >= 0]
    generations = table["t"].to_numpy().astype(int)
    particles = history.get_population(t=int(generations[-1])).particles
    names = [s.name for s in summaries]
    weights = np.array([p.weight for p in particles], dtype=float)
    weights /= weights.sum()
    ess = [effective_sample_size([p.weight for p in history.get_population(t=int(t)).particles]) for t in generations]
    failed = [sum(failures.get(int(t), Counter()).values()) for t in generations]
    ds = xr.Dataset(
        coords={
            "sample": np.arange(len(particles)),
            "generation": generations,
            "summary": names,
            "parameter": list(priors),
        }
    )
    for name, prior in priors.items():
        values = np.array([prior.value(p.parameter[name]) for p in particles])
        ds[name] = ("sample", values, {"units": prior.units, "long_name": name, "prior": prior.description})
    ds["weight"] = ("sample", weights, {"units": "1", "long_name": "importance weight (sums to 1)"})
    ds["distance"] = ("sample", np.array([p.distance for p in particles]), {"long_name": "distance to the data"})
    ds["seed"] = ("sample", np.array([int(p.sum_stat[SEED_KEY]) for p in particles], dtype=np.int64))
    ds["seed"].attrs = {"long_name": "seed of the sample's simulation"}
    simulated = np.array([[float(p.sum_stat[n]) for n in names] for p in particles])
    ds["simulated"] = (("sample", "summary"), simulated, {"long_name": "summaries of the sample's simulation"})
    ds["observed"] = ("summary", np.array([observed[n] for n in names]), {"long_name": "observed summaries"})
    ds["summary_units"] = ("summary", np.array([s.units for s in summaries], dtype=str))
    ds["summary_long_name"] = ("summary", np.array([s.long_name for s in summaries], dtype=str))
    simulations = table["samples"].to_numpy().astype(np.int64)
    per_generation = {
        "epsilon": (table["epsilon"].to_numpy(), "1", "acceptance threshold on the distance"),
        "acceptance_rate": (table["particles"].to_numpy() / simulations, "1", "accepted / simulated"),
        "ess": (np.array(ess), "1", "effective sample size of the weights"),
        "simulations": (simulations, "1", "simulations run"),
        "failed": (np.array(failed, dtype=np.int64), "1", "simulations that failed (rejected)"),
        "wall_time": (table["wall_time"].to_numpy(), "s", "wall time"),
    }
    for name, (values, units, long_name) in per_generation.items():
        ds[name] = ("generation", values, {"units": units, "long_name": long_name})
    ds["prior"] = ("parameter", np.array([p.description for p in priors.values()], dtype=str))
    ds["prior_lo"] = ("parameter", np.array([p.lo for p in priors.values()]), {"long_name": "prior support, low"})
    ds["prior_hi"] = ("parameter", np.array([p.hi for p in priors.values()]), {"long_name": "prior support, high"})
    ds["truth"] = ("parameter", np.array([truth.get(n, np.nan) for n in priors], dtype=float))
    ds["truth"].attrs = {"long_name": "value in the observed run (NaN when unknown)"}
    reasons: Counter = Counter()
    for counts in failures.values():
        reasons.update(counts)
    ds.attrs = {
        **attrs,
        "method": METHOD,
        "simulations": int(history.total_nr_simulations),
        "failures": json.dumps(dict(reasons.most_common())),
    }
    return ds


def weighted_quantile(values: np.ndarray, weights: np.ndarray, q: float | Sequence[float]) -> np.ndarray:
    """Quantiles ``q`` of weighted samples (midpoint rule on the weights' cumulative sum).

    Examples
    --------
    >>> float(weighted_quantile(np.array([1.0, 2.0, 3.0]), np.ones(3), 0.5))
    2.0
    """
    x = np.asarray(values, dtype=float)
    w = np.asarray(weights, dtype=float)
    order = np.argsort(x)
    cumulative = (np.cumsum(w[order]) - 0.5 * w[order]) / w.sum()
    return np.interp(q, cumulative, x[order])


def credible_intervals(result: xr.Dataset, level: float = 0.9) -> xr.Dataset:
    """Posterior median and central ``level`` interval of each fitted parameter.

    Returns
    -------
    xarray.Dataset
        ``median``, ``lo``, ``hi`` and ``truth`` over ``parameter``; ``inside`` (1 when the
        truth lies in the interval, 0 when not, -1 when the truth is unknown).
    """
    import xarray as xr

    from mfn.core.checks import check_real

    level = check_real("level", level, 0.0, 1.0, lo_open=True, hi_open=True)
    names = [str(p) for p in result.parameter.values]
    w = result.weight.values
    q = np.array([weighted_quantile(result[n].values, w, [(1 - level) / 2, 0.5, (1 + level) / 2]) for n in names])
    truth = result.truth.values
    inside = np.where(np.isfinite(truth), ((q[:, 0] <= truth) & (truth <= q[:, 2])).astype(int), -1)
    return xr.Dataset(
        {
            "median": ("parameter", q[:, 1]),
            "lo": ("parameter", q[:, 0]),
            "hi": ("parameter", q[:, 2]),
            "truth": ("parameter", truth),
            "inside": ("parameter", inside),
        },
        coords={"parameter": names},
        attrs={"level": level},
    )
