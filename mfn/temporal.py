"""Temporal features accumulated one frame at a time (SPEC section 4, features 9-12).

:class:`TemporalAccumulator` holds a few numbers and two frame buffers, so its memory does
not depend on the number of steps. The offline computation (:func:`mfn.features.features`
on a recorded history) feeds the recorded frames through the same class that a
:class:`~mfn.field.Simulation` updates while it steps, so online and offline values come from
the same arithmetic on the same numbers.

The per-frame sums have two implementations: numpy (the reference, always available) and a
compiled one-pass numba kernel (:mod:`mfn.temporal_numba`, used when numba is installed,
several times faster). They agree to rounding (1e-12 relative; maxima exactly); online and
offline values from one back end agree bit for bit.
"""

from __future__ import annotations

import math
from dataclasses import dataclass

import numpy as np

__all__ = ["TemporalAccumulator", "TemporalFeatures"]


@dataclass(frozen=True)
class TemporalFeatures:
    """The four temporal features of a history ``V_0 .. V_T``.

    Attributes
    ----------
    dV_mean : float
        Mean over steps and cells of ``|V_t - V_{t-1}|``, mV/step (0 when ``T = 0``).
    dV_max : float
        Largest ``|V_t - V_{t-1}|``, mV/step.
    T_stable : int
        First step ``t`` from which ``std(V_t - V_{t-1})`` stays below the stability
        threshold for ``window`` consecutive steps; ``T`` if that never happens.
    E_trend : float
        Least-squares slope of ``sum(V_t**2)`` (mV^2) against ``t`` over frames 0..T,
        mV^2/step (0 when ``T = 0``).
    steps : int
        ``T``, the number of steps seen.
    """

    dV_mean: float
    dV_max: float
    T_stable: int
    E_trend: float
    steps: int


class TemporalAccumulator:
    """Running sums for the temporal features, updated once per step.

    Parameters
    ----------
    V0 : (M, N) float64 ndarray
        The initial frame, mV times ``1 / scale`` (copied).
    stability_threshold : float
        ``std(V_t - V_{t-1})`` below which a step counts as stable, mV/step.
    stability_window : int
        Consecutive stable steps needed.
    scale : float, default 1.0
        Factor applied to every frame given to :meth:`update` (1e3 when a simulation passes
        its potential in volts); applied into an internal buffer, so the numbers are those
        of frames converted to mV beforehand, bit for bit.
    backend : {"auto", "numpy", "numba"}, default "auto"
        Implementation of the per-frame sums, chosen as for the step kernel (see
        :func:`mfn.backends.choose_backend`): ``"auto"`` takes numba when it is installed.
        The name used is in :attr:`backend`.

    Notes
    -----
    Per step the accumulator keeps five numbers of the step difference ``d = V_t - V_{t-1}``
    and the frame (``sum d``, ``sum d^2``, ``sum |d|``, ``max |d|``, ``sum V_t^2``) and folds
    them into running totals. :meth:`update` takes one frame (online, called by the
    simulation at every step); :meth:`update_many` takes a stack of recorded frames and
    computes the same five numbers for all of them at once (offline); both fold them in
    with the same code. ``std d`` is ``sqrt(max(mean(d^2) - mean(d)^2, 0))``: the cancellation
    it risks is far below the 1e-3 mV/step stability threshold for potentials in
    [-95, 40] mV. ``E_trend`` uses Welford-style co-moment updates, which stay accurate
    when the energy is large and its trend small. Sums of products use ``numpy.einsum``
    rather than BLAS ``dot``: a multi-threaded BLAS call per step slowed whole runs several
    fold on a busy 2-core machine. The numba back end computes the five numbers in one pass
    over the two frames (:mod:`mfn.temporal_numba`).
    """

    __slots__ = (
        "_cur",
        "_diff",
        "_e_comoment",
        "_e_mean",
        "_n_frames",
        "_numba",
        "_prev",
        "_run",
        "_scale",
        "_sum_abs",
        "_t_mean",
        "_t_sq",
        "backend",
        "max_abs",
        "n_cells",
        "stability_threshold",
        "stability_window",
        "stable_from",
        "steps",
    )

    def __init__(
        self,
        V0: np.ndarray,
        stability_threshold: float,
        stability_window: int,
        scale: float = 1.0,
        backend: str = "auto",
    ) -> None:
        from mfn.backends import choose_backend

        self.backend = choose_backend(backend)
        if self.backend == "numba":
            from mfn import temporal_numba

            self._numba = temporal_numba
        else:
            self._numba = None
        self._scale = float(scale)
        self._prev = np.multiply(V0, self._scale, dtype=np.float64)
        self._cur = np.empty_like(self._prev)
        self._diff = np.empty_like(self._prev)
        self.n_cells = self._prev.size
        self.stability_threshold = float(stability_threshold)
        self.stability_window = int(stability_window)
        self.steps = 0
        self._sum_abs = 0.0
        self.max_abs = 0.0
        self._run = 0
        self.stable_from = -1
        self._n_frames = 0
        self._t_mean = 0.0
        self._e_mean = 0.0
        self._t_sq = 0.0
        self._e_comoment = 0.0
        flat = self._prev.ravel()
        self._add_energy(float(np.einsum("i,i->", flat, flat)))

    def update(self, V: np.ndarray) -> None:
        """Account for the next frame ``V`` (same shape as ``V0``; multiplied by ``scale``)."""
        cur = self._cur
        if self._numba is not None:
            flat = np.asarray(V, dtype=np.float64).ravel()
            sums = self._numba.frame_stats(flat, self._scale, self._prev.ravel(), cur.ravel())
        else:
            np.multiply(V, self._scale, out=cur)
            sums = _numpy_sums(self._prev.reshape(1, -1), cur.reshape(1, -1), self._diff.reshape(1, -1))[0]
        self._add_step(*sums)
        self._prev, self._cur = cur, self._prev

    def update_many(self, frames: np.ndarray, block: int = 16) -> None:
        """Account for a stack of next frames, ``(k, M, N)`` (``scale`` is not applied).

        The numpy back end works on blocks of ``block`` frames; the frames are read, not copied
        (unless they are not a C-contiguous float64 stack and the numba back end is used).
        """
        if frames.shape[0] == 0:
            return
        frames = frames.reshape(frames.shape[0], self.n_cells)
        prev = self._prev.reshape(1, -1)
        if self._numba is not None:
            sums = self._numba.stack_stats(prev[0], np.ascontiguousarray(frames, dtype=np.float64))
        else:
            sums = np.empty((frames.shape[0], 5))
            buf = np.empty((min(block, frames.shape[0]), frames.shape[1]))
            for start in range(0, frames.shape[0], block):
                cur = frames[start : start + block]
                sums[start : start + block] = _numpy_sums(prev, cur, buf[: cur.shape[0]])
                prev = cur[-1:]
        for step in sums.tolist():
            self._add_step(*step)
        self._prev = frames[-1].reshape(self._prev.shape).copy()

    def _add_step(self, sum_d: float, sum_d2: float, sum_abs: float, max_abs: float, energy: float) -> None:
        n = self.n_cells
        self.steps += 1
        mean_d = sum_d / n
        if math.sqrt(max(sum_d2 / n - mean_d * mean_d, 0.0)) < self.stability_threshold:
            self._run += 1
            if self._run == self.stability_window and self.stable_from < 0:
                self.stable_from = self.steps - self.stability_window + 1
        else:
            self._run = 0
        self._sum_abs += sum_abs
        if max_abs > self.max_abs:
            self.max_abs = max_abs
        self._add_energy(energy)

    def _add_energy(self, energy: float) -> None:
        t = float(self._n_frames)
        self._n_frames += 1
        dt = t - self._t_mean
        self._t_mean += dt / self._n_frames
        self._e_mean += (energy - self._e_mean) / self._n_frames
        self._t_sq += dt * (t - self._t_mean)
        self._e_comoment += dt * (energy - self._e_mean)

    def result(self) -> TemporalFeatures:
        """The temporal features of the frames seen so far."""
        T = self.steps
        return TemporalFeatures(
            dV_mean=self._sum_abs / (T * self.n_cells) if T else 0.0,
            dV_max=self.max_abs,
            T_stable=self.stable_from if self.stable_from >= 0 else T,
            E_trend=self._e_comoment / self._t_sq if self._t_sq > 0 else 0.0,
            steps=T,
        )


def _numpy_sums(prev: np.ndarray, cur: np.ndarray, d: np.ndarray) -> np.ndarray:
    """The five per-step numbers of the ``(k, n)`` frames ``cur`` following the ``(1, n)`` frame ``prev``.

    ``d`` is a ``(k, n)`` scratch buffer. Returns a ``(k, 5)`` array: ``sum d``, ``sum d^2``,
    ``sum |d|``, ``max |d|``, ``sum V_t^2`` per step, ``d = V_t - V_{t-1}``.
    """
    np.subtract(cur[:1], prev, out=d[:1])
    np.subtract(cur[1:], cur[:-1], out=d[1:])
    sums = np.empty((cur.shape[0], 5))
    sums[:, 0] = d.sum(axis=1)
    sums[:, 1] = np.einsum("ij,ij->i", d, d)
    np.abs(d, out=d)
    sums[:, 2] = d.sum(axis=1)
    sums[:, 3] = d.max(axis=1)
    sums[:, 4] = np.einsum("ij,ij->i", cur, cur)
    return sums
