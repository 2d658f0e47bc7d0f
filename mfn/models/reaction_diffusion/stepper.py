"""One run of the reaction–diffusion model: :class:`RDStepper` (the model protocol's ``Stepper``).

Initial state, drawn from one ``numpy.random.Generator(seed)`` in this order: ``u`` noise,
then ``v`` noise, each ``noise * standard_normal(shape)`` added to the homogeneous state
``(u*, v*)`` (for Gray–Scott, after Pearson's central square is set); ``V = E_rest``. The
dynamics draw nothing more, so the same parameters and seed give the same bits.
"""

from __future__ import annotations

import math
from typing import Any

import numpy as np

from mfn.core.errors import NumericalInstabilityError
from mfn.models.reaction_diffusion.kernels import RDConstants, numpy_step
from mfn.models.reaction_diffusion.params import ReactionDiffusionParams

__all__ = ["RDStepper", "initial_state"]


def initial_state(params: ReactionDiffusionParams) -> tuple[np.ndarray, np.ndarray, np.ndarray]:
    """``(u, v, V)`` at t = 0 (V in mV); see the module docstring for the draws."""
    shape = params.shape
    us, vs = params.state
    u = np.full(shape, us)
    v = np.full(shape, vs)
    patch = params.kin.seed_patch
    if patch is not None:
        m, n = shape
        hm, hn = max(1, m // 20), max(1, n // 20)
        u[m // 2 - hm : m // 2 + hm, n // 2 - hn : n // 2 + hn] = patch[0]
        v[m // 2 - hm : m // 2 + hm, n // 2 - hn : n // 2 + hn] = patch[1]
    rng = np.random.default_rng(params.seed)
    u += params.noise * rng.standard_normal(shape)
    v += params.noise * rng.standard_normal(shape)
    return u, v, np.full(shape, params.E_rest)


def constants(params: ReactionDiffusionParams) -> RDConstants:
    """The kernel constants of ``params``."""
    kin = params.kin
    us, vs = params.state
    return RDConstants(
        kin.f,
        kin.g,
        params.kinetic_values,
        params.Du,
        params.Dv,
        params.dt,
        params.boundary,
        us,
        vs,
        params.E_rest,
        params.dt / params.tau,
        params.space_constant**2,
        params.g_u,
    )


class RDStepper:
    """A reaction–diffusion run, advanced in place (``backend`` "numpy" or "numba").

    User kinetics have no compiled form: they run on the numpy step whatever the request,
    and ``backend`` says so.

    Examples
    --------
    >>> p = ReactionDiffusionParams(kinetics="schnakenberg", grid_size=16, steps=10)
    >>> s = RDStepper(p, "numpy")
    >>> s.advance(10)
    >>> s.t, s.variable("V").shape
    (10, (16, 16))
    """

    def __init__(
        self,
        params: ReactionDiffusionParams,
        backend: str = "numpy",
        *,
        lyapunov: bool = False,
        record_events: bool = False,
    ) -> None:
        self.params = params
        self.backend = "numba" if backend == "numba" and params.kin.code >= 0 else "numpy"
        self.t = 0
        self.u, self.v, self.V = initial_state(params)
        self.constants = constants(params)
        if self.backend == "numba":
            from mfn.models.reaction_diffusion.kernels_numba import BOUNDARY_CODES, scratch_for

            k = self.constants
            self._p = np.array(k.p, dtype=float)
            self._c = np.array([k.Du, k.Dv, k.dt, k.u_star, k.v_star, k.E_rest, k.rate_V, k.lam2, k.g_u])
            self._bmode = BOUNDARY_CODES[k.boundary]
            self._scratch = scratch_for(params.shape)

    def advance(self, n: int) -> None:
        """Take ``n`` model steps (``n * substeps`` Euler steps).

        Raises ``NumericalInstabilityError`` if a field stops being finite.
        """
        if self.backend == "numba":
            from mfn.models.reaction_diffusion.kernels_numba import numba_advance

            numba_advance(
                self.u,
                self.v,
                self.V,
                n * self.params.substeps,
                self.params.kin.code,
                self._p,
                self._c,
                self._bmode,
                self._scratch,
            )
        else:
            with np.errstate(over="ignore", invalid="ignore"):  # non-finite fields are reported below
                for _ in range(n * self.params.substeps):
                    numpy_step(self.u, self.v, self.V, self.constants)
        self.t += n
        if not all(math.isfinite(float(x.sum())) for x in (self.u, self.v, self.V)):
            raise NumericalInstabilityError(
                f"reaction-diffusion fields left the finite range by step {self.t} "
                f"({self.params.kin.name}, dt = {self.params.dt:g}): lower dt"
            )

    def variable(self, name: str) -> np.ndarray:
        """A copy of ``"V"`` (mV), ``"u"`` or ``"v"``."""
        from mfn.core.checks import check_choice

        return getattr(self, check_choice("variable", name, ("V", "u", "v"))).copy()

    def primary_raw(self) -> tuple[np.ndarray, float]:
        """The live V array (mV) and the factor 1.0 to its units."""
        return self.V, 1.0

    def totals(self) -> dict[str, int]:
        """No counters: the model has no discrete events."""
        return {}

    def last_step(self) -> dict[str, int]:
        """No counters."""
        return {}

    def frame_metrics(self) -> dict[str, float]:
        """``V_mean`` (mV), ``u_mean``, ``u_std`` (the pattern's amplitude)."""
        return {"V_mean": float(self.V.mean()), "u_mean": float(self.u.mean()), "u_std": float(self.u.std())}

    def events(self) -> dict[str, tuple[np.ndarray, str, str]]:
        """No events."""
        return {}

    def run_attrs(self) -> dict[str, Any]:
        """``E_rest`` (mV), the state ``u_star``, ``v_star``, the predicted and measured wavelengths (cells)."""
        from mfn.analysis.spectra import dominant_wavelength
        from mfn.models.reaction_diffusion.turing import turing_analysis

        ta = turing_analysis(self.params)
        measured = dominant_wavelength(self.u) if self.u.std() > 0 else float("nan")
        return {
            "E_rest": self.params.E_rest,
            "u_star": self.constants.u_star,
            "v_star": self.constants.v_star,
            "turing_unstable": int(ta.attrs["turing_unstable"]),
            "wavelength_predicted": float(ta.attrs["wavelength"]),
            "wavelength_measured": float(measured.attrs["wavelength"]) if not isinstance(measured, float) else measured,
        }

    @property
    def lyapunov(self) -> float:
        """NaN: this model has no twin trajectory."""
        return float("nan")
