"""Batched ensembles: many runs of one lattice shape stepped together.

An :class:`Ensemble` holds one :class:`~mfn.simulation.simulation.Simulation` per parameter set. With the
numba backend their states are stacked into ``(B, M, N)`` arrays (each member's state is a
view), each member draws the growth events (and noise) of the next steps ahead as arrays,
and one compiled call advances all ``B`` lattices by many steps: the per-step Python and
dispatch cost of a single run is paid once per call instead of once per run and step. With
the numpy backend the members are stepped one after another. Each member keeps its own
random stream and the kernel does, per lattice, exactly what the single-run kernel does:
every member's run equals, bit for bit, the run :func:`mfn.simulate` gives for its parameters.

What batching gains is bounded by what it cannot share: each member still seeds its own
generator and draws its own initial state and growth events, and a lattice still costs its
cell-steps. ``mfn bench`` measures the gain (1.7x to 2.0x for 256 runs of 32x32 for 32
steps) and, in its *ceiling* row, that unshared work alone against the runs one after
another (2.0x to 2.2x): the most any batching could gain while members equal their runs.
"""

from __future__ import annotations

from collections.abc import Sequence
from typing import TYPE_CHECKING

import numpy as np

from mfn.core.backends import resolve_backend
from mfn.core.errors import NumericalInstabilityError, ParameterError
from mfn.models.classic.draws import SPIKE_BLOCK
from mfn.models.classic.params import FieldParams
from mfn.simulation.simulation import MV_PER_V, Simulation, run_recorded

if TYPE_CHECKING:
    import xarray as xr

__all__ = ["Ensemble", "simulate_ensemble"]

_NOISE_BUFFER_VALUES = 4 * 2**20
"""Noise values drawn ahead per compiled call at most (32 MB of float64)."""


class Ensemble:
    """``B`` simulations of one lattice shape and length, advanced together.

    Parameters
    ----------
    params_list : sequence of FieldParams
        One parameter set per member (seeds and any parameter may differ), all with the same
        ``grid_size`` and ``steps``.
    backend : {"auto", "numpy", "numba"}, default "auto"
        ``"numba"`` steps all members in one compiled call; ``"numpy"`` steps them one after
        another with the reference kernel.
    lyapunov : bool, default True
        Measure each member's field Lyapunov exponent with its twin trajectory, as
        :func:`mfn.simulate` does. The twins need the run's state after every step, so the
        members then advance one step per compiled call and the twins one by one, which
        costs more than the batched step itself. False records ``lyapunov`` as NaN.

    Examples
    --------
    >>> ens = Ensemble([FieldParams(grid_size=8, steps=5, seed=s) for s in range(3)])
    >>> ens.step(5)
    >>> [m.t for m in ens.members]
    [5, 5, 5]
    """

    def __init__(self, params_list: Sequence[FieldParams], *, backend: str = "auto", lyapunov: bool = True) -> None:
        params_list = _check_params_list(params_list)
        self.backend = resolve_backend(backend)[0]
        self.members = [
            Simulation(p, backend=self.backend, lyapunov=lyapunov, online_features=False) for p in params_list
        ]
        self._batched = None
        if self.backend == "numba":
            from mfn.models.classic.kernels_numba import BatchConstants

            # the stacked states; each member works on a view of them
            self._V = np.stack([s._V for s in self.members])
            self._a = np.stack([s._a for s in self.members])
            self._i = np.stack([s._i for s in self.members])
            for b, sim in enumerate(self.members):
                sim._V, sim._a, sim._i = self._V[b], self._a[b], self._i[b]
            noisy = [p.jitter_var > 0 for p in params_list]
            self._batched = BatchConstants([s._constants for s in self.members], noisy)
            # steps per compiled call: the twins need the run's state after every step, and
            # the noise of a call is drawn ahead, (B, S, M, N), so it is kept under ~32 MB
            cells = self._V[0].size * len(self.members)
            if lyapunov:
                self._chunk = 1
            elif any(noisy):
                self._chunk = max(1, _NOISE_BUFFER_VALUES // cells)
            else:
                self._chunk = SPIKE_BLOCK

    @property
    def t(self) -> int:
        """Steps taken so far (the same for every member)."""
        return self.members[0].t

    def step(self, n: int = 1) -> None:
        """Advance every member ``n`` steps.

        Raises
        ------
        ParameterError
            If ``n`` is not an integer >= 1.
        NumericalInstabilityError
            If a member's field stops being finite (never with valid parameters).
        """
        from mfn.core.checks import check_int

        n = check_int("n", n, 1)
        if self._batched is None:
            for sim in self.members:
                sim._advance_steps(n)
            return
        while n:
            # a call never crosses a block boundary: the next block is drawn after the noise before it
            chunk = min(n, self._chunk, SPIKE_BLOCK - self.t % SPIKE_BLOCK)
            self._advance(chunk)
            n -= chunk

    def _advance(self, steps: int) -> None:
        """``steps`` steps of every member in one compiled call, then each member's bookkeeping."""
        from mfn.models.classic.kernels_numba import run_batch

        members = self.members
        t0 = self.t
        draws = [sim._draws.draw_steps(steps) for sim in members]
        cells = np.stack([d[0] for d in draws])
        amplitudes = np.stack([d[1] for d in draws])
        noise = None
        if self._batched.noisy.any():
            noise = np.zeros((len(members), steps, *self._V.shape[1:]))
            for b, d in enumerate(draws):
                if d[2] is not None:
                    noise[b] = d[2]
        counts = run_batch(self._V, self._a, self._i, cells, amplitudes, noise, self._batched)
        activations, clamped = counts.sum(axis=2).tolist()
        last_activations, last_clamped = counts[:, :, -1].tolist()
        cols = self._V.shape[2]
        for b, sim in enumerate(members):
            if sim._twin is not None:  # steps == 1 (see __init__)
                member_noise = draws[b][2]
                sim._twin.step(
                    sim._V,
                    int(cells[b, 0]),
                    float(amplitudes[b, 0]),
                    member_noise if member_noise is None else member_noise[0],
                )
            sim.t = t0 + steps
            happened = np.flatnonzero(cells[b] >= 0)
            if happened.size:
                y, x = np.divmod(cells[b, happened], cols)
                sim._events.extend(
                    zip(
                        (happened + t0 + 1).tolist(),
                        y.tolist(),
                        x.tolist(),
                        (amplitudes[b, happened] * MV_PER_V).tolist(),
                        strict=True,
                    )
                )
                sim.growth_events_total += happened.size
            sim.turing_activations_total += activations[b]
            sim.clamped_cells_total += clamped[b]
            sim._last_step = (bool(cells[b, -1] >= 0), last_activations[b], last_clamped[b])
        # NaN survives every later step (the clamp keeps it), so one check per call finds it
        sums = np.add.reduce(self._V, axis=(1, 2))
        if not np.isfinite(sums).all():
            bad = int(np.flatnonzero(~np.isfinite(sums))[0])
            raise NumericalInstabilityError(
                f"the potential of member {bad} became non-finite between steps {t0} and {self.t}"
            )

    def run(self, record_every: int | None = 1, *, record_ai: bool = False) -> list[xr.Dataset]:
        """Advance to ``steps`` and return each member's run, as :meth:`Simulation.run` would.

        Returns
        -------
        list of xarray.Dataset
            One per member, in order; ``duration_s`` is the time of the whole ensemble.
        """
        return run_recorded(self.members, self.step, record_every, record_ai)


def simulate_ensemble(
    params_list: Sequence[FieldParams],
    record_every: int | None = 1,
    *,
    record_ai: bool = False,
    backend: str = "auto",
    lyapunov: bool = True,
) -> list[xr.Dataset]:
    """Run many parameter sets of one lattice shape together; same results as :func:`mfn.simulate` each.

    Parameters
    ----------
    params_list : sequence of FieldParams
        Same ``grid_size`` and ``steps``; anything else may differ.
    record_every, record_ai, backend, lyapunov
        As in :func:`mfn.simulate`.

    Returns
    -------
    list of xarray.Dataset

    Examples
    --------
    >>> runs = simulate_ensemble([FieldParams(grid_size=8, steps=4, seed=s) for s in (1, 2)])
    >>> [r.sizes["time"] for r in runs]
    [5, 5]
    """
    return Ensemble(params_list, backend=backend, lyapunov=lyapunov).run(record_every, record_ai=record_ai)


def _check_params_list(params_list) -> list[FieldParams]:
    if isinstance(params_list, FieldParams) or not isinstance(params_list, Sequence) or not params_list:
        raise ParameterError("params_list", params_list, "a non-empty sequence of FieldParams")
    for p in params_list:
        if not isinstance(p, FieldParams):
            raise ParameterError("params_list", p, "FieldParams instances only")
    first = params_list[0]
    for p in params_list:
        if p.shape != first.shape or p.steps != first.steps:
            raise ParameterError(
                "params_list",
                f"grid {p.shape} with {p.steps} steps",
                f"the grid {first.shape} and {first.steps} steps of the first member",
                "run lattices of different shapes or lengths in separate ensembles",
            )
    return list(params_list)
