"""``mfn datasets``: the published data sets ``mfn measure`` and ``mfn.datasets.load`` can read."""

from __future__ import annotations

import argparse


def register(subparsers) -> None:
    parser = subparsers.add_parser(
        "datasets", help="list the published data sets that can be fetched", description=__doc__
    )
    parser.set_defaults(handler=run)


def run(args: argparse.Namespace) -> int:
    import mfn
    from mfn.datasets import DATA_DIR_VARIABLE

    for name in mfn.datasets.list():
        entry = mfn.datasets.info(name)
        print(f"{name}\n    {entry.description}\n    {entry.reference}")
    print(f"(fetched with pooch into the user cache; set {DATA_DIR_VARIABLE} to read local copies instead)")
    return 0
