"""Draw docs/images/field.png, the README's picture: what each model grows.

Three panels: a reaction–diffusion membrane potential holding a Schnakenberg Turing pattern,
run until it settled (its measured wavelength beside the dispersion relation's fastest mode
among those the box allows), a mycelium colony grown from one inoculum (its box-counting
dimension), and the classic lattice at kinetics that activate (``ra=0.1, ri=0.001``; at its
defaults the coupling never fires). Each panel has its own colour bar with units. Run with
``.venv/bin/python docs/make_readme_figure.py``.
"""

from pathlib import Path

import matplotlib

matplotlib.use("Agg")
import matplotlib.pyplot as plt
import numpy as np

import mfn

RD = mfn.ReactionDiffusionParams(kinetics="schnakenberg", grid_size=128, seed=1, steps=2000, until_settled=True)
COLONY = mfn.MyceliumParams(grid_size=256, seed=0)
CLASSIC = mfn.FieldParams(grid_size=128, steps=150, ra=0.1, ri=0.001, seed=1)


def main() -> None:
    rd = mfn.simulate(RD, record_every=None)
    colony = mfn.simulate(COLONY, record_every=None)
    classic = mfn.simulate(CLASSIC, record_every=None)
    fig, axes = plt.subplots(1, 3, figsize=(15, 4.6), constrained_layout=True)

    V = rd.V.isel(time=-1)
    theory = mfn.turing_analysis(RD).attrs
    box = 2 * np.pi / theory["k_max_lattice"]
    state = "settled" if rd.attrs["settled"] else "NOT settled"
    image = axes[0].imshow(V, cmap="magma", origin="lower")
    fig.colorbar(image, ax=axes[0], label="V (mV), this run's range", shrink=0.85)
    axes[0].set_title(
        f"reaction-diffusion (Schnakenberg): V, {state} at step {rd.attrs['steps_run']:.0f}\n"
        f"wavelength {rd.attrs['wavelength_measured']:.1f} cells, linear theory {box:.1f}",
        fontsize=10,
    )

    occupied = colony.occupied.isel(time=-1)
    D, r2 = mfn.box_dimension(occupied.values.astype(bool))
    image = axes[1].imshow(occupied, cmap="Greys", origin="lower", vmin=0, vmax=1, interpolation="nearest")
    fig.colorbar(image, ax=axes[1], label="hypha (1) or medium (0)", shrink=0.85, ticks=[0, 1])
    axes[1].set_title(f"mycelium: colony at step {COLONY.steps}\nbox-counting D = {D:.2f} (R² {r2:.3f})", fontsize=10)

    image = axes[2].imshow(classic.V.isel(time=-1), cmap="magma", origin="lower", vmin=-95, vmax=40)
    fig.colorbar(image, ax=axes[2], label="V (mV), fixed scale -95..40", shrink=0.85)
    axes[2].set_title(
        f"classic lattice, kinetics that activate: V at step {CLASSIC.steps}\n"
        f"(ra = 0.1, ri = 0.001; max {float(np.max(classic.V.isel(time=-1))):.0f} mV)",
        fontsize=10,
    )
    for ax in axes:
        ax.set_xlabel("x (cell)")
        ax.set_ylabel("y (cell)")
    out = Path(__file__).parent / "images" / "field.png"
    fig.savefig(out, dpi=80)
    print(f"wrote {out}")


if __name__ == "__main__":
    main()
