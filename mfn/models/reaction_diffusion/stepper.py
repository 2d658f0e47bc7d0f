"""One run of the reaction–diffusion model: :class:`RDStepper` (the model protocol's ``Stepper``).

Initial state, drawn from one ``numpy.random.Generator(seed)`` in this order: ``u`` noise,
then ``v`` noise, each ``noise * standard_normal(shape)`` added to the homogeneous state
``(u*, v*)`` (for Gray–Scott, after Pearson's central square is set); ``V = E_rest``. The
dynamics draw nothing more, so the same parameters and seed give the same bits.
"""

from __future__ import annotations

import functools
import math
import time
from collections.abc import Callable
from typing import Any

import numpy as np

from mfn.core.errors import NumericalInstabilityError
from mfn.models.reaction_diffusion.kernels import RDConstants, numpy_step
from mfn.models.reaction_diffusion.params import ReactionDiffusionParams
from mfn.models.reaction_diffusion.settle import SettleTracker

__all__ = ["PERTURBATION", "RDStepper", "RDTwin", "initial_state"]

PATTERN_ABOVE_NOISE = 3.0
"""A pattern has formed when the std of u exceeds this many times the initial noise's std."""


def pattern_threshold(params) -> float:
    """The std of u above which a run counts as patterned (:data:`PATTERN_ABOVE_NOISE` x the noise)."""
    return PATTERN_ABOVE_NOISE * max(params.noise, 1e-12)


SLICE_SECONDS = 0.05
"""With a :attr:`RDStepper.checkpoint`, the Euler steps of a model step are taken in slices of about this long."""

PERTURBATION = 1e-8
"""Root-mean-square offset of the twin's ``u`` and ``v`` per cell."""
TWIN_STREAM = 0x7417
"""Second entry of the twin's seed sequence (keeps its direction apart from the run's draws)."""


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

    A model step can be many Euler substeps (up to 100,000): when :attr:`checkpoint` is set
    to a callable, the substeps are taken in slices of about :data:`SLICE_SECONDS` (the first
    slice is one substep, which may compile the kernel) and it is called after each slice;
    it may raise to stop the run (a sweep's time limit). The results do not depend on it.

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
        self.checkpoint: Callable[[], None] | None = None
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
        self._twin = RDTwin(self) if lyapunov else None
        self.settle = SettleTracker(params.settle_window, params.settle_tol, params.steps, pattern_threshold(params))
        self.settle.observe(0, self.u)

    def _euler(self, u: np.ndarray, v: np.ndarray, V: np.ndarray, n: int) -> None:
        """``n`` explicit Euler steps of the fields ``u``, ``v``, ``V`` in place (sliced with a checkpoint)."""
        if self.checkpoint is None:
            self._euler_steps(u, v, V, n)
            return
        done, chunk = 0, 1
        while done < n:
            k = min(chunk, n - done)
            before = time.perf_counter()
            self._euler_steps(u, v, V, k)
            done += k
            self.checkpoint()
            if time.perf_counter() - before < SLICE_SECONDS / 2:
                chunk *= 2

    def _euler_steps(self, u: np.ndarray, v: np.ndarray, V: np.ndarray, n: int) -> None:
        if self.backend == "numba":
            from mfn.models.reaction_diffusion.kernels_numba import numba_advance

            numba_advance(u, v, V, n, self.params.kin.code, self._p, self._c, self._bmode, self._scratch)
        else:
            with np.errstate(over="ignore", invalid="ignore"):  # non-finite fields are reported by advance
                for _ in range(n):
                    numpy_step(u, v, V, self.constants)

    def advance(self, n: int) -> None:
        """Take ``n`` model steps (``n * substeps`` Euler steps), showing ``u`` to the settling checks on the way.

        Raises ``NumericalInstabilityError`` if a field stops being finite.
        """
        substeps = self.params.substeps
        end = self.t + n
        while self.t < end:
            stop = min(end, self.settle.next_stop(self.t))
            if self._twin is None:
                self._euler(self.u, self.v, self.V, (stop - self.t) * substeps)
            else:
                for _ in range(stop - self.t):
                    self._euler(self.u, self.v, self.V, substeps)
                    self._twin.step(self)
            self.t = stop
            if not all(math.isfinite(float(x.sum())) for x in (self.u, self.v, self.V)):
                raise NumericalInstabilityError(
                    f"reaction-diffusion fields left the finite range by step {self.t} "
                    f"({self.params.kin.name}, dt = {self.params.dt:g}): lower dt, or dt='auto'"
                )
            self.settle.observe(self.t, self.u)

    @property
    def check_every(self) -> int | None:
        """Steps between the settling checks a run must stop at to end once settled (``until_settled`` only)."""
        return self.params.settle_window if self.params.until_settled else None

    def finished(self) -> bool:
        """Whether a run with ``until_settled`` may end now: its pattern settled at the last check."""
        return self.params.until_settled and self.settle.settled

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

    @functools.cached_property
    def theory(self) -> dict[str, Any]:
        """The attributes of :func:`~.turing.turing_analysis` of the run's parameters (computed once)."""
        from mfn.models.reaction_diffusion.turing import turing_analysis

        return dict(turing_analysis(self.params).attrs)

    def run_attrs(self) -> dict[str, Any]:
        """Run attributes besides the model's measures (``mfn.core.model.Measure``, recorded beside them):
        ``E_rest`` (mV), the state ``u_star``, ``v_star``, ``turing_unstable``, and the last settling
        check (:mod:`.settle`): ``settle_checked_at`` (its step, -1 before the first) and
        ``settle_wavelength_change`` (relative change of the wavelength over its window).
        """
        last = self.settle.last
        return {
            "E_rest": self.params.E_rest,
            "u_star": self.constants.u_star,
            "v_star": self.constants.v_star,
            "turing_unstable": int(self.theory["turing_unstable"]),
            "settle_checked_at": -1 if last is None else last.step,
            "settle_wavelength_change": math.nan if last is None else last.wavelength_change,
        }

    @property
    def lyapunov(self) -> float:
        """Field Lyapunov exponent so far, per model step (NaN without a twin)."""
        return float("nan") if self._twin is None else self._twin.exponent


class RDTwin:
    """A perturbed copy of ``u`` and ``v`` stepped beside the run (Benettin's method).

    The twin starts at the run's state plus a perturbation of Euclidean norm
    ``PERTURBATION * sqrt(2 M N)`` in a random direction over ``u`` and ``v``, drawn from its
    own generator (``SeedSequence([seed, TWIN_STREAM])``), so the run's draws are untouched
    and the direction reaches every mode, including the Turing band. After every model step
    it is advanced by the same kernel, the separation ``d`` of ``(u, v)`` is measured,
    ``ln(d / d0)`` is summed and the twin is pulled back to distance ``d0`` along the same
    direction. The exponent is the mean per model step (divide by ``substeps * dt`` for a rate
    per unit time): about ``σ_max`` times the step while a pattern grows from small noise,
    about 0 once a periodic pattern has settled (its translations are neutral). V does not
    act on ``u`` and ``v``, so it is not part of the separation.
    """

    def __init__(self, run: RDStepper) -> None:
        rng = np.random.default_rng(np.random.SeedSequence([run.params.seed, TWIN_STREAM]))
        direction = rng.standard_normal((2, *run.u.shape))
        direction *= 1.0 / math.sqrt(float(np.einsum("ijk,ijk->", direction, direction)))
        self.d0 = PERTURBATION * math.sqrt(2 * run.u.size)
        self.u = run.u + self.d0 * direction[0]
        self.v = run.v + self.d0 * direction[1]
        self.V = run.V.copy()
        self.log_sum = 0.0
        self.steps = 0

    def step(self, run: RDStepper) -> None:
        """Advance one model step beside ``run`` (already advanced) and renormalise."""
        run._euler(self.u, self.v, self.V, run.params.substeps)
        du = self.u - run.u
        dv = self.v - run.v
        d = math.sqrt(float(np.einsum("ij,ij->", du, du) + np.einsum("ij,ij->", dv, dv)))
        self.steps += 1
        if d > 0.0 and math.isfinite(d):
            self.log_sum += math.log(d / self.d0)
            scale = self.d0 / d
            np.add(run.u, du * scale, out=self.u)
            np.add(run.v, dv * scale, out=self.v)
        else:  # identical (or broken) twin: count a contraction and restart from the same offset
            self.log_sum += math.log(1e-16)
            self.u[...] = run.u + self.d0 / math.sqrt(2 * run.u.size)
            self.v[...] = run.v + self.d0 / math.sqrt(2 * run.u.size)

    @property
    def exponent(self) -> float:
        """Mean ``ln(d / d0)`` per model step (0.0 before the first)."""
        return self.log_sum / self.steps if self.steps else 0.0
