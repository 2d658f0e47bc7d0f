"""A classic-model run watched before the clamp: what the step computed, not what the clamp left.

The classic step ends by clamping V to [-95, +40] mV, so a field that blows up still looks
bounded afterwards. :func:`probe` steps a run with the numpy reference kernel
(:func:`mfn.models.classic.kernels.numpy_step`) and the run's documented random stream
(:class:`mfn.models.classic.draws.DrawStream`) — the same bits as :class:`mfn.Simulation`
(the validation row ``same_seed_same_result`` checks it) — and records at every step the
extremes of V just before the clamp.

It judges each step against the bound the scheme guarantees. With ``0 < alpha <= 1/4`` the
explicit diffusion update is a convex combination of a cell and its neighbours (weights
``1 - 4 alpha`` and ``alpha``), so it cannot leave the range of the field it starts from
(the discrete maximum principle). Before the clamp of step ``t`` V therefore lies in::

    [lo + min(amplitude, 0) + min(noise_t),  hi + max(amplitude, 0) + kick_t + max(noise_t)]

where ``[lo, hi]`` is the range after step ``t - 1`` (widened to -70 mV for Dirichlet
ghost cells), ``amplitude`` the growth event of step ``t`` (if any), ``kick_t`` the Turing
kick (5 mV) if any cell was activated, and ``noise_t`` the noise field drawn for the step.
:attr:`Probe.excess` is the largest amount, in mV, by which a step went beyond its bound: 0
for a sound scheme, positive as soon as the update amplifies (``alpha > 1/4``, a sign error,
a Laplacian that does not sum to zero).
"""

from __future__ import annotations

from dataclasses import dataclass

import numpy as np

from mfn.models.classic import kernels
from mfn.models.classic.draws import DrawStream
from mfn.models.classic.kernels import KernelConstants, numpy_step

__all__ = ["MV", "Probe", "probe"]

MV = 1e3
"""mV per V."""


@dataclass(frozen=True)
class Probe:
    """What :func:`probe` saw (potentials in mV).

    Attributes
    ----------
    V0, V : (M, N) float64 ndarray
        Initial and final field, mV (the final one after the clamp, as a run reports it).
    steps : int
        Steps taken.
    events : int
        Growth events.
    charge : float
        Sum of the growth events' amplitudes, mV (added to single cells).
    activations : int
        Turing activations (cell-steps).
    clamped : int
        Clamped cell-steps, as the kernel counted them.
    out_of_range_steps : int
        Steps whose pre-clamp field left [V_MIN, V_MAX] (a step counts once).
    pre_min, pre_max : float
        Smallest and largest V before any clamp over the run, mV.
    excess : float
        Largest excess of a pre-clamp extreme over its step's maximum-principle bound, mV
        (0 when every step kept within it; see the module docstring).
    sources : (float, float, float, float)
        What each source added to the sum of V over the run, mV: growth events, Turing
        kicks, noise, and the clamp (negative when it cut more from the top than it added at
        the bottom). Under periodic and zero-flux edges diffusion adds nothing, so these sum
        to the change of the field's sum (see :attr:`bookkeeping_error`).
    """

    V0: np.ndarray
    V: np.ndarray
    steps: int
    events: int
    charge: float
    activations: int
    clamped: int
    out_of_range_steps: int
    pre_min: float
    pre_max: float
    excess: float
    sources: tuple[float, float, float, float]

    @property
    def finite(self) -> bool:
        """Whether every pre-clamp extreme and the final field are finite."""
        return bool(np.isfinite(self.pre_min) and np.isfinite(self.pre_max) and np.all(np.isfinite(self.V)))

    @property
    def mean_drift(self) -> float:
        """Mean of the final field minus mean of the initial field, mV."""
        return float(self.V.mean() - self.V0.mean())

    @property
    def bookkeeping_error(self) -> float:
        """Change of the mean of V minus what the sources added per cell, mV (0 to round-off, no Dirichlet edges)."""
        return self.mean_drift - sum(self.sources) / self.cells

    @property
    def clamp_drift(self) -> float:
        """What the clamp added to the mean of V over the run, mV."""
        return self.sources[3] / self.cells

    @property
    def cells(self) -> int:
        """Cells of the lattice."""
        return int(self.V.size)


def probe(params, steps: int | None = None) -> Probe:
    """Step a classic-model run with the numpy reference, watching V before every clamp.

    Parameters
    ----------
    params : mfn.models.classic.params.FieldParams
        The run (its seed, lattice, kinetics and noise).
    steps : int, optional
        Steps to take; ``params.steps`` by default.

    Returns
    -------
    Probe
    """
    steps = params.steps if steps is None else int(steps)
    c = KernelConstants.from_params(params)
    draws = DrawStream(params)
    V, a, i = draws.initial_state()
    V0 = V * MV
    fill = kernels.V_REST if c.boundary == "dirichlet" else None
    lo, hi = float(V.min()), float(V.max())
    pre = np.empty(3)
    events = activations = clamped = out_steps = 0
    charge = excess = kicks = noise_sum = clamp_sum = 0.0
    pre_min, pre_max = np.inf, -np.inf
    for _ in range(steps):
        cell, amplitude, noise = draws.next_draws()
        if cell >= 0:
            events += 1
            charge += amplitude
            lo, hi = lo + min(amplitude, 0.0), hi + max(amplitude, 0.0)
        if fill is not None:
            lo, hi = min(lo, fill), max(hi, fill)
        n_act, n_clamped = numpy_step(V, a, i, cell, amplitude, noise, c, pre_clamp=pre)
        if n_act:
            hi += kernels.TURING_KICK
            kicks += n_act * kernels.TURING_KICK
        if noise is not None:
            lo, hi = lo + float(noise.min()), hi + float(noise.max())
            noise_sum += float(noise.sum())
        if n_clamped:
            clamp_sum += float(V.sum()) - float(pre[2])
        step_excess = max(float(pre[1]) - hi, lo - float(pre[0]))
        excess = max(excess, step_excess if np.isfinite(pre).all() else np.inf)
        activations += n_act
        clamped += n_clamped
        pre_min, pre_max = min(pre_min, float(pre[0])), max(pre_max, float(pre[1]))
        out_steps += int(pre[0] < kernels.V_MIN or pre[1] > kernels.V_MAX)
        lo, hi = (float(x) for x in np.clip(pre[:2], kernels.V_MIN, kernels.V_MAX))
    return Probe(
        V0=V0,
        V=V * MV,
        steps=steps,
        events=events,
        charge=charge * MV,
        activations=activations,
        clamped=clamped,
        out_of_range_steps=out_steps,
        pre_min=pre_min * MV,
        pre_max=pre_max * MV,
        excess=excess * MV,
        sources=(charge * MV, kicks * MV, noise_sum * MV, clamp_sum * MV),
    )
