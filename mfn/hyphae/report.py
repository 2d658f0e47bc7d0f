"""The main measures of networks as a table or as lines of text (``mfn measure``, the notebook).

One row per network: L and N at chosen hours and at the last time, the exponential rates of
L and N with their 95 % intervals and window, the growth unit G at the last time, the median
branching angle and apex speed, and the box and mass dimensions with the ranges they were
fitted on.
"""

from __future__ import annotations

from collections.abc import Mapping, Sequence
from typing import TYPE_CHECKING

import numpy as np

from mfn.hyphae.metrics import network_summaries

if TYPE_CHECKING:
    import pandas as pd
    import xarray as xr

__all__ = ["describe_metrics", "measure_row", "measure_table"]


def _at(metrics: xr.Dataset, name: str, hour: float) -> float:
    """``name`` at the last measured time not after ``hour`` (NaN before the first)."""
    times = metrics.time.values
    k = np.searchsorted(times, hour + 1e-9, side="right") - 1
    return float(metrics[name].values[k]) if k >= 0 else float("nan")


def measure_row(metrics: xr.Dataset, hours: Sequence[float] = ()) -> dict[str, float | str]:
    """The main measures of one :func:`mfn.network_metrics` Dataset (module docstring)."""
    s = network_summaries(metrics)
    row: dict[str, float | str] = {}
    for h in hours:
        row[f"L {h:g} h (mm)"] = _at(metrics, "total_length", h)
        row[f"N {h:g} h"] = _at(metrics, "free_ends", h)
    last = float(metrics.time.values[-1])
    row["last time (h)"] = last
    row["L last (mm)"] = float(metrics.total_length.values[-1])
    row["N last"] = float(metrics.free_ends.values[-1])
    window = metrics.length_rate.attrs["window_h"]
    row["rate window (h)"] = f"{window[0]:.1f}-{window[1]:.1f}"
    for key, name in (("L rate (1/h)", "length_rate"), ("N rate (1/h)", "free_end_rate")):
        row[key] = s[name]
        row[key.replace("rate", "rate 95 %")] = (
            f"{float(metrics[name + '_low']):.3f}-{float(metrics[name + '_high']):.3f}"
        )
    row["G last (µm)"] = s["growth_unit"]
    row["median angle (deg)"] = s["angle_q50"]
    row["median apex speed (µm/min)"] = s["speed_q50"]
    lo, hi = metrics.box_dimension.attrs["range_um"]
    row["box dimension"] = s["box_dimension"]
    row["box range (µm)"] = f"{lo:.0f}-{hi:.0f}"
    lo, hi = metrics.mass_dimension.attrs["range_um"]
    row["mass dimension"] = s["mass_dimension"]
    row["mass range (µm)"] = f"{lo:.0f}-{hi:.0f}"
    return row


def measure_table(metrics: Mapping[str, xr.Dataset], hours: Sequence[float] = ()) -> pd.DataFrame:
    """One :func:`measure_row` per named Dataset, as a DataFrame indexed by name."""
    import pandas as pd

    return pd.DataFrame({name: measure_row(ds, hours) for name, ds in metrics.items()}).T


def describe_metrics(metrics: xr.Dataset) -> str:
    """The main measures as lines of ``name: value`` text."""
    lines = []
    for key, value in measure_row(metrics).items():
        shown = f"{value:.4g}" if isinstance(value, float) else value
        lines.append(f"{key}: {shown}")
    return "\n".join(lines)
