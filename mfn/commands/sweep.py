"""``mfn sweep``: run a parameter sweep into a zarr datacube (resumable), optionally to parquet."""

from __future__ import annotations

import argparse
import time
from pathlib import Path

from mfn.core.checks import read_json_object


def register(subparsers) -> None:
    parser = subparsers.add_parser(
        "sweep",
        help="run a parameter sweep on Dask into a zarr datacube (rerun to resume)",
        description="Run every combination of a parameter grid for every seed. Rerunning the same command "
        "resumes the store; Ctrl-C stops cleanly, keeping every finished run.",
    )
    what = parser.add_mutually_exclusive_group(required=True)
    what.add_argument("--preset", help="a sweep preset: base (72 runs) or extended (2880 runs)")
    what.add_argument("--grid", type=Path, help="a JSON file: an object of parameter -> list of values")
    parser.add_argument("--seeds", type=int, nargs="+", help="seeds (default: the preset's, or 0 1 2)")
    parser.add_argument("--out", required=True, help="zarr store to write (resumed when it exists)")
    where = parser.add_mutually_exclusive_group()
    where.add_argument("--workers", type=int, help="workers of the local Dask cluster (default: one per core)")
    where.add_argument("--scheduler", help="address of a running Dask scheduler, e.g. tcp://10.0.0.5:8786")
    where.add_argument("--synchronous", action="store_true", help="run in this process, one run at a time")
    parser.add_argument(
        "--threshold-mode",
        choices=("fixed", "adaptive"),
        default="fixed",
        help="feature thresholds: fixed -60/-50/-40 mV (default) or adaptive percentiles 50/75/90",
    )
    parser.add_argument("--parquet", help="also write the flat table (one row per run) to this parquet file")
    parser.add_argument("--retry-failed", action="store_true", help="rerun runs recorded as failed")
    parser.add_argument("--no-progress", action="store_true", help="no progress bar")
    parser.set_defaults(handler=run)


def run(args: argparse.Namespace) -> int:
    from mfn.analysis.features import FeatureParams
    from mfn.sweeps.driver import sweep
    from mfn.sweeps.grid import SweepGrid
    from mfn.sweeps.presets import sweep_preset
    from mfn.sweeps.table import to_parquet

    if args.preset is not None:
        grid = sweep_preset(args.preset).sweep_grid(args.seeds)
    else:
        grid = SweepGrid.build(read_json_object("--grid", args.grid), args.seeds if args.seeds else [0, 1, 2])
    client = "synchronous" if args.synchronous else args.scheduler
    counts = {"ok": 0, "failed": 0}

    def count(record: dict) -> None:
        counts[record["status"]] += 1

    start = time.perf_counter()
    try:
        cube = sweep(
            grid,
            feature_params=FeatureParams(threshold_mode=args.threshold_mode),
            store=args.out,
            client=client,
            workers=args.workers,
            progress=not args.no_progress,
            retry_failed=args.retry_failed,
            on_result=count,
        )
    except KeyboardInterrupt:
        print(f"interrupted: {counts['ok'] + counts['failed']} runs finished and kept in {args.out}; rerun to resume")
        return 130
    elapsed = time.perf_counter() - start
    done = counts["ok"] + counts["failed"]
    failed_total = int((cube.status.values == "failed").sum())
    print(f"runs: {grid.n_runs} in the sweep, {done} run now, {grid.n_runs - done} already in the store")
    print(f"failures: {counts['failed']} now, {failed_total} in the store")
    print(f"time: {elapsed:.2f} s, {done / elapsed:.2f} runs/s (including cluster start-up)")
    print(f"wrote {args.out}")
    if args.parquet:
        print(f"wrote {to_parquet(cube, args.parquet)}")
    return 0
