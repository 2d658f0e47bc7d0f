"""Does a calibration recover what it should? Recovery and simulation-based calibration (SBC).

    .venv/bin/python benchmarks/calibration_checks.py [--repeats 20] [--population 40] [--generations 3]

Reaction–diffusion (Schnakenberg, 32x32, 3,000 Euler steps, :data:`BASE`), fitting ``Dv`` and
``b`` with uniform priors on :data:`PRIORS` and the model's default summaries, each
calibration in this process (reproducible from its seed):

- **recovery**: the observed pattern is simulated at :data:`TRUTH` with a new seed each
  repetition; the report counts how often each true value lies inside its central 90 %
  credible interval (about 90 % of repetitions if the posterior is calibrated; the acceptance
  target is >= 16 of 20);
- **SBC** (Talts et al. 2018): each repetition draws the truth from the prior, simulates the
  observation, calibrates, resamples ``L`` equally weighted posterior draws and records the
  rank of the truth among them; over repetitions the ranks of a calibrated posterior are
  uniform on 0..L. The histogram of ``Dv``'s ranks is drawn to ``--figure``.

Prints Markdown tables; the numbers in docs/calibration.md come from this script.
"""

from __future__ import annotations

import argparse
import time

import numpy as np

import mfn
from mfn.inference.predictive import resample
from mfn.inference.result import credible_intervals

BASE = {"grid_size": 32, "steps": 30, "substeps": 100, "dt": 0.004}
PRIORS = {"Dv": (15.0, 60.0), "b": (0.75, 1.05)}
TRUTH = {"Dv": 35.0, "b": 0.9}
RANKS = 19
"""Posterior draws per SBC repetition (ranks 0..19: 20 bins)."""


def fit(observed, seed: int, population: int, generations: int):
    base = mfn.ReactionDiffusionParams(**BASE)
    return mfn.calibrate(
        base,
        PRIORS,
        observed,
        population=population,
        generations=generations,
        scheduler="synchronous",
        seed=seed,
        progress=False,
    )


def recovery(repeats: int, population: int, generations: int) -> None:
    base = mfn.ReactionDiffusionParams(**BASE)
    inside = {name: 0 for name in PRIORS}
    print("| repetition | Dv median [90 %] | b median [90 %] | simulations | s |")
    print("|---|---|---|---|---|")
    for k in range(repeats):
        start = time.perf_counter()
        observed = mfn.simulate(base.replace(**TRUTH, seed=1000 + k), record_every=None)
        result = fit(observed, k, population, generations)
        ci = credible_intervals(result)
        cells = []
        for name in PRIORS:
            row = ci.sel(parameter=name)
            inside[name] += int(row.inside)
            cells.append(f"{float(row['median']):.3g} [{float(row.lo):.3g}, {float(row.hi):.3g}]")
        elapsed = time.perf_counter() - start
        print(f"| {k} | {cells[0]} | {cells[1]} | {result.attrs['simulations']} | {elapsed:.0f} |", flush=True)
    for name, count in inside.items():
        print(f"recovery: {name} = {TRUTH[name]} inside its 90 % interval in {count} of {repeats}")


def sbc(repeats: int, population: int, generations: int, figure: str | None) -> None:
    base = mfn.ReactionDiffusionParams(**BASE)
    rng = np.random.default_rng(2026)
    ranks = {name: [] for name in PRIORS}
    for k in range(repeats):
        truth = {name: float(rng.uniform(lo, hi)) for name, (lo, hi) in PRIORS.items()}
        observed = mfn.simulate(base.replace(**truth, seed=5000 + k), record_every=None)
        try:
            result = fit(observed, 100 + k, population, generations)
        except mfn.ParameterError as err:  # e.g. a truth whose pattern leaves a summary undefined
            print(f"sbc {k}: skipped, {err}")
            continue
        picks = resample(result.weight.values, RANKS, np.random.default_rng(k))
        for name in PRIORS:
            ranks[name].append(int(np.sum(result[name].values[picks] < truth[name])))
        print(f"sbc {k}: truth {truth}, ranks {[r[-1] for r in ranks.values()]}", flush=True)
    for name, values in ranks.items():
        counts = np.bincount(values, minlength=RANKS + 1)
        print(f"SBC ranks of {name} (0..{RANKS}) over {len(values)} repetitions: {counts.tolist()}")
    if figure:
        import matplotlib

        matplotlib.use("Agg")
        import matplotlib.pyplot as plt

        fig, axes = plt.subplots(1, len(ranks), figsize=(4 * len(ranks), 3))
        for ax, (name, values) in zip(axes, ranks.items(), strict=True):
            n = len(values)
            bins = 5
            ax.hist(values, bins=np.linspace(-0.5, RANKS + 0.5, bins + 1), color="#1f77b4", alpha=0.7)
            expected = n / bins
            spread = 2 * np.sqrt(expected * (1 - 1 / bins))
            ax.axhspan(expected - spread, expected + spread, color="grey", alpha=0.25, label="uniform ± 2 sd")
            ax.axhline(expected, color="black", lw=1)
            ax.set_xlabel(f"rank of the true {name} among {RANKS} posterior draws")
            ax.set_ylabel("repetitions")
            ax.set_title(f"SBC of {name}: {n} calibrations", fontsize=10)
        axes[0].legend(fontsize=8)
        fig.tight_layout()
        fig.savefig(figure, dpi=100)
        print(f"wrote {figure}")


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--repeats", type=int, default=20)
    parser.add_argument("--sbc-repeats", type=int, default=20)
    parser.add_argument("--population", type=int, default=40)
    parser.add_argument("--generations", type=int, default=3)
    parser.add_argument("--figure", default="docs/images/calibration_sbc.png")
    args = parser.parse_args()
    recovery(args.repeats, args.population, args.generations)
    sbc(args.sbc_repeats, args.population, args.generations, args.figure)


if __name__ == "__main__":
    main()
