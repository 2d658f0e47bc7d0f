"""Temporal features accumulated one frame at a time (docs/features.md, features 9-12).

:class:`TemporalAccumulator` holds a few numbers and two frame buffers, so its memory does
not depend on the number of steps. The offline computation (:func:`mfn.analysis.features.features`
on a recorded history) feeds the recorded frames through the same class that a
:class:`~mfn.simulation.simulation.Simulation` updates while it steps, so online and offline values come from
the same arithmetic on the same numbers.

The per-frame sums have two implementations: numpy (the reference, always available) and a
compiled one-pass numba kernel (:mod:`mfn.analysis.temporal_numba`, used when numba is installed,
several times faster). They agree to rounding (1e-12 relative; maxima exactly); online and
offline values from one back end agree bit for bit.
"""

from __future__ import annotations

from dataclasses import dataclass

import numpy as np

from mfn.analysis.temporal_fold import fold

__all__ = ["TemporalAccumulator", "TemporalFeatures"]


@dataclass(frozen=True)
class TemporalFeatures:
    """The four temporal features of a history ``V_0 .. V_T``, and what they track.

    The conventions are those of docs/features.md (the history starts at ``V_0``, the initial
    state); ADR 0011 records what each one measures in the classic model.

    Attributes
    ----------
    dV_mean : float
        Mean over steps and cells of ``|V_t - V_{t-1}|``, mV/step (0 when ``T = 0``). In the
        classic model it tracks the growth events plus a fixed share from step 1, the
        smoothing of the initial 5 mV noise (about 3.2 mV per cell at alpha = 0.18: half of
        dV_mean of a 100-step run); divide that share out before comparing runs of different
        lengths.
    dV_max : float
        Largest ``|V_t - V_{t-1}|``, mV/step, over steps 1..T. Convention: step 1 counts, so
        in the classic model dV_max is the largest change of the first smoothing of the
        initial noise (about 15 mV at alpha = 0.18, the same with or without growth events,
        which change their cell by about ``amplitude * (1 - 4 alpha)``, 6-10 mV); it measures
        the roughness of the initial state, not the growth. A history that starts after a
        burn-in (frames ``k..T``) gives the largest change after it.
    T_stable : int
        First step ``t`` from which ``std(V_t - V_{t-1})`` stays below the stability
        threshold for ``window`` consecutive steps; ``T`` if that never happens (docs/features.md). A
        window reached at step ``t`` ends at ``t + window - 1 <= T``, so a reached value is at
        most ``T - window + 1``: with ``window >= 2``, ``T_stable == T`` means "never stable";
        :attr:`T_stable_reached` says it for any window. In the classic model a growth event
        makes ``std(dV)`` about ``amplitude (1 - 4 alpha) / sqrt(cells)``, far above the
        default 0.001 mV/step, so only runs without growth events become stable (pure
        diffusion at 32x32 or 64x64: about step 150).
    E_trend : float
        Least-squares slope of ``sum(V_t**2)`` (mV^2) against ``t`` over frames 0..T,
        mV^2/step (0 when ``T = 0``). With V near -70 mV it is ``cells * d(mean^2)/dt +
        cells * d(var)/dt``: the first term is the charge of the growth events (negative as
        they raise the mean toward 0: about -2 |mean| x 20 mV x events per step), the second
        the smoothing of the spatial variance (about -100 mV^2/step at 64x64, 100 steps).
    steps : int
        ``T``, the number of steps seen.
    T_stable_reached : bool
        Whether a stable window was reached (``T_stable`` is then a real step).
    """

    dV_mean: float
    dV_max: float
    T_stable: int
    E_trend: float
    steps: int
    T_stable_reached: bool = False


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
        :func:`mfn.core.backends.choose_backend`): ``"auto"`` takes numba when it is installed.
        The name used is in :attr:`backend`.

    Notes
    -----
    Per step the accumulator keeps five numbers of the step difference ``d = V_t - V_{t-1}``
    and the frame (``sum d``, ``sum d^2``, ``sum |d|``, ``max |d|``, ``sum V_t^2``) and folds
    them into running totals. :meth:`update` takes one frame (online, called by the
    simulation at every step); :meth:`update_many` takes a stack of recorded frames and
    computes the same five numbers for all of them at once (offline); both fold them in
    with the same function, :func:`~mfn.analysis.temporal_fold.fold` (compiled for stacks
    with the numba back end, giving the same bits). ``std d`` is
    ``sqrt(max(mean(d^2) - mean(d)^2, 0))``: the cancellation it risks is far below the
    1e-3 mV/step stability threshold for potentials in [-95, 40] mV. ``E_trend`` uses
    Welford-style co-moment updates, which stay accurate when the energy is large and its
    trend small. Sums of products use ``numpy.einsum`` rather than BLAS ``dot``: a
    multi-threaded BLAS call per step slowed whole runs several fold on a busy 2-core
    machine. The numba back end computes the five numbers in one pass over the two frames
    (:mod:`mfn.analysis.temporal_numba`).
    """

    __slots__ = (
        "_cur",
        "_diff",
        "_numba",
        "_prev",
        "_scale",
        "_state",
        "backend",
        "n_cells",
        "stability_threshold",
        "stability_window",
    )

    def __init__(
        self,
        V0: np.ndarray,
        stability_threshold: float,
        stability_window: int,
        scale: float = 1.0,
        backend: str = "auto",
    ) -> None:
        from mfn.core.backends import choose_backend

        self.backend = choose_backend(backend)
        if self.backend == "numba":
            from mfn.analysis import temporal_numba

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
        flat = self._prev.ravel()
        # the running totals after frame 0 (what fold would make of its energy alone)
        self._state = (0, 0, -1, 0.0, 0.0, 1, 0.0, float(np.einsum("i,i->", flat, flat)), 0.0, 0.0)

    @property
    def steps(self) -> int:
        """Steps seen so far."""
        return self._state[0]

    def update(self, V: np.ndarray) -> None:
        """Account for the next frame ``V`` (same shape as ``V0``; multiplied by ``scale``)."""
        cur = self._cur
        if self._numba is not None:
            flat = np.asarray(V, dtype=np.float64).ravel()
            sums = self._numba.frame_stats(flat, self._scale, self._prev.ravel(), cur.ravel(), self._diff.ravel())
        else:
            np.multiply(V, self._scale, out=cur)
            d = np.subtract(cur, self._prev, out=self._diff)
            sums = tuple(map(float, _numpy_sums(d.ravel(), cur.ravel())))
        self._state = fold(self._state, (sums,), self.n_cells, self.stability_threshold, self.stability_window)
        self._prev, self._cur = cur, self._prev

    def update_many(self, frames: np.ndarray, block: int = 16) -> float:
        """Account for a stack of next frames, ``(k, M, N)`` (``scale`` is not applied).

        The numpy back end works on blocks of ``block`` frames. The frames are read, not
        copied, when they are float64 (other dtypes are converted first; the numba back end
        also copies a stack that is not C-contiguous).

        Returns
        -------
        float
            The largest ``|V|`` in ``frames`` (0 for no frames), NaN or infinite when a value
            is not finite: the caller can check its input without another pass over it.
        """
        if frames.shape[0] == 0:
            return 0.0
        frames = np.asarray(frames, dtype=np.float64).reshape(frames.shape[0], self.n_cells)
        prev = self._prev.reshape(1, -1)
        settings = (self.n_cells, self.stability_threshold, self.stability_window)
        if self._numba is not None:
            sums = self._numba.stack_stats(prev[0], np.ascontiguousarray(frames))
            self._state = self._numba.fold(self._state, sums, *settings)
            peak = float(sums[:, 5].max())  # NaN when a frame's peak is NaN
        else:
            rows = []
            buf = np.empty((min(block, frames.shape[0]), frames.shape[1]))
            with np.errstate(invalid="ignore"):  # inf - inf: the caller sees it in the peak
                for start in range(0, frames.shape[0], block):
                    cur = frames[start : start + block]
                    d = buf[: cur.shape[0]]
                    np.subtract(cur[:1], prev, out=d[:1])
                    np.subtract(cur[1:], cur[:-1], out=d[1:])
                    rows += zip(*(x.tolist() for x in _numpy_sums(d, cur)), strict=True)
                    prev = cur[-1:]
            self._state = fold(self._state, rows, *settings)
            # min and max propagate NaN and see infinities
            peak = max(-float(frames.min()), float(frames.max()))
        self._prev = frames[-1].reshape(self._prev.shape).copy()
        return peak

    def result(self) -> TemporalFeatures:
        """The temporal features of the frames seen so far."""
        T, _, stable_from, sum_abs, max_abs, _, _, _, t_sq, e_comoment = self._state
        return TemporalFeatures(
            dV_mean=sum_abs / (T * self.n_cells) if T else 0.0,
            dV_max=max_abs,
            T_stable=stable_from if stable_from >= 0 else T,
            E_trend=e_comoment / t_sq if t_sq > 0 else 0.0,
            steps=T,
            T_stable_reached=stable_from >= 0,
        )


def _numpy_sums(d: np.ndarray, cur: np.ndarray) -> tuple[np.ndarray, ...]:
    """The five per-step numbers, along the last axis, of frames ``cur`` and their steps ``d``.

    ``d = V_t - V_{t-1}`` (overwritten with ``|d|``) and ``cur = V_t`` are ``(n,)`` for one step
    or ``(k, n)`` for ``k``. Returns ``sum d``, ``sum d^2``, ``sum |d|``, ``max |d|`` and
    ``sum V_t^2``: numpy scalars for one step, ``(k,)`` arrays for ``k``.
    """
    sum_d = d.sum(axis=-1)
    sum_d2 = np.einsum("...j,...j->...", d, d)
    np.abs(d, out=d)
    return sum_d, sum_d2, d.sum(axis=-1), d.max(axis=-1), np.einsum("...j,...j->...", cur, cur)
