"""``mfn validate``: run the validation suite and print the table."""

from __future__ import annotations

import argparse


def register(subparsers) -> None:
    parser = subparsers.add_parser(
        "validate", help="run the validation suite (controls, invariants, falsification, findings, each model's rows)"
    )
    parser.add_argument("--csv", metavar="PATH", help="also write the table as CSV")
    parser.set_defaults(handler=run)


def run(args: argparse.Namespace) -> int:
    """Print each row (verdict, group, name, measured, claim, limit); exit status 1 if any row failed."""
    from mfn.validation.suite import validate

    table = validate()
    width = max(len(f"{g}: {n}") for g, n in zip(table["group"], table["name"], strict=True))
    for row in table.itertuples(index=False):
        print(f"{'PASS' if row.passed else 'FAIL'}  {row.group + ': ' + row.name:<{width}}  {row.measured}")
        print(f"      {'':<{width}}  claim: {row.claim}")
        print(f"      {'':<{width}}  limit: {row.limit}")
    failed = int((~table["passed"]).sum())
    print(f"{len(table) - failed}/{len(table)} passed")
    if args.csv:
        from pathlib import Path

        path = Path(args.csv)
        path.parent.mkdir(parents=True, exist_ok=True)
        table.to_csv(path, index=False)
        print(f"wrote {path}")
    return 1 if failed else 0
