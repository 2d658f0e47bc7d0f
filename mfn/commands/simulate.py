"""``mfn simulate``: run the lattice field model and write the run to a netCDF file."""

from __future__ import annotations

import argparse
from dataclasses import fields

from mfn.models.classic.params import FieldParams

DEFAULT_OUT = "outputs/run.nc"


def add_field_options(parser: argparse.ArgumentParser) -> None:
    """Add one ``--option`` for every :class:`~mfn.models.classic.params.FieldParams` parameter."""
    group = parser.add_argument_group("field parameters (defaults as in FieldParams)")
    for f in fields(FieldParams):
        flag = "--" + f.name.replace("_", "-")
        if f.name == "grid_size":
            group.add_argument(flag, type=int, nargs="+", metavar="N", help="side, or rows cols")
        elif f.name == "turing":
            group.add_argument(flag, action=argparse.BooleanOptionalAction, default=None)
        elif f.name == "boundary":
            group.add_argument(flag, choices=("periodic", "neumann", "dirichlet"))
        else:
            group.add_argument(flag, type=type(f.default), metavar=f.name.upper())


def params_from_args(args: argparse.Namespace) -> FieldParams:
    """Build :class:`FieldParams` from the options given (unset ones keep their default)."""
    values = {f.name: getattr(args, f.name) for f in fields(FieldParams) if getattr(args, f.name) is not None}
    if "grid_size" in values:
        g = values["grid_size"]
        values["grid_size"] = g[0] if len(g) == 1 else tuple(g)
    return FieldParams(**values)


def register(subparsers) -> None:
    parser = subparsers.add_parser("simulate", help="grow a field and save the run (netCDF)")
    add_field_options(parser)
    parser.add_argument("--record-every", type=int, default=1, help="frame interval; 0 keeps the final frame only")
    parser.add_argument("--out", default=DEFAULT_OUT, help=f"output file (default {DEFAULT_OUT})")
    parser.set_defaults(handler=run)


def run(args: argparse.Namespace) -> int:
    from mfn.core.io import check_output_file, save_run
    from mfn.simulation.simulation import simulate

    check_output_file("--out", args.out)
    params = params_from_args(args)
    record_every = None if args.record_every == 0 else args.record_every
    ds = simulate(params, record_every=record_every)
    path = save_run(ds, args.out)
    v = ds.V.isel(time=-1)
    rows, cols = params.shape
    print(f"grid {rows}x{cols}, {params.steps} steps, seed {params.seed}, backend {ds.attrs['backend']}")
    print(f"growth events: {ds.attrs['growth_events_total']}")
    print(f"final V range: {float(v.min()):.2f} .. {float(v.max()):.2f} mV (mean {float(v.mean()):.2f} mV)")
    print(f"duration: {ds.attrs['duration_s']:.3f} s")
    print(f"wrote {path}")
    return 0
