"""The ``mfn`` command line.

Each subcommand lives in its own module under :mod:`mfn.commands` and provides
``register(subparsers)``, which adds its parser and sets ``handler(args) -> int``.
Heavy libraries are imported inside the handlers, so ``mfn --help`` stays fast.
"""

from __future__ import annotations

import argparse
import importlib
import sys
from collections.abc import Sequence

from mfn.core.errors import MFNError

__all__ = ["build_parser", "main"]

COMMANDS = ("simulate", "models", "validate", "sweep", "train_validation", "notebook", "batch", "app", "bench")
"""Modules of :mod:`mfn.commands`, in the order they are listed by ``mfn --help``."""


def build_parser() -> argparse.ArgumentParser:
    """The parser of the ``mfn`` command with every subcommand registered."""
    from mfn.core.version import __version__

    parser = argparse.ArgumentParser(
        prog="mfn", description="MyceliumFractalNet: grow, measure and sweep 2-D mycelium potential fields."
    )
    parser.add_argument("--version", action="version", version=f"mfn {__version__}")
    subparsers = parser.add_subparsers(title="commands", metavar="COMMAND")
    for name in COMMANDS:
        importlib.import_module(f"mfn.commands.{name}").register(subparsers)
    return parser


def main(argv: Sequence[str] | None = None) -> int:
    """Run the command line; returns the exit status (0 ok, 1 failure, 2 bad input)."""
    parser = build_parser()
    args = parser.parse_args(argv)
    if not hasattr(args, "handler"):
        parser.print_help()
        return 2
    try:
        return int(args.handler(args) or 0)
    except MFNError as err:
        print(f"mfn: error: {err}", file=sys.stderr)
        return 2 if isinstance(err, ValueError) else 1
    except KeyboardInterrupt:
        print("mfn: interrupted", file=sys.stderr)
        return 130
