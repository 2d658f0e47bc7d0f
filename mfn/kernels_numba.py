"""The fused numba kernel: one pass over the lattice per step, bit-identical to :func:`~mfn.kernels.numpy_step`.

This module imports numba at import time; :mod:`mfn.backends` imports it only when the
``"numba"`` backend is chosen (numba is the optional extra ``mfn[fast]``).

Why the results are bit-identical, not merely close: every cell goes through exactly the
floating-point operations of the numpy reference, in the same order — the Laplacian as
``((up_below + up_above) + right) + left - 4*u`` (ADR 0001), ``V + alpha*lap``,
``a + (Da*lap_a + ra*(a*(1 - a) - i))``, ``i + (Di*lap_i + ri*(a_new - i))``, then the
Turing kick, the noise and the clamps — and the functions are compiled without
``fastmath``, so LLVM neither reassociates nor fuses multiply-adds.

One pass means the stencil must read the old values of neighbours already updated. The
kernel keeps the new values of row ``r`` in a small row buffer and writes them back only
after row ``r + 1`` has been computed (and keeps a copy of the old first row for the
periodic wrap), so the whole state is read and written once per step.

Compiled functions are cached on disk (``cache=True``): a later process loads them instead
of compiling. numba writes the cache into ``__pycache__`` next to this file, or, where that
is not writable, into the directory named by the ``NUMBA_CACHE_DIR`` environment variable.
"""

from __future__ import annotations

import numba
import numpy as np

from mfn.kernels import TURING_KICK, V_MAX, V_MIN, V_REST, KernelConstants

__all__ = ["BOUNDARY_CODES", "batch_step", "numba_step"]

BOUNDARY_CODES = {"periodic": 0, "neumann": 1, "dirichlet": 2}
"""Integer code of each boundary condition, as the compiled kernels take it."""

_jit = numba.njit(cache=True, nogil=True, fastmath=False, error_model="numpy", boundscheck=False)
_inline = numba.njit(cache=True, nogil=True, fastmath=False, error_model="numpy", boundscheck=False, inline="always")


@_inline
def _ghost_rows(u, r, bmode, ghost, first):
    """The old rows above and below row ``r``; at the lattice edges, the boundary's ghost rows.

    ``first`` is a copy of the old row 0 (row 0 is already overwritten when the last row is
    computed); ``ghost`` is the dirichlet ghost row.
    """
    m = u.shape[0]
    if r > 0:
        above = u[r - 1]
    elif bmode == 0:
        above = u[m - 1]
    elif bmode == 1:
        above = u[0]
    else:
        above = ghost
    if r < m - 1:
        below = u[r + 1]
    elif bmode == 0:
        below = first
    elif bmode == 1:
        below = u[m - 1]
    else:
        below = ghost
    return above, below


@_inline
def _padded(row, pad, bmode, fill):
    """Copy ``row`` into ``pad[1:n+1]`` with its left and right ghost cells in ``pad[0]``, ``pad[n+1]``.

    The stencil then reads cell ``j`` of the row as ``pad[j + 1]`` and its left and right
    neighbours as ``pad[j]`` and ``pad[j + 2]``, for every column alike.
    """
    n = row.shape[0]
    for j in range(n):
        pad[j + 1] = row[j]
    if bmode == 0:
        pad[0], pad[n + 1] = row[n - 1], row[0]
    elif bmode == 1:
        pad[0], pad[n + 1] = row[0], row[n - 1]
    else:
        pad[0] = pad[n + 1] = fill
    return pad


@_inline
def _clip(x, lo, hi):
    """``np.clip`` of one float, bit for bit (NaN stays NaN; -0.0 clipped at 0.0 becomes 0.0)."""
    x = x if (x > lo or x != x) else lo
    return x if (x < hi or x != x) else hi


@_inline
def _row(r, V, a, i, nv, na, ni, alpha, turing, k, bmode, ghosts, first, pad):
    """Compute row ``r`` of the new V (before noise and clamp), a and i; returns activations.

    The work is split into loops over few arrays each, indexed from 0, so that LLVM
    vectorises them (it gives up when too many arrays might overlap).
    """
    n = V.shape[1]
    vu, vd = _ghost_rows(V, r, bmode, ghosts[0], first[0])
    pv = _padded(V[r], pad[0], bmode, V_REST)
    for j in range(n):
        v = pv[j + 1]
        nv[j] = v + alpha * (vd[j] + vu[j] + pv[j + 2] + pv[j] - 4.0 * v)
    if not turing:
        return 0
    da, di, ra, ri, theta = k
    au, ad = _ghost_rows(a, r, bmode, ghosts[1], first[1])
    iu, idn = _ghost_rows(i, r, bmode, ghosts[1], first[2])
    pa = _padded(a[r], pad[1], bmode, 0.0)
    pi = _padded(i[r], pad[2], bmode, 0.0)
    return _turing_row(pa, pi, au, ad, iu, idn, nv, na, ni, da, di, ra, ri, theta)


@_jit
def _turing_row(pa, pi, au, ad, iu, idn, nv, na, ni, da, di, ra, ri, theta):
    """The Turing part of one row: new ``a`` and ``i`` (clipped), the kick on ``nv``; returns activations.

    ``pa``, ``pi`` are the padded old rows (see :func:`_padded`), ``au``/``ad`` and
    ``iu``/``idn`` the old rows above and below. Kept as its own compiled function with few
    loops over few arrays: LLVM vectorises it better that way.
    """
    n = na.shape[0]
    for j in range(n):
        a0 = pa[j + 1]
        na[j] = a0 + (da * (ad[j] + au[j] + pa[j + 2] + pa[j] - 4.0 * a0) + ra * (a0 * (1.0 - a0) - pi[j + 1]))
    act = 0
    for j in range(n):  # a reduction in its own loop keeps both loops vectorised
        act += na[j] > theta
    for j in range(n):
        i0 = pi[j + 1]
        an = na[j]
        ni[j] = _clip(i0 + (di * (idn[j] + iu[j] + pi[j + 2] + pi[j] - 4.0 * i0) + ri * (an - i0)), 0.0, 1.0)
        nv[j] = nv[j] + TURING_KICK if an > theta else nv[j]
        na[j] = _clip(an, 0.0, 1.0)
    return act


@_inline
def _noise_and_clamp(nv, noise_row, has_noise):
    """Add the noise to the new row of V and clamp it; returns the number of clamped cells."""
    if has_noise:
        for j in range(nv.shape[0]):
            nv[j] = nv[j] + noise_row[j]
    clamped = 0
    for j in range(nv.shape[0]):
        clamped += (nv[j] < V_MIN) | (nv[j] > V_MAX)
    for j in range(nv.shape[0]):
        nv[j] = _clip(nv[j], V_MIN, V_MAX)
    return clamped


@_jit
def _step2d(V, a, i, spike_cell, spike_amplitude, noise, has_noise, alpha, turing, k, bmode, buf):
    """One step of one (M, N) lattice, in place; returns (activations, clamped).

    ``k`` is ``(Da, Di, ra, ri, theta)``; ``bmode`` a :data:`BOUNDARY_CODES` value; ``buf`` the
    scratch of :func:`_scratch`; ``noise`` is read only when ``has_noise``.
    """
    m, n = V.shape
    if spike_cell >= 0:
        V[spike_cell // n, spike_cell % n] += spike_amplitude
    # new: V, a, i of two consecutive rows; first: old V, a, i of row 0 (periodic wrap);
    # ghosts: dirichlet ghost rows for V and for a, i; pad: padded rows (see _padded).
    new, first, ghosts, pad = buf
    first[0] = V[0]
    first[1] = a[0]
    first[2] = i[0]
    ghosts[0] = V_REST
    ghosts[1] = 0.0
    activations = 0
    clamped = 0
    for r in range(m):
        cur = 3 * (r % 2)
        activations += _row(
            r, V, a, i, new[cur], new[cur + 1], new[cur + 2], alpha, turing, k, bmode, ghosts, first, pad
        )
        clamped += _noise_and_clamp(new[cur], noise[r if has_noise else 0], has_noise)
        if r > 0:  # row r-1 is no longer read: write its new values
            _write_back(r - 1, V, a, i, new, 3 - cur, turing)
    _write_back(m - 1, V, a, i, new, 3 * ((m - 1) % 2), turing)
    return activations, clamped


@_inline
def _write_back(r, V, a, i, new, base, turing):
    V[r] = new[base]
    if turing:
        a[r] = new[base + 1]
        i[r] = new[base + 2]


@_inline
def _scratch(n):
    return np.empty((6, n)), np.empty((3, n)), np.empty((2, n)), np.empty((3, n + 2))


@_jit
def _step_one(V, a, i, spike_cell, spike_amplitude, noise, has_noise, alpha, turing, da, di, ra, ri, theta, bmode):
    k = (da, di, ra, ri, theta)
    return _step2d(
        V, a, i, spike_cell, spike_amplitude, noise, has_noise, alpha, turing, k, bmode, _scratch(V.shape[1])
    )


@_jit
def _step_batch(V, a, i, spike_cells, spike_amplitudes, noise, has_noise, alpha, turing, k, bmode, out):
    buf = _scratch(V.shape[2])
    for b in range(V.shape[0]):
        out[b, 0], out[b, 1] = _step2d(
            V[b], a[b], i[b], spike_cells[b], spike_amplitudes[b], noise[b if has_noise[b] else 0], has_noise[b],
            alpha[b], turing[b], (k[b, 0], k[b, 1], k[b, 2], k[b, 3], k[b, 4]), bmode[b], buf,
        )  # fmt: skip


_NO_NOISE = np.zeros((1, 1))
_NO_NOISE_3D = np.zeros((1, 1, 1))


def numba_step(
    V: np.ndarray,
    a: np.ndarray,
    i: np.ndarray,
    spike_cell: int,
    spike_amplitude: float,
    noise: np.ndarray | None,
    c: KernelConstants,
) -> tuple[int, int]:
    """The fused equivalent of :func:`mfn.kernels.numpy_step`: same arguments, bit-identical results.

    ``V``, ``a``, ``i`` must be C-contiguous float64 arrays (as a :class:`~mfn.field.Simulation` holds).
    """
    has_noise = noise is not None
    return _step_one(
        V, a, i, spike_cell, spike_amplitude, noise if has_noise else _NO_NOISE, has_noise,
        c.alpha, c.turing, c.Da, c.Di, c.ra, c.ri, c.theta, BOUNDARY_CODES[c.boundary],
    )  # fmt: skip


def batch_step(
    V: np.ndarray,
    a: np.ndarray,
    i: np.ndarray,
    spike_cells: np.ndarray,
    spike_amplitudes: np.ndarray,
    noise: np.ndarray | None,
    constants: BatchConstants,
) -> np.ndarray:
    """Advance ``B`` lattices of one shape by one step, in place, in one call.

    Parameters
    ----------
    V, a, i : (B, M, N) float64 C-contiguous ndarray
        The stacked states; ``V[b]`` is updated exactly as ``numpy_step`` would update it.
    spike_cells : (B,) int64 ndarray
        Flat growth-event cell of each lattice, -1 for none.
    spike_amplitudes : (B,) float64 ndarray
        Their amplitudes, V.
    noise : (B, M, N) float64 ndarray or None
        Noise of each lattice, V; None when no lattice has noise.
    constants : BatchConstants

    Returns
    -------
    (B, 2) int64 ndarray
        Turing activations and clamped cells of each lattice this step.
    """
    out = np.empty((V.shape[0], 2), dtype=np.int64)
    has_noise = noise is not None
    _step_batch(
        V, a, i, spike_cells, spike_amplitudes, noise if has_noise else _NO_NOISE_3D, has_noise,
        constants.alpha, constants.turing, constants.k, constants.bmode, out,
    )  # fmt: skip
    return out


class BatchConstants:
    """Per-lattice kernel constants of a batch, as arrays the compiled kernel takes.

    Parameters
    ----------
    constants : sequence of KernelConstants
        One per lattice.
    """

    def __init__(self, constants) -> None:
        self.alpha = np.array([c.alpha for c in constants], dtype=np.float64)
        self.turing = np.array([c.turing for c in constants], dtype=np.bool_)
        self.k = np.array([[c.Da, c.Di, c.ra, c.ri, c.theta] for c in constants], dtype=np.float64).reshape(-1, 5)
        self.bmode = np.array([BOUNDARY_CODES[c.boundary] for c in constants], dtype=np.int64)
