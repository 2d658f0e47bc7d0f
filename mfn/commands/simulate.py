"""``mfn simulate``: run a model (``--model NAME``, the classic one by default) and write the run to netCDF."""

from __future__ import annotations

import argparse

from mfn.commands.model_options import add_model_options, params_from_args

DEFAULT_OUT = "outputs/run.nc"


def register(subparsers) -> None:
    parser = subparsers.add_parser("simulate", help="run a model and save the run (netCDF)", description=__doc__)
    add_model_options(parser)
    parser.add_argument("--record-every", type=int, default=1, help="frame interval; 0 keeps the final frame only")
    parser.add_argument("--out", default=DEFAULT_OUT, help=f"output file (default {DEFAULT_OUT})")
    parser.set_defaults(handler=run)


def run(args: argparse.Namespace) -> int:
    from mfn.core.checks import check_int
    from mfn.core.io import check_output_file
    from mfn.core.model import get_model
    from mfn.core.netcdf import save_run
    from mfn.simulation.recorder import memory_estimate
    from mfn.simulation.simulation import simulate

    params = params_from_args(args)
    record_every = None if args.record_every == 0 else check_int("--record-every", args.record_every, 0)
    recorded = sum(v.recorded for v in get_model(params.model).variables)
    out = check_output_file("--out", args.out, size=memory_estimate(params, recorded, record_every))
    ds = simulate(params, record_every=record_every)
    path = save_run(ds, out)
    primary = ds.attrs["primary"]
    v = ds[primary].isel(time=-1)
    units = ds[primary].attrs.get("units", "")
    rows, cols = params.shape
    print(
        f"model {ds.attrs['model']}, grid {rows}x{cols}, {params.steps} steps, seed {params.seed}, "
        f"backend {ds.attrs['backend']}"
    )
    for name, value in ds.attrs.items():
        if name.endswith("_total"):
            print(f"{name[: -len('_total')].replace('_', ' ')}: {value}")
    print(
        f"final {primary} range: {float(v.min()):.2f} .. {float(v.max()):.2f} {units} "
        f"(mean {float(v.mean()):.2f} {units})"
    )
    print(f"duration: {ds.attrs['duration_s']:.3f} s")
    print(f"wrote {path}")
    return 0
