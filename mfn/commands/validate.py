"""``mfn validate``: run the validation suite and print the table."""

from __future__ import annotations

import argparse


def register(subparsers) -> None:
    parser = subparsers.add_parser(
        "validate",
        help="run the validation suite (controls, invariants, falsification, findings, each model's rows)",
        description="Run the validation suite: every row by default (about a minute on 2 cores), or a subset.",
    )
    parser.add_argument("--csv", metavar="PATH", help="also write the table as CSV")
    parser.add_argument(
        "--group",
        action="append",
        metavar="NAME",
        help="run only this group's rows: control, invariant, falsification, finding, or a model's name "
        "(reaction_diffusion, mycelium); repeat for several",
    )
    parser.add_argument(
        "--quick",
        action="store_true",
        help="run the general rows only (controls, invariants, falsification, findings: about 5 s)",
    )
    parser.set_defaults(handler=run)


def run(args: argparse.Namespace) -> int:
    """Print each row (verdict, group, name, measured, claim, limit); exit status 1 if any row failed."""
    from mfn.core.io import atomic_path, check_output_file
    from mfn.validation.suite import QUICK_GROUPS, validate

    if args.csv is not None:
        check_output_file("--csv", args.csv)  # before the suite runs, not after
    groups = [*(QUICK_GROUPS if args.quick else ()), *(args.group or ())] or None
    table = validate(groups)  # an unknown group is refused before any row runs
    width = max(len(f"{g}: {n}") for g, n in zip(table["group"], table["name"], strict=True))
    for row in table.itertuples(index=False):
        print(f"{'PASS' if row.passed else 'FAIL'}  {row.group + ': ' + row.name:<{width}}  {row.measured}")
        print(f"      {'':<{width}}  claim: {row.claim}")
        print(f"      {'':<{width}}  limit: {row.limit}")
    failed = int((~table["passed"]).sum())
    print(f"{len(table) - failed}/{len(table)} passed")
    if args.csv is not None:
        with atomic_path(args.csv) as tmp:
            table.to_csv(tmp, index=False)
        print(f"wrote {args.csv}")
    return 1 if failed else 0
