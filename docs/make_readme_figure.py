"""Draw docs/images/field.png, the README's picture: a classic run with kinetics that activate.

At ``ra=0.1, ri=0.001`` (a valid setting; the defaults never activate) the activator grows
patches and every cell where it passes ``turing_threshold`` gains 5 mV per step, so V shows
the activator's structure as it spreads, before the field saturates at the +40 mV clamp
(about step 300 on this grid: the classic model has no leak, see docs/models.md). The two V
panels share one fixed colour scale. Run with ``.venv/bin/python docs/make_readme_figure.py``.
"""

from pathlib import Path

import matplotlib

matplotlib.use("Agg")
import matplotlib.pyplot as plt

import mfn

PARAMS = mfn.FieldParams(grid_size=128, steps=150, ra=0.1, ri=0.001, seed=1)
STEPS = (90, 150)


def main() -> None:
    run = mfn.simulate(PARAMS, record_every=30, variables="all")
    fig, axes = plt.subplots(1, 3, figsize=(13.5, 4.2), constrained_layout=True)
    for ax, step in zip(axes[:2], STEPS, strict=True):
        image = ax.imshow(run.V.sel(time=step), cmap="magma", origin="lower", vmin=-95, vmax=40)
        ax.set_title(f"membrane potential V, step {step}", fontsize=10)
    fig.colorbar(image, ax=axes[:2], label="V (mV), fixed scale -95..40", shrink=0.85)
    a = axes[2].imshow(run.a.sel(time=STEPS[-1]), cmap="viridis", origin="lower", vmin=0, vmax=1)
    axes[2].set_title(f"activator a, step {STEPS[-1]} (threshold {PARAMS.turing_threshold})", fontsize=10)
    fig.colorbar(a, ax=axes[2], label="a (1)", shrink=0.85)
    for ax in axes:
        ax.set_xlabel("x (cell)")
        ax.set_ylabel("y (cell)")
    fig.suptitle("MFN classic, 128x128, kinetics that activate (ra = 0.1, ri = 0.001), seed 1", fontsize=11)
    out = Path(__file__).parent / "images" / "field.png"
    fig.savefig(out, dpi=80)
    print(f"wrote {out}")


if __name__ == "__main__":
    main()
