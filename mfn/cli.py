"""The ``mfn`` command line.

Each subcommand lives in its own module under :mod:`mfn.commands` and provides
``register(subparsers)``, which adds its parser and sets ``handler(args) -> int``.
Heavy libraries are imported inside the handlers, so ``mfn --help`` stays fast.
"""

from __future__ import annotations

import argparse
import importlib
import os
import signal
import sys
import threading
from collections.abc import Sequence

from mfn.core.errors import MFNError, OutputError

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
    stderr and exit code 2; so is an output that cannot be written (an
    :class:`~mfn.core.errors.OutputError`: a full disk, a read-only or forbidden place, or a
    standard output that is full or closed); a missing optional dependency is one line naming
    what to install. Any other system error is one line naming the file and the reason, exit 1.
    SIGTERM is turned into ``SystemExit(143)`` so that temporary files are cleaned up.
    """
    from mfn.core.io import raise_on_sigterm

    parser = build_parser()
    args = parser.parse_args(argv)
    if not hasattr(args, "handler"):
        parser.print_help()
        return 2
    previous = raise_on_sigterm() if threading.current_thread() is threading.main_thread() else None
    stdout, sys.stdout = sys.stdout, _Output(sys.stdout)
    try:
        code = int(args.handler(args) or 0)
        sys.stdout.flush()
        return code
    except MFNError as err:
        print(f"mfn: error: {_one_line(err)}", file=sys.stderr)
        return 2 if isinstance(err, (ValueError, OutputError)) else 1
    except ImportError as err:
        print(f"mfn: error: {_one_line(err)}", file=sys.stderr)
        return 2
    except OSError as err:  # not one of mfn's own outputs (those raise OutputError): still one line
        where = f"{err.filename}: " if err.filename else ""
        print(f"mfn: error: {where}{err.strerror or _one_line(err)}", file=sys.stderr)
        return 1
    except KeyboardInterrupt:
        print("mfn: interrupted", file=sys.stderr)
        return 130
    finally:
        sys.stdout = stdout
        if previous is not None:
            signal.signal(signal.SIGTERM, previous)


class _Output:
    """The standard output, whose write errors (full, closed) become an :class:`OutputError`.

    After such an error the stream's file descriptor is pointed at ``/dev/null``, so that the
    interpreter's own flush at exit does not print an "Exception ignored" traceback.
    """

    def __init__(self, stream) -> None:
        self._stream = stream

    def write(self, text: str) -> int:
        try:
            return self._stream.write(text)
        except OSError as err:
            raise self._failed(err) from None

    def flush(self) -> None:
        try:
            self._stream.flush()
        except OSError as err:
            raise self._failed(err) from None

    def __getattr__(self, name: str):
        return getattr(self._stream, name)

    def _failed(self, err: OSError) -> OutputError:
        from mfn.core.io import output_error

        try:
            devnull = os.open(os.devnull, os.O_WRONLY)
            os.dup2(devnull, self._stream.fileno())
            os.close(devnull)
        except (OSError, AttributeError, ValueError):  # a stream without a descriptor (captured output)
            pass
        return output_error("the standard output", err)


def _one_line(err: BaseException) -> str:
    return " ".join(str(err).split())
