"""Parameters of the reaction–diffusion model: :class:`ReactionDiffusionParams`.

Fields left at ``None`` take the chosen kinetics' default (``Kinetics.defaults``): its own
parameters, ``Du``, ``Dv``, ``dt``, ``steps``, ``substeps``, ``tau`` and ``g_u``, so that
``ReactionDiffusionParams(kinetics="brusselator")`` is a pattern-forming run with nothing
else set. A kinetics parameter that does not belong to the chosen kinetics must stay unset.
``replace(kinetics=...)`` keeps only the values that were set explicitly, so the new
kinetics gets its own defaults.

Construction checks the explicit-Euler stability limit (:func:`.linear.max_stable_dt` at the
homogeneous state, and ``dt (1 + 8 λ²) / τ < 2`` for the potential) and names the largest
stable ``dt`` when it is exceeded. ``dt="auto"`` picks the step instead: the fewest Euler
substeps whose step is at most :data:`DT_SAFETY` times that limit, keeping a model step's
duration (``substeps * dt``) what the kinetics' defaults give it, so a sweep over ``Dv`` covers
the same time at every value.
"""

from __future__ import annotations

import functools
import math
from dataclasses import dataclass
from typing import Any, Self

from mfn.core.errors import ParameterError
from mfn.core.params import SEED_MAX, STEPS_MAX, ModelParams, parameter
from mfn.models.reaction_diffusion.kinetics import KINETIC_PARAMS, KINETICS, Kinetics, get_kinetics
from mfn.models.reaction_diffusion.linear import find_states, max_stable_dt, unique_states
from mfn.physics.membrane import GHKRestingPotential, ion_parameter

__all__ = ["BOUNDARIES", "DT_SAFETY", "KINETICS_DEFAULTED", "ReactionDiffusionParams", "reference_state"]

BOUNDARIES = ("periodic", "neumann", "dirichlet")
"""Wrap-around; zero flux; or cells outside held at the homogeneous state (V at E_rest)."""
KINETICS_DEFAULTED = ("Du", "Dv", "dt", "steps", "substeps", "tau", "g_u")
"""Fields (besides the kinetics' own parameters) whose default depends on the kinetics."""
_NONE_DEFAULT = (*KINETIC_PARAMS, *KINETICS_DEFAULTED)
DT_SAFETY = 0.8
"""``dt="auto"`` keeps each Euler step at most this fraction of the explicit-Euler limit.

The built-in kinetics' default steps sit at 0.66 (Brusselator) to 0.86 (Gray-Scott) of their
limits (Schnakenberg 0.80, Gierer-Meinhardt and FitzHugh-Nagumo 0.81; classic 0.45)."""


def _kin(default, doc, lo=None, hi=None, lo_open=False, unit=""):
    return parameter(default, "float", lo=lo, hi=hi, lo_open=lo_open, unit=unit, doc=doc)


@dataclass(frozen=True)
class ReactionDiffusionParams(GHKRestingPotential, ModelParams):
    """Two species on the lattice with a membrane potential that mirrors them.

    ``u_t = Du ∇²u + f(u, v)``, ``v_t = Dv ∇²v + g(u, v)`` (explicit Euler, five-point
    Laplacian, dx = 1 cell), and ``τ V_t = -(V - E_rest) + λ² ∇²V + g_u (u - u*)`` in mV,
    with ``E_rest`` from the Goldman–Hodgkin–Katz equation at the ion concentrations below
    and ``u*`` the homogeneous state. Times are in the kinetics' time unit. One model step
    (one frame of a run) is ``substeps`` Euler steps of ``dt``, so a run covers
    ``steps * substeps * dt`` time units.

    Examples
    --------
    >>> p = ReactionDiffusionParams(kinetics="brusselator", grid_size=64)
    >>> (p.A, p.B, p.Du, p.Dv)
    (2.0, 4.0, 2.0, 16.0)
    >>> round(p.E_rest, 2)
    -73.1
    """

    kinetics: Any = parameter(  # noqa: RUF009
        "schnakenberg", "choice", choices=tuple(KINETICS), doc="reaction kinetics (or a custom_kinetics(...) object)"
    )
    a: float | None = _kin(None, "Schnakenberg / Gierer-Meinhardt source a", lo=-10.0, hi=100.0)
    b: float | None = _kin(None, "Schnakenberg source / Gierer-Meinhardt decay b", lo=-10.0, hi=100.0)
    kappa: float | None = _kin(None, "Gierer-Meinhardt saturation kappa", lo=0.0, hi=100.0)
    A: float | None = _kin(None, "Brusselator feed A", lo=0.0, hi=100.0, lo_open=True)
    B: float | None = _kin(None, "Brusselator rate B", lo=0.0, hi=100.0)
    F: float | None = _kin(None, "Gray-Scott feed rate F", lo=0.0, hi=1.0, lo_open=True)
    k: float | None = _kin(None, "Gray-Scott kill rate k", lo=0.0, hi=1.0)
    alpha: float | None = _kin(None, "FitzHugh-Nagumo offset alpha", lo=-10.0, hi=10.0)
    beta: float | None = _kin(None, "FitzHugh-Nagumo inhibitor decay beta", lo=0.0, hi=100.0)
    epsilon: float | None = _kin(None, "FitzHugh-Nagumo inhibitor rate epsilon", lo=0.0, hi=100.0, lo_open=True)
    ra: float | None = _kin(None, "classic activator rate ra", lo=0.0, hi=1.0, lo_open=True)
    ri: float | None = _kin(None, "classic inhibitor rate ri", lo=0.0, hi=1.0, lo_open=True)
    Du: float | None = _kin(None, "diffusion coefficient of u", lo=0.0, hi=1000.0, lo_open=True, unit="cells²/time")
    Dv: float | None = _kin(None, "diffusion coefficient of v", lo=0.0, hi=1000.0, lo_open=True, unit="cells²/time")
    dt: float | str | None = parameter(
        None,
        "float",
        lo=0.0,
        hi=100.0,
        lo_open=True,
        unit="time",
        doc="explicit Euler time step; 'auto': the stable limit times DT_SAFETY (0.8)",
        words=("auto",),
    )
    grid_size: int | tuple[int, int] = parameter(128, "grid", unit="cells", doc="lattice side or (rows, cols)")
    steps: int | None = parameter(
        None, "int", lo=1, hi=STEPS_MAX, doc="model steps (frames), each substeps Euler steps"
    )
    substeps: int | None = parameter(None, "int", lo=1, hi=100_000, doc="explicit Euler steps of dt per model step")
    boundary: str = parameter("periodic", "choice", choices=BOUNDARIES, doc="edges: wrap, zero flux or fixed")
    noise: float = parameter(0.01, "float", lo=0.0, hi=1.0, doc="std of the initial noise around the state")
    seed: int = parameter(0, "int", lo=0, hi=SEED_MAX, sweep=False, doc="seed of the initial noise")
    tau: float | None = _kin(None, "membrane time constant τ", lo=0.0, hi=1e6, lo_open=True, unit="time")
    space_constant: float = parameter(1.0, "float", lo=0.0, hi=100.0, unit="cells", doc="membrane length λ")
    g_u: float | None = _kin(None, "drive of V by the activator u - u*", lo=-1e4, hi=1e4, unit="mV")
    until_settled: bool = parameter(
        False, "bool", doc="stop once the pattern has settled (steps is then the cap); else report whether it did"
    )
    settle_window: int = parameter(
        20, "int", lo=1, hi=STEPS_MAX, unit="steps", doc="model steps over which settling is judged"
    )
    settle_tol: float = parameter(
        0.02, "float", lo=0.0, hi=1.0, lo_open=True, doc="largest relative L2 change of u over the window, settled"
    )
    k_in: float = ion_parameter("k_in")
    k_out: float = ion_parameter("k_out")
    na_in: float = ion_parameter("na_in")
    na_out: float = ion_parameter("na_out")
    cl_in: float = ion_parameter("cl_in")
    cl_out: float = ion_parameter("cl_out")
    p_na: float = ion_parameter("p_na")
    p_cl: float = ion_parameter("p_cl")
    temperature: float = ion_parameter("temperature")

    def __post_init__(self) -> None:
        set_ = object.__setattr__
        kin = self.kinetics if isinstance(self.kinetics, Kinetics) else get_kinetics(self.kinetics)
        given = []
        for name in _NONE_DEFAULT:
            value = getattr(self, name)
            if name in KINETIC_PARAMS and name not in kin.params:
                if value is not None:
                    users = [k.name for k in KINETICS.values() if name in k.params]
                    raise ParameterError(
                        name,
                        value,
                        f"unset (None) for the {kin.name} kinetics",
                        f"{name} belongs to {', '.join(users)}",
                    )
                continue
            if value is None:
                set_(self, name, kin.defaults[name])
            else:
                given.append(name)
        set_(self, "_given", tuple(given))
        for name, spec in self.specs().items():
            value = getattr(self, name)
            if (name == "kinetics" and isinstance(value, Kinetics)) or (value is None and name in KINETIC_PARAMS):
                continue
            set_(self, name, spec.check(value))
        if kin.check is not None:
            kin.check({n: getattr(self, n) for n in kin.params})
        set_(self, "_dt_auto", self.dt == "auto")
        if self._dt_auto:
            self._pick_dt(kin)
        self.check()

    def _pick_dt(self, kin: Kinetics) -> None:
        """Resolve ``dt="auto"``: ``n`` substeps of ``frame / n``, the fewest with ``dt <= DT_SAFETY * max_dt()``."""
        if "substeps" in self._given:
            raise ParameterError(
                "substeps",
                self.substeps,
                "unset (None) with dt='auto'",
                "dt='auto' picks the substeps that keep a model step as long as the kinetics' defaults make it",
            )
        frame = kin.defaults["substeps"] * kin.defaults["dt"]
        n = max(1, math.ceil(frame / (DT_SAFETY * self.max_dt()) - 1e-9))
        object.__setattr__(self, "dt", frame / n)
        object.__setattr__(self, "substeps", n)

    # ---- derived quantities ---------------------------------------------------------------

    @property
    def kin(self) -> Kinetics:
        """The :class:`~.kinetics.Kinetics` object."""
        return get_kinetics(self.kinetics)

    @property
    def kinetic_values(self) -> tuple[float, ...]:
        """The kinetics' parameters in the order its rate functions read them."""
        return tuple(getattr(self, n) for n in self.kin.params)

    @property
    def state(self) -> tuple[float, float]:
        """The homogeneous state ``(u*, v*)`` the run starts near (:func:`reference_state`)."""
        return reference_state(self.kin, self.kinetic_values, self.Du, self.Dv)

    def max_dt(self) -> float:
        """Largest stable explicit-Euler time step of these parameters (see :meth:`check`)."""
        u, v = self.state
        jac = self.kin.jacobian(u, v, self.kinetic_values)
        reaction = max_stable_dt(*(float(x) for x in jac), self.Du, self.Dv)
        potential = 2.0 * self.tau / (1.0 + 8.0 * self.space_constant**2)
        return min(reaction, potential)

    def check(self) -> None:
        """Explicit-Euler stability: ``dt`` below :meth:`max_dt`, else a ``ParameterError`` naming it."""
        limit = self.max_dt()
        if not self.dt < limit:
            raise ParameterError(
                "dt",
                self.dt,
                f"dt < {limit:.6g} (the largest stable explicit-Euler step here)",
                f"Du = {self.Du:g}, Dv = {self.Dv:g}, tau = {self.tau:g}, space_constant = {self.space_constant:g}; "
                "diffusion alone needs dt < 1 / (4 max(Du, Dv))",
            )

    # ---- conversions that know about kinetics defaults -----------------------------------

    @classmethod
    def variants(cls) -> dict[str, Self]:
        """The defaults of every built-in kinetics (what a field left unset takes), by kinetics name."""
        return {name: cls(kinetics=name) for name in KINETICS}

    def to_dict(self) -> dict[str, Any]:
        """Every parameter as a plain ``dict``; with ``dt="auto"``, ``dt`` is ``"auto"`` and ``substeps`` None.

        So a sweep or ``from_dict`` resolves the step again for each run's own parameters.
        """
        values = super().to_dict()
        if self._dt_auto:
            values.update(dt="auto", substeps=None)
        return values

    def replace(self, **changes: Any) -> Self:
        """A copy with some parameters changed; a new kinetics gets its own defaults."""
        self.check_names(changes)
        given = self.to_dict()
        values = {n: given[n] for n in self.specs() if n not in _NONE_DEFAULT or n in self._given}
        if "kinetics" in changes and changes["kinetics"] != self.kinetics:
            new = changes["kinetics"]
            params = new.params if isinstance(new, Kinetics) else KINETICS.get(new, self.kin).params
            values = {n: x for n, x in values.items() if n not in KINETIC_PARAMS or n in params}
        values.update(changes)
        return type(self)(**values)

    def to_attrs(self) -> dict[str, Any]:
        """Parameters as netCDF-safe attributes (unset kinetics parameters left out).

        ``dt`` and ``substeps`` are the numbers the run used; ``dt_auto`` (0/1) says whether
        ``dt="auto"`` picked them, ``dt_safety`` with which factor, and ``dt_limit`` is the
        explicit-Euler limit they were judged against.
        """
        attrs = {n: x for n, x in super().to_attrs().items() if x is not None}
        attrs.update(dt=self.dt, substeps=self.substeps, dt_auto=int(self._dt_auto), dt_limit=self.max_dt())
        if self._dt_auto:
            attrs["dt_safety"] = DT_SAFETY
        if isinstance(self.kinetics, Kinetics):
            attrs["kinetics"] = self.kinetics.name
        return attrs


def reference_state(kin: Kinetics, p: tuple, Du: float, Dv: float) -> tuple[float, float]:
    """The homogeneous state a run starts near, found numerically.

    Of the states :func:`.linear.find_states` finds: the Turing-unstable one with the fastest
    mode; otherwise the linearly stable one with the largest ``u`` (for Gray–Scott, the
    trivial state (1, 0)); otherwise the first. Raises ``ParameterError`` when there is none.
    """
    if kin.code >= 0:
        return _reference_cached(kin.name, tuple(float(x) for x in p), float(Du), float(Dv))
    return _reference(kin, p, Du, Dv)


@functools.lru_cache(maxsize=4096)
def _reference_cached(name: str, p: tuple, Du: float, Dv: float) -> tuple[float, float]:
    return _reference(KINETICS[name], p, Du, Dv)


def _reference(kin: Kinetics, p: tuple, Du: float, Dv: float) -> tuple[float, float]:
    from mfn.models.reaction_diffusion.linear import conditions

    u, v = find_states(kin, p)
    states = unique_states(u[0], v[0])
    if not states:
        raise ParameterError(
            "kinetics", kin.name, "kinetics with a homogeneous steady state", f"none found for parameters {p}"
        )
    best, best_rank = states[0], None
    for su, sv in states:
        c = conditions(*(float(x) for x in kin.jacobian(su, sv, p)), Du, Dv)
        if c["turing"]:
            rank = (2, float(c["sigma_max"]))
        elif c["stable_trace"] and c["stable_det"]:
            rank = (1, su)
        else:
            rank = (0, 0.0)
        if best_rank is None or rank > best_rank:
            best, best_rank = (su, sv), rank
    return best
