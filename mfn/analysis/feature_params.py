"""The settings of the 18 features: thresholds, box counting, stability and connectivity.

A :class:`FeatureParams` is validated on construction; :data:`DEFAULT_FEATURE_PARAMS` is the
default made once. Thresholds are fixed (-60/-50/-40 mV by default) or adaptive (percentiles
of the final field, 50/75/90 by default).
"""

from __future__ import annotations

from dataclasses import dataclass
from typing import Any

from mfn.analysis.fractal import NUM_SCALES_RANGE
from mfn.core.checks import check_choice, check_int, check_real
from mfn.core.errors import ParameterError

__all__ = ["DEFAULT_FEATURE_PARAMS", "THRESHOLD_MODES", "FeatureParams"]

THRESHOLD_MODES = ("fixed", "adaptive")
"""How the thresholds are chosen: given values, or percentiles of the final field."""


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
