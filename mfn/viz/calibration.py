"""Pictures of a calibration (matplotlib): posterior, convergence, posterior predictive.

- :func:`corner_plot`: each fitted parameter's weighted posterior (histogram) on its prior's
  range, each pair as weighted points; the true values where the data were simulated.
- :func:`generations_plot`: epsilon and the acceptance rate by generation.
- :func:`predictive_bands`: measures over time (L(t), N(t), the growth unit) as 50 % and 90 %
  bands of the posterior predictive, the observed series drawn over them (shifted by the
  colony's age when given).
- :func:`predictive_patterns`: the observed pattern beside patterns of the posterior predictive,
  on one colour scale.
- :func:`predictive_summaries`: each summary's posterior-predictive distribution and the
  observed value.

Every function returns a ``matplotlib.figure.Figure``; labels come from the Datasets' units.
"""

from __future__ import annotations

from collections.abc import Sequence
from typing import TYPE_CHECKING

import numpy as np

from mfn.core.checks import check_real
from mfn.core.errors import ParameterError
from mfn.inference.result import weighted_quantile

if TYPE_CHECKING:
    import xarray as xr
    from matplotlib.figure import Figure

__all__ = ["corner_plot", "generations_plot", "predictive_bands", "predictive_patterns", "predictive_summaries"]

TRUTH_COLOUR = "#d62728"
OBSERVED_COLOUR = "black"
POSTERIOR_COLOUR = "#1f77b4"


def _label(ds: xr.Dataset, name: str) -> str:
    units = ds[name].attrs.get("units", "")
    return f"{name} ({units})" if units and units != "1" else name


def _limits(result: xr.Dataset, name: str) -> tuple[float, float]:
    lo = float(result.prior_lo.sel(parameter=name))
    hi = float(result.prior_hi.sel(parameter=name))
    if np.isfinite(lo) and np.isfinite(hi):
        return lo, hi
    x = result[name].values
    pad = 0.1 * (x.max() - x.min() or 1.0)
    return float(x.min() - pad), float(x.max() + pad)


def corner_plot(result: xr.Dataset, *, bins: int = 20) -> Figure:
    """The posterior of a calibration: marginals on the diagonal, pairs below it.

    Each axis spans the parameter's prior range (the prior's support), so how much the data
    narrowed it shows at a glance; the diagonal states the posterior median and 90 % interval,
    and the red lines mark the true values when the observed data were simulated.
    """
    import matplotlib.pyplot as plt

    names = [str(p) for p in result.parameter.values]
    w = result.weight.values
    n = len(names)
    fig, axes = plt.subplots(n, n, figsize=(2.6 * n + 0.6, 2.6 * n + 0.4), squeeze=False)
    for i, yi in enumerate(names):
        for j, xj in enumerate(names):
            ax = axes[i, j]
            if j > i:
                ax.set_visible(False)
                continue
            x = result[xj].values
            if i == j:
                lo, hi = _limits(result, xj)
                ax.hist(x, bins=np.linspace(lo, hi, bins + 1), weights=w, color=POSTERIOR_COLOUR, alpha=0.7)
                q5, q50, q95 = weighted_quantile(x, w, [0.05, 0.5, 0.95])
                for q in (q5, q95):
                    ax.axvline(q, color=POSTERIOR_COLOUR, lw=1, ls="--")
                ax.set_title(f"{xj} = {q50:.3g} [{q5:.3g}, {q95:.3g}]", fontsize=9)
                ax.set_yticks([])
                ax.set_xlim(lo, hi)
            else:
                y = result[yi].values
                ax.scatter(x, y, s=8 + 400 * w, c=POSTERIOR_COLOUR, alpha=0.5, linewidths=0)
                ax.set_xlim(*_limits(result, xj))
                ax.set_ylim(*_limits(result, yi))
                truth_y = float(result.truth.sel(parameter=yi))
                if np.isfinite(truth_y):
                    ax.axhline(truth_y, color=TRUTH_COLOUR, lw=1)
            truth_x = float(result.truth.sel(parameter=xj))
            if np.isfinite(truth_x):
                ax.axvline(truth_x, color=TRUTH_COLOUR, lw=1.5 if i == j else 1)
            if i == n - 1:
                ax.set_xlabel(_label(result, xj))
            if j == 0 and i > 0:
                ax.set_ylabel(_label(result, yi))
    truth = "; red: true values" if np.isfinite(result.truth.values).any() else ""
    fig.suptitle(
        f"posterior of {result.attrs.get('model', '')}, generation {int(result.generation[-1])}, "
        f"{result.sizes['sample']} particles\naxes span the priors; dashed: 90 % interval{truth}",
        fontsize=9,
    )
    fig.tight_layout()
    return fig


def generations_plot(result: xr.Dataset) -> Figure:
    """Epsilon (the acceptance threshold) and the acceptance rate against generation.

    With the adaptive distance the distance's scales are refitted every generation, so epsilon
    is in that generation's units: it shows progress within a run, not an absolute error.
    """
    import matplotlib.pyplot as plt

    g = result.generation.values
    fig, (ax1, ax2) = plt.subplots(1, 2, figsize=(8, 3))
    ax1.plot(g, result.epsilon.values, "o-", color=POSTERIOR_COLOUR)
    ax1.set_xlabel("generation")
    ax1.set_ylabel("epsilon (adaptive distance)")
    ax1.set_title("acceptance threshold", fontsize=10)
    ax2.plot(g, result.acceptance_rate.values, "o-", color="#2ca02c")
    ax2.set_xlabel("generation")
    ax2.set_ylabel("accepted / simulated")
    ax2.set_ylim(0, 1.05)
    total = int(result.attrs.get("simulations", result.simulations.sum()))
    ax2.set_title(f"acceptance ({total} simulations in all)", fontsize=10)
    for ax in (ax1, ax2):
        ax.set_xticks(g)
    fig.tight_layout()
    return fig


def predictive_bands(
    predictive: xr.Dataset,
    variables: Sequence[str],
    observed: xr.Dataset | None = None,
    *,
    shift: float = 0.0,
    log: Sequence[str] = (),
) -> Figure:
    """Measures over ``time`` of the posterior predictive as bands (5–95 % and 25–75 %) and median.

    ``observed`` (a Dataset of the same measures) is drawn over them; otherwise the
    ``observed_<name>`` variables that :func:`mfn.posterior_predictive` copies from the result.
    ``shift`` (h) moves the observed times onto the model's clock (the colony's age at the
    observation's time 0, :func:`mfn.inference.colony_age.time_shift`); the observation at its
    own clock is then drawn too, as open grey circles. The ``log`` variables get a log axis.
    """
    import matplotlib.pyplot as plt

    shift = check_real("shift", shift)
    for name in [*variables, *log]:
        if name not in predictive.data_vars or "time" not in predictive[name].dims:
            raise ParameterError("variables", name, "measures of the predictive over time")
    fig, axes = plt.subplots(1, len(variables), figsize=(3.6 * len(variables), 3.2), squeeze=False)
    for ax, name in zip(axes[0], variables, strict=True):
        series = predictive[name]
        t = series.time.values
        q = series.quantile([0.05, 0.25, 0.5, 0.75, 0.95], dim="draw").values
        ax.fill_between(t, q[0], q[4], color=POSTERIOR_COLOUR, alpha=0.2, label="90 % predictive")
        ax.fill_between(t, q[1], q[3], color=POSTERIOR_COLOUR, alpha=0.35, label="50 % predictive")
        ax.plot(t, q[2], color=POSTERIOR_COLOUR, lw=1)
        obs = observed[name] if observed is not None else predictive.get(f"observed_{name}")
        if obs is not None:
            if shift:
                ax.plot(obs.time.values, obs.values, "o", ms=3, mfc="none", color="0.6", label="observed, own clock")
            label = f"observed, {shift:+.2f} h" if shift else "observed"
            ax.plot(obs.time.values + shift, obs.values, "o", ms=3, color=OBSERVED_COLOUR, label=label)
        if name in log:
            ax.set_yscale("log")
        time_units = series.time.attrs.get("units", "")
        ax.set_xlabel(f"time ({time_units})" if time_units else "time")
        ax.set_ylabel(_label(predictive, name))
    axes[0, 0].legend(fontsize=8)
    fig.tight_layout()
    return fig


def predictive_patterns(predictive: xr.Dataset, variable: str = "u", n: int = 3) -> Figure:
    """The observed pattern (``observed_<variable>``) beside ``n`` posterior-predictive patterns."""
    import matplotlib.pyplot as plt

    observed = predictive.get(f"observed_{variable}")
    if variable not in predictive.data_vars or observed is None:
        raise ParameterError("variable", variable, "a pattern of the predictive with its observed_ counterpart")
    n = min(int(n), predictive.sizes["draw"])
    frames = [observed.values] + [predictive[variable].isel(draw=k).values for k in range(n)]
    lo = min(np.nanmin(f) for f in frames)
    hi = max(np.nanmax(f) for f in frames)
    fig, axes = plt.subplots(1, n + 1, figsize=(2.6 * (n + 1) + 0.8, 2.8))
    for k, (ax, frame) in enumerate(zip(axes, frames, strict=True)):
        image = ax.imshow(frame, cmap="viridis", vmin=lo, vmax=hi, origin="lower")
        ax.set_title("observed" if k == 0 else f"predictive draw {k - 1}", fontsize=9)
        ax.set_xticks([])
        ax.set_yticks([])
    fig.colorbar(image, ax=list(axes), shrink=0.8, label=_label(predictive, variable))
    return fig


def predictive_summaries(predictive: xr.Dataset) -> Figure:
    """Each summary's posterior-predictive histogram with the observed value (black line)."""
    import matplotlib.pyplot as plt

    names = [str(s) for s in predictive.summary.values]
    fig, axes = plt.subplots(1, len(names), figsize=(2.8 * len(names), 2.6), squeeze=False)
    for ax, name in zip(axes[0], names, strict=True):
        values = predictive.simulated.sel(summary=name).values
        values = values[np.isfinite(values)]
        ax.hist(values, bins=15, color=POSTERIOR_COLOUR, alpha=0.7)
        ax.axvline(float(predictive.observed.sel(summary=name)), color=OBSERVED_COLOUR, lw=2)
        ax.set_title(name, fontsize=9)
        ax.set_yticks([])
    fig.suptitle("posterior predictive of each summary; black: observed", fontsize=9)
    fig.tight_layout()
    return fig
