"""``mfn batch``: rerun a parameterised notebook over a grid of parameters on Dask."""

from __future__ import annotations

import argparse


def register(subparsers) -> None:
    parser = subparsers.add_parser(
        "batch",
        help="execute a notebook for every combination of a parameter grid (papermill on Dask)",
        description=(
            "Execute NOTEBOOK with papermill for every combination in the grid, in parallel on Dask. "
            "Executed notebooks go to DIR/runs/, a record of every run (failures with their error cell) "
            "to DIR/runs.json, and each run's result.nc, indexed by its parameters, into DIR/results.zarr."
        ),
    )
    parser.add_argument("notebook", help="a notebook with a 'parameters' cell declaring output_dir")
    parser.add_argument("--grid", required=True, help='JSON file {"name": [values, ...], ...}')
    parser.add_argument("--out", required=True, metavar="DIR", help="output folder")
    parser.add_argument("--workers", type=int, default=2, help="local Dask worker processes (default 2)")
    parser.add_argument("--scheduler", help="address of a running Dask scheduler, e.g. tcp://10.0.0.5:8786")
    parser.add_argument("--timeout", type=float, default=600, help="longest time one cell may run, s (default 600)")
    parser.set_defaults(handler=run)


def run(args: argparse.Namespace) -> int:
    from mfn.workflows.batch import expand_grid, load_grid, run_batch

    grid = load_grid(args.grid)
    total = len(expand_grid(grid))
    done = 0

    def progress(record: dict) -> None:
        nonlocal done
        done += 1
        detail = "" if record["status"] == "ok" else f"  {record['error']['ename']}: {record['error']['evalue']}"
        print(f"[{done}/{total}] {record['run']} {record['parameters']} {record['status']}{detail}", flush=True)

    result = run_batch(
        args.notebook,
        grid,
        args.out,
        workers=args.workers,
        scheduler=args.scheduler,
        timeout=args.timeout,
        progress=progress,
    )
    print(f"{total - len(result.failed)} of {total} runs succeeded in {result.duration_s:.1f} s")
    print(f"executed notebooks: {args.out}/runs/  record: {result.manifest}")
    if result.results is not None:
        print(f"datacube: {result.results}")
    return 1 if result.failed else 0
