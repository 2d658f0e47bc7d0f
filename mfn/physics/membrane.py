"""The ionic medium of a membrane as model parameters, and the resting potential it sets.

Every model whose membrane potential rests at the Goldman–Hodgkin–Katz potential (the
reaction–diffusion model; the mycelium's fungal membrane rests instead where its proton pump
balances its K+ leak, :mod:`mfn.physics.pump_leak`) declares the same nine parameters, named as the
arguments of :func:`mfn.ghk`: ``k_in``, ``k_out``, ``na_in``, ``na_out``, ``cl_in``,
``cl_out`` (mM, defaults from :data:`mfn.physics.nernst.IONS`), ``p_na``, ``p_cl``
(permeabilities relative to K+) and ``temperature`` (K). A params class declares them with
:func:`ion_parameter` and inherits ``E_rest`` from :class:`GHKRestingPotential`::

    @dataclass(frozen=True)
    class MyParams(GHKRestingPotential, ModelParams):
        ...
        k_in: float = ion_parameter("k_in")
        ...

Fields are declared in the class body (not inherited) so that they keep their place after the
model's own parameters in CLI options and live-view widgets.
"""

from __future__ import annotations

from typing import Any

from mfn.core.params import parameter
from mfn.physics.nernst import IONS, ghk

__all__ = ["ION_PARAMETERS", "GHKRestingPotential", "ion_parameter"]

_MM_PER_MOLAR = 1e3
_CONCENTRATION = {"lo": 0.0, "hi": 1000.0, "unit": "mM"}
_PERMEABILITY = {"lo": 0.0, "hi": 100.0, "unit": ""}

ION_PARAMETERS: dict[str, dict[str, Any]] = {
    "k_in": {"default": IONS["K"].c_in * _MM_PER_MOLAR, "doc": "intracellular K+", **_CONCENTRATION},
    "k_out": {"default": IONS["K"].c_out * _MM_PER_MOLAR, "doc": "extracellular K+", **_CONCENTRATION},
    "na_in": {"default": IONS["Na"].c_in * _MM_PER_MOLAR, "doc": "intracellular Na+", **_CONCENTRATION},
    "na_out": {"default": IONS["Na"].c_out * _MM_PER_MOLAR, "doc": "extracellular Na+", **_CONCENTRATION},
    "cl_in": {"default": IONS["Cl"].c_in * _MM_PER_MOLAR, "doc": "intracellular Cl-", **_CONCENTRATION},
    "cl_out": {"default": IONS["Cl"].c_out * _MM_PER_MOLAR, "doc": "extracellular Cl-", **_CONCENTRATION},
    "p_na": {"default": 0.04, "doc": "Na+ permeability relative to K+ (GHK)", **_PERMEABILITY},
    "p_cl": {"default": 0.45, "doc": "Cl- permeability relative to K+ (GHK)", **_PERMEABILITY},
    "temperature": {"default": 310.0, "lo": 273.0, "hi": 320.0, "unit": "K", "doc": "temperature (GHK)"},
}
"""Default, valid range, unit and doc of each ion parameter (concentrations in mM)."""


def ion_parameter(name: str) -> Any:
    """A new dataclass field for the ion parameter ``name`` (a key of :data:`ION_PARAMETERS`).

    Parameters
    ----------
    name : str
        One of ``k_in, k_out, na_in, na_out, cl_in, cl_out, p_na, p_cl, temperature``.

    Returns
    -------
    dataclasses.Field
        Made by :func:`mfn.core.params.parameter`, so the spec drives validation, CLI options,
        sweep axes and widgets like any other field.
    """
    spec = dict(ION_PARAMETERS[name])
    default = round(spec.pop("default"), 9)  # 0.140 * 1e3 is 140.00000000000003
    return parameter(default, "float", **spec)


class GHKRestingPotential:
    """Mixin for a params dataclass that declares the :data:`ION_PARAMETERS` fields."""

    __slots__ = ()

    @property
    def E_rest(self) -> float:
        """Resting potential from the GHK voltage equation at these ions, mV (p_K = 1).

        Examples
        --------
        >>> from mfn import ReactionDiffusionParams
        >>> round(ReactionDiffusionParams().E_rest, 2)
        -73.1
        """
        p: Any = self
        molar = _MM_PER_MOLAR
        volts = ghk(
            p.k_in / molar,
            p.k_out / molar,
            p.na_in / molar,
            p.na_out / molar,
            p.cl_in / molar,
            p.cl_out / molar,
            1.0,
            p.p_na,
            p.p_cl,
            p.temperature,
        )
        return float(volts) * _MM_PER_MOLAR
