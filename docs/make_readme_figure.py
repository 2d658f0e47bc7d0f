"""Draw docs/images/field.png, the README's picture: what each model grows.

Three panels: a reaction–diffusion membrane potential holding a Schnakenberg Turing pattern,
run until it settled (its measured wavelength beside the dispersion relation's fastest mode
among those the box allows), the mycelium's *Podospora anserina* preset after 20 h from one
ascospore (its hyphal network in µm with a scale bar, links coloured by the hour they
appeared), and the classic lattice at kinetics that activate (``ra=0.1, ri=0.001``; at its
defaults the coupling never fires). Each panel has its own colour bar with units. Run with
``.venv/bin/python docs/make_readme_figure.py``.
"""

from pathlib import Path

import matplotlib

matplotlib.use("Agg")
import matplotlib.pyplot as plt
import numpy as np

import mfn
import mfn.viz

RD = mfn.ReactionDiffusionParams(kinetics="schnakenberg", grid_size=128, seed=1, steps=2000, until_settled=True)
COLONY = mfn.MyceliumParams.preset("podospora_anserina", seed=0)
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

    network = mfn.hyphal_network(colony)
    mfn.viz.plot_network(network, axes=axes[1], linewidth=0.4)
    a = colony.attrs
    axes[1].set_title(
        f"mycelium (P. anserina preset): {COLONY.hours:g} h, "
        f"{COLONY.field_um / 1000:g} x {COLONY.height_um / 1000:g} mm\n"
        f"L = {a['hyphal_length']:.0f} mm, {a['free_ends']:.0f} free ends, G = {a['growth_unit']:.0f} µm",
        fontsize=10,
    )

    image = axes[2].imshow(classic.V.isel(time=-1), cmap="magma", origin="lower", vmin=-95, vmax=40)
    fig.colorbar(image, ax=axes[2], label="V (mV), fixed scale -95..40", shrink=0.85)
    axes[2].set_title(
        f"classic lattice, kinetics that activate: V at step {CLASSIC.steps}\n"
        f"(ra = 0.1, ri = 0.001; max {float(np.max(classic.V.isel(time=-1))):.0f} mV)",
        fontsize=10,
    )
    for ax in (axes[0], axes[2]):
        ax.set_xlabel("x (cell)")
        ax.set_ylabel("y (cell)")
    out = Path(__file__).parent / "images" / "field.png"
    fig.savefig(out, dpi=80)
    print(f"wrote {out}")


if __name__ == "__main__":
    main()
