"""Priors of a calibration: which parameters are fitted, and what is believed before the data.

A prior is given per parameter name as ``(lo, hi)`` (uniform) or as a frozen
``scipy.stats`` distribution; a name given without a prior (``None``) takes the uniform
distribution over the parameter's valid range from its spec. Every prior is checked against
the parameter's spec: the name must be a number parameter of the model (not ``seed``: each
simulation gets its own), and the prior's whole support must lie in the valid range, so no
draw can be a value the model refuses for that parameter alone.
"""

from __future__ import annotations

import math
from collections.abc import Mapping
from dataclasses import dataclass
from typing import Any

import numpy as np

from mfn.core.errors import ParameterError
from mfn.core.params import ModelParams, ParamSpec

__all__ = ["Prior", "resolve_priors"]


@dataclass(frozen=True)
class Prior:
    """The prior of one parameter.

    Attributes
    ----------
    name : str
        The parameter.
    dist : scipy.stats frozen distribution
        What is believed before the data.
    lo, hi : float
        The support of ``dist`` (may be infinite only when the parameter's range is).
    units : str
        The parameter's unit.
    integer : bool
        The parameter is an integer: a draw is rounded to the nearest one.
    """

    name: str
    dist: Any
    lo: float
    hi: float
    units: str
    integer: bool = False

    @property
    def description(self) -> str:
        """The distribution in words, e.g. ``uniform(0.01, 0.2)`` or ``norm(loc=1, scale=0.1)``."""
        if self.dist.dist.name == "uniform":
            return f"uniform({self.lo:g}, {self.hi:g})"
        args = [f"{a:g}" for a in self.dist.args] + [f"{k}={v:g}" for k, v in self.dist.kwds.items()]
        return f"{self.dist.dist.name}({', '.join(args)})"

    def value(self, x: float) -> float | int:
        """A draw as the parameter takes it (rounded when it is an integer)."""
        return round(x) if self.integer else float(x)


def resolve_priors(params_class: type[ModelParams], priors: Mapping[str, Any]) -> dict[str, Prior]:
    """Check ``priors`` against ``params_class`` and return them as :class:`Prior` objects.

    Raises
    ------
    ParameterError
        For an empty mapping, an unknown or non-numeric parameter, ``lo >= hi``, a non-finite
        bound, something that is neither a pair nor a frozen ``scipy.stats`` distribution, or a
        prior whose support leaves the parameter's valid range.
    """
    if not isinstance(priors, Mapping) or not priors:
        raise ParameterError("priors", priors, "a non-empty mapping of parameter name -> (lo, hi) or distribution")
    specs = params_class.specs()
    out = {}
    for name, given in priors.items():
        spec = specs.get(name)
        if spec is None:
            raise ParameterError(name, given, f"a {params_class.__name__} parameter: one of {', '.join(specs)}")
        if spec.kind not in ("int", "float") or name == "seed":
            raise ParameterError(
                name, given, "a number parameter to fit", "seed and switches, choices and grids are not fitted"
            )
        out[name] = _prior(spec, given)
    return out


def _prior(spec: ParamSpec, given: Any) -> Prior:
    from scipy import stats

    name = spec.name
    if given is None:
        if spec.lo is None or spec.hi is None:
            raise ParameterError(name, None, "a prior (lo, hi)", f"{name} has no finite valid range to default to")
        given = (spec.lo, spec.hi)
    if hasattr(given, "dist") and hasattr(given, "support") and hasattr(given, "rvs"):
        dist = given
        if not isinstance(getattr(dist.dist, "name", None), str) or not hasattr(stats, dist.dist.name):
            raise ParameterError(name, given, "a frozen distribution of scipy.stats (e.g. scipy.stats.norm(1, 0.1))")
        lo, hi = (float(b) for b in dist.support())
    elif isinstance(given, (tuple, list)) and len(given) == 2:
        try:
            lo, hi = float(given[0]), float(given[1])
        except (TypeError, ValueError):
            raise ParameterError(name, given, "a pair of numbers (lo, hi)") from None
        if not (math.isfinite(lo) and math.isfinite(hi)):
            raise ParameterError(name, given, "finite bounds (lo, hi)")
        if not lo < hi:
            raise ParameterError(name, given, "(lo, hi) with lo < hi")
        dist = stats.uniform(lo, hi - lo)
    else:
        raise ParameterError(name, given, "(lo, hi) for a uniform prior, or a frozen scipy.stats distribution")
    valid_lo = -np.inf if spec.lo is None else spec.lo
    valid_hi = np.inf if spec.hi is None else spec.hi
    if lo < valid_lo or hi > valid_hi:
        raise ParameterError(
            name,
            f"a prior on [{lo:g}, {hi:g}]",
            f"a prior inside the valid range of {name}: {spec.describe()}",
            "bound it, e.g. with scipy.stats.truncnorm" if not (math.isfinite(lo) and math.isfinite(hi)) else None,
        )
    return Prior(name, dist, lo, hi, spec.unit, integer=spec.kind == "int")
