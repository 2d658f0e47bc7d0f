"""``mfn bench``: time the fast paths against their references, side by side (see :mod:`mfn.bench.runner`)."""

from __future__ import annotations

import argparse


def register(subparsers) -> None:
    from mfn.bench.runner import add_arguments

    parser = subparsers.add_parser("bench", help="benchmark the fast kernels against the numpy reference")
    add_arguments(parser)
    parser.set_defaults(handler=run)


def run(args: argparse.Namespace) -> int:
    from mfn.bench.runner import run as run_bench

    return run_bench(args)
