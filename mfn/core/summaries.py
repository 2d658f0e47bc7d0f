"""Summary statistics a model offers for fitting it to data (:func:`mfn.calibrate`).

Fitting compares a simulation with an observation through a few numbers, its summary
statistics. A model that can be fitted declares them once, as a :class:`SummarySet` in its
:class:`~mfn.core.model.Model` (``summaries=``):

- ``measure(run)`` turns a run into its *measures*, an :class:`xarray.Dataset` (for the
  reaction–diffusion model the final pattern; for the mycelium its network measures over time);
- ``observe(observed)`` turns what a user observed (a run, a network, a Dataset of measures)
  into the same measures, so a simulation and an observation are measured alike;
- each :class:`Summary` reads one number from the measures (or takes it as it is, when the
  measures already hold a 0-d variable of that name: a Dataset of summaries is observed data too);
- ``default`` names the summaries a calibration uses unless told otherwise, ``series`` the
  measures over ``time`` worth a predictive band, and ``pattern`` a 2-D measure to draw.

Everything here must be importable by name on a Dask worker (module-level functions), since
the simulations of a calibration run there.
"""

from __future__ import annotations

from collections.abc import Callable, Sequence
from dataclasses import dataclass
from typing import TYPE_CHECKING, Any

import numpy as np

from mfn.core.errors import ParameterError

if TYPE_CHECKING:
    import xarray as xr

__all__ = ["Summary", "SummarySet", "summary_values"]


@dataclass(frozen=True)
class Summary:
    """One summary statistic.

    Attributes
    ----------
    name : str
        Its name (a variable of the calibration result, a key of the observed summaries).
    units, long_name : str
        For tables and plots.
    compute : callable
        ``compute(measures) -> float``; NaN when the measures do not define it (no pattern).
    """

    name: str
    units: str
    long_name: str
    compute: Callable[[Any], float]

    def value(self, measures: xr.Dataset) -> float:
        """The statistic of ``measures``: a 0-d variable called ``name`` if there is one, else computed."""
        if self.name in measures.data_vars and measures[self.name].ndim == 0:
            return float(measures[self.name].values)
        return float(self.compute(measures))


@dataclass(frozen=True)
class SummarySet:
    """The summaries a model offers (see the module docstring).

    Attributes
    ----------
    measure : callable
        ``measure(run) -> xarray.Dataset``: the measures of a run made by :func:`mfn.simulate`.
    observe : callable
        ``observe(observed) -> xarray.Dataset``: the measures of observed data (a run, a network
        or a Dataset of measures); ``ParameterError`` for anything else or for empty data.
    summaries : tuple of Summary
        Every summary the model offers.
    default : tuple of str
        The ones a calibration uses by default.
    record_every : int or None
        How the simulations of a calibration record their runs (None: the final frame only).
    series : tuple of str
        Measures over ``time`` that a posterior-predictive figure draws as bands.
    pattern : str or None
        A 2-D measure ``(y, x)`` that a posterior-predictive figure draws beside the observed one.
    """

    measure: Callable[[Any], Any]
    observe: Callable[[Any], Any]
    summaries: tuple[Summary, ...]
    default: tuple[str, ...]
    record_every: int | None = None
    series: tuple[str, ...] = ()
    pattern: str | None = None

    def __post_init__(self) -> None:
        names = self.names
        if len(set(names)) != len(names):
            raise ParameterError("summaries", names, "distinct names")
        self.select(self.default)

    @property
    def names(self) -> tuple[str, ...]:
        """The name of every summary offered."""
        return tuple(s.name for s in self.summaries)

    def select(self, chosen: Sequence[str | Summary] | None) -> tuple[Summary, ...]:
        """The summaries ``chosen``: names of this set's summaries or :class:`Summary` objects of your own.

        None gives the default ones. Raises ``ParameterError`` for an unknown name, an empty
        list or a name given twice.
        """
        if chosen is None:
            chosen = self.default
        if isinstance(chosen, str) or not isinstance(chosen, Sequence) or len(chosen) == 0:
            raise ParameterError(
                "summaries", chosen, f"a non-empty list of names from {', '.join(self.names)} or Summary objects"
            )
        by_name = {s.name: s for s in self.summaries}
        out = []
        for item in chosen:
            if isinstance(item, Summary):
                out.append(item)
            elif isinstance(item, str) and item in by_name:
                out.append(by_name[item])
            else:
                raise ParameterError("summaries", item, f"one of {', '.join(self.names)}, or a Summary object")
        names = [s.name for s in out]
        if len(set(names)) != len(names):
            raise ParameterError("summaries", names, "distinct names")
        return tuple(out)


def summary_values(summaries: Sequence[Summary], measures: xr.Dataset) -> dict[str, float]:
    """``{name: value}`` of each summary of ``measures`` (NaN, never inf, where undefined)."""
    out = {}
    for summary in summaries:
        value = summary.value(measures)
        out[summary.name] = value if np.isfinite(value) else float("nan")
    return out
