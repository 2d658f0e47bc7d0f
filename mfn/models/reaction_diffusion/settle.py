"""Whether a reaction–diffusion pattern has settled: the criterion, checked while a run steps.

A pattern has **settled** at step ``t`` when, over the window of the last ``W`` model steps
(``settle_window``, default 20 frames: the last 10 % of a default run):

- the activator changed by at most ``settle_tol`` (default 2 %) of the pattern's size,
  ``||u(t) - u(t - W)|| / ||u(t) - mean u(t)|| <= settle_tol`` (L2 over the lattice);
- the measured wavelength (:func:`mfn.dominant_wavelength`, to a fraction of a mode) changed
  by at most :data:`WAVELENGTH_TOL` (0.5 %), so the spectral peak is not moving;
- there is a pattern at both ends (the wavelength is finite with the run's floor, three times
  the initial noise: a decayed field never counts as settled).

:class:`SettleTracker` keeps a copy of ``u`` at every multiple of ``W`` (and at ``steps - W``)
and checks the criterion at every multiple of ``W`` and at the run's last step. Measured on the
four Turing kinetics' defaults (128x128, seeds 0–1): after the default 200 frames ``u`` still
changes by 4–9 % per window; 2 % is reached after 540–840 frames; none stays below 1 % within
2,000 frames (hexagonal patterns keep rearranging slowly), so 2 % is the default (ADR 0020).
"""

from __future__ import annotations

import math
from dataclasses import dataclass

import numpy as np

__all__ = ["WAVELENGTH_TOL", "SettleCheck", "SettleTracker"]

WAVELENGTH_TOL = 0.005
"""Largest relative change of the measured wavelength over the window of a settled pattern."""


@dataclass(frozen=True)
class SettleCheck:
    """One check of the criterion.

    Attributes
    ----------
    step : int
        The model step checked (``u(step)`` against ``u(step - window)``).
    change : float
        Relative L2 change of ``u`` over the window (NaN without a pattern).
    wavelength : float
        Measured wavelength at ``step``, cells (NaN without a pattern).
    wavelength_change : float
        Relative change of the wavelength over the window (NaN without a pattern at either end).
    settled : bool
        Whether all three conditions hold.
    """

    step: int
    change: float
    wavelength: float
    wavelength_change: float
    settled: bool


class SettleTracker:
    """Snapshots of ``u`` and the checks of the criterion, for one run.

    Parameters
    ----------
    window : int
        ``W``, model steps.
    tol : float
        Largest relative L2 change over the window.
    last_step : int
        The run's ``steps``: a snapshot is also taken at ``last_step - window``, so the run's
        last step is checked even when it is not a multiple of the window.
    floor : float
        Smallest std of ``u`` that counts as a pattern (passed to :func:`mfn.dominant_wavelength`).
    """

    def __init__(self, window: int, tol: float, last_step: int, floor: float) -> None:
        self.window = window
        self.tol = tol
        self.last_step = last_step
        self.floor = floor
        self._snapshots: dict[int, tuple[np.ndarray, float]] = {}
        self.last: SettleCheck | None = None

    def _snapshot_step(self, t: int) -> bool:
        return t % self.window == 0 or t == self.last_step - self.window

    def next_stop(self, t: int) -> int:
        """The next step after ``t`` at which :meth:`observe` must see ``u``."""
        stops = [(t // self.window + 1) * self.window]
        stops += [s for s in (self.last_step - self.window, self.last_step) if s > t]
        return min(stops)

    def observe(self, t: int, u: np.ndarray) -> None:
        """Take ``u`` at step ``t``: check the criterion when ``t - window`` was kept, keep ``u`` when needed."""
        from mfn.analysis.spectra import peak_wavelength

        earlier = self._snapshots.get(t - self.window)
        keep = self._snapshot_step(t)
        if earlier is None and not keep:
            return
        wavelength = peak_wavelength(u, floor=self.floor)
        if earlier is not None:
            self.last = self._check(t, u, wavelength, *earlier)
        self._snapshots = {s: v for s, v in self._snapshots.items() if s > t - self.window}
        if keep:
            self._snapshots[t] = (u.copy(), wavelength)

    def _check(self, t: int, u: np.ndarray, wavelength: float, before: np.ndarray, wl_before: float) -> SettleCheck:
        if not (math.isfinite(wavelength) and math.isfinite(wl_before)):
            return SettleCheck(t, math.nan, wavelength, math.nan, False)
        du, pattern = u - before, u - u.mean()
        change = math.sqrt(float(np.einsum("ij,ij->", du, du)) / float(np.einsum("ij,ij->", pattern, pattern)))
        wl_change = abs(wavelength / wl_before - 1.0)
        return SettleCheck(t, change, wavelength, wl_change, change <= self.tol and wl_change <= WAVELENGTH_TOL)

    @property
    def settled(self) -> bool:
        """Whether the last check held (False before the first)."""
        return self.last is not None and self.last.settled
