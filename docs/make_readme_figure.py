"""Draw docs/images/field.png, the README's picture of simulated fields.

Run with ``.venv/bin/python docs/make_readme_figure.py``.
"""

from pathlib import Path

import matplotlib

matplotlib.use("Agg")
import matplotlib.pyplot as plt

import mfn

RUNS = {
    "default kinetics, 500 steps": mfn.FieldParams(grid_size=128, steps=500, seed=1),
    "noise on (jitter_var = 5e-4)": mfn.FieldParams(grid_size=128, steps=500, jitter_var=0.0005, seed=1),
    "growth event every step (p = 1), 300 steps": mfn.FieldParams(
        grid_size=64, steps=300, spike_probability=1.0, seed=1
    ),
}


def main() -> None:
    fig, axes = plt.subplots(1, len(RUNS), figsize=(4.2 * len(RUNS), 3.8), constrained_layout=True)
    for ax, (title, params) in zip(axes, RUNS.items(), strict=True):
        run = mfn.simulate(params, record_every=None)
        image = ax.imshow(run.V.isel(time=-1), cmap="magma", origin="lower")
        ax.set_title(title, fontsize=10)
        ax.set_xlabel("x (cell)")
        ax.set_ylabel("y (cell)")
        fig.colorbar(image, ax=ax, label="V (mV)", shrink=0.85)
    out = Path(__file__).parent / "images" / "field.png"
    fig.savefig(out, dpi=80)
    print(f"wrote {out}")


if __name__ == "__main__":
    main()
