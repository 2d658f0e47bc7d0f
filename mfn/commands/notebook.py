"""``mfn notebook``: execute parameterised notebooks headless, keeping the executed copy (and HTML)."""

from __future__ import annotations

import argparse
import ast
from pathlib import Path


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


def _literal(text: str):
    try:
        return ast.literal_eval(text)
    except (ValueError, SyntaxError):
        return text


def run(args: argparse.Namespace) -> int:
    from mfn.core.checks import check_real
    from mfn.core.io import check_output_folder
    from mfn.workflows.notebook import NotebookFailed, check_parameters, execute, notebook_parameters

    given = {name: _literal(value) for name, value in args.parameter}
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
        try:
            done = execute(source, out / f"{name}.ipynb", params, html=args.html, timeout=args.timeout)
        except NotebookFailed as err:
            failed += 1
            print(f"FAILED {source}: cell {err.cell_index}: {err.ename}: {err.evalue}  (see {err.output})")
            continue
        extra = f" and {done.html}" if done.html else ""
        print(f"{source}: {done.duration_s:.1f} s -> {done.output}{extra}", flush=True)
    return 1 if failed else 0
