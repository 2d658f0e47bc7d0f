"""The numpy reference step of the reaction–diffusion model (the readable definition).

One explicit Euler step of (docs/models.md)::

    u' = u + dt (Du lap(u) + f(u, v))
    v' = v + dt (Dv lap(v) + g(u, v))
    V' = V + (dt / tau) (-(V - E_rest) + lam² lap(V) + g_u (u - u*))

with every right-hand side read at the old state and the five-point Laplacian
``lap(x) = ((below + above) + right) + left - 4 x`` (dx = 1 cell). Ghost cells: ``periodic``
wraps, ``neumann`` repeats the edge cell (zero flux), ``dirichlet`` holds ``u*``, ``v*`` and
``E_rest``. :mod:`.kernels_numba` performs the same operations in one fused loop.
"""

from __future__ import annotations

from typing import NamedTuple

import numpy as np

__all__ = ["RDConstants", "laplacian", "numpy_step"]


class RDConstants(NamedTuple):
    """Everything a step needs besides the fields (plain numbers)."""

    f: object
    g: object
    p: tuple
    Du: float
    Dv: float
    dt: float
    boundary: str
    u_star: float
    v_star: float
    E_rest: float
    rate_V: float
    """``dt / tau``."""
    lam2: float
    g_u: float


def laplacian(x: np.ndarray, boundary: str, fill: float) -> np.ndarray:
    """Five-point Laplacian of ``x`` (dx = 1) with ghost cells set by ``boundary``."""
    if boundary == "periodic":  # np.roll is several times faster than padding; same sums, same order
        below, above = np.roll(x, -1, 0), np.roll(x, 1, 0)
        right, left = np.roll(x, -1, 1), np.roll(x, 1, 1)
        return ((below + above) + right) + left - 4.0 * x
    if boundary == "neumann":
        p = np.pad(x, 1, mode="edge")
    else:
        p = np.pad(x, 1, mode="constant", constant_values=fill)
    c = p[1:-1, 1:-1]
    return ((p[2:, 1:-1] + p[:-2, 1:-1]) + p[1:-1, 2:]) + p[1:-1, :-2] - 4.0 * c


def numpy_step(u: np.ndarray, v: np.ndarray, V: np.ndarray, k: RDConstants) -> None:
    """Advance ``u``, ``v`` and ``V`` (mV) one explicit Euler step, in place."""
    lap_u = laplacian(u, k.boundary, k.u_star)
    lap_v = laplacian(v, k.boundary, k.v_star)
    lap_V = laplacian(V, k.boundary, k.E_rest)
    fr = k.f(u, v, k.p)
    gr = k.g(u, v, k.p)
    dV = k.rate_V * ((k.E_rest - V) + k.lam2 * lap_V + k.g_u * (u - k.u_star))
    u += k.dt * (k.Du * lap_u + fr)
    v += k.dt * (k.Dv * lap_v + gr)
    V += dV
