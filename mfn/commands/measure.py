"""``mfn measure PATH``: measure a hyphal network (a data set, a published file, a saved network or an image)."""

from __future__ import annotations

import argparse
from pathlib import Path

IMAGE_SUFFIXES = (".png", ".tif", ".tiff", ".jpg", ".jpeg", ".bmp")
"""Suffixes read as images by ``mfn measure``."""


def register(subparsers) -> None:
    parser = subparsers.add_parser(
        "measure",
        help="measure a hyphal network: lengths, ends, rates, angles, speeds, dimensions",
        description=(
            "PATH is a data set name (see `mfn datasets`), a <name>_coordinates.txt file of the published "
            "format (its _branches.txt beside it), a network saved as .nc or .zarr, or an image (.png, .tif)."
        ),
    )
    parser.add_argument("path", metavar="PATH", help="data set name, coordinates file, saved network or image")
    parser.add_argument("--px-um", type=float, help="micrometres per pixel (published files: 1.6; images: required)")
    parser.add_argument("--frame-h", type=float, help="hours per frame (published files: 0.3; image stacks: 1)")
    parser.add_argument("--out", metavar="FILE", help="also write every measure: .nc (Dataset) or .csv (over time)")
    parser.set_defaults(handler=run)


def read_any(path: str, px_um: float | None, frame_h: float | None):
    """The network that ``path`` names (see the command's description)."""
    import mfn
    from mfn.core.errors import ParameterError

    if path in mfn.datasets.list():
        return mfn.datasets.load(path)
    p = Path(path)
    if p.suffix in (".nc", ".zarr"):
        return mfn.load_network(p)
    if p.name.endswith(("_coordinates.txt", "_branches.txt")):
        coordinates = p.with_name(p.name.replace("_branches.txt", "_coordinates.txt"))
        return mfn.read_network(coordinates, px_um=1.6 if px_um is None else px_um, frame_h=frame_h or 0.3)
    if p.suffix.lower() in IMAGE_SUFFIXES:
        if px_um is None:
            raise ParameterError("--px-um", None, "micrometres per pixel of the image", "an image needs its scale")
        return mfn.network_from_image(p, px_um, frame_h=1.0 if frame_h is None else frame_h)
    raise ParameterError(
        "PATH",
        path,
        "a data set name (mfn datasets), a *_coordinates.txt file, a saved network (.nc, .zarr) or an image "
        f"({', '.join(IMAGE_SUFFIXES)})",
    )


def run(args: argparse.Namespace) -> int:
    from mfn.core.io import atomic_path, check_output_file
    from mfn.core.netcdf import save_dataset
    from mfn.hyphae.metrics import network_metrics
    from mfn.hyphae.report import describe_metrics

    if args.out is not None:
        check_output_file("--out", args.out, suffixes=(".nc", ".csv"))
    network = read_any(args.path, args.px_um, args.frame_h)
    metrics = network_metrics(network)
    print(f"{args.path}: {network!r}")
    print(describe_metrics(metrics))
    if args.out is not None:
        if args.out.endswith(".csv"):
            with atomic_path(args.out) as tmp:
                metrics[[v for v in metrics.data_vars if metrics[v].dims == ("time",)]].to_dataframe().to_csv(tmp)
        else:
            save_dataset(metrics, args.out)
        print(f"wrote {args.out}")
    return 0
