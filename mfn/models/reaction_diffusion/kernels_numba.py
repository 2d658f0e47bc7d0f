"""Fused numba step of the reaction–diffusion model, matching :func:`.kernels.numpy_step`.

The rate functions are the very functions of :mod:`.kinetics`, compiled here (inlined); the
kinetics is picked by its integer ``code`` inside the loop (a loop-invariant branch). Each
step copies ``u``, ``v``, ``V`` with their ghost cells into a padded scratch array, then one
sweep over the cells updates all three with the reference's operations in the reference's
order, without ``fastmath``; the tests hold it to the reference within 1e-12.

Compiled once per machine (``cache=True``); numba is imported only when this module is.
"""

from __future__ import annotations

import numba
import numpy as np

from mfn.core.lattice_numba import pad_ghosts
from mfn.models.reaction_diffusion import kinetics as kn

__all__ = ["BOUNDARY_CODES", "numba_advance"]

BOUNDARY_CODES = {"periodic": 0, "neumann": 1, "dirichlet": 2}

_inline = numba.njit(cache=True, nogil=True, fastmath=False, error_model="numpy", inline="always")
_jit = numba.njit(cache=True, nogil=True, fastmath=False, error_model="numpy", boundscheck=False)

_F = tuple(_inline(getattr(kn, f"{name}_f")) for name in kn.KINETICS)
_G = tuple(_inline(getattr(kn, f"{name}_g")) for name in kn.KINETICS)
(_f0, _f1, _f2, _f3, _f4, _f5) = _F
(_g0, _g1, _g2, _g3, _g4, _g5) = _G


@_inline
def _rates(code, u, v, p):
    if code == 0:
        return _f0(u, v, p), _g0(u, v, p)
    if code == 1:
        return _f1(u, v, p), _g1(u, v, p)
    if code == 2:
        return _f2(u, v, p), _g2(u, v, p)
    if code == 3:
        return _f3(u, v, p), _g3(u, v, p)
    if code == 4:
        return _f4(u, v, p), _g4(u, v, p)
    return _f5(u, v, p), _g5(u, v, p)


@_jit
def numba_advance(u, v, V, steps, code, p, c, bmode, scratch):
    """Advance ``steps`` steps in place.

    ``p``: the kinetics' parameters (float64 array); ``c``: ``(Du, Dv, dt, u*, v*, E_rest,
    dt/tau, lam², g_u)``; ``scratch``: a (3, M + 2, N + 2) float64 array.
    """
    du, dv, dt, us, vs, er, rate, lam2, gu = c[0], c[1], c[2], c[3], c[4], c[5], c[6], c[7], c[8]
    m, n = u.shape
    pu, pv, pV = scratch[0], scratch[1], scratch[2]
    for _ in range(steps):
        pad_ghosts(u, pu, bmode, us)
        pad_ghosts(v, pv, bmode, vs)
        pad_ghosts(V, pV, bmode, er)
        for r in range(m):
            q = r + 1
            for j in range(n):
                a = pu[q, j + 1]
                b = pv[q, j + 1]
                w = pV[q, j + 1]
                lu = pu[q + 1, j + 1] + pu[q - 1, j + 1] + pu[q, j + 2] + pu[q, j] - 4.0 * a
                lv = pv[q + 1, j + 1] + pv[q - 1, j + 1] + pv[q, j + 2] + pv[q, j] - 4.0 * b
                lw = pV[q + 1, j + 1] + pV[q - 1, j + 1] + pV[q, j + 2] + pV[q, j] - 4.0 * w
                fr, gr = _rates(code, a, b, p)
                V[r, j] = w + rate * ((er - w) + lam2 * lw + gu * (a - us))
                u[r, j] = a + dt * (du * lu + fr)
                v[r, j] = b + dt * (dv * lv + gr)


def scratch_for(shape: tuple[int, int]) -> np.ndarray:
    """The scratch array :func:`numba_advance` needs for fields of ``shape``."""
    return np.empty((3, shape[0] + 2, shape[1] + 2))
