"""One simulation of a calibration: parameters in, summary statistics out, never an exception.

:class:`Simulator` is what the ABC-SMC sampler calls, in this process or on a Dask worker (it
is pickled there, so it holds only plain values and importable functions). Each simulation
gets its own seed, derived from the calibration's seed and the parameter values
(:func:`simulation_seed`), so a simulation can be repeated exactly from the result.

A simulation that raises (the model refuses the combination of values, say an unstable time
step) or whose summaries are not finite returns NaN summaries and its reason under
:data:`FAILURE_KEY`: the distance then rejects it and the calibration records why, instead of
stopping.
"""

from __future__ import annotations

import hashlib
from collections.abc import Mapping, Sequence
from dataclasses import dataclass
from typing import Any

import numpy as np

from mfn.core.model import model_for
from mfn.core.params import SEED_MAX, ModelParams
from mfn.core.summaries import Summary, summary_values
from mfn.inference.priors import Prior

__all__ = ["FAILURE_KEY", "SEED_KEY", "Simulator", "simulation_seed"]

FAILURE_KEY = "mfn_failure"
"""Key of a failed simulation's reason among its summaries (absent when it succeeded)."""
SEED_KEY = "mfn_seed"
"""Key of a simulation's seed among its summaries."""
REASON_LENGTH = 300
"""Longest reason kept for a failed simulation, characters."""


def simulation_seed(seed: int, values: Mapping[str, float]) -> int:
    """The seed of the simulation at ``values``: a hash of the calibration ``seed`` and the values.

    Examples
    --------
    >>> simulation_seed(0, {"Dv": 40.0}) == simulation_seed(0, {"Dv": 40.0})
    True
    >>> simulation_seed(0, {"Dv": 40.0}) == simulation_seed(1, {"Dv": 40.0})
    False
    """
    digest = hashlib.blake2b(digest_size=8)
    digest.update(int(seed).to_bytes(8, "little"))
    for name in sorted(values):
        digest.update(name.encode())
        digest.update(np.float64(values[name]).tobytes())
    return int.from_bytes(digest.digest(), "little") % (SEED_MAX + 1)


@dataclass(frozen=True)
class Simulator:
    """Simulate ``base`` with some of its parameters replaced, and summarise the run.

    Attributes
    ----------
    base : ModelParams
        Every parameter that is not fitted.
    priors : tuple of Prior
        The fitted parameters (a draw of an integer parameter is rounded).
    summaries : tuple of Summary
        What is compared with the observed data.
    seed : int
        The calibration's seed (:func:`simulation_seed`).
    """

    base: ModelParams
    priors: tuple[Prior, ...]
    summaries: tuple[Summary, ...]
    seed: int

    def seed_of(self, draw: Mapping[str, float]) -> int:
        """The seed of the simulation of ``draw`` (:func:`simulation_seed`)."""
        return simulation_seed(self.seed, {p.name: float(draw[p.name]) for p in self.priors})

    def params(self, draw: Mapping[str, float], seed: int | None = None) -> ModelParams:
        """The parameters of the simulation of ``draw``: its own seed (:meth:`seed_of`) unless ``seed``."""
        values = {p.name: p.value(draw[p.name]) for p in self.priors}
        return self.base.replace(**values, seed=self.seed_of(draw) if seed is None else seed)

    def measures(self, draw: Mapping[str, float], seed: int | None = None) -> Any:
        """The measures of the simulation of ``draw`` (exceptions propagate)."""
        from mfn.simulation.simulation import simulate

        params = self.params(draw, seed)
        summary_set = model_for(params).summaries
        return summary_set.measure(simulate(params, summary_set.record_every, lyapunov=False))

    def __call__(self, draw: Mapping[str, float]) -> dict[str, Any]:
        """The summaries of the simulation of ``draw``, with its seed; a failure's reason instead of raising."""
        seed = self.seed_of(draw)
        try:
            values = summary_values(self.summaries, self.measures(draw))
        except Exception as err:  # recorded and rejected, never a crash of the calibration
            return failure(self.names, f"{type(err).__name__}: {err}", seed)
        bad = [name for name, value in values.items() if not np.isfinite(value)]
        if bad:
            return failure(self.names, f"summaries not finite: {', '.join(bad)}", seed)
        return {**values, SEED_KEY: seed}

    @property
    def names(self) -> tuple[str, ...]:
        """The summaries' names, in order."""
        return tuple(s.name for s in self.summaries)


def failure(names: Sequence[str], reason: str, seed: int) -> dict[str, Any]:
    """The summaries of a failed simulation: NaN for each, the reason and the seed."""
    reason = " ".join(reason.split())[:REASON_LENGTH]
    return {**dict.fromkeys(names, float("nan")), FAILURE_KEY: reason, SEED_KEY: seed}
