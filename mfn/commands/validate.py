"""``mfn validate``: run the validation suite of docs/validation.md and print the table."""

from __future__ import annotations

import argparse


def register(subparsers) -> None:
    parser = subparsers.add_parser(
        "validate", help="run the validation suite (controls, invariants, falsification, findings)"
    )
    parser.add_argument("--csv", metavar="PATH", help="also write the table as CSV")
    parser.set_defaults(handler=run)


def run(args: argparse.Namespace) -> int:
    """Print one line per experiment; exit status 1 if any experiment failed."""
    from mfn.validation.suite import validate

    table = validate()
    width = max(map(len, table["name"]))
    for row in table.itertuples(index=False):
        print(f"{'PASS' if row.passed else 'FAIL'}  {row.name:<{width}}  {row.measured}")
        print(f"      {'':<{width}}  expected: {row.expectation}")
    failed = int((~table["passed"]).sum())
    print(f"{len(table) - failed}/{len(table)} passed")
    if args.csv:
        from pathlib import Path

        path = Path(args.csv)
        path.parent.mkdir(parents=True, exist_ok=True)
        table.to_csv(path, index=False)
        print(f"wrote {path}")
    return 1 if failed else 0
