"""ABC-SMC by pyabc, fitted to the workbench: failures, progress, resumption (ADR 0018).

This module imports pyabc at the top and is itself imported only when a calibration runs,
so ``import mfn`` stays light. What it adds to pyabc, each through pyabc's own extension
points:

- :class:`FailureTolerantDistance`: pyabc's adaptive p-norm distance (Prangle 2017; scales
  refitted every generation from all simulations, accepted or not, by the median absolute
  deviation), infinite for a failed simulation, so it is rejected;
- :class:`FiniteQuantileEpsilon`: the threshold is the weighted median of the previous
  distances, taken over the finite ones (a failed simulation in the sample from the prior
  would otherwise make it infinite);
- samplers (:class:`SingleProcessSampler`, :class:`DaskSampler`) that, after each
  generation, count failed simulations by reason, keep them in the store, refuse summaries
  that no simulation could compute, and move the progress bar.

pyabc draws proposals from numpy's global random stream: :func:`run_smc` seeds it for the
run (restoring it afterwards), so a calibration in this process is reproducible; on Dask each
task reseeds its worker's stream from the operating system, so a run there is not.
"""

from __future__ import annotations

import logging
from collections import Counter
from collections.abc import Callable, Mapping
from contextlib import contextmanager
from typing import Any

import numpy as np
import pyabc
from pyabc.sampler import DaskDistributedSampler, SingleCoreSampler

from mfn.core.errors import ParameterError
from mfn.inference.priors import Prior
from mfn.inference.simulator import FAILURE_KEY, Simulator
from mfn.inference.store import CalibrationStore, reason_kind

__all__ = [
    "DaskSampler",
    "FailureTolerantDistance",
    "FiniteQuantileEpsilon",
    "SingleProcessSampler",
    "pyabc_prior",
    "run_smc",
]

CALIBRATION = -1
"""Generation number under which failures of the sample from the prior are kept."""


class FailureTolerantDistance(pyabc.AdaptivePNormDistance):
    """pyabc's adaptive p-norm distance; ``inf`` for a failed simulation."""

    def __call__(self, x: dict, x_0: dict, t: int | None = None, par: dict | None = None) -> float:
        if FAILURE_KEY in x:
            return np.inf
        return super().__call__(x, x_0, t, par)


def _finite(get_weighted_distances: Callable[[], Any]) -> Callable[[], Any]:
    def get():
        frame = get_weighted_distances()
        keep = frame[np.isfinite(frame["distance"].to_numpy())].copy()
        keep["w"] = keep["w"] / keep["w"].sum()
        return keep

    return get


class FiniteQuantileEpsilon(pyabc.QuantileEpsilon):
    """pyabc's quantile threshold over the finite distances only."""

    def initialize(self, t: int, get_weighted_distances, *args, **kwargs) -> None:
        super().initialize(t, _finite(get_weighted_distances), *args, **kwargs)

    def update(self, t: int, get_weighted_distances, *args, **kwargs) -> None:
        super().update(t, _finite(get_weighted_distances), *args, **kwargs)


class _Watched:
    """Sampler mixin: every sample's particles kept, then shown to ``watcher`` (see the module docstring)."""

    watcher: Callable[..., None] | None = None

    def sample_until_n_accepted(self, n, simulate_one, t, **kwargs):
        self.sample_factory.record_rejected()  # the failed simulations are rejected ones: count them
        sample = super().sample_until_n_accepted(n, simulate_one, t, **kwargs)
        if self.watcher is not None:
            generation = CALIBRATION if kwargs.get("all_accepted") else t
            self.watcher(generation, sample, self.nr_evaluations_, kwargs.get("ana_vars"))
        return sample

    def __getstate__(self) -> dict:
        state = dict(super().__getstate__() or {})
        state.pop("watcher", None)  # the progress bar and the store stay in this process
        return state


class SingleProcessSampler(_Watched, SingleCoreSampler):
    """pyabc's sampler in this process, watched."""


class DaskSampler(_Watched, DaskDistributedSampler):
    """pyabc's Dask sampler on a ``distributed.Client``, watched."""


def pyabc_prior(priors: Mapping[str, Prior]) -> pyabc.Distribution:
    """The priors as a pyabc ``Distribution`` (each a scipy.stats distribution by name and arguments)."""
    return pyabc.Distribution(
        **{name: pyabc.RV(p.dist.dist.name, *p.dist.args, **p.dist.kwds) for name, p in priors.items()}
    )


class _Watcher:
    """Counts failures per generation into the store, refuses all-failed summaries, moves the bar."""

    def __init__(self, store: CalibrationStore, names: tuple[str, ...], bar) -> None:
        self.store = store
        self.names = names
        self.bar = bar
        self.total = 0

    def __call__(self, generation: int, sample, evaluations: int, ana_vars) -> None:
        particles = sample.all_particles
        messages = [p.sum_stat[FAILURE_KEY] for p in particles if FAILURE_KEY in p.sum_stat]
        self.store.record_failures(generation, messages)
        if generation == CALIBRATION and particles and len(messages) == len(particles):
            kinds = Counter(reason_kind(m) for m in messages).most_common(2)
            common = "; ".join(f"{count} x {kind}" for kind, count in kinds) + f"; e.g. {messages[0]}"
            raise ParameterError(
                "summaries",
                list(self.names),
                "summaries that some simulation from the prior can compute",
                f"all {len(particles)} simulations failed: {common}",
            )
        self.total += evaluations
        if generation != CALIBRATION:
            eps = ana_vars.eps(generation) if ana_vars is not None else float("nan")
            accepted = sample.n_accepted
            self.bar.set_postfix(
                epsilon=f"{eps:.4g}", simulations=self.total, acceptance=f"{accepted / max(evaluations, 1):.2f}"
            )
            self.bar.update(1)


@contextmanager
def _quiet_pyabc():
    """pyabc logs every generation at INFO with timings: keep it to warnings during a run."""
    loggers = [logging.getLogger(name) for name in ("ABC", "pyabc")]
    levels = [lg.level for lg in loggers]
    for lg in loggers:
        lg.setLevel(logging.WARNING)
    try:
        yield
    finally:
        for lg, level in zip(loggers, levels, strict=True):
            lg.setLevel(level)


@contextmanager
def _seeded_global_stream(seed: int, start: int):
    """pyabc draws from numpy's legacy global stream (it takes no Generator): seed it, then restore it."""
    state = np.random.get_state()  # noqa: NPY002
    np.random.seed(np.random.SeedSequence([seed, start]).generate_state(1)[0])  # noqa: NPY002
    try:
        yield
    finally:
        np.random.set_state(state)  # noqa: NPY002


def run_smc(
    simulator: Simulator,
    priors: Mapping[str, Prior],
    observed: Mapping[str, float],
    *,
    population: int,
    generations: int,
    store: CalibrationStore,
    client: Any,
    bar,
) -> pyabc.History:
    """Run (or resume) ABC-SMC until the store holds ``generations`` generations; returns the history.

    ``client`` is a ``distributed.Client`` or None (this process). Generations already in the
    store are kept; only the missing ones run.
    """
    sampler = SingleProcessSampler() if client is None else DaskSampler(client)
    abc = pyabc.ABCSMC(
        simulator,
        pyabc_prior(priors),
        FailureTolerantDistance(p=2),
        population_size=population,
        sampler=sampler,
        eps=FiniteQuantileEpsilon(alpha=0.5),
    )
    with _quiet_pyabc():
        if store.has_history():
            history = abc.load(store.url, 1)
        else:
            history = abc.new(store.url, dict(observed))
        done = history.max_t + 1
        bar.reset(total=generations)
        bar.update(done)
        sampler.watcher = _Watcher(store, tuple(observed), bar)
        if done < generations:
            with _seeded_global_stream(simulator.seed, done):
                history = abc.run(max_nr_populations=generations - done)
    return history
