"""The mycelium fitted to a real *Podospora anserina*: posterior medians, and how well the
posterior predicts the other two shared experiments.

    .venv/bin/mfn calibrate --model mycelium --grid-size 360 --steps 600 \\
        --data podospora_anserina/M2WT_200610 --prior tip_speed=2.5:10 ... --out fit.nc
    MFN_DATA_DIR=/work/shared/data .venv/bin/python benchmarks/podospora_fit.py fit.nc \\
        [--draws 60] [--workers 2] [--figure docs/images/calibration_podospora.png]

Prints the fitted parameters' medians and 90 % intervals, and for each shared experiment
(the fitted one and the other two) the share of its observed hours whose total length L(t)
and free ends N(t) lie inside the 5–95 % posterior-predictive band, simulated at that
experiment's field and hours (:func:`mfn.posterior_predictive` with ``settings``). Draws the
bands of L, N and the growth unit G over the observations, one row per experiment.
"""

from __future__ import annotations

import argparse
import json
import time

import numpy as np

import mfn
from mfn.inference.predictive import band_coverage
from mfn.inference.result import credible_intervals

EXPERIMENTS = ("M2WT_200610", "M2WT_200616", "M2WT_210304")
SERIES = ("total_length", "free_ends", "growth_unit")
COVERED = ("total_length", "free_ends")


def settings_of(network, spacing: float, time_step: float) -> dict[str, object]:
    """The mycelium's field (rows, cols of ``spacing`` µm) and steps (of ``time_step`` min) of an experiment."""
    x0, y0, x1, y1 = network.field
    rows, cols = round((y1 - y0) / spacing), round((x1 - x0) / spacing)
    hours = float(np.max(network.t))
    return {"grid_size": (rows, cols), "steps": round(hours * 60.0 / time_step)}


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("result", help="netCDF of mfn calibrate (model mycelium)")
    parser.add_argument("--draws", type=int, default=60)
    parser.add_argument("--workers", type=int, default=2)
    parser.add_argument("--figure", default="docs/images/calibration_podospora.png")
    args = parser.parse_args()
    result = mfn.load_dataset(args.result)
    ci = credible_intervals(result, 0.9)
    print(f"{result.attrs['simulations']} simulations, {float(result.wall_time.sum()):.0f} s of calibration")
    print("| parameter | median [90 %] | prior |\n|---|---|---|")
    for name in ci.parameter.values:
        row = ci.sel(parameter=name)
        lo, hi = float(result.prior_lo.sel(parameter=name)), float(result.prior_hi.sel(parameter=name))
        units = result[str(name)].attrs.get("units", "")
        interval = f"{float(row['median']):.3g} [{float(row.lo):.3g}, {float(row.hi):.3g}]"
        print(f"| {name} ({units}) | {interval} | {lo:g} to {hi:g} |")
    base = mfn.MyceliumParams.from_attrs(json.loads(result.attrs["base"]))
    predictions = []
    print("\n| experiment | field, hours | L inside | N inside | draws failed | s |\n|---|---|---|---|---|---|")
    for k, name in enumerate(EXPERIMENTS):
        start = time.perf_counter()
        network = mfn.datasets.load(f"podospora_anserina/{name}")
        settings = settings_of(network, base.spacing, base.time_step)
        pp = mfn.posterior_predictive(
            result, args.draws, settings=settings, seed=k, scheduler=None, workers=args.workers
        )
        observed = mfn.network_metrics(network)
        counts = band_coverage(pp, observed, COVERED)
        cells = [f"{i}/{n} ({i / n:.0%})" for i, n in counts.values()]
        rows, cols = settings["grid_size"]
        mm, hours = base.spacing / 1000, settings["steps"] * base.time_step / 60
        field = f"{rows * mm:.1f} x {cols * mm:.1f} mm, {hours:.1f} h"
        failed = int((pp.failed != "").sum())
        seconds = time.perf_counter() - start
        print(f"| {name} | {field} | {cells[0]} | {cells[1]} | {failed} | {seconds:.0f} |", flush=True)
        predictions.append((name, pp, observed))
    if args.figure:
        _figure(predictions, args.figure)


def _figure(predictions, figure: str) -> None:
    import matplotlib

    matplotlib.use("Agg")
    import matplotlib.pyplot as plt

    from mfn.viz.calibration import predictive_bands

    images = []
    for name, pp, observed in predictions:
        fig = predictive_bands(pp, list(SERIES), observed=observed)
        fig.suptitle(f"{name}: observed (dots) and the posterior predictive at its field and hours", fontsize=9)
        fig.tight_layout()
        fig.canvas.draw()
        images.append(np.asarray(fig.canvas.buffer_rgba()))
        plt.close(fig)
    stacked = np.concatenate(images, axis=0)
    plt.imsave(figure, stacked)
    print(f"wrote {figure}")


if __name__ == "__main__":
    main()
