"""``mfn notebook``: execute parameterised notebooks headless, keeping the executed copy (and HTML)."""

from __future__ import annotations

import argparse
import ast
import contextlib
from pathlib import Path

from mfn.core.errors import OutputError, ParameterError


def register(subparsers) -> None:
    parser = subparsers.add_parser(
        "notebook",
        help="execute notebooks with papermill into a folder (executed .ipynb, optional HTML)",
        description=(
            "Execute each NOTEBOOK on the python3 kernel with papermill. Each notebook's output_dir "
            "parameter is set to DIR/<name>/ unless given with -p; the executed copy is DIR/<name>.ipynb."
        ),
    )
    parser.add_argument("notebooks", nargs="+", metavar="NOTEBOOK")
    parser.add_argument("--out", default="outputs", metavar="DIR", help="output folder (default outputs)")
    parser.add_argument(
        "-p",
        "--parameter",
        nargs=2,
        action="append",
        default=[],
        metavar=("NAME", "VALUE"),
        help="inject a parameter (VALUE read as a Python literal, else as a string); repeatable",
    )
    parser.add_argument("--html", action="store_true", help="also export each executed notebook to HTML")
    parser.add_argument("--timeout", type=float, default=600, help="longest time one cell may run, s (default 600)")
    parser.set_defaults(handler=run)


def _literal(name: str, text: str):
    """``text`` read as a Python literal (bounded: :func:`mfn.core.checks.read_literal`), else as a string."""
    from mfn.core.checks import read_literal

    try:
        return read_literal(f"-p {name}", text, ast.literal_eval)
    except (SyntaxError, TypeError):  # not a literal (TypeError: "{[]: 1}", an unhashable key)
        return text
    except ValueError as err:
        if isinstance(err, ParameterError):
            raise
        return text


def run(args: argparse.Namespace) -> int:
    from mfn.core.checks import check_real
    from mfn.core.io import check_output_folder
    from mfn.workflows.notebook import NotebookFailed, execute
    from mfn.workflows.parameters import check_parameters, notebook_parameters

    given = {name: _literal(name, value) for name, value in args.parameter}
    names = [Path(source).stem for source in args.notebooks]
    twice = sorted({name for name in names if names.count(name) > 1})
    if twice:
        raise ParameterError(
            "notebooks",
            [s for s in args.notebooks if Path(s).stem in twice],
            "notebooks with distinct names (each one's executed copy is DIR/<name>.ipynb)",
            "rename one, or run them into separate --out folders",
        )
    out = check_output_folder("--out", args.out)
    check_real("--timeout", args.timeout, 0, lo_open=True)
    for source in args.notebooks:  # every notebook and parameter checked before the first runs
        check_parameters({k: v for k, v in given.items() if k != "output_dir"}, notebook_parameters(source))
    failed = 0
    for source in args.notebooks:
        name = Path(source).stem
        params = dict(given)
        if "output_dir" in notebook_parameters(source):
            params.setdefault("output_dir", str((out / name).resolve()))
        before = _folders(out)
        try:
            done = execute(source, out / f"{name}.ipynb", params, html=args.html, timeout=args.timeout)
        except OutputError:  # a full disk: no empty folder is left from this notebook
            for folder in sorted(_folders(out) - before, key=lambda f: len(f.parts), reverse=True):
                with contextlib.suppress(OSError):
                    folder.rmdir()
            raise
        except NotebookFailed as err:
            failed += 1
            print(f"FAILED {source}: cell {err.cell_index}: {err.ename}: {err.evalue}  (see {err.output})")
            continue
        extra = f" and {done.html}" if done.html else ""
        print(f"{source}: {done.duration_s:.1f} s -> {done.output}{extra}", flush=True)
    return 1 if failed else 0


def _folders(root: Path) -> set[Path]:
    """``root`` and every folder under it (none when it does not exist)."""
    if not root.is_dir():
        return set()
    return {root, *(p for p in root.rglob("*") if p.is_dir())}
