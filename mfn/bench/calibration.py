"""The ``calibration`` row of ``mfn bench``: a calibration on 1 and on 2 Dask workers, side by side.

Both local clusters (worker processes, one thread each, dashboard off) are started first and
warmed up with a one-generation calibration, so imports and numba compilation on the workers
are not timed. Then the same calibration (reaction–diffusion, Dv and b, 48x48 lattice of 6,000
Euler steps, see :data:`BASE`) runs alternately on each, ``repeats`` times. A calibration on
Dask is not reproducible (each task draws its own proposals), so the two do slightly
different numbers of simulations: the row compares simulations per second of **wall** time
(workers are other processes, so CPU time of this one would say nothing), and its ratio is
the median over repetitions of (rate on 2 workers) / (rate on 1 worker). Not gated: on a
shared 2-core machine the ratio says as much about the other jobs as about the code; the
target is 1.7x on an otherwise idle machine.
"""

from __future__ import annotations

import statistics
import time
from contextlib import ExitStack
from dataclasses import dataclass

from mfn.bench.row import Row

__all__ = ["BASE", "CalibrationTimes", "calibration_row", "calibration_rows", "calibration_times"]

BASE = {"grid_size": 48, "steps": 60, "substeps": 100, "dt": 0.004}
"""The reaction-diffusion run of every simulation (about 0.1 s each on this machine class)."""
PRIORS = {"Dv": (15.0, 60.0), "b": (0.7, 1.1)}
TRUTH = {"Dv": 35.0, "b": 0.9, "seed": 12345}


@dataclass(frozen=True)
class CalibrationTimes:
    """What the row measured: mean simulations per calibration, wall seconds per calibration at the
    median rate on 1 and on 2 workers, and the median ratio of the rates (2 workers / 1)."""

    simulations: float
    one_worker_s: float
    two_workers_s: float
    ratio: float


def calibration_times(population: int = 100, generations: int = 3, repeats: int = 3) -> CalibrationTimes:
    """Measure the row (see the module docstring)."""
    from mfn.inference.calibration import calibrate
    from mfn.models.reaction_diffusion.params import ReactionDiffusionParams
    from mfn.simulation.simulation import simulate
    from mfn.sweeps.cluster import connect

    base = ReactionDiffusionParams(**BASE)
    observed = simulate(base.replace(**TRUTH), record_every=None)

    def fit(client, size: int, gens: int) -> tuple[float, int]:
        start = time.perf_counter()
        result = calibrate(base, PRIORS, observed, population=size, generations=gens, scheduler=client, progress=False)
        return time.perf_counter() - start, int(result.attrs["simulations"])

    rates: dict[int, list[float]] = {1: [], 2: []}
    sims: list[int] = []
    with ExitStack() as stack:
        clients = {n: connect(None, n, stack) for n in (1, 2)}
        for client in clients.values():
            fit(client, 10, 1)
        for _ in range(repeats):
            for n, client in clients.items():
                seconds, count = fit(client, population, generations)
                rates[n].append(count / seconds)
                sims.append(count)
    work = statistics.mean(sims)
    return CalibrationTimes(
        work,
        work / statistics.median(rates[1]),
        work / statistics.median(rates[2]),
        statistics.median(b / a for a, b in zip(rates[1], rates[2], strict=True)),
    )


def calibration_rows(repeats: int) -> list[Row]:
    """The calibration row on 1 and 2 Dask workers (wall time), with pyabc."""
    from importlib.util import find_spec

    if find_spec("pyabc") is None:
        return []
    return [calibration_row(calibration_times(100, 3, repeats), 100, 3)]


def calibration_row(times, population: int, generations: int) -> Row:
    """The :class:`~mfn.bench.row.Row` of :func:`calibration_times` (wall time, not gated)."""
    name = f"calibration {population}x{generations} (48x48 RD)"
    row = Row(name, "simulations", times.simulations, "1 Dask worker", "2 Dask workers", gated=False)
    row.reference_s, row.fast_s, row.ratio = times.one_worker_s, times.two_workers_s, times.ratio
    return row
