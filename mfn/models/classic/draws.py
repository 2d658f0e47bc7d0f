"""The random draws of a run, in one documented order.

Every random number of a run comes from one ``numpy.random.Generator`` seeded with
``params.seed``, drawn in this order:

1. the initial state: ``V ~ Normal(-70 mV, 5 mV)`` per cell, then ``a ~ Uniform(0, 0.1)``,
   then ``i ~ Uniform(0, 0.1)`` (a and i are drawn whether or not Turing is on, so switching
   it changes only the physics);
2. at every step ``t`` that is a multiple of :data:`SPIKE_BLOCK` (0, 1024, ...), the growth
   events of the next ``SPIKE_BLOCK`` steps: ``SPIKE_BLOCK`` uniforms (an event happens when
   the uniform is below ``spike_probability``), then ``SPIKE_BLOCK`` cell indices, uniform over
   the flattened lattice, then ``SPIKE_BLOCK`` amplitudes ``~ Normal(20 mV, 5 mV)``. Cells
   and amplitudes are drawn for every step, event or not, so ``spike_probability`` changes
   which steps have events but not where they land;
3. if ``jitter_var > 0``, at every step after (2), the noise field
   ``~ Normal(0, sqrt(jitter_var))`` volts per cell.

Drawing growth events in blocks keeps the per-step cost of randomness near zero while the
stream stays the same however a run is stepped (``step(1)`` a hundred times or ``step(100)``).

The generator is ``numpy.random.default_rng(seed)``, made as ``Generator(PCG64(seed))``
(the same thing, half the cost). ``normal(mean, sd, n)`` and ``uniform(0, high, n)`` are
drawn as ``standard_normal(n) * sd + mean`` and ``random(n) * high``: numpy computes
``mean + sd * z`` and ``0 + high * u`` from the same ``z`` and ``u``, so the numbers are the
same bits (tested), at about half the call cost for the small arrays of a small lattice.
"""

from __future__ import annotations

import math
from dataclasses import dataclass

import numpy as np

__all__ = ["SPIKE_BLOCK", "DrawStream", "StepDraws"]

SPIKE_BLOCK = 1024
"""Number of steps whose growth events are drawn at once."""
INITIAL_V_MEAN, INITIAL_V_SD = -0.070, 0.005
INITIAL_AI_HIGH = 0.1
SPIKE_MEAN, SPIKE_SD = 0.020, 0.005


@dataclass(frozen=True)
class StepDraws:
    """What one step needs from the random stream.

    Attributes
    ----------
    spike_cell : int
        Flat index of the growth event's cell, -1 when there is none.
    spike_amplitude : float
        Its amplitude, V (drawn even without an event).
    noise : (M, N) ndarray or None
        Noise to add to V, volts; None when noise is off.
    """

    spike_cell: int
    spike_amplitude: float
    noise: np.ndarray | None


class DrawStream:
    """Yields the random draws of one run in the documented order.

    Parameters
    ----------
    params : FieldParams
        Supplies the seed, lattice shape, spike probability and noise variance.
    """

    def __init__(self, params) -> None:
        self.rng = np.random.Generator(np.random.PCG64(params.seed))  # = default_rng(seed)
        self.shape = params.shape
        self.spike_probability = params.spike_probability
        self.noise_sd = math.sqrt(params.jitter_var)
        self._t = 0
        self._cell_array = self._amplitude_array = np.empty(0)
        self._cells: list[int] | None = None
        self._amplitudes: list[float] | None = None

    def initial_state(self) -> tuple[np.ndarray, np.ndarray, np.ndarray]:
        """Draw ``(V, a, i)`` of step 0 (V in volts). Call once, before any step."""
        V = _normal(self.rng, INITIAL_V_MEAN, INITIAL_V_SD, self.shape)
        a = _uniform(self.rng, INITIAL_AI_HIGH, self.shape)
        i = _uniform(self.rng, INITIAL_AI_HIGH, self.shape)
        return V, a, i

    def next_step(self) -> StepDraws:
        """Draw what the next step needs."""
        return StepDraws(*self.next_draws())

    def next_draws(self) -> tuple[int, float, np.ndarray | None]:
        """Draw what the next step needs, as a plain ``(spike_cell, spike_amplitude, noise)`` tuple.

        The same draws as :meth:`next_step`, without building a :class:`StepDraws`: this is the
        per-step path of :class:`~mfn.simulation.simulation.Simulation`, where microseconds count.
        """
        k = self._t % SPIKE_BLOCK
        if k == 0:
            self._draw_block()
        if self._cells is None:
            self._cells = self._cell_array.tolist()
            self._amplitudes = self._amplitude_array.tolist()
        noise = self.rng.normal(0.0, self.noise_sd, self.shape) if self.noise_sd > 0 else None
        self._t += 1
        return self._cells[k], self._amplitudes[k], noise

    def draw_steps(self, n: int) -> tuple[np.ndarray, np.ndarray, np.ndarray | None]:
        """Draw what the next ``n`` steps need, as arrays: the same draws as ``n`` calls of :meth:`next_draws`.

        ``n`` must not carry the stream past a block boundary (a multiple of :data:`SPIKE_BLOCK`)
        other than the one it may start on, because the next block is drawn after the noise
        of the steps before it.

        Returns
        -------
        spike_cells : (n,) int64 ndarray
            Flat event cell of each step, -1 for none.
        spike_amplitudes : (n,) float64 ndarray
            Amplitudes, V.
        noise : (n, M, N) float64 ndarray or None
            Noise of each step, V; None when noise is off. One draw of ``n`` fields gives the
            same numbers as ``n`` draws of one field (a ``Generator`` keeps no spare normals).
        """
        k = self._t % SPIKE_BLOCK
        if k + n > SPIKE_BLOCK:
            raise ValueError(f"{n} steps from step {self._t} would cross a block boundary")
        if k == 0:
            self._draw_block()
        noise = self.rng.normal(0.0, self.noise_sd, (n, *self.shape)) if self.noise_sd > 0 else None
        self._t += n
        return self._cell_array[k : k + n], self._amplitude_array[k : k + n], noise

    def _draw_block(self) -> None:
        """Growth events of the next :data:`SPIKE_BLOCK` steps, as arrays (lists, cheap to index, made when needed)."""
        n_cells = self.shape[0] * self.shape[1]
        happens = self.rng.random(SPIKE_BLOCK) < self.spike_probability
        cells = self.rng.integers(0, n_cells, SPIKE_BLOCK)
        self._amplitude_array = _normal(self.rng, SPIKE_MEAN, SPIKE_SD, SPIKE_BLOCK)
        self._cell_array = np.where(happens, cells, -1)
        self._cells = self._amplitudes = None


def _normal(rng: np.random.Generator, mean: float, sd: float, shape) -> np.ndarray:
    """``rng.normal(mean, sd, shape)``, bit for bit, at a lower call cost (module docstring)."""
    x = rng.standard_normal(shape)
    x *= sd
    x += mean
    return x


def _uniform(rng: np.random.Generator, high: float, shape) -> np.ndarray:
    """``rng.uniform(0, high, shape)``, bit for bit, at a lower call cost (module docstring)."""
    x = rng.random(shape)
    x *= high
    return x
