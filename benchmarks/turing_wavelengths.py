"""Predicted against measured wavelength and linear growth rate, per kinetics, over seeds.

    .venv/bin/python benchmarks/turing_wavelengths.py [--seeds 5] [--grid 128]

For every built-in kinetics at its defaults (periodic grid): the wavelength 2π/k_max of
:func:`mfn.turing_analysis` against the peak of the settled pattern's radially averaged
spectrum (:func:`mfn.dominant_wavelength`), and, for Turing-unstable kinetics, the growth
rate of the dominant spectral ring during the linear phase (from noise 1e-6) against the
dispersion relation (:func:`mfn.models.reaction_diffusion.validation.linear_growth`). Uses the
numba step; prints a Markdown table.
"""

from __future__ import annotations

import argparse
import math
import statistics

from mfn.models.reaction_diffusion.kinetics import KINETICS
from mfn.models.reaction_diffusion.params import ReactionDiffusionParams
from mfn.models.reaction_diffusion.validation import linear_growth, settled_wavelength


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__, formatter_class=argparse.RawDescriptionHelpFormatter)
    parser.add_argument("--seeds", type=int, default=5)
    parser.add_argument("--grid", type=int, default=128)
    args = parser.parse_args()
    header = ("kinetics", "predicted (cells)", "measured per seed (cells)", "ratio (mean)", "growth rate meas. / pred.")
    print("| " + " | ".join(header) + " |")
    print("|---|---|---|---|---|")
    for name in KINETICS:
        measured, rates = [], []
        predicted = math.nan
        for seed in range(args.seeds):
            p = ReactionDiffusionParams(kinetics=name, grid_size=args.grid, seed=seed)
            w = settled_wavelength(p)
            predicted = w["predicted"]
            measured.append(w["measured"])
            if math.isfinite(predicted):
                g = linear_growth(p.replace(noise=1e-6))
                rates.append(f"{g['measured']:.4f} / {g['predicted']:.4f} (ring {g['ring']})")
        ratio = statistics.mean(measured) / predicted if math.isfinite(predicted) else math.nan
        per_seed = ", ".join(f"{m:.2f}" for m in measured)
        print(f"| {name} | {predicted:.2f} | {per_seed} | {ratio:.3f} | {'; '.join(rates) or '-'} |")


if __name__ == "__main__":
    main()
