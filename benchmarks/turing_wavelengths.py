"""The spread over seeds of every quantity the reaction–diffusion validation rows judge.

    .venv/bin/python benchmarks/turing_wavelengths.py [--seeds 10] [--settled-seeds 20]

Each row's limit (``mfn/models/reaction_diffusion/validation.py``) is a few times the spread
this prints, which is stated beside the limit. For each Turing kinetics at its defaults
(periodic grids, the numba step, :mod:`mfn.models.reaction_diffusion.probes`):

- ``linear growth``: ``rate / predicted - 1`` of the fastest ring in the linear phase (128x128,
  noise 1e-6, seeds 0..N-1), against the scheme's dispersion relation;
- ``settled / box``: the settled wavelength over the fastest wavelength the box allows (64x64,
  run until settled, seeds 1..M: seed 0 is the row's own), mean and sd;
- ``decay error``: the noise's decay with ``Dv = Du`` against the linearised scheme (128x128,
  20 frames, noise 1e-6, seeds 0..N-1), the largest;
- ``V response error``: V against its steady response to u after a default run (64x64,
  seeds 0..N-1), the largest.

Prints a Markdown table and the CPU time per kinetics. About 3 minutes of CPU with the defaults.
"""

from __future__ import annotations

import argparse
import statistics
import time

from mfn.models.reaction_diffusion import probes
from mfn.models.reaction_diffusion.params import ReactionDiffusionParams

TURING = ("schnakenberg", "gierer_meinhardt", "brusselator", "fitzhugh_nagumo")


def spreads(kinetics: str, seeds: int, settled_seeds: int) -> dict:
    """Every row's quantity over seeds for one kinetics."""
    growth, ratios, settle_steps, decay, response = [], [], [], [], []
    for seed in range(seeds):
        g = probes.linear_growth(ReactionDiffusionParams(kinetics=kinetics, grid_size=128, seed=seed, noise=1e-6))
        growth.append(g["measured"] / g["predicted"] - 1)
        base = ReactionDiffusionParams(kinetics=kinetics, grid_size=128, seed=seed, noise=1e-6, steps=20)
        decay.append(probes.linear_decay(base.replace(Dv=base.Du))["error"])
        response.append(
            probes.potential_response(ReactionDiffusionParams(kinetics=kinetics, grid_size=64, seed=seed))["error"]
        )
    for seed in range(1, settled_seeds + 1):
        w = probes.settled_wavelength(ReactionDiffusionParams(kinetics=kinetics, grid_size=64, seed=seed))
        if not w["settled"]:
            raise SystemExit(f"{kinetics} seed {seed} did not settle within {probes.SETTLE_CAP} steps")
        ratios.append(w["measured"] / w["box"])
        settle_steps.append(w["steps"])
    return {
        "growth": max(abs(x) for x in growth),
        "ratio": (
            statistics.mean(ratios),
            statistics.stdev(ratios),
            max(abs(r - statistics.mean(ratios)) for r in ratios),
        ),
        "steps": (min(settle_steps), max(settle_steps)),
        "decay": max(decay),
        "response": max(response),
    }


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__, formatter_class=argparse.RawDescriptionHelpFormatter)
    parser.add_argument("--seeds", type=int, default=10)
    parser.add_argument("--settled-seeds", type=int, default=20)
    parser.add_argument("--kinetics", nargs="+", default=list(TURING), choices=TURING)
    args = parser.parse_args()
    header = (
        "kinetics",
        "linear growth, max |dev|",
        "settled / box: mean, sd (max dev in sd)",
        "settled after (steps)",
        "decay error, max",
        "V response error, max",
        "CPU (s)",
    )
    print("| " + " | ".join(header) + " |")
    print("|" + "---|" * len(header))
    for name in args.kinetics:
        start = time.process_time()
        s = spreads(name, args.seeds, args.settled_seeds)
        mean, sd, dev = s["ratio"]
        print(
            f"| {name} | {100 * s['growth']:.3f} % | {mean:.4f}, {sd:.4f} ({dev / sd:.1f}) | "
            f"{s['steps'][0]}-{s['steps'][1]} | {s['decay']:.2e} | {100 * s['response']:.2f} % | "
            f"{time.process_time() - start:.0f} |",
            flush=True,
        )


if __name__ == "__main__":
    main()
