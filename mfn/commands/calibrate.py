"""``mfn calibrate``: fit a model's parameters to observed data (ABC-SMC on Dask), resumable."""

from __future__ import annotations

import argparse
import time
from pathlib import Path

from mfn.commands.model_options import add_model_options, params_from_args

DEFAULT_MODEL = "reaction_diffusion"


def _prior(text: str) -> tuple[str, tuple[float, float] | None]:
    """``NAME=LO:HI`` -> (name, (lo, hi)); ``NAME`` alone -> (name, None): the parameter's valid range."""
    name, sep, bounds = text.partition("=")
    if not name.strip():
        raise argparse.ArgumentTypeError(f"expected NAME=LO:HI, e.g. Dv=10:60, got {text!r}")
    if not sep:
        return name.strip(), None
    lo, colon, hi = bounds.partition(":")
    try:
        if not colon:
            raise ValueError(bounds)
        return name.strip(), (float(lo), float(hi))
    except ValueError:
        raise argparse.ArgumentTypeError(f"expected NAME=LO:HI, e.g. Dv=10:60, got {text!r}") from None


def register(subparsers) -> None:
    parser = subparsers.add_parser(
        "calibrate",
        help="fit a model's parameters to observed data (ABC-SMC on Dask; rerun to resume)",
        description="Fit the parameters named by --prior to observed data by approximate Bayesian computation "
        "(ABC-SMC, pyabc). Other parameters keep the values given as options (or their defaults). Every finished "
        "generation is kept in --store; rerunning the same command resumes it, and Ctrl-C keeps what finished.",
    )
    parser.add_argument(
        "--data",
        required=True,
        help="observed data: a netCDF file (a run, a hyphal network or a Dataset of measures) or a dataset name",
    )
    parser.add_argument(
        "--prior",
        type=_prior,
        action="append",
        required=True,
        metavar="NAME=LO:HI",
        help="a parameter to fit with a uniform prior on [LO, HI] (NAME alone: its valid range); repeatable",
    )
    parser.add_argument(
        "--summary", action="append", metavar="NAME", help="a summary to compare (repeatable; default: the model's)"
    )
    parser.add_argument("--population", type=int, default=200, help="particles per generation (default 200)")
    parser.add_argument("--generations", type=int, default=8, help="generations (default 8)")
    parser.add_argument("--calibration-seed", type=int, default=0, help="seed of the calibration (default 0)")
    parser.add_argument("--out", required=True, help="result file to write (netCDF)")
    parser.add_argument("--store", help="SQLite store of the generations (default: --out with .db); resumed")
    where = parser.add_mutually_exclusive_group()
    where.add_argument("--workers", type=int, help="workers of the local Dask cluster (default: one per core)")
    where.add_argument("--scheduler", help="address of a running Dask scheduler, e.g. tcp://10.0.0.5:8786")
    where.add_argument("--synchronous", action="store_true", help="run in this process, one simulation at a time")
    parser.add_argument(
        "--dashboard", action="store_true", help="serve the Dask dashboard on 127.0.0.1 (off by default)"
    )
    parser.add_argument("--no-progress", action="store_true", help="no progress bar")
    add_model_options(parser, DEFAULT_MODEL)
    parser.set_defaults(handler=run)


def run(args: argparse.Namespace) -> int:
    from mfn.core.errors import ParameterError
    from mfn.core.io import check_output_file
    from mfn.core.netcdf import save_dataset
    from mfn.inference.calibration import calibrate
    from mfn.inference.data import load_observed
    from mfn.inference.result import credible_intervals
    from mfn.inference.store import CalibrationStore

    out = check_output_file("--out", args.out)
    store = Path(args.store) if args.store else out.with_suffix(".db")
    check_output_file("--store", store)
    base = params_from_args(args)
    priors = dict(args.prior)
    if len(priors) != len(args.prior):
        raise ParameterError("--prior", [name for name, _ in args.prior], "each parameter once")
    observed = load_observed(args.data, "--data")
    scheduler = "synchronous" if args.synchronous else args.scheduler
    start = time.perf_counter()
    try:
        result = calibrate(
            base,
            priors,
            observed,
            summaries=args.summary,
            population=args.population,
            generations=args.generations,
            scheduler=scheduler,
            workers=args.workers,
            dashboard=args.dashboard,
            store=store,
            seed=args.calibration_seed,
            progress=not args.no_progress,
        )
    except KeyboardInterrupt:
        kept = CalibrationStore(store, True).generations() if store.exists() else 0
        print(f"interrupted: {kept} finished generations kept in {store}; rerun the same command to resume")
        return 130
    elapsed = time.perf_counter() - start
    save_dataset(result, out)
    intervals = credible_intervals(result)
    print(
        f"model {result.attrs['model']}: {int(result.generation[-1]) + 1} generations of {result.sizes['sample']}, "
        f"{result.attrs['simulations']} simulations ({int(result.failed.sum())} failed), {elapsed:.1f} s"
    )
    for name in intervals.parameter.values:
        row = intervals.sel(parameter=name)
        units = result[str(name)].attrs.get("units", "")
        unit = f" {units}" if units and units != "1" else ""
        truth = f", truth {float(row.truth):.4g}" if bool(row.inside >= 0) else ""
        interval = f"90 % [{float(row.lo):.4g}, {float(row.hi):.4g}]{unit}"
        print(f"  {name}: median {float(row['median']):.4g}{unit}, {interval}{truth}")
    print(f"store {store}")
    print(f"wrote {out}")
    return 0
