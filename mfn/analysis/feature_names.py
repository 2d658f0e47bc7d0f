"""The 18 features by name, in their fixed order, with their units and long names (docs/features.md).

:data:`FEATURE_NAMES` is the order of every features Dataset, vector and datacube;
:func:`feature_attrs` gives each feature's units and long name for the field it was measured
on (a model's primary variable), :data:`FEATURE_UNITS` and :data:`FEATURE_LONG_NAMES` those of
the classic model's potential V in mV.
"""

from __future__ import annotations

__all__ = ["FEATURE_LONG_NAMES", "FEATURE_NAMES", "FEATURE_UNITS", "feature_attrs"]

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
