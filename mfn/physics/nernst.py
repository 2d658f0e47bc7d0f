"""Membrane electrochemistry: the Nernst and Goldman–Hodgkin–Katz (GHK) equations.

Potentials are returned in volts; concentrations are in mol/L and temperatures in kelvin.
"""

from __future__ import annotations

from dataclasses import dataclass

import numpy as np

from mfn.core.checks import check_array, check_choice, check_real
from mfn.core.errors import ParameterError

__all__ = [
    "CONCENTRATION_FLOOR",
    "FARADAY",
    "GAS_CONSTANT",
    "IONS",
    "Ion",
    "ghk",
    "nernst",
]

GAS_CONSTANT = 8.314
"""Molar gas constant R, J/(mol K)."""
FARADAY = 96485.33212
"""Faraday constant F, C/mol."""
CONCENTRATION_FLOOR = 1e-9
"""Concentrations (mol/L) below this are raised to it before the logarithm.

Low enough to leave resting intracellular Ca2+ (100 nM = 1e-7 mol/L) untouched, unlike a
1e-6 floor, which would turn its 132.3 mV equilibrium potential into 101.5 mV.
"""
TEMPERATURE_RANGE = (273.0, 320.0)


@dataclass(frozen=True)
class Ion:
    """A textbook mammalian ion gradient.

    Attributes
    ----------
    name : str
        Ion symbol.
    valence : int
        Charge number z.
    c_in, c_out : float
        Intracellular and extracellular concentrations, mol/L.
    """

    name: str
    valence: int
    c_in: float
    c_out: float


IONS = {
    "K": Ion("K+", 1, 0.140, 0.005),
    "Na": Ion("Na+", 1, 0.012, 0.145),
    "Cl": Ion("Cl-", -1, 0.004, 0.120),
    "Ca": Ion("Ca2+", 2, 1e-7, 0.002),
}
"""Reference gradients used in docs/electrochemistry.md (concentrations in mol/L)."""


def _thermal_voltage(temperature: float) -> float:
    t = check_real("temperature", temperature, *TEMPERATURE_RANGE, hint="kelvin")
    return GAS_CONSTANT * t / FARADAY


def _concentration(name: str, value):
    arr = check_array(name, value, nonnegative=True)
    return np.maximum(arr, CONCENTRATION_FLOOR)


def _scalar_or_array(x: np.ndarray):
    return float(x) if x.ndim == 0 else x


def nernst(z: int, c_out, c_in, temperature: float = 310.0):
    """Equilibrium (Nernst) potential of one ion species.

    ``E = R T / (z F) * ln(c_out / c_in)``.

    Parameters
    ----------
    z : {-2, -1, 1, 2}
        Valence of the ion.
    c_out, c_in : float or array_like
        Extracellular and intracellular concentrations, mol/L, >= 0. Values below
        :data:`CONCENTRATION_FLOOR` are raised to it; arrays broadcast.
    temperature : float, default 310.0
        Absolute temperature, K, in [273, 320].

    Returns
    -------
    float or ndarray
        The potential in volts (a float for scalar input).

    Raises
    ------
    ParameterError
        For a valence outside {-2, -1, 1, 2}, negative or non-finite concentrations,
        concentration arrays whose shapes do not broadcast, or a temperature outside [273, 320] K.

    Examples
    --------
    >>> round(nernst(1, 0.005, 0.140) * 1e3, 3)  # K+, mV
    -89.011
    """
    check_choice("z", z, (-2, -1, 1, 2))
    vt = _thermal_voltage(temperature)
    outside, inside = _concentration("c_out", c_out), _concentration("c_in", c_in)
    try:
        np.broadcast_shapes(outside.shape, inside.shape)
    except ValueError:
        raise ParameterError(
            "c_in", f"array of shape {inside.shape}", f"an array that broadcasts with c_out (shape {outside.shape})"
        ) from None
    return _scalar_or_array(vt / int(z) * np.log(outside / inside))


def ghk(
    k_in: float = 0.140,
    k_out: float = 0.005,
    na_in: float = 0.012,
    na_out: float = 0.145,
    cl_in: float = 0.004,
    cl_out: float = 0.120,
    p_k: float = 1.0,
    p_na: float = 0.04,
    p_cl: float = 0.45,
    temperature: float = 310.0,
):
    """Resting potential from the Goldman–Hodgkin–Katz voltage equation.

    ``V = R T / F * ln((pK [K]o + pNa [Na]o + pCl [Cl]i) / (pK [K]i + pNa [Na]i + pCl [Cl]o))``

    Parameters
    ----------
    k_in, k_out, na_in, na_out, cl_in, cl_out : float or array_like
        Concentrations, mol/L, >= 0 (floored like :func:`nernst`). Defaults are those of
        :data:`IONS`.
    p_k, p_na, p_cl : float
        Relative permeabilities, >= 0, not all zero. Only ratios matter.
    temperature : float, default 310.0
        Absolute temperature, K, in [273, 320].

    Returns
    -------
    float or ndarray
        The membrane potential in volts.

    Examples
    --------
    >>> round(ghk() * 1e3, 2)  # permeabilities 1 : 0.04 : 0.45, mV
    -73.1
    """
    vt = _thermal_voltage(temperature)
    pk = check_real("p_k", p_k, 0.0)
    pna = check_real("p_na", p_na, 0.0)
    pcl = check_real("p_cl", p_cl, 0.0)
    if pk + pna + pcl == 0.0:
        raise ParameterError("p_k + p_na + p_cl", 0.0, "> 0 (at least one permeable ion)")
    numerator = (
        pk * _concentration("k_out", k_out)
        + pna * _concentration("na_out", na_out)
        + pcl * _concentration("cl_in", cl_in)
    )
    denominator = (
        pk * _concentration("k_in", k_in)
        + pna * _concentration("na_in", na_in)
        + pcl * _concentration("cl_out", cl_out)
    )
    return _scalar_or_array(vt * np.log(numerator / denominator))
