"""``mfn sweep``: run a parameter sweep into a zarr datacube (resumable), optionally to parquet."""

from __future__ import annotations

import argparse
import json
import time
from pathlib import Path

from mfn.core.checks import read_json_object


def _assignment(text: str) -> tuple[str, object]:
    """``NAME=VALUE`` -> (name, value), the value read as JSON (``8``, ``0.1``, ``true``) or else a string."""
    from mfn.core.checks import read_literal
    from mfn.core.errors import ParameterError

    name, sep, value = text.partition("=")
    if not sep or not name.strip():
        raise argparse.ArgumentTypeError(f"expected NAME=VALUE, e.g. grid_size=32, got {text[:60]!r}")
    try:
        return name.strip(), read_literal(f"--set {name.strip()}", value, json.loads)
    except ValueError as err:
        if isinstance(err, ParameterError):
            raise argparse.ArgumentTypeError(str(err)) from None
        return name.strip(), value


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
    parser.add_argument("--model", default=None, metavar="NAME", help="model to sweep (default classic; `mfn models`)")
    parser.add_argument(
        "--threshold-mode",
        choices=("fixed", "adaptive"),
        default=None,
        help="feature thresholds: fixed (--thresholds) or adaptive (--percentiles of each run's final field); "
        "default: the model's (classic: fixed -60/-50/-40 mV)",
    )
    parser.add_argument(
        "--thresholds",
        type=float,
        nargs=3,
        metavar=("LOW", "MED", "HIGH"),
        help="fixed feature thresholds in the primary variable's units (implies --threshold-mode fixed)",
    )
    parser.add_argument(
        "--percentiles",
        type=float,
        nargs=3,
        metavar=("LOW", "MED", "HIGH"),
        help="adaptive thresholds as percentiles of each run's final field (implies --threshold-mode adaptive)",
    )
    parser.add_argument("--parquet", help="also write the flat table (one row per run) to this parquet file")
    parser.add_argument("--retry-failed", action="store_true", help="rerun runs recorded as failed")
    parser.add_argument(
        "--set",
        type=_assignment,
        action="append",
        default=[],
        metavar="NAME=VALUE",
        help="fix a parameter that is not swept (no dimension is added); repeatable, e.g. --set grid_size=32",
    )
    parser.add_argument("--time-limit", type=float, metavar="S", help="longest wall time of one run, s")
    parser.add_argument(
        "--dashboard", action="store_true", help="serve the Dask dashboard on 127.0.0.1 (off by default)"
    )
    parser.add_argument(
        "--repair", action="store_true", help="on resume, rerun the runs of missing or corrupted store chunks"
    )
    parser.add_argument("--no-progress", action="store_true", help="no progress bar")
    parser.set_defaults(handler=run)


def run(args: argparse.Namespace) -> int:
    from mfn.core.checks import check_real
    from mfn.core.errors import ParameterError
    from mfn.core.io import check_output_file, check_output_folder
    from mfn.sweeps.driver import sweep
    from mfn.sweeps.grid import SweepGrid
    from mfn.sweeps.presets import sweep_preset
    from mfn.sweeps.table import to_parquet

    check_output_folder("--out", args.out)
    if args.parquet is not None:
        check_output_file("--parquet", args.parquet)
        _require_parquet()
    if args.time_limit is not None:
        check_real("--time-limit", args.time_limit, 0, lo_open=True)
    fixed = dict(args.set)
    if args.preset is not None:
        preset = sweep_preset(args.preset)
        axes, base, seeds = preset.grid, {**preset.base, **fixed}, preset.seeds if args.seeds is None else args.seeds
    else:
        axes, base, seeds = read_json_object("--grid", args.grid), fixed, args.seeds if args.seeds else [0, 1, 2]
    for name in fixed:
        if name in axes:
            raise ParameterError("--set", name, "a parameter the grid does not sweep", f"{name} is an axis of the grid")
    grid = SweepGrid.build(axes, seeds, base, args.model)
    feature_params = _feature_params(args, grid.model)
    client = "synchronous" if args.synchronous else args.scheduler
    counts = {"ok": 0, "failed": 0}

    def count(record: dict) -> None:
        counts[record["status"]] += 1

    start = time.perf_counter()
    try:
        cube = sweep(
            grid,
            feature_params=feature_params,
            store=args.out,
            client=client,
            workers=args.workers,
            progress=not args.no_progress,
            retry_failed=args.retry_failed,
            on_result=count,
            time_limit=args.time_limit,
            dashboard=args.dashboard,
            repair=args.repair,
        )
    except KeyboardInterrupt:
        print(f"interrupted: {counts['ok'] + counts['failed']} runs finished and kept in {args.out}; rerun to resume")
        return 130
    elapsed = time.perf_counter() - start
    done = counts["ok"] + counts["failed"]
    failed_total = int((cube.status.values == "failed").sum())
    print(f"runs: {grid.n_runs} in the sweep, {done} run now, {grid.n_runs - done} already in the store")
    print(f"failures: {counts['failed']} now, {failed_total} in the store")
    inactive, ok = cube.attrs["runs_without_active_cell"], cube.attrs["runs_ok"]
    mode = feature_params.threshold_mode
    levels = feature_params.thresholds if mode == "fixed" else feature_params.percentiles
    print(
        f"features: {mode} thresholds {', '.join(f'{v:g}' for v in levels)}; {inactive} of {ok} runs had no active cell"
    )
    if inactive and mode == "fixed":
        print("  (their structural features are all 0: try --threshold-mode adaptive or lower --thresholds)")
    print(f"time: {elapsed:.2f} s, {done / elapsed:.2f} runs/s (including cluster start-up)")
    if "repaired_runs" in cube.attrs:
        print(f"repaired: runs {_id_list(cube.attrs['repaired_runs'])} ran again (their store chunks were damaged)")
    if cube.attrs.get("store_checksums") == "none":
        print(
            f"note: {args.out} was made before chunk checksums: a damaged chunk that still decodes "
            "cannot be detected; a new store (another --out) has them"
        )
    if "missing_measures" in cube.attrs:
        print(
            f"note: {args.out} was made before the model measured {', '.join(cube.attrs['missing_measures'])}: "
            "the store keeps the variables it was made with (a new store, another --out, has them)"
        )
    print(f"wrote {args.out}")
    if args.parquet:
        print(f"wrote {to_parquet(cube, args.parquet)}")
    return 0


def _id_list(ids: list[int], most: int = 20) -> str:
    """``0, 1, 2`` or, past ``most``, the first ones and how many more."""
    shown = ", ".join(str(i) for i in ids[:most])
    return shown if len(ids) <= most else f"{shown} and {len(ids) - most} more"


def _feature_params(args: argparse.Namespace, model):
    """The feature settings the options ask for, over the model's own defaults (``model``: a registered Model)."""

    from mfn.analysis.features import FeatureParams
    from mfn.core.errors import ParameterError

    params = model.feature_params or FeatureParams()
    mode = args.threshold_mode
    if args.thresholds is not None:
        if mode == "adaptive":
            raise ParameterError("--thresholds", args.thresholds, "no --thresholds with --threshold-mode adaptive")
        mode = "fixed"
    if args.percentiles is not None:
        if mode == "fixed":
            raise ParameterError("--percentiles", args.percentiles, "no --percentiles with fixed thresholds")
        mode = "adaptive"
    changes = {"threshold_mode": mode} if mode is not None else {}
    if args.thresholds is not None:
        changes["thresholds"] = tuple(args.thresholds)
    if args.percentiles is not None:
        changes["percentiles"] = tuple(args.percentiles)
    return FeatureParams(**{**_fields(params), **changes}) if changes else params


def _fields(params) -> dict:
    from dataclasses import fields

    return {f.name: getattr(params, f.name) for f in fields(params)}


def _require_parquet() -> None:
    """Fail before the sweep when no parquet engine is installed."""
    from importlib.util import find_spec

    if find_spec("pyarrow") is None and find_spec("fastparquet") is None:
        raise ImportError("--parquet needs pyarrow: pip install pyarrow")
