"""The field Lyapunov exponent by twin trajectories (Benettin's method; docs/features.md).

A twin of the run starts from the same state plus a tiny perturbation of the potential and is
advanced by the same kernel with the same random draws (growth events, noise). After every
step the separation ``d_t = ||V_twin - V||`` is measured, ``ln(d_t / d_0)`` is added to a
running sum, and the twin is pulled back to distance ``d_0`` along the same direction
(renormalisation), so the twin never leaves the linear neighbourhood of the run. The
exponent is the mean of ``ln(d_t / d_0)`` per step.

Design choices (docs/features.md leaves them open):

- **Only V is perturbed.** The activator and inhibitor do not depend on V, so the twin's
  ``a`` and ``i`` stay identical to the run's (they are still advanced by the kernel, which
  needs them for the Turing kicks); the separation is measured on V alone.
- **The perturbation is uniform**, ``1e-5 mV`` in every cell. The uniform mode is the
  slowest-decaying direction of diffusion under periodic and zero-flux boundaries (a
  neutral mode: it is conserved, so the exponent is ~0) and carries most of the weight of
  the slowest Dirichlet mode, so no transient has to be discarded; it also draws nothing
  from the run's random stream.
- **Separation that vanishes** (possible only if every cell is clamped in both runs on the
  same step) counts as a contraction by ``1e-16`` and the twin restarts from the uniform
  perturbation, so the exponent is always finite.

The twin costs a second kernel call per step plus four passes over the field;
``Simulation(..., lyapunov=False)`` skips it (the run's ``lyapunov`` attribute is then NaN).
"""

from __future__ import annotations

import math

import numpy as np

__all__ = ["PERTURBATION_V", "TwinTrajectory"]

PERTURBATION_V = 1e-8
"""Initial offset of the twin's potential in every cell, V (1e-5 mV)."""
COLLAPSE_RATIO = 1e-16
"""Separation ratio counted when the separation vanishes entirely."""


class TwinTrajectory:
    """A perturbed copy of a run, stepped alongside it with the same draws.

    Parameters
    ----------
    V, a, i : (M, N) float64 ndarray
        The run's current state (V in volts); copied.
    kernel : callable
        The step kernel, with the signature of :func:`mfn.models.classic.kernels.numpy_step`.
    constants : KernelConstants
        The run's kernel constants.

    Examples
    --------
    >>> from mfn import FieldParams, Simulation
    >>> sim = Simulation(FieldParams(grid_size=16, boundary="dirichlet"))
    >>> _ = sim.step(50)
    >>> bool(sim.lyapunov < 0)
    True
    """

    __slots__ = ("_V", "_a", "_d0", "_diff", "_i", "_kernel", "_log_sum", "constants", "steps")

    def __init__(self, V: np.ndarray, a: np.ndarray, i: np.ndarray, kernel, constants) -> None:
        self._V = V + PERTURBATION_V
        self._a = a.copy()
        self._i = i.copy()
        self._diff = np.empty_like(V)
        self._d0 = PERTURBATION_V * math.sqrt(V.size)
        self._kernel = kernel
        self.constants = constants
        self._log_sum = 0.0
        self.steps = 0

    def step(self, V: np.ndarray, spike_cell: int, spike_amplitude: float, noise: np.ndarray | None) -> None:
        """Advance the twin with the draws the run just used, then renormalise against ``V``.

        ``V`` is the run's potential after its step (volts).
        """
        self._kernel(self._V, self._a, self._i, spike_cell, spike_amplitude, noise, self.constants)
        diff = np.subtract(self._V, V, out=self._diff).ravel()
        d = math.sqrt(float(np.einsum("i,i->", diff, diff)))
        self.steps += 1
        if d > 0.0:
            self._log_sum += math.log(d / self._d0)
            np.multiply(self._diff, self._d0 / d, out=self._diff)
            np.add(V, self._diff, out=self._V)
        else:
            self._log_sum += math.log(COLLAPSE_RATIO)
            np.add(V, PERTURBATION_V, out=self._V)

    @property
    def exponent(self) -> float:
        """The field Lyapunov exponent so far, per step (0.0 before the first step)."""
        return self._log_sum / self.steps if self.steps else 0.0
