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
            "to DIR/runs.json, and each run's result.nc, indexed by its parameters, into DIR/results.zarr. "
            "Each run is recorded as it finishes; rerunning the same command resumes the batch."
        ),
    )
    parser.add_argument("notebook", help="a notebook with a 'parameters' cell declaring output_dir")
    parser.add_argument("--grid", required=True, help='JSON file {"name": [values, ...], ...}')
    parser.add_argument("--out", required=True, metavar="DIR", help="output folder")
    parser.add_argument("--workers", type=int, default=2, help="local Dask worker processes (default 2)")
    parser.add_argument("--scheduler", help="address of a running Dask scheduler, e.g. tcp://10.0.0.5:8786")
    parser.add_argument("--timeout", type=float, default=600, help="longest time one cell may run, s (default 600)")
    parser.add_argument("--run-timeout", type=float, metavar="S", help="longest time one run may take, s")
    parser.add_argument("--retry-failed", action="store_true", help="on resume, rerun the runs recorded as failed")
    parser.set_defaults(handler=run)


def run(args: argparse.Namespace) -> int:
    from mfn.core.checks import check_real
    from mfn.core.io import check_output_folder
    from mfn.workflows.batch import run_batch
    from mfn.workflows.batch_grid import expand_grid, load_grid
    from mfn.workflows.batch_records import resume_state

    grid = load_grid(args.grid)
    check_real("--timeout", args.timeout, 0, lo_open=True)
    if args.run_timeout is not None:
        check_real("--run-timeout", args.run_timeout, 0, lo_open=True)
    check_output_folder("--out", args.out)
    total = len(expand_grid(grid))
    state = resume_state(args.notebook, grid, args.out)
    kept = [r for r in state.values() if r["status"] == "ok" or (r["status"] == "failed" and not args.retry_failed)]
    if kept:
        print(f"resuming {args.out}: {len(kept)} already done, {total - len(kept)} to run", flush=True)
    done = len(kept)

    def progress(record: dict) -> None:
        nonlocal done
        done += 1
        detail = "" if record["status"] == "ok" else f"  {record['error']['ename']}: {record['error']['evalue']}"
        print(f"[{done}/{total}] {record['run']} {record['parameters']} {record['status']}{detail}", flush=True)

    try:
        result = run_batch(
            args.notebook,
            grid,
            args.out,
            workers=args.workers,
            scheduler=args.scheduler,
            timeout=args.timeout,
            run_timeout=args.run_timeout,
            retry_failed=args.retry_failed,
            progress=progress,
        )
    except KeyboardInterrupt:
        print(f"interrupted: {done} of {total} runs recorded in {args.out}; rerun the same command to resume")
        return 130
    print(f"{total - len(result.failed)} of {total} runs succeeded in {result.duration_s:.1f} s")
    print(f"executed notebooks: {args.out}/runs/  record: {result.manifest}")
    print(f"datacube: {result.results}")
    return 1 if result.failed else 0
