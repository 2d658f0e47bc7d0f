"""The mycelium fitted to a real *Podospora anserina*: posterior medians, and how well the
posterior predicts the other two shared experiments.

    .venv/bin/mfn calibrate --model mycelium --grid-size 360 --steps 600 \\
        --data podospora_anserina/M2WT_200610 --prior tip_speed=2.5:10 ... --out fit.nc
    MFN_DATA_DIR=/work/shared/data .venv/bin/python benchmarks/podospora_fit.py fit.nc \\
        [--draws 60] [--workers 2] [--extra-hours 2.5] [--preset podospora_anserina] \\
        [--cache DIR] [--figure docs/images/calibration_podospora.png]

Prints the fitted parameters' medians and 90 % intervals, and for each shared experiment
(the fitted one and the other two) the share of its observed hours whose total length L(t)
and free ends N(t) lie inside the 5–95 % posterior-predictive band, simulated at that
experiment's field and hours plus ``--extra-hours`` (:func:`mfn.posterior_predictive` with
``settings``): first on the experiment's own clock, then on the model's clock after
shifting it by the colony's age at the first frame, fitted on that experiment's L(t)
(:func:`mfn.inference.colony_age.time_shift`, one number per experiment). An hour the
predictive does not reach after the shift counts as outside the band. ``--preset`` replaces
the posterior by a point at a preset's values (seed noise only). Draws the bands of L, N and
the growth unit G over the observations (shifted), one row per experiment.
"""

from __future__ import annotations

import argparse
import json
import time
from pathlib import Path

import numpy as np

import mfn
from mfn.inference.colony_age import time_shift
from mfn.inference.predictive import band_coverage
from mfn.inference.result import credible_intervals

EXPERIMENTS = ("M2WT_200610", "M2WT_200616", "M2WT_210304")
SERIES = ("total_length", "free_ends", "growth_unit")
COVERED = ("total_length", "free_ends")
SHIFT_BOUNDS = (-3.0, 3.0)
"""Colony ages at the first frame searched, h."""


def settings_of(network, spacing: float, time_step: float, extra_hours: float) -> dict[str, object]:
    """The mycelium's field (rows, cols of ``spacing`` µm) and steps (of ``time_step`` min) of an
    experiment, its hours lengthened by ``extra_hours`` (room for a shifted clock)."""
    x0, y0, x1, y1 = network.field
    rows, cols = round((y1 - y0) / spacing), round((x1 - x0) / spacing)
    hours = float(np.max(network.t)) + extra_hours
    return {"grid_size": (rows, cols), "steps": round(hours * 60.0 / time_step)}


def point_posterior(result, preset: str):
    """``result`` with every particle at the preset's values (and the preset as its base)."""
    params = mfn.MyceliumParams.preset(preset)
    out = result.copy()
    for name in result.parameter.values:
        out[str(name)] = out[str(name)] * 0.0 + float(getattr(params, str(name)))
    out.attrs = {**result.attrs, "base": json.dumps(params.to_attrs())}
    return out


def predictive(result, name: str, settings: dict, draws: int, seed: int, workers: int, cache: Path | None, tag: str):
    """The posterior predictive of one experiment (read from ``cache`` when it holds it)."""
    path = cache / f"{tag}_{name}_{draws}_{settings['steps']}.nc" if cache else None
    if path is not None and path.exists():
        return mfn.load_dataset(path)
    pp = mfn.posterior_predictive(result, draws, settings=settings, seed=seed, scheduler=None, workers=workers)
    keep = [*SERIES, *(str(p) for p in result.parameter.values), "seed", "failed"]
    pp = pp[keep]
    if path is not None:
        path.parent.mkdir(parents=True, exist_ok=True)
        mfn.save_dataset(pp, path)
    return pp


def share(counts: tuple[int, int], observed_hours: int) -> str:
    """``inside/observed (percent)``, noting the hours the predictive did not reach."""
    inside, compared = counts
    note = "" if compared == observed_hours else f"; {compared} reached"
    return f"{inside}/{observed_hours} ({inside / observed_hours:.0%}{note})"


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("result", help="netCDF of mfn calibrate (model mycelium)")
    parser.add_argument("--draws", type=int, default=60)
    parser.add_argument("--workers", type=int, default=2)
    parser.add_argument("--extra-hours", type=float, default=2.5, help="hours simulated past each experiment's last")
    parser.add_argument("--preset", help="a point posterior at this preset's values instead of the result's")
    parser.add_argument("--cache", type=Path, help="folder keeping each experiment's predictive (one per result)")
    parser.add_argument("--figure", default="docs/images/calibration_podospora.png")
    args = parser.parse_args()
    result = mfn.load_dataset(args.result)
    ci = credible_intervals(result, 0.9)
    print(f"{result.attrs['simulations']} simulations, {float(result.wall_time.sum()):.0f} s of calibration")
    print(f"epsilon by generation: {', '.join(f'{e:.3g}' for e in result.epsilon.values)}")
    print("| parameter | median [90 %] | prior |\n|---|---|---|")
    for name in ci.parameter.values:
        row = ci.sel(parameter=name)
        lo, hi = float(result.prior_lo.sel(parameter=name)), float(result.prior_hi.sel(parameter=name))
        units = result[str(name)].attrs.get("units", "")
        interval = f"{float(row['median']):.3g} [{float(row.lo):.3g}, {float(row.hi):.3g}]"
        print(f"| {name} ({units}) | {interval} | {lo:g} to {hi:g} |")
    if args.preset:
        result = point_posterior(result, args.preset)
        print(f"\npoint posterior: the preset {args.preset} (seed noise only)")
    base = mfn.MyceliumParams.from_attrs(json.loads(result.attrs["base"]))
    predictions = []
    print(
        "\n| experiment | field, hours simulated | shift (h) | L own clock | N own clock | L shifted | N shifted "
        "| draws failed | s |\n|---|---|---|---|---|---|---|---|---|"
    )
    for k, name in enumerate(EXPERIMENTS):
        start = time.perf_counter()
        network = mfn.datasets.load(f"podospora_anserina/{name}")
        settings = settings_of(network, base.spacing, base.time_step, args.extra_hours)
        pp = predictive(result, name, settings, args.draws, k, args.workers, args.cache, args.preset or "posterior")
        observed = mfn.network_metrics(network)
        shift = time_shift(pp, observed, "total_length", SHIFT_BOUNDS)
        hours = int(observed.total_length.notnull().sum())
        own = band_coverage(pp, observed, COVERED)
        shifted = band_coverage(pp, observed, COVERED, shift=shift)
        cells = [share(c[v], hours) for c in (own, shifted) for v in COVERED]
        rows, cols = settings["grid_size"]
        mm, simulated = base.spacing / 1000, settings["steps"] * base.time_step / 60
        field = f"{rows * mm:.1f} x {cols * mm:.1f} mm, {simulated:.1f} h"
        failed = int((pp.failed != "").sum())
        seconds = time.perf_counter() - start
        print(f"| {name} | {field} | {shift:+.2f} | {' | '.join(cells)} | {failed} | {seconds:.0f} |", flush=True)
        predictions.append((name, pp, observed, shift))
    if args.figure:
        _figure(predictions, args.figure)


def _figure(predictions, figure: str) -> None:
    import matplotlib

    matplotlib.use("Agg")
    import matplotlib.pyplot as plt

    from mfn.viz.calibration import predictive_bands

    images = []
    for name, pp, observed, shift in predictions:
        last = float(observed.time.max()) + max(shift, 0.0)
        fig = predictive_bands(
            pp.sel(time=slice(None, last + 1e-6)), list(SERIES), observed=observed, shift=shift, log=COVERED
        )
        fig.suptitle(f"{name}: posterior predictive at its field; observed moved by its colony age {shift:+.2f} h",
                     fontsize=9)  # fmt: skip
        fig.tight_layout()
        fig.canvas.draw()
        images.append(np.asarray(fig.canvas.buffer_rgba()))
        plt.close(fig)
    plt.imsave(figure, np.concatenate(images, axis=0))
    print(f"wrote {figure}")


if __name__ == "__main__":
    main()
