"""Does a calibration recover what it should? Recovery and simulation-based calibration (SBC).

    .venv/bin/python benchmarks/calibration_checks.py [--model reaction_diffusion|mycelium]
        [--repeats 20] [--sbc-repeats 20] [--population 40] [--generations 3] [--first 0]

Each calibration runs in this process (reproducible from its seed), with the model's default
summaries and uniform priors (:data:`CHECKS`):

- reaction–diffusion: Schnakenberg, 32x32, 3,000 Euler steps, fitting ``Dv`` and ``b``;
- the mycelium: the default parameters on a 4 x 4 mm field for 14 h (160 lattice cells of 25
  µm, 420 steps of 2 min; about 0.2 s a simulation with its measures on an idle core, against
  2.4 s for the preset ``podospora_anserina``'s 9 mm and 20 h), fitting ``tip_speed``,
  ``lateral_branching``, ``autotropism`` and ``branch_angle`` with priors of ±50 % around
  the defaults (the truth).

Two checks:

- **recovery**: the observation is simulated at the check's truth with a new seed each
  repetition; the report counts how often each true value lies inside its central 90 %
  credible interval (about 90 % of repetitions if the posterior is calibrated; the acceptance
  target is >= 16 of 20). ``--first`` numbers the repetitions from there, so two processes can
  share the 20 (``--repeats 10`` and ``--first 10 --repeats 10``);
- **SBC** (Talts et al. 2018): each repetition draws the truth from the prior, simulates the
  observation, calibrates, resamples ``L`` equally weighted posterior draws and records the
  rank of the truth among them; over repetitions the ranks of a calibrated posterior are
  uniform on 0..L. The histograms are drawn to ``--figure``.

Prints Markdown tables; the numbers in docs/calibration.md come from this script.
"""

from __future__ import annotations

import argparse
import time
from dataclasses import dataclass
from typing import Any

import numpy as np

import mfn
from mfn.bench.calibration import MYCELIUM_BASE, MYCELIUM_PRIORS
from mfn.inference.predictive import resample
from mfn.inference.result import credible_intervals

RANKS = 19
"""Posterior draws per SBC repetition (ranks 0..19: 20 bins)."""


@dataclass(frozen=True)
class Check:
    """A model's check: the base parameters, the fitted parameters' uniform priors and the truth."""

    params: type
    base: dict[str, Any]
    priors: dict[str, tuple[float, float]]
    truth: dict[str, float]

    def base_params(self):
        return self.params(**self.base)


def _mycelium() -> Check:
    """The mycelium's check: the setting of ``mfn bench``'s mycelium calibration row, truth at the defaults."""
    defaults = mfn.MyceliumParams()
    truth = {name: float(getattr(defaults, name)) for name in MYCELIUM_PRIORS}
    return Check(mfn.MyceliumParams, MYCELIUM_BASE, MYCELIUM_PRIORS, truth)


CHECKS = {
    "reaction_diffusion": Check(
        mfn.ReactionDiffusionParams,
        {"grid_size": 32, "steps": 30, "substeps": 100, "dt": 0.004},
        {"Dv": (15.0, 60.0), "b": (0.75, 1.05)},
        {"Dv": 35.0, "b": 0.9},
    ),
    "mycelium": _mycelium(),
}
"""The checks by model name."""


def fit(check: Check, observed, seed: int, population: int, generations: int):
    return mfn.calibrate(
        check.base_params(),
        check.priors,
        observed,
        population=population,
        generations=generations,
        scheduler="synchronous",
        seed=seed,
        progress=False,
    )


def recovery(check: Check, repeats: int, population: int, generations: int, first: int = 0) -> dict[str, int]:
    """Count, per fitted parameter, the repetitions whose 90 % interval holds the truth (printed as a table)."""
    base = check.base_params()
    inside = dict.fromkeys(check.priors, 0)
    print("| repetition | " + " | ".join(f"{name} median [90 %]" for name in check.priors) + " | simulations | s |")
    print("|---|" + "---|" * (len(check.priors) + 2))
    for k in range(first, first + repeats):
        start = time.perf_counter()
        observed = mfn.simulate(base.replace(**check.truth, seed=1000 + k), record_every=None)
        result = fit(check, observed, k, population, generations)
        ci = credible_intervals(result)
        cells = []
        for name in check.priors:
            row = ci.sel(parameter=name)
            inside[name] += int(row.inside)
            cells.append(f"{float(row['median']):.3g} [{float(row.lo):.3g}, {float(row.hi):.3g}]")
        elapsed = time.perf_counter() - start
        print(f"| {k} | {' | '.join(cells)} | {result.attrs['simulations']} | {elapsed:.0f} |", flush=True)
    for name, count in inside.items():
        print(f"recovery: {name} = {check.truth[name]:g} inside its 90 % interval in {count} of {repeats}")
    return inside


def sbc(check: Check, repeats: int, population: int, generations: int, figure: str | None) -> None:
    base = check.base_params()
    rng = np.random.default_rng(2026)
    ranks = {name: [] for name in check.priors}
    for k in range(repeats):
        truth = {name: float(rng.uniform(lo, hi)) for name, (lo, hi) in check.priors.items()}
        observed = mfn.simulate(base.replace(**truth, seed=5000 + k), record_every=None)
        try:
            result = fit(check, observed, 100 + k, population, generations)
        except mfn.ParameterError as err:  # e.g. a truth whose pattern leaves a summary undefined
            print(f"sbc {k}: skipped, {err}")
            continue
        picks = resample(result.weight.values, RANKS, np.random.default_rng(k))
        for name in check.priors:
            ranks[name].append(int(np.sum(result[name].values[picks] < truth[name])))
        print(f"sbc {k}: truth {truth}, ranks {[r[-1] for r in ranks.values()]}", flush=True)
    for name, values in ranks.items():
        counts = np.bincount(values, minlength=RANKS + 1)
        print(f"SBC ranks of {name} (0..{RANKS}) over {len(values)} repetitions: {counts.tolist()}")
    if figure:
        _rank_figure(ranks, figure)


def _rank_figure(ranks: dict[str, list[int]], figure: str) -> None:
    import matplotlib

    matplotlib.use("Agg")
    import matplotlib.pyplot as plt

    fig, axes = plt.subplots(1, len(ranks), figsize=(4 * len(ranks), 3), squeeze=False)
    for ax, (name, values) in zip(axes[0], ranks.items(), strict=True):
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
    axes[0, 0].legend(fontsize=8)
    fig.tight_layout()
    fig.savefig(figure, dpi=100)
    print(f"wrote {figure}")


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--model", choices=sorted(CHECKS), default="reaction_diffusion")
    parser.add_argument("--repeats", type=int, default=20)
    parser.add_argument("--first", type=int, default=0, help="number of the first recovery repetition")
    parser.add_argument("--sbc-repeats", type=int, default=20)
    parser.add_argument("--population", type=int, default=40)
    parser.add_argument("--generations", type=int, default=3)
    parser.add_argument("--figure", default="docs/images/calibration_sbc.png")
    args = parser.parse_args()
    check = CHECKS[args.model]
    if args.repeats:
        recovery(check, args.repeats, args.population, args.generations, args.first)
    if args.sbc_repeats:
        sbc(check, args.sbc_repeats, args.population, args.generations, args.figure)


if __name__ == "__main__":
    main()
