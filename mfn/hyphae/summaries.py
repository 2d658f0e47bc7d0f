"""Summaries of hyphal networks for fitting a model to a real fungus (:func:`mfn.calibrate`).

:func:`network_summary_set` builds the :class:`~mfn.core.summaries.SummarySet` of a model
whose runs carry a hyphal network: a run and an observation are both measured by
:func:`mfn.network_metrics`, and the summaries are the scalars of
:func:`mfn.hyphae.metrics.network_summaries` (the exponential rates of total length L and free
ends N, the hyphal growth unit G, quartiles of branching angles and apex speeds, the mass and
box dimensions). Observed data may be a :class:`HyphalNetwork`, its Dataset
(:meth:`HyphalNetwork.to_xarray`), a :func:`mfn.network_metrics` Dataset, or a Dataset of the
summaries themselves. ``L(t)``, ``N(t)`` and ``G(t)`` are the series a predictive figure bands.
"""

from __future__ import annotations

from collections.abc import Callable
from dataclasses import dataclass
from typing import Any

from mfn.core.errors import ParameterError
from mfn.core.summaries import Summary, SummarySet
from mfn.hyphae.metrics import SUMMARY_QUANTILES, network_metrics, network_summaries
from mfn.hyphae.network import NETWORK_VARIABLES, HyphalNetwork

__all__ = ["DEFAULT_SUMMARIES", "SERIES", "network_summary_set"]

SERIES = ("total_length", "free_ends", "growth_unit")
"""Measures over time drawn as posterior-predictive bands: L(t), N(t), G(t)."""
_QUANTILES = tuple(f"q{round(q * 100)}" for q in SUMMARY_QUANTILES)
DEFAULT_SUMMARIES = (
    "length_rate",
    "free_end_rate",
    "growth_unit",
    *(f"angle_{q}" for q in _QUANTILES),
    *(f"speed_{q}" for q in _QUANTILES),
    "mass_dimension",
)
"""What a calibration compares by default (issue 22): rates of L and N, G, angle and speed quartiles, D_mass."""
_UNITS = {
    "length_rate": ("1/h", "exponential rate of the total length L"),
    "free_end_rate": ("1/h", "exponential rate of the free ends N"),
    "growth_unit": ("µm", "hyphal growth unit G = L / N at the last time"),
    **{f"angle_{q}": ("degree", f"branching angle, {q}") for q in _QUANTILES},
    **{f"speed_{q}": ("µm/min", f"apex speed, {q}") for q in _QUANTILES},
    "mass_dimension": ("1", "mass dimension (radial mass scaling)"),
    "box_dimension": ("1", "box-counting dimension over the stated range"),
}


@dataclass(frozen=True)
class _Scalar:
    """Reads one scalar of :func:`network_summaries` (picklable, for Dask workers)."""

    name: str

    def __call__(self, measures) -> float:
        if "length_rate" not in measures.data_vars:
            return float("nan")
        return network_summaries(measures)[self.name]


@dataclass(frozen=True)
class _Measure:
    """A run's measures: :func:`network_metrics` of the network ``network_of`` extracts, at ``times``."""

    network_of: Callable[[Any], HyphalNetwork]
    times: tuple[float, ...] | None = None

    def __call__(self, run) -> Any:
        return network_metrics(self.network_of(run), None if self.times is None else list(self.times))


@dataclass(frozen=True)
class _Observe:
    """Observed data to network measures (see the module docstring)."""

    network_of: Callable[[Any], HyphalNetwork]

    def __call__(self, observed) -> Any:
        import xarray as xr

        if isinstance(observed, xr.Dataset) and all(v in observed for v in NETWORK_VARIABLES):
            observed = HyphalNetwork.from_xarray(observed)
        elif isinstance(observed, xr.Dataset) and "model" in observed.attrs:
            observed = self.network_of(observed)
        if isinstance(observed, HyphalNetwork):
            try:
                return network_metrics(observed)
            except ParameterError as err:
                raise ParameterError("observed", repr(observed), err.valid, err.hint) from None
        if isinstance(observed, xr.Dataset):
            if "length_rate" in observed.data_vars or any(n in observed.data_vars for n in DEFAULT_SUMMARIES):
                return observed
        raise ParameterError(
            "observed",
            type(observed).__name__,
            "a HyphalNetwork, a run carrying one, its Dataset, network_metrics, or a Dataset of summaries",
        )


def network_summary_set(network_of: Callable[[Any], HyphalNetwork], times: Any = None) -> SummarySet:
    """The summaries of a model whose run ``network_of(run)`` turns into its hyphal network.

    ``network_of`` must be a module-level function (Dask ships it by name), e.g.
    ``mfn.hyphal_network`` for the mycelium. ``times`` (h) are the hours at which runs are
    measured; give them (for example the observation's hours) so that the series of different
    runs share one ``time`` axis and posterior-predictive bands line up. By default each run is
    measured at its network's own node times.
    """
    return SummarySet(
        measure=_Measure(network_of, None if times is None else tuple(float(t) for t in times)),
        observe=_Observe(network_of),
        summaries=tuple(Summary(name, units, doc, _Scalar(name)) for name, (units, doc) in _UNITS.items()),
        default=DEFAULT_SUMMARIES,
        series=SERIES,
    )
