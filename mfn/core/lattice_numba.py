"""Ghost cells of a lattice for fused numba kernels: one boundary rule for every model.

Imported only by the models' numba kernels (never by ``import mfn``): it imports numba.
Boundary codes: 0 periodic (wrap), 1 zero flux (the edge cell repeated), 2 fixed (``fill``).
"""

from __future__ import annotations

import numba

__all__ = ["pad_ghosts"]

_inline = numba.njit(cache=True, nogil=True, fastmath=False, error_model="numpy", boundscheck=False, inline="always")


@_inline
def pad_ghosts(u, p, bmode, fill):
    """Copy the (M, N) field ``u`` into ``p[1:M+1, 1:N+1]`` and set the ghost cells around it.

    Ghost cells (ADR 0001): ``periodic`` wraps, ``neumann`` repeats the edge cell,
    ``dirichlet`` holds ``fill``. Corners are never read by the 5-point stencil.
    """
    m, n = u.shape
    for r in range(m):
        for j in range(n):
            p[r + 1, j + 1] = u[r, j]
    if bmode == 0:
        top, bottom, left, right = m, 1, n, 1
    else:  # neumann: the edge itself; dirichlet: overwritten with fill below
        top, bottom, left, right = 1, m, 1, n
    for j in range(1, n + 1):
        p[0, j] = p[top, j]
        p[m + 1, j] = p[bottom, j]
    for r in range(1, m + 1):
        p[r, 0] = p[r, left]
        p[r, n + 1] = p[r, right]
    if bmode == 2:
        for j in range(1, n + 1):
            p[0, j] = fill
            p[m + 1, j] = fill
        for r in range(1, m + 1):
            p[r, 0] = fill
            p[r, n + 1] = fill
