"""Reaction kinetics of the two-species reaction–diffusion model (docs/models.md).

A kinetics is a pair of rate functions ``f(u, v, p)`` and ``g(u, v, p)`` with their analytic
Jacobian ``jac(u, v, p) -> (f_u, f_v, g_u, g_v)``; ``p`` is the tuple of the kinetics'
parameters in the order of :attr:`Kinetics.params`. The rate functions are plain arithmetic,
so one definition serves three callers: the numpy reference step (``u``, ``v`` arrays, ``p``
floats), the vectorised Turing analysis (``p`` entries arrays over a parameter grid) and the
fused numba kernel, which compiles the very same functions (:mod:`.kernels_numba`).

Built-in kinetics (textbook forms):

============== =========================================== ==============================
name           f, g                                         homogeneous state
============== =========================================== ==============================
schnakenberg   a - u + u²v,  b - u²v                        (a + b, b / (a + b)²)
gierer_meinhardt a - b u + u²/(v (1 + κ u²)),  u² - v        κ = 0: ((a + 1)/b, u*²)
brusselator    A - (B + 1) u + u²v,  B u - u²v              (A, B / A)
gray_scott     -u v² + F (1 - u),  u v² - (F + k) v         (1, 0) and up to two more
fitzhugh_nagumo u - u³ - v + α,  ε (u - β v)                a root of the cubic
classic        ra (u (1 - u) - v),  ri (u - v)              (0, 0), det J = 0
============== =========================================== ==============================

User kinetics: :func:`custom_kinetics` takes vectorised callables ``f(u, v)`` and ``g(u, v)``
and, optionally, their Jacobian; without one, a central-difference Jacobian is used. User
kinetics run on the numpy reference step only.
"""

from __future__ import annotations

from collections.abc import Callable, Mapping
from dataclasses import dataclass, field
from typing import Any

import numpy as np

from mfn.core.checks import check_choice
from mfn.core.errors import ParameterError

__all__ = ["KINETICS", "Kinetics", "custom_kinetics", "get_kinetics", "numerical_jacobian"]


# ---- rate functions: plain arithmetic, shared by numpy, the analysis and numba -------------


def schnakenberg_f(u, v, p):
    return p[0] - u + u * u * v


def schnakenberg_g(u, v, p):
    return p[1] - u * u * v


def schnakenberg_jac(u, v, p):
    uv = u * v
    return -1.0 + 2.0 * uv, u * u, -2.0 * uv, -(u * u)


def gierer_meinhardt_f(u, v, p):
    return p[0] - p[1] * u + u * u / (v * (1.0 + p[2] * u * u))


def gierer_meinhardt_g(u, v, p):
    return u * u - v


def gierer_meinhardt_jac(u, v, p):
    s = 1.0 + p[2] * u * u
    return -p[1] + 2.0 * u / (v * s * s), -(u * u) / (v * v * s), 2.0 * u, -1.0 + 0.0 * u


def brusselator_f(u, v, p):
    return p[0] - (p[1] + 1.0) * u + u * u * v


def brusselator_g(u, v, p):
    return p[1] * u - u * u * v


def brusselator_jac(u, v, p):
    uv = u * v
    return -(p[1] + 1.0) + 2.0 * uv, u * u, p[1] - 2.0 * uv, -(u * u)


def gray_scott_f(u, v, p):
    return -u * v * v + p[0] * (1.0 - u)


def gray_scott_g(u, v, p):
    return u * v * v - (p[0] + p[1]) * v


def gray_scott_jac(u, v, p):
    return -v * v - p[0], -2.0 * u * v, v * v, 2.0 * u * v - (p[0] + p[1])


def fitzhugh_nagumo_f(u, v, p):
    return u - u * u * u - v + p[0]


def fitzhugh_nagumo_g(u, v, p):
    return p[2] * (u - p[1] * v)


def fitzhugh_nagumo_jac(u, v, p):
    one = 1.0 + 0.0 * u
    return one - 3.0 * u * u, -one, p[2] * one, -p[2] * p[1] * one


def classic_f(u, v, p):
    return p[0] * (u * (1.0 - u) - v)


def classic_g(u, v, p):
    return p[1] * (u - v)


def classic_jac(u, v, p):
    one = 1.0 + 0.0 * u
    return p[0] * (1.0 - 2.0 * u), -p[0] * one, p[1] * one, -p[1] * one


# ---- the kinetics table ----------------------------------------------------------------------


@dataclass(frozen=True)
class Kinetics:
    """A reaction kinetics and its defaults.

    Attributes
    ----------
    name : str
        Identifier (``ReactionDiffusionParams(kinetics=name)``).
    title : str
        Name for plots and reports.
    params : tuple of str
        Names of its parameters, in the order the rate functions read them from ``p``.
    f, g : callable
        Rates ``f(u, v, p)``, ``g(u, v, p)`` (per unit time).
    jac : callable or None
        Analytic Jacobian ``(f_u, f_v, g_u, g_v)``; None means central differences.
    defaults : mapping
        Default value of every kinetics-dependent field of the model's parameters (its own
        parameters, ``Du``, ``Dv``, ``dt``, ``steps``, ``substeps``, ``tau``, ``g_u``): a
        pattern-forming regime that settles on a 128x128 grid in ``steps * substeps`` Euler steps.
    code : int
        Index of the kinetics in the compiled kernel (-1: user kinetics, numpy only).
    seed_patch : (float, float) or None
        Values ``(u, v)`` of a central square (side a tenth of the grid) set before the
        noise: Pearson's (1993) start for Gray–Scott, whose patterns need a finite perturbation.
    positive : bool
        Whether states with ``u < 0`` or ``v < 0`` are unphysical (not reported).
    v_min : float
        States with ``v <= v_min`` are not reported (Gierer–Meinhardt divides by ``v``: its
        limit point ``(0, 0)`` is not a state); ``-inf`` for none.
    check : callable or None
        ``check(values)`` raising :class:`ParameterError` for parameter combinations outside
        the kinetics' domain.
    """

    name: str
    title: str
    params: tuple[str, ...]
    f: Callable[..., Any]
    g: Callable[..., Any]
    jac: Callable[..., Any] | None
    defaults: Mapping[str, Any] = field(default_factory=dict)
    code: int = -1
    seed_patch: tuple[float, float] | None = None
    positive: bool = True
    v_min: float = -np.inf
    check: Callable[[Mapping[str, float]], None] | None = None

    def jacobian(self, u, v, p) -> tuple:
        """``(f_u, f_v, g_u, g_v)`` at ``(u, v)``: analytic when given, else central differences."""
        if self.jac is not None:
            return self.jac(u, v, p)
        return numerical_jacobian(self.f, self.g, u, v, p)


def numerical_jacobian(f, g, u, v, p, rel_step: float = 1e-6) -> tuple:
    """Central-difference Jacobian ``(f_u, f_v, g_u, g_v)`` of rates ``f(u, v, p)``, ``g(u, v, p)``.

    The step is ``rel_step * max(1, |x|)`` in each variable; the error is of order
    ``rel_step²`` times the third derivatives (about 1e-10 for smooth kinetics of order one).
    """
    u = np.asarray(u, dtype=float)
    v = np.asarray(v, dtype=float)
    hu = rel_step * np.maximum(1.0, np.abs(u))
    hv = rel_step * np.maximum(1.0, np.abs(v))
    fu = (f(u + hu, v, p) - f(u - hu, v, p)) / (2 * hu)
    fv = (f(u, v + hv, p) - f(u, v - hv, p)) / (2 * hv)
    gu = (g(u + hu, v, p) - g(u - hu, v, p)) / (2 * hu)
    gv = (g(u, v + hv, p) - g(u, v - hv, p)) / (2 * hv)
    return fu, fv, gu, gv


def _positive(name: str, value: float, kinetics: str) -> None:
    if not value > 0:
        raise ParameterError(name, value, f"{name} > 0 for the {kinetics} kinetics")


def _check_schnakenberg(p):
    _positive("a + b", p["a"] + p["b"], "schnakenberg")


def _check_gm(p):
    _positive("b", p["b"], "gierer_meinhardt")
    _positive("a + 1", p["a"] + 1.0, "gierer_meinhardt")


def _check_brusselator(p):
    _positive("A", p["A"], "brusselator")


def _check_gray_scott(p):
    _positive("F", p["F"], "gray_scott")


def _check_fhn(p):
    _positive("epsilon", p["epsilon"], "fitzhugh_nagumo")


def _check_classic(p):
    _positive("ra", p["ra"], "classic")
    _positive("ri", p["ri"], "classic")


KINETICS: dict[str, Kinetics] = {
    k.name: k
    for k in (
        Kinetics(
            "schnakenberg",
            "Schnakenberg",
            ("a", "b"),
            schnakenberg_f,
            schnakenberg_g,
            schnakenberg_jac,
            dict(a=0.1, b=0.9, Du=1.0, Dv=40.0, dt=0.005, steps=200, substeps=100, tau=1.0, g_u=10.0),
            code=0,
            check=_check_schnakenberg,
        ),
        Kinetics(
            "gierer_meinhardt",
            "Gierer-Meinhardt",
            ("a", "b", "kappa"),
            gierer_meinhardt_f,
            gierer_meinhardt_g,
            gierer_meinhardt_jac,
            dict(a=0.1, b=1.0, kappa=0.0, Du=0.5, Dv=10.0, dt=0.02, steps=200, substeps=50, tau=1.0, g_u=5.0),
            code=1,
            v_min=1e-9,
            check=_check_gm,
        ),
        Kinetics(
            "brusselator",
            "Brusselator",
            ("A", "B"),
            brusselator_f,
            brusselator_g,
            brusselator_jac,
            dict(A=2.0, B=4.0, Du=2.0, Dv=16.0, dt=0.01, steps=200, substeps=50, tau=1.0, g_u=5.0),
            code=2,
            check=_check_brusselator,
        ),
        Kinetics(
            "gray_scott",
            "Gray-Scott",
            ("F", "k"),
            gray_scott_f,
            gray_scott_g,
            gray_scott_jac,
            dict(F=0.037, k=0.06, Du=0.2097, Dv=0.105, dt=1.0, steps=200, substeps=50, tau=10.0, g_u=15.0),
            code=3,
            seed_patch=(0.5, 0.25),
            check=_check_gray_scott,
        ),
        Kinetics(
            "fitzhugh_nagumo",
            "FitzHugh-Nagumo (Turing regime)",
            ("alpha", "beta", "epsilon"),
            fitzhugh_nagumo_f,
            fitzhugh_nagumo_g,
            fitzhugh_nagumo_jac,
            dict(alpha=0.0, beta=0.5, epsilon=4.0, Du=1.0, Dv=20.0, dt=0.01, steps=200, substeps=25, tau=1.0, g_u=10.0),
            code=4,
            positive=False,
            check=_check_fhn,
        ),
        Kinetics(
            "classic",
            "MFN classic (v4.1)",
            ("ra", "ri"),
            classic_f,
            classic_g,
            classic_jac,
            dict(ra=0.01, ri=0.02, Du=0.1, Dv=0.05, dt=1.0, steps=200, substeps=10, tau=10.0, g_u=100.0),
            code=5,
            positive=False,
            check=_check_classic,
        ),
    )
}
"""The built-in kinetics by name."""

KINETIC_PARAMS: tuple[str, ...] = tuple(dict.fromkeys(n for k in KINETICS.values() for n in k.params))
"""Every built-in kinetics parameter name (fields of the model's parameters)."""


def get_kinetics(kinetics: Any) -> Kinetics:
    """The :class:`Kinetics` for a built-in name (or a :class:`Kinetics` itself)."""
    if isinstance(kinetics, Kinetics):
        return kinetics
    return KINETICS[check_choice("kinetics", kinetics, tuple(KINETICS))]


def custom_kinetics(
    f: Callable[[Any, Any], Any],
    g: Callable[[Any, Any], Any],
    jacobian: Callable[[Any, Any], tuple] | None = None,
    *,
    name: str = "custom",
    positive: bool = False,
    **defaults: Any,
) -> Kinetics:
    """User kinetics from vectorised rate functions.

    Parameters
    ----------
    f, g : callable
        ``f(u, v)`` and ``g(u, v)``, the reaction rates per unit time, vectorised over arrays.
    jacobian : callable, optional
        ``jacobian(u, v) -> (f_u, f_v, g_u, g_v)``; computed by central differences if omitted.
    name : str, default "custom"
        Name shown in reports (must not be a built-in name).
    positive : bool, default False
        Whether homogeneous states with a negative component are unphysical.
    **defaults
        Defaults of ``Du``, ``Dv``, ``dt``, ``steps``, ``substeps``, ``tau``, ``g_u`` for runs of these kinetics.

    Returns
    -------
    Kinetics
        Pass it as ``ReactionDiffusionParams(kinetics=...)``.

    Examples
    --------
    >>> kin = custom_kinetics(lambda u, v: 0.1 - u + u * u * v, lambda u, v: 0.9 - u * u * v)
    >>> [round(float(x), 6) for x in kin.jacobian(1.0, 0.9, ())]
    [0.8, 1.0, -1.8, -1.0]
    """
    if not (callable(f) and callable(g)):
        raise ParameterError("f, g", (f, g), "two callables f(u, v), g(u, v)")
    if jacobian is not None and not callable(jacobian):
        raise ParameterError("jacobian", jacobian, "a callable jacobian(u, v) -> (f_u, f_v, g_u, g_v) or None")
    if not isinstance(name, str) or name in KINETICS:
        raise ParameterError("name", name, f"a string other than the built-in names {', '.join(KINETICS)}")
    allowed = ("Du", "Dv", "dt", "steps", "substeps", "tau", "g_u")
    for key in defaults:
        if key not in allowed:
            raise ParameterError(key, defaults[key], f"a default of one of {', '.join(allowed)}")
    base = dict(Du=1.0, Dv=1.0, dt=0.01, steps=100, substeps=10, tau=1.0, g_u=10.0)
    base.update(defaults)

    def f3(u, v, p):
        return f(u, v)

    def g3(u, v, p):
        return g(u, v)

    jac3 = None if jacobian is None else (lambda u, v, p: jacobian(u, v))
    return Kinetics(name, name, (), f3, g3, jac3, base, code=-1, positive=positive)
