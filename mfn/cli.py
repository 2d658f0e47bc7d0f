"""The ``mfn`` command line.

Each subcommand lives in its own module under :mod:`mfn.commands` and provides
``register(subparsers)``, which adds its parser and sets ``handler(args) -> int``.
Heavy libraries are imported inside the handlers, so ``mfn --help`` stays fast.
"""

from __future__ import annotations

import argparse
import importlib
import signal
import sys
import threading
from collections.abc import Sequence

from mfn.core.errors import MFNError

__all__ = ["build_parser", "main"]

COMMANDS = (
    "simulate",
    "models",
    "measure",
    "datasets",
    "validate",
    "sweep",
    "calibrate",
    "train_validation",
    "notebook",
    "batch",
    "app",
    "bench",
)
"""Modules of :mod:`mfn.commands`, in the order they are listed by ``mfn --help``."""


class _Parser(argparse.ArgumentParser):
    """An argument parser whose usage errors are one line on stderr (exit code 2)."""

    def error(self, message: str):
        self.exit(2, f"{self.prog}: error: {message} (see {self.prog} --help)\n")


def build_parser() -> argparse.ArgumentParser:
    """The parser of the ``mfn`` command with every subcommand registered."""
    from mfn.core.version import __version__

    parser = _Parser(
        prog="mfn", description="MyceliumFractalNet: grow, measure and sweep 2-D mycelium potential fields."
    )
    parser.add_argument("--version", action="version", version=f"mfn {__version__}")
    subparsers = parser.add_subparsers(title="commands", metavar="COMMAND")
    for name in COMMANDS:
        importlib.import_module(f"mfn.commands.{name}").register(subparsers)
    return parser


def main(argv: Sequence[str] | None = None) -> int:
    """Run the command line; returns the exit status (0 ok, 1 failure, 2 bad input, 130 interrupted).

    A user mistake (a :class:`~mfn.core.errors.ParameterError`, a bad option) is one line on
    stderr and exit code 2; a missing optional dependency is one line naming what to install.
    SIGTERM is turned into ``SystemExit(143)`` so that temporary files are cleaned up.
    """
    from mfn.core.io import raise_on_sigterm

    parser = build_parser()
    args = parser.parse_args(argv)
    if not hasattr(args, "handler"):
        parser.print_help()
        return 2
    previous = raise_on_sigterm() if threading.current_thread() is threading.main_thread() else None
    try:
        return int(args.handler(args) or 0)
    except MFNError as err:
        print(f"mfn: error: {_one_line(err)}", file=sys.stderr)
        return 2 if isinstance(err, ValueError) else 1
    except ImportError as err:
        print(f"mfn: error: {_one_line(err)}", file=sys.stderr)
        return 2
    except KeyboardInterrupt:
        print("mfn: interrupted", file=sys.stderr)
        return 130
    finally:
        if previous is not None:
            signal.signal(signal.SIGTERM, previous)


def _one_line(err: BaseException) -> str:
    return " ".join(str(err).split())
