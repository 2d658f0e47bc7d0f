"""The ``calibration`` rows of ``mfn bench``: a calibration on 1 and on 2 Dask workers, side by side.

Both local clusters (worker processes, one thread each, dashboard off) are started first and
warmed up with a one-generation calibration, so imports and numba compilation on the workers
are not timed. Then the same calibration runs alternately on each, ``repeats`` times: for
``model="reaction_diffusion"`` Dv and b on a 48x48 lattice of 6,000 Euler steps (:data:`BASE`,
about 0.1 s a simulation), for ``model="mycelium"`` tip speed, lateral branching, autotropism
and branch angle of a 4 x 4 mm colony grown for 14 h (:data:`MYCELIUM_BASE`, about 0.3 s a
simulation with its network measures; the recovery check's setting in
benchmarks/calibration_checks.py). A calibration on
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
MYCELIUM_BASE = {"grid_size": 160, "steps": 420}
"""The mycelium's run of every simulation: the default parameters on 4 x 4 mm for 14 h."""
MYCELIUM_PRIORS = {
    "tip_speed": (2.5, 7.5),
    "lateral_branching": (1.25, 3.75),
    "autotropism": (30.0, 90.0),
    "branch_angle": (37.5, 112.5),
}
"""±50 % around the defaults, which are the truth (``seed`` 12345)."""
LABELS = {"reaction_diffusion": "48x48 RD", "mycelium": "4x4 mm 14 h mycelium"}
"""What each model's row calls its simulation."""


@dataclass(frozen=True)
class CalibrationTimes:
    """What the row measured: mean simulations per calibration, wall seconds per calibration at the
    median rate on 1 and on 2 workers, and the median ratio of the rates (2 workers / 1)."""

    simulations: float
    one_worker_s: float
    two_workers_s: float
    ratio: float
    label: str = LABELS["reaction_diffusion"]


def _setup(model: str):
    """``(base, priors, truth)`` of ``model``'s calibration."""
    if model == "mycelium":
        from mfn.models.mycelium.params import MyceliumParams

        base = MyceliumParams(**MYCELIUM_BASE)
        return base, MYCELIUM_PRIORS, {name: getattr(base, name) for name in MYCELIUM_PRIORS} | {"seed": 12345}
    if model == "reaction_diffusion":
        from mfn.models.reaction_diffusion.params import ReactionDiffusionParams

        return ReactionDiffusionParams(**BASE), PRIORS, TRUTH
    from mfn.core.errors import ParameterError

    raise ParameterError("model", model, ", ".join(LABELS))


def calibration_times(
    population: int = 100, generations: int = 3, repeats: int = 3, model: str = "reaction_diffusion"
) -> CalibrationTimes:
    """Measure the row of ``model`` (``"reaction_diffusion"`` or ``"mycelium"``; see the module docstring)."""
    from mfn.inference.calibration import calibrate
    from mfn.simulation.simulation import simulate
    from mfn.sweeps.cluster import connect

    base, priors, truth = _setup(model)
    observed = simulate(base.replace(**truth), record_every=None)

    def fit(client, size: int, gens: int) -> tuple[float, int]:
        start = time.perf_counter()
        result = calibrate(base, priors, observed, population=size, generations=gens, scheduler=client, progress=False)
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
        LABELS[model],
    )


def calibration_rows(repeats: int) -> list[Row]:
    """The calibration rows (reaction-diffusion, mycelium) on 1 and 2 Dask workers (wall time), with pyabc."""
    from importlib.util import find_spec

    if find_spec("pyabc") is None:
        return []
    return [
        calibration_row(calibration_times(100, 3, repeats), 100, 3),
        # a mycelium calibration costs about 2 min a repetition on 2 cores: at most 2
        calibration_row(calibration_times(40, 3, min(repeats, 2), model="mycelium"), 40, 3),
    ]


def calibration_row(times, population: int, generations: int) -> Row:
    """The :class:`~mfn.bench.row.Row` of :func:`calibration_times` (wall time, not gated)."""
    name = f"calibration {population}x{generations} ({times.label})"
    row = Row(name, "simulations/s", times.simulations, "1 Dask worker", "2 Dask workers", gated=False)
    row.reference_s, row.fast_s, row.ratio = times.one_worker_s, times.two_workers_s, times.ratio
    return row
