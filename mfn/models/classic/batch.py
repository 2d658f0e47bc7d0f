"""Batched stepping of classic runs: the model's ``batch`` capability, used by ensembles.

:class:`ClassicBatch` stacks the states of many :class:`~mfn.models.classic.stepper.ClassicStepper`
of one lattice shape into ``(B, M, N)`` arrays (each stepper then works on a view), draws the
growth events (and noise) of the next steps ahead per member, and advances all ``B`` lattices
by many steps in one compiled call: the per-step Python and dispatch cost of a single run is
paid once per call instead of once per run and step. Each member keeps its own random stream
and the kernel does, per lattice, exactly what the single-run kernel does, so every member
equals, bit for bit, the run :func:`mfn.simulate` gives for its parameters.

What batching gains is bounded by what it cannot share: each member still seeds its own
generator and draws its own initial state and growth events, and a lattice still costs its
cell-steps. ``mfn bench`` measures the gain (1.7x to 2.0x for 256 runs of 32x32 for 32
steps) and, in its *ceiling* row, that unshared work alone against the runs one after
another (2.0x to 2.2x): the most any batching could gain while members equal their runs.
"""

from __future__ import annotations

import numpy as np

from mfn.core.errors import NumericalInstabilityError
from mfn.models.classic.draws import SPIKE_BLOCK
from mfn.models.classic.stepper import MV_PER_V, ClassicStepper

__all__ = ["ClassicBatch"]

_NOISE_BUFFER_VALUES = 4 * 2**20
"""Noise values drawn ahead per compiled call at most (32 MB of float64)."""


class ClassicBatch:
    """Classic steppers of one shape advanced together with the numba kernel.

    Parameters
    ----------
    steppers : list of ClassicStepper
        At the same step, same lattice shape, numba backend (trusted).
    """

    def __init__(self, steppers: list[ClassicStepper]) -> None:
        from mfn.models.classic.kernels_numba import BatchConstants

        self.steppers = steppers
        # the stacked states; each member works on a view of them
        self.V = np.stack([s.V for s in steppers])
        self.a = np.stack([s.a for s in steppers])
        self.i = np.stack([s.i for s in steppers])
        for b, s in enumerate(steppers):
            s.V, s.a, s.i = self.V[b], self.a[b], self.i[b]
        noisy = [s.params.jitter_var > 0 for s in steppers]
        self.constants = BatchConstants([s.constants for s in steppers], noisy)
        # steps per compiled call: the twins need the run's state after every step, and
        # the noise of a call is drawn ahead, (B, S, M, N), so it is kept under ~32 MB
        cells = self.V[0].size * len(steppers)
        if any(s.twin is not None for s in steppers):
            self.chunk = 1
        elif any(noisy):
            self.chunk = max(1, _NOISE_BUFFER_VALUES // cells)
        else:
            self.chunk = SPIKE_BLOCK

    def advance(self, n: int) -> None:
        """Advance every member ``n`` steps (``n >= 1``, trusted)."""
        while n:
            # a call never crosses a block boundary: the next block is drawn after the noise before it
            t = self.steppers[0].t
            chunk = min(n, self.chunk, SPIKE_BLOCK - t % SPIKE_BLOCK)
            self._advance(chunk)
            n -= chunk

    def _advance(self, steps: int) -> None:
        """``steps`` steps of every member in one compiled call, then each member's bookkeeping."""
        from mfn.models.classic.kernels_numba import run_batch

        members = self.steppers
        t0 = members[0].t
        draws = [s.draws.draw_steps(steps) for s in members]
        cells = np.stack([d[0] for d in draws])
        amplitudes = np.stack([d[1] for d in draws])
        noise = None
        if self.constants.noisy.any():
            noise = np.zeros((len(members), steps, *self.V.shape[1:]))
            for b, d in enumerate(draws):
                if d[2] is not None:
                    noise[b] = d[2]
        counts = run_batch(self.V, self.a, self.i, cells, amplitudes, noise, self.constants)
        activations, clamped = counts.sum(axis=2).tolist()
        last_activations, last_clamped = counts[:, :, -1].tolist()
        cols = self.V.shape[2]
        for b, s in enumerate(members):
            if s.twin is not None:  # steps == 1 (see __init__)
                member_noise = draws[b][2]
                s.twin.step(
                    s.V,
                    int(cells[b, 0]),
                    float(amplitudes[b, 0]),
                    member_noise if member_noise is None else member_noise[0],
                )
            s.t = t0 + steps
            happened = np.flatnonzero(cells[b] >= 0)
            if happened.size:
                if s.record_events:
                    y, x = np.divmod(cells[b, happened], cols)
                    s.event_list.extend(
                        zip(
                            (happened + t0 + 1).tolist(),
                            y.tolist(),
                            x.tolist(),
                            (amplitudes[b, happened] * MV_PER_V).tolist(),
                            strict=True,
                        )
                    )
                s.growth_events_total += happened.size
            s.turing_activations_total += activations[b]
            s.clamped_cells_total += clamped[b]
            s.last = (bool(cells[b, -1] >= 0), last_activations[b], last_clamped[b])
        # NaN survives every later step (the clamp keeps it), so one check per call finds it
        sums = np.add.reduce(self.V, axis=(1, 2))
        if not np.isfinite(sums).all():
            bad = int(np.flatnonzero(~np.isfinite(sums))[0])
            raise NumericalInstabilityError(
                f"the potential of member {bad} became non-finite between steps {t0} and {t0 + steps}"
            )
