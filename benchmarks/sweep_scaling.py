"""Runs per second of a sweep preset on 1 and 2 Dask workers, and the scaling ratio.

    .venv/bin/python benchmarks/sweep_scaling.py [--preset base] [--workers 1 2]

Each worker count gets its own ``LocalCluster`` (worker processes, one thread each). A small
warm-up sweep runs first on every cluster, so one-time imports on the workers are not timed;
the timed sweep keeps its results in memory (no store). "Busy" is the summed run durations
over workers x wall time: the share of the time the workers spent in runs rather than in
scheduling and transfer. The load average is printed too: the ratio is only meaningful on an
otherwise idle machine with at least as many cores as workers.
"""

from __future__ import annotations

import argparse
import os
import time

from distributed import Client, LocalCluster

from mfn.sweeps.cluster import local_cluster_options
from mfn.sweeps.driver import sweep
from mfn.sweeps.presets import sweep_preset


def runs_per_second(preset: str, workers: int) -> tuple[float, float, float]:
    grid = sweep_preset(preset).sweep_grid()
    with (
        LocalCluster(n_workers=workers, threads_per_worker=1, processes=True, **local_cluster_options()) as cluster,
        Client(cluster) as client,
    ):
        sweep({"grid_size": [8]}, list(range(2 * workers)), base={"steps": 2}, client=client, progress=False)
        start = time.perf_counter()
        cube = sweep(grid, client=client, progress=False)
        elapsed = time.perf_counter() - start
    failed = int((cube.status.values != "ok").sum())
    if failed:
        raise SystemExit(f"{failed} runs failed")
    busy = float(cube.duration_s.sum()) / (elapsed * workers)
    return grid.n_runs / elapsed, elapsed, busy


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--preset", default="base")
    parser.add_argument("--workers", type=int, nargs="+", default=[1, 2])
    args = parser.parse_args()
    print(f"preset {args.preset}: {sweep_preset(args.preset).n_runs} runs; {os.cpu_count()} cores")
    rates = {}
    for n in args.workers:
        load = os.getloadavg()[0]
        rates[n], elapsed, busy = runs_per_second(args.preset, n)
        print(
            f"{n} worker(s): {elapsed:.2f} s, {rates[n]:.2f} runs/s, workers busy {busy:.0%} of the time "
            f"(load average before: {load:.2f})"
        )
    first = args.workers[0]
    for n in args.workers[1:]:
        print(f"scaling {n} vs {first} worker(s): {rates[n] / rates[first]:.2f}x (ideal {n / first:.0f}x)")


if __name__ == "__main__":
    main()
