"""Turing analysis of a reaction–diffusion parameter set, and the Turing-space map.

:func:`turing_analysis` finds every homogeneous steady state numerically, evaluates the
Jacobian and the Turing conditions one by one at each, and the dispersion relation
``σ(k)`` (largest real part of the eigenvalues of ``J - k² D``) in the continuum and with
the five-point lattice symbol ``4 sin²(k/2)``, plus ``σ`` of every allowed mode of the run's
grid grouped in shells of equal ``|k|``. :func:`turing_space` evaluates the conditions over
a grid of two parameters at once.
"""

from __future__ import annotations

from collections.abc import Mapping, Sequence
from typing import TYPE_CHECKING

import numpy as np

from mfn.core.errors import ParameterError
from mfn.models.reaction_diffusion.linear import STARTS, conditions, find_states, growth_rate, unique_states
from mfn.models.reaction_diffusion.params import ReactionDiffusionParams

if TYPE_CHECKING:  # xarray is imported when a result is built, keeping `import mfn` light
    import xarray as xr

__all__ = ["lattice_modes", "turing_analysis", "turing_space"]

K_SAMPLES = 513
"""Wavenumbers of the dispersion curves, 0 .. π rad/cell."""
_CONDITIONS = ("stable_trace", "stable_det", "activator", "crossing")
_DOCS = {
    "stable_trace": "tr J < 0 (stable without diffusion, 1 of 2)",
    "stable_det": "det J > 0 (stable without diffusion, 2 of 2)",
    "activator": "Dv f_u + Du g_v > 0",
    "crossing": "(Dv f_u + Du g_v)² > 4 Du Dv det J",
}


def lattice_modes(shape: tuple[int, int], boundary: str) -> tuple[np.ndarray, np.ndarray]:
    """``(|k|, symbol)`` of every allowed mode of a grid (1-D arrays, rad/cell and 1/cell²).

    Periodic: ``k = 2π m / N``, ``m`` in ``[-N/2, N/2)``; zero flux: ``π m / N``, ``m`` in
    ``[0, N)``; fixed edges: ``π m / (N + 1)``, ``m`` in ``[1, N]``. The five-point symbol is
    ``4 sin²(kx/2) + 4 sin²(ky/2)``. The uniform mode is left out.
    """

    def axis(n: int) -> np.ndarray:
        if boundary == "periodic":
            return 2 * np.pi * np.fft.fftfreq(n)
        if boundary == "neumann":
            return np.pi * np.arange(n) / n
        return np.pi * np.arange(1, n + 1) / (n + 1)

    ky, kx = np.meshgrid(axis(shape[0]), axis(shape[1]), indexing="ij")
    k = np.hypot(ky, kx).ravel()
    symbol = (4 * np.sin(ky / 2) ** 2 + 4 * np.sin(kx / 2) ** 2).ravel()
    keep = k > 0
    return k[keep], symbol[keep]


def turing_analysis(params: ReactionDiffusionParams) -> xr.Dataset:
    """Linear stability of the homogeneous states of a reaction–diffusion parameter set.

    Parameters
    ----------
    params : ReactionDiffusionParams
        The kinetics, its parameters, ``Du``, ``Dv``, the grid and boundary.

    Returns
    -------
    xarray.Dataset
        Per ``state``: ``u_star``, ``v_star``, the Jacobian ``f_u``, ``f_v``, ``g_u``, ``g_v``,
        ``trace``, ``det``, the four conditions (booleans), ``turing_unstable``, the band
        ``k_lo``, ``k_hi`` and fastest mode ``k_max``, ``sigma_max``; the dispersion relation
        ``sigma(state, k)`` (continuum) and ``sigma_lattice(state, k)`` (symbol
        ``4 sin²(k/2)``, along an axis); for the run's state, ``sigma_shell(shell)`` over the
        allowed modes of the grid grouped by ``k_shell``. Attributes (the run's state, the one
        :attr:`ReactionDiffusionParams.state` picks): ``turing_unstable`` (bool), ``k_max``,
        ``sigma_max``, ``wavelength`` (cells, 2π/k_max), ``band_k`` and ``band_wavelength``
        (cells), ``k_max_lattice`` and ``sigma_max_lattice`` (the fastest allowed shell),
        ``nearest_shells`` (the two allowed ``|k|`` nearest ``k_max``), ``verdict`` (words).

    Examples
    --------
    >>> ta = turing_analysis(ReactionDiffusionParams(kinetics="schnakenberg", grid_size=128))
    >>> bool(ta.attrs["turing_unstable"]), round(ta.attrs["k_max"], 2), round(ta.attrs["wavelength"], 1)
    (True, 0.42, 14.9)
    >>> bool(turing_analysis(ReactionDiffusionParams(kinetics="classic")).attrs["turing_unstable"])
    False
    """
    if not isinstance(params, ReactionDiffusionParams):
        raise ParameterError("params", params, "a ReactionDiffusionParams")
    kin, p = params.kin, params.kinetic_values
    u, v = find_states(kin, p)
    states = unique_states(u[0], v[0])
    us = np.array([s[0] for s in states])
    vs = np.array([s[1] for s in states])
    jac = [np.broadcast_to(np.asarray(x, dtype=float), us.shape) for x in kin.jacobian(us, vs, p)]
    cond = conditions(*jac, params.Du, params.Dv)
    k = np.linspace(0.0, np.pi, K_SAMPLES)
    col = [x[:, None] for x in jac]
    sigma = growth_rate(*col, params.Du, params.Dv, k * k)
    sigma_lat = growth_rate(*col, params.Du, params.Dv, 4 * np.sin(k / 2) ** 2)
    ref = states.index(params.state) if params.state in states else 0
    k_modes, symbol = lattice_modes(params.shape, params.boundary)
    k_shell, inverse = np.unique(np.round(k_modes, 12), return_inverse=True)
    sig_modes = growth_rate(*(x[ref] for x in jac), params.Du, params.Dv, symbol)
    sig_shell = np.full(k_shell.size, -np.inf)
    np.maximum.at(sig_shell, inverse, sig_modes)
    n_modes = np.bincount(inverse, minlength=k_shell.size)
    data = {
        "u_star": ("state", us, {"long_name": "homogeneous u*"}),
        "v_star": ("state", vs, {"long_name": "homogeneous v*"}),
        **{
            name: ("state", x, {"long_name": f"∂{name[0]}/∂{name[2]}"})
            for name, x in zip(("f_u", "f_v", "g_u", "g_v"), jac, strict=True)
        },
        "trace": ("state", cond["trace"], {"long_name": "tr J"}),
        "det": ("state", cond["det"], {"long_name": "det J"}),
        **{c: ("state", cond[c], {"long_name": _DOCS[c]}) for c in _CONDITIONS},
        "turing_unstable": ("state", cond["turing"], {"long_name": "all four Turing conditions hold"}),
        "k_lo": ("state", cond["k_lo"], {"units": "rad/cell", "long_name": "unstable band, lower k"}),
        "k_hi": ("state", cond["k_hi"], {"units": "rad/cell", "long_name": "unstable band, upper k"}),
        "k_max": ("state", cond["k_max"], {"units": "rad/cell", "long_name": "fastest continuum mode"}),
        "sigma_max": ("state", cond["sigma_max"], {"units": "1/time", "long_name": "its growth rate"}),
        "sigma": (("state", "k"), sigma, {"units": "1/time", "long_name": "growth rate (continuum, k²)"}),
        "sigma_lattice": (("state", "k"), sigma_lat, {"units": "1/time", "long_name": "growth rate (5-point symbol)"}),
        "sigma_shell": ("shell", sig_shell, {"units": "1/time", "long_name": "fastest growth rate in the shell"}),
        "n_modes": ("shell", n_modes, {"long_name": "allowed modes in the shell"}),
    }
    coords = {
        "state": np.arange(len(states)),
        "k": ("k", k, {"units": "rad/cell"}),
        "k_shell": ("shell", k_shell, {"units": "rad/cell", "long_name": "|k| of allowed grid modes"}),
    }
    import xarray as xr

    ds = xr.Dataset(data, coords=coords)
    ds.attrs.update(_attrs(params, cond, ref, us, vs, k_shell, sig_shell))
    return ds


def _attrs(params, cond, ref, us, vs, k_shell, sig_shell) -> dict:
    turing = bool(cond["turing"][ref])
    k_max = float(cond["k_max"][ref])
    best = int(np.argmax(sig_shell))
    nearest = np.sort(k_shell[np.argsort(np.abs(k_shell - k_max))[:2]]) if turing else np.array([np.nan, np.nan])
    k_lo, k_hi = float(cond["k_lo"][ref]), float(cond["k_hi"][ref])
    return {
        "kinetics": params.kin.name,
        "state_index": ref,
        "state_u": float(us[ref]),
        "state_v": float(vs[ref]),
        "n_states": len(us),
        "turing_unstable": turing,
        "k_max": k_max,
        "sigma_max": float(cond["sigma_max"][ref]),
        "wavelength": 2 * np.pi / k_max if turing else float("nan"),
        "band_k": [k_lo, k_hi],
        "band_wavelength": [2 * np.pi / k_hi, 2 * np.pi / k_lo] if turing else [float("nan")] * 2,
        "k_max_lattice": float(k_shell[best]),
        "sigma_max_lattice": float(sig_shell[best]),
        "nearest_shells": [float(x) for x in nearest],
        "Du": params.Du,
        "Dv": params.Dv,
        "verdict": _verdict(params, cond, ref, us, vs),
    }


def _verdict(params, cond, ref, us, vs) -> str:
    state = f"the homogeneous state (u*, v*) = ({us[ref]:.4g}, {vs[ref]:.4g})"
    if cond["turing"][ref]:
        k_max = float(cond["k_max"][ref])
        return (
            f"Turing-unstable: {state} is stable without diffusion and diffusion destabilises "
            f"wavenumbers {float(cond['k_lo'][ref]):.3g}..{float(cond['k_hi'][ref]):.3g} rad/cell; the fastest, "
            f"k = {k_max:.3g}, grows at {float(cond['sigma_max'][ref]):.3g} per unit time: expect a pattern "
            f"of wavelength about {2 * np.pi / k_max:.3g} cells."
        )
    failed = [_DOCS[c] for c in _CONDITIONS if not cond[c][ref]]
    det = float(cond["det"][ref])
    why = (
        "det J = 0: a neutral direction, so the state is not stable without diffusion"
        if det == 0
        else ("fails " + "; ".join(failed))
    )
    return f"No Turing instability at {state}: {why}."


def _distinct(u: np.ndarray, v: np.ndarray, rel: float = 1e-7) -> tuple[np.ndarray, np.ndarray]:
    """Rows of states with repeats (within ``rel``) replaced by NaN, so each state is analysed once."""
    order = np.argsort(u, axis=1)  # NaN sorts last
    us = np.take_along_axis(u, order, 1)
    vs = np.take_along_axis(v, order, 1)
    tol = rel * np.maximum(1.0, np.maximum(np.abs(us), np.abs(vs)))
    repeat = np.zeros(us.shape, dtype=bool)
    repeat[:, 1:] = (np.abs(np.diff(us, axis=1)) <= tol[:, 1:]) & (np.abs(np.diff(vs, axis=1)) <= tol[:, 1:])
    return np.where(repeat, np.nan, us), np.where(repeat, np.nan, vs)


def turing_space(params: ReactionDiffusionParams, over: Mapping[str, Sequence[float]]) -> xr.Dataset:
    """The Turing conditions over a grid of two parameters, vectorised.

    Parameters
    ----------
    params : ReactionDiffusionParams
        The base parameters (the kinetics and every value not varied).
    over : mapping
        Exactly two entries ``name -> values``: kinetics parameters of ``params``' kinetics,
        ``Du`` or ``Dv``; each value must be valid for that field.

    Returns
    -------
    xarray.Dataset
        On the grid ``(name1, name2)``: ``turing_unstable`` (some homogeneous state is
        Turing-unstable), ``homogeneous_stable`` (some state is stable without diffusion;
        where neither holds, patterns may still come from an oscillatory instability),
        ``k_max``, ``sigma_max``, ``wavelength`` (cells) of the fastest such
        state (NaN where there is none), ``k_lo``, ``k_hi``.

    Examples
    --------
    >>> base = ReactionDiffusionParams(kinetics="brusselator")
    >>> ts = turing_space(base, over={"B": [2.0, 4.0], "Dv": [4.0, 16.0]})
    >>> ts.turing_unstable.values.tolist()
    [[False, False], [False, True]]
    """
    if not isinstance(params, ReactionDiffusionParams):
        raise ParameterError("params", params, "a ReactionDiffusionParams")
    if not isinstance(over, Mapping) or len(over) != 2:
        raise ParameterError("over", over, "a mapping of exactly two parameter names to value sequences")
    kin = params.kin
    allowed = (*kin.params, "Du", "Dv")
    specs = params.specs()
    axes = {}
    for name, values in over.items():
        if name not in allowed:
            raise ParameterError("over", name, f"one of {', '.join(allowed)} (for the {kin.name} kinetics)")
        vals = np.atleast_1d(np.asarray(values, dtype=float))
        if vals.ndim != 1 or vals.size == 0:
            raise ParameterError(name, values, "a non-empty 1-D sequence of values")
        axes[name] = np.array([specs[name].check(float(x)) for x in vals])
    (n1, v1), (n2, v2) = axes.items()
    g1, g2 = np.meshgrid(v1, v2, indexing="ij")
    grid = {n1: g1.ravel(), n2: g2.ravel()}
    for i in range(g1.size) if kin.check is not None else ():
        values = {n: grid[n][i] if n in grid else getattr(params, n) for n in kin.params}
        kin.check(values)
    p = tuple(grid.get(n, getattr(params, n)) for n in kin.params)
    Du = grid.get("Du", params.Du)
    Dv = grid.get("Dv", params.Dv)
    u, v = _distinct(*find_states(kin, tuple(np.broadcast_to(x, g1.size) for x in p), starts=STARTS[::3]))
    pc = tuple(np.reshape(x, (-1, 1)) if np.ndim(x) else x for x in p)
    jac = kin.jacobian(u, v, pc)
    cond = conditions(
        *jac, np.reshape(Du, (-1, 1)) if np.ndim(Du) else Du, np.reshape(Dv, (-1, 1)) if np.ndim(Dv) else Dv
    )
    sig = np.where(cond["turing"], cond["sigma_max"], -np.inf)
    best = np.argmax(sig, axis=1)[:, None]
    any_turing = cond["turing"].any(axis=1)

    def pick(x):
        return np.where(any_turing, np.take_along_axis(np.broadcast_to(x, u.shape), best, 1)[:, 0], np.nan).reshape(
            g1.shape
        )

    k_max = pick(cond["k_max"])
    stable = (cond["stable_trace"] & cond["stable_det"] & np.isfinite(u)).any(axis=1)
    dims = (n1, n2)
    import xarray as xr

    ds = xr.Dataset(
        {
            "turing_unstable": (dims, any_turing.reshape(g1.shape), {"long_name": "a Turing-unstable state exists"}),
            "homogeneous_stable": (
                dims,
                stable.reshape(g1.shape),
                {"long_name": "a homogeneous state is stable without diffusion"},
            ),
            "k_max": (dims, k_max, {"units": "rad/cell"}),
            "sigma_max": (dims, pick(cond["sigma_max"]), {"units": "1/time"}),
            "wavelength": (dims, 2 * np.pi / k_max, {"units": "cells", "long_name": "predicted wavelength"}),
            "k_lo": (dims, pick(cond["k_lo"]), {"units": "rad/cell"}),
            "k_hi": (dims, pick(cond["k_hi"]), {"units": "rad/cell"}),
        },
        coords={n1: v1, n2: v2},
        attrs={"kinetics": kin.name},
    )
    return ds
