"""The per-step update of the lattice field model.

:func:`numpy_step` is the readable reference, the definition of one step (docs/models.md):

1. growth event: add the drawn amplitude to the drawn cell, if any;
2. diffusion: ``V += alpha * lap(V)``;
3. Turing coupling (if on): ``a += Da*lap(a) + ra*(a*(1-a) - i)``, then
   ``i += Di*lap(i) + ri*(a - i)`` with the updated ``a``; ``V += 5 mV`` where ``a > theta``
   (counted); clip ``a`` and ``i`` to [0, 1];
4. noise: ``V += noise`` (drawn by the caller, volts);
5. clamp ``V`` to [-95, +40] mV (counted).

The Laplacian sums the four neighbours in the fixed order ``up + down + right + left - 4u``;
a fast path that keeps that order gives bit-identical results. Kernels work in volts, in
place, and trust their inputs: validation happens in :class:`mfn.models.classic.params.FieldParams`.
"""

from __future__ import annotations

from dataclasses import dataclass

import numpy as np

__all__ = [
    "TURING_KICK",
    "V_MAX",
    "V_MIN",
    "V_REST",
    "KernelConstants",
    "laplacian",
    "numpy_step",
]

V_MIN = -0.095
"""Lower clamp of the potential, V."""
V_MAX = 0.040
"""Upper clamp of the potential, V."""
V_REST = -0.070
"""Resting potential, V: the mean of the initial field and the Dirichlet boundary value."""
TURING_KICK = 0.005
"""Potential added where the activator exceeds its threshold, V."""


@dataclass(frozen=True)
class KernelConstants:
    """Plain numbers a kernel needs, taken from :class:`~mfn.models.classic.params.FieldParams`."""

    alpha: float
    turing: bool
    Da: float
    Di: float
    ra: float
    ri: float
    theta: float
    boundary: str

    @classmethod
    def from_params(cls, params) -> KernelConstants:
        return cls(
            alpha=params.alpha,
            turing=params.turing,
            Da=params.Da,
            Di=params.Di,
            ra=params.ra,
            ri=params.ri,
            theta=params.turing_threshold,
            boundary=params.boundary,
        )


_PAD_MODE = {"periodic": "wrap", "neumann": "edge", "dirichlet": "constant"}


def laplacian(u: np.ndarray, boundary: str, fill: float = 0.0) -> np.ndarray:
    """Five-point Laplacian ``u[i+1,j] + u[i-1,j] + u[i,j+1] + u[i,j-1] - 4 u[i,j]``.

    Parameters
    ----------
    u : (M, N) float ndarray
        The field.
    boundary : {"periodic", "neumann", "dirichlet"}
        Wrap-around; zero flux (a ghost cell equal to its edge cell, so the sum of ``u`` is
        conserved by diffusion); or ghost cells held at ``fill``.
    fill : float
        Ghost-cell value for ``"dirichlet"``.

    Returns
    -------
    (M, N) float ndarray
    """
    if boundary == "dirichlet":
        p = np.pad(u, 1, mode="constant", constant_values=fill)
    else:
        p = np.pad(u, 1, mode=_PAD_MODE[boundary])
    return p[2:, 1:-1] + p[:-2, 1:-1] + p[1:-1, 2:] + p[1:-1, :-2] - 4.0 * u


def numpy_step(
    V: np.ndarray,
    a: np.ndarray,
    i: np.ndarray,
    spike_cell: int,
    spike_amplitude: float,
    noise: np.ndarray | None,
    c: KernelConstants,
    *,
    pre_clamp: np.ndarray | None = None,
) -> tuple[int, int]:
    """Advance ``V``, ``a`` and ``i`` by one step, in place.

    Parameters
    ----------
    V, a, i : (M, N) float64 ndarray
        Potential (V) and activator/inhibitor (dimensionless); updated in place.
    spike_cell : int
        Flat index of the growth event's cell, or -1 for no event this step.
    spike_amplitude : float
        Amplitude of the growth event, V.
    noise : (M, N) float64 ndarray or None
        Noise to add to ``V`` this step, V.
    c : KernelConstants
    pre_clamp : (3,) float64 ndarray, optional
        When given, receives the smallest ``V``, the largest ``V`` and the sum of ``V`` just
        before the clamp (step 5), V: what the step computed, for judging stability where the
        clamp cannot hide it (:mod:`mfn.validation.probe`). It changes nothing else (the same
        bits, a few more passes over ``V``).

    Returns
    -------
    turing_activations, clamped_cells : int
        Cells raised by the Turing coupling and cells clamped this step.
    """
    if spike_cell >= 0:
        V.flat[spike_cell] += spike_amplitude
    V += c.alpha * laplacian(V, c.boundary, V_REST)
    activations = 0
    if c.turing:
        a += c.Da * laplacian(a, c.boundary) + c.ra * (a * (1.0 - a) - i)
        i += c.Di * laplacian(i, c.boundary) + c.ri * (a - i)
        active = a > c.theta
        activations = int(np.count_nonzero(active))
        if activations:
            V[active] += TURING_KICK
        np.clip(a, 0.0, 1.0, out=a)
        np.clip(i, 0.0, 1.0, out=i)
    if noise is not None:
        V += noise
    if pre_clamp is not None:
        pre_clamp[0], pre_clamp[1], pre_clamp[2] = V.min(), V.max(), V.sum()
    clamped = int(np.count_nonzero((V < V_MIN) | (V > V_MAX)))
    if clamped:
        np.clip(V, V_MIN, V_MAX, out=V)
    return activations, clamped
