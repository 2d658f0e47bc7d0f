"""``mfn bench``: every fast path timed against its reference, side by side, and the ratios checked.

Each row times a reference and a fast path doing the same work, alternately, in one process,
``repeats`` times, and reports the medians and the median of the per-repetition ratios
(reference time / fast time); how is :mod:`mfn.bench.row`. The rows, each described in its module:

- ``field 64x64``, ``field 256x256``, the three ``ensemble 256x32x32x32`` rows and
  ``reaction-diffusion 256x256``: the lattice models (:mod:`mfn.bench.fields`);
- ``features 64x64x100``: the 18 features against a plain numpy version (:mod:`mfn.bench.features`);
- ``colony 9x9 mm, 12 h (numpy vs numba)`` and ``colony 9x9 mm, 20 h (numba, target 2 s)``:
  the mycelium's preset ``podospora_anserina`` (:mod:`mfn.bench.colony`);
- ``network counts M2WT_200610 (65 frames)`` and ``read + measure M2WT_200610 (65 frames)``
  (only where the shared data set is readable): a published hyphal network (:mod:`mfn.bench.networks`);
- ``py-pde 64x64`` (only where py-pde, the extra ``mfn[bench]``, imports): py-pde's compiled
  stepper against the numba kernel (:mod:`mfn.bench.pypde`). Not gated: a third-party library;
- ``calibration 100x3 (48x48 RD)`` and ``calibration 40x3 (4x4 mm 14 h mycelium)`` (only where
  pyabc, the extra ``mfn[calibrate]``, imports):
  :func:`mfn.calibrate` on a 1-worker and a 2-worker Dask cluster, side by side; simulations per
  second of wall time (:mod:`mfn.bench.calibration`). Not gated. Not in ``--quick``.

``--check`` re-measures the gated rows and fails when a ratio falls more than
:data:`~mfn.bench.baseline.CHECK_MARGIN` below the stored baseline (:mod:`mfn.bench.baseline`).
"""

from __future__ import annotations

import argparse
import json
import math
import sys

from mfn.bench.baseline import BASELINE_PATH, CHECK_MARGIN, check_ratios, read_baseline
from mfn.bench.row import Row

__all__ = ["add_arguments", "format_table", "main", "run", "run_benchmarks"]


def run_benchmarks(repeats: int = 5, quick: bool = False) -> list[Row]:
    """Measure every row.

    Parameters
    ----------
    repeats : int, default 5
        Alternating repetitions per row (medians are reported), >= 1.
    quick : bool, default False
        Tiny sizes (seconds in total), to check that the benchmark runs; not for numbers.

    Raises
    ------
    ParameterError
        If ``repeats`` is not an integer >= 1, or numba (the fast path) is not installed.
    """
    from mfn.bench.calibration import calibration_rows
    from mfn.bench.colony import colony_rows
    from mfn.bench.features import features_row
    from mfn.bench.fields import ensemble_row, field_row, rd_row
    from mfn.bench.networks import network_rows
    from mfn.bench.pypde import pypde_rows
    from mfn.core.backends import numba_available
    from mfn.core.checks import check_bool, check_int
    from mfn.core.errors import ParameterError

    repeats = check_int("repeats", repeats, 1)
    quick = check_bool("quick", quick)
    if not numba_available():
        raise ParameterError("backend", "numba", "an installed numba", "pip install 'mfn[fast]'")
    if quick:
        return [
            field_row(8, 16, repeats),
            ensemble_row(4, 8, 8, repeats),
            ensemble_row(4, 8, 8, repeats, "stepping only"),
            ensemble_row(4, 8, 8, repeats, "ceiling"),
            features_row(16, 12, repeats),
            *colony_rows(repeats, quick=True),
            *network_rows(repeats, quick=True),
            *pypde_rows(8, 16, repeats),
        ]
    return [
        field_row(64, 2000, repeats),
        field_row(256, 200, repeats),
        ensemble_row(256, 32, 32, repeats),
        ensemble_row(256, 32, 32, repeats, "stepping only"),
        ensemble_row(256, 32, 32, repeats, "ceiling"),
        features_row(64, 100, repeats),
        rd_row(256, 400, repeats),
        *colony_rows(min(repeats, 3)),
        *network_rows(min(repeats, 5)),
        *pypde_rows(64, 2000, repeats),
        *calibration_rows(min(repeats, 3)),
    ]


def format_table(rows: list[Row]) -> str:
    """The rows as a Markdown table."""
    lines = [
        "| benchmark | reference | fast path | reference rate | fast rate | ratio | reference setup |",
        "|---|---|---|---|---|---|---|",
    ]
    for r in rows:
        d = r.as_dict()
        lines.append(
            f"| {r.name} | {r.reference} | {r.fast} | {d['reference_rate']:.3g} {r.unit} "
            f"| {d['fast_rate']:.3g} {r.unit} | {r.ratio:.1f}x | {_seconds(r.setup_s)} |"
        )
    return "\n".join(lines)


def _seconds(s: float) -> str:
    return "" if math.isnan(s) else f"{s:.1f} s"


def add_arguments(parser: argparse.ArgumentParser) -> None:
    """The options of ``mfn bench`` (and ``python -m mfn.bench.runner``)."""
    parser.add_argument("--repeats", type=int, default=5, help="alternating repetitions per row (default 5)")
    parser.add_argument("--json", metavar="PATH", help="also write the figures to this JSON file")
    parser.add_argument(
        "--check",
        action="store_true",
        help=f"fail (exit 1) when a gated ratio is more than {CHECK_MARGIN:.0%}% below the stored baseline",
    )
    parser.add_argument("--baseline", default=str(BASELINE_PATH), help="baseline file (default: the stored one)")
    parser.add_argument("--update-baseline", action="store_true", help="store the measured gated ratios as baseline")
    parser.add_argument("--quick", action="store_true", help="tiny sizes: checks that the benchmark runs")


def run(args: argparse.Namespace) -> int:
    """Run the benchmark as the options say; returns the exit status.

    Every file is checked before the first row is timed: ``--json`` and, with
    ``--update-baseline``, ``--baseline`` must be writable; with ``--check`` the baseline
    must be readable (a ``ParameterError`` otherwise). Files are written atomically.
    """
    from mfn.core.checks import check_int
    from mfn.core.io import atomic_path, check_output_file

    check_int("--repeats", args.repeats, 1)
    if args.json:
        check_output_file("--json", args.json)
    if args.update_baseline:
        check_output_file("--baseline", args.baseline)
    elif args.check:
        stored = read_baseline(args.baseline)
    rows = run_benchmarks(args.repeats, args.quick)
    print(format_table(rows))
    print(
        f"(median of {args.repeats} alternating repetitions; CPU time, single thread, except the calibration row: "
        "wall time; ratio = reference / fast time, or fast / reference rate)"
    )
    from mfn.bench.pypde import pypde_missing

    if (why := pypde_missing()) is not None:
        print(why)
    from mfn.bench.networks import network_missing

    if (why := network_missing()) is not None:
        print(why)
    ratios = {r.name: r.ratio for r in rows if r.gated}
    if args.json:
        with atomic_path(args.json) as tmp:
            tmp.write_text(json.dumps({"repeats": args.repeats, "rows": [r.as_dict() for r in rows]}, indent=2))
        print(f"wrote {args.json}")
    if args.update_baseline:
        stored = {"margin": CHECK_MARGIN, "ratios": {k: round(v, 2) for k, v in ratios.items()}}
        with atomic_path(args.baseline) as tmp:
            tmp.write_text(json.dumps(stored, indent=2) + "\n")
        print(f"stored the ratios in {args.baseline}")
    if args.check:
        failures = check_ratios(ratios, stored["ratios"], stored.get("margin", CHECK_MARGIN))
        for message in failures:
            print(f"bench check FAILED: {message}", file=sys.stderr)
        if failures:
            return 1
        print(f"bench check passed: every ratio within {stored.get('margin', CHECK_MARGIN):.0%} of {args.baseline}")
    return 0


def main(argv: list[str] | None = None) -> int:
    """``python -m mfn.bench.runner``: the same as ``mfn bench``."""
    parser = argparse.ArgumentParser(prog="python -m mfn.bench.runner", description=__doc__.splitlines()[0])
    add_arguments(parser)
    return run(parser.parse_args(argv))


if __name__ == "__main__":
    sys.exit(main())
