"""Fused numba kernels, bit-identical to :func:`~mfn.models.classic.kernels.numpy_step`: one lattice, or a batch.

This module imports numba at import time; :mod:`mfn.core.backends` imports it only when the
``"numba"`` backend is chosen (numba is the optional extra ``mfn[fast]``).

Why the results are bit-identical, not merely close: every cell goes through exactly the
floating-point operations of the numpy reference, in the same order — the Laplacian as
``((below + above) + right) + left - 4*u`` (ADR 0001), ``V + alpha*lap``,
``a + (Da*lap_a + ra*(a*(1 - a) - i))``, ``i + (Di*lap_i + ri*(a_new - i))``, then the
Turing kick, the noise and the clamps (with ``np.clip``'s handling of -0.0 and NaN) — and
the functions are compiled without ``fastmath``, so LLVM neither reassociates nor fuses
multiply-adds. The tests compare the bits.

The stencil must read the old values of neighbours already updated, so each step first
copies the fields, with their ghost cells, into a padded scratch array (a cheap, vectorised
copy); then one sweep over the rows computes V, a and i, the kick, the noise, the clamp and
the counts. The Turing kick and the clamp of V touch only the rows that need them (a row
with no activation or no out-of-range cell skips that loop), as the reference touches only
the cells that need them. :func:`run_batch` advances ``B`` stacked lattices by ``S`` steps
in one call, member by member, so a small lattice stays in the L1 cache for all its steps.

Compiled functions are cached on disk (``cache=True``): a later process loads them instead
of compiling. numba writes the cache into ``__pycache__`` next to this file, or, where that
is not writable, into the directory named by the ``NUMBA_CACHE_DIR`` environment variable.
"""

from __future__ import annotations

import numba
import numpy as np

from mfn.core.lattice_numba import pad_ghosts
from mfn.models.classic.kernels import TURING_KICK, V_MAX, V_MIN, V_REST, KernelConstants

__all__ = ["BOUNDARY_CODES", "BatchConstants", "numba_step", "run_batch"]

BOUNDARY_CODES = {"periodic": 0, "neumann": 1, "dirichlet": 2}
"""Integer code of each boundary condition, as the compiled kernels take it."""

_jit = numba.njit(cache=True, nogil=True, fastmath=False, error_model="numpy", boundscheck=False)
_inline = numba.njit(cache=True, nogil=True, fastmath=False, error_model="numpy", boundscheck=False, inline="always")


@_inline
def _clip(x, lo, hi):
    """``np.clip`` of one float, bit for bit (NaN stays NaN; -0.0 clipped at 0.0 becomes 0.0)."""
    x = x if (x > lo or x != x) else lo
    return x if (x < hi or x != x) else hi


@_jit
def _step2d(V, a, i, spike_cell, spike_amplitude, noise, has_noise, alpha, turing, k, bmode, scratch):
    """One step of one (M, N) lattice, in place; returns (activations, clamped).

    ``k`` is ``(Da, Di, ra, ri, theta)``; ``bmode`` a :data:`BOUNDARY_CODES` value;
    ``scratch`` a (3, M + 2, N + 2) array that receives the old fields with their ghost cells;
    ``noise`` is read only when ``has_noise``. Each row is done in a few short loops over
    few arrays, which LLVM vectorises (it gives up when many arrays might overlap);
    reductions (the counts) get loops of their own for the same reason.
    """
    m, n = V.shape
    if spike_cell >= 0:
        V[spike_cell // n, spike_cell % n] += spike_amplitude
    pv, pa, pi = scratch[0], scratch[1], scratch[2]
    pad_ghosts(V, pv, bmode, V_REST)
    if turing:
        pad_ghosts(a, pa, bmode, 0.0)
        pad_ghosts(i, pi, bmode, 0.0)
    da, di, ra, ri, theta = k
    activations = 0
    clamped = 0
    for r in range(m):
        p = r + 1  # row r of the lattice is row p of the padded copies
        for j in range(n):
            v = pv[p, j + 1]
            V[r, j] = v + alpha * (pv[p + 1, j + 1] + pv[p - 1, j + 1] + pv[p, j + 2] + pv[p, j] - 4.0 * v)
        if turing:
            for j in range(n):
                a0 = pa[p, j + 1]
                lap = pa[p + 1, j + 1] + pa[p - 1, j + 1] + pa[p, j + 2] + pa[p, j] - 4.0 * a0
                a[r, j] = a0 + (da * lap + ra * (a0 * (1.0 - a0) - pi[p, j + 1]))
            row_active = 0
            for j in range(n):
                row_active += a[r, j] > theta
            activations += row_active
            for j in range(n):
                i0 = pi[p, j + 1]
                lap = pi[p + 1, j + 1] + pi[p - 1, j + 1] + pi[p, j + 2] + pi[p, j] - 4.0 * i0
                i[r, j] = _clip(i0 + (di * lap + ri * (a[r, j] - i0)), 0.0, 1.0)
            if row_active:
                for j in range(n):
                    if a[r, j] > theta:
                        V[r, j] += TURING_KICK
            for j in range(n):
                a[r, j] = _clip(a[r, j], 0.0, 1.0)
        if has_noise:
            for j in range(n):
                V[r, j] = V[r, j] + noise[r, j]
        row_clamped = 0
        for j in range(n):
            row_clamped += (V[r, j] < V_MIN) | (V[r, j] > V_MAX)
        if row_clamped:
            clamped += row_clamped
            for j in range(n):
                V[r, j] = _clip(V[r, j], V_MIN, V_MAX)
    return activations, clamped


@_inline
def _scratch(m, n):
    return np.empty((3, m + 2, n + 2))


@_jit
def _step_one(V, a, i, spike_cell, spike_amplitude, noise, has_noise, alpha, turing, da, di, ra, ri, theta, bmode):
    k = (da, di, ra, ri, theta)
    return _step2d(
        V,
        a,
        i,
        spike_cell,
        spike_amplitude,
        noise,
        has_noise,
        alpha,
        turing,
        k,
        bmode,
        _scratch(V.shape[0], V.shape[1]),
    )


@_jit
def _run_batch(V, a, i, spike_cells, spike_amplitudes, noise, noisy, alpha, turing, k, bmode, out):
    """``S`` steps of ``B`` lattices stored as (B, M, N) arrays, member by member.

    Each lattice takes its ``S`` steps exactly as :func:`_step2d` does them (a small lattice
    stays in the L1 cache for all of them). ``spike_cells``, ``spike_amplitudes``: (B, S);
    ``noise``: (B, S, M, N), read only for members whose ``noisy`` flag is 1.0; ``k``: (5, B)
    Da, Di, ra, ri, theta; ``turing``: (B,) flags 1.0/0.0; ``out``: (2, B, S) receives the
    activations and clamped cells of every step.
    """
    nb, m, n = V.shape
    scratch = np.empty((3, m + 2, n + 2))
    for b in range(nb):
        has_noise = noisy[b] != 0.0
        kb = (k[0, b], k[1, b], k[2, b], k[3, b], k[4, b])
        for s in range(spike_cells.shape[1]):
            out[0, b, s], out[1, b, s] = _step2d(
                V[b], a[b], i[b], spike_cells[b, s], spike_amplitudes[b, s], noise[b, s] if has_noise else noise[0, 0],
                has_noise, alpha[b], turing[b] != 0.0, kb, bmode[b], scratch,
            )  # fmt: skip


_NO_NOISE = np.zeros((1, 1))
_NO_NOISE_4D = np.zeros((1, 1, 1, 1))  # never read (no lattice is noisy)


def numba_step(
    V: np.ndarray,
    a: np.ndarray,
    i: np.ndarray,
    spike_cell: int,
    spike_amplitude: float,
    noise: np.ndarray | None,
    c: KernelConstants,
) -> tuple[int, int]:
    """The fused equivalent of :func:`mfn.models.classic.kernels.numpy_step`: same arguments, bit-identical results.

    ``V``, ``a``, ``i`` must be C-contiguous float64 arrays (as a :class:`~mfn.simulation.simulation.Simulation` holds).
    """
    has_noise = noise is not None
    return _step_one(
        V, a, i, spike_cell, spike_amplitude, noise if has_noise else _NO_NOISE, has_noise,
        c.alpha, c.turing, c.Da, c.Di, c.ra, c.ri, c.theta, BOUNDARY_CODES[c.boundary],
    )  # fmt: skip


def run_batch(
    V: np.ndarray,
    a: np.ndarray,
    i: np.ndarray,
    spike_cells: np.ndarray,
    spike_amplitudes: np.ndarray,
    noise: np.ndarray | None,
    constants: BatchConstants,
) -> np.ndarray:
    """Advance ``B`` lattices of one shape by ``S`` steps, in place, in one call.

    Parameters
    ----------
    V, a, i : (B, M, N) float64 C-contiguous ndarray
        The stacked states; ``V[b]`` is updated exactly as ``S`` calls of ``numpy_step`` would.
    spike_cells : (B, S) int64 ndarray
        Flat growth-event cell of each lattice and step, -1 for none.
    spike_amplitudes : (B, S) float64 ndarray
        Their amplitudes, V.
    noise : (B, S, M, N) float64 ndarray or None
        Noise of each lattice and step, V (read only for the lattices ``constants.noisy``
        marks); None when no lattice has noise.
    constants : BatchConstants

    Returns
    -------
    (2, B, S) int64 ndarray
        Turing activations and clamped cells of each lattice at each step.
    """
    nb, steps = spike_cells.shape
    out = np.empty((2, nb, steps), dtype=np.int64)
    noisy = constants.noisy if noise is not None else np.zeros(nb)
    _run_batch(
        V, a, i, spike_cells, spike_amplitudes, noise if noise is not None else _NO_NOISE_4D, noisy,
        constants.alpha, constants.turing, constants.k, constants.bmode, out,
    )  # fmt: skip
    return out


class BatchConstants:
    """Per-lattice kernel constants of a batch, as arrays the compiled kernel takes.

    Parameters
    ----------
    constants : sequence of KernelConstants
        One per lattice.
    noisy : sequence of bool
        Whether each lattice has noise.
    """

    def __init__(self, constants, noisy) -> None:
        self.noisy = np.array(noisy, dtype=np.float64).reshape(len(constants))  # 1.0 noisy, 0.0 not
        self.alpha = np.array([c.alpha for c in constants], dtype=np.float64)
        self.turing = np.array([c.turing for c in constants], dtype=np.float64)  # 1.0 on, 0.0 off
        self.k = (
            np.array([[c.Da, c.Di, c.ra, c.ri, c.theta] for c in constants], dtype=np.float64).reshape(-1, 5).T.copy()
        )
        self.bmode = np.array([BOUNDARY_CODES[c.boundary] for c in constants], dtype=np.int64)
