"""``mfn models``: list the registered models and their parameters."""

from __future__ import annotations

import argparse


def register(subparsers) -> None:
    parser = subparsers.add_parser("models", help="list the models and their parameters", description=__doc__)
    parser.add_argument("name", nargs="?", help="one model only")
    parser.set_defaults(handler=run)


def run(args: argparse.Namespace) -> int:
    from mfn.commands.model_options import describe_model
    from mfn.core.model import get_model, models

    names = [get_model(args.name).name] if args.name else list(models())
    print("\n\n".join(describe_model(name) for name in names))
    return 0
