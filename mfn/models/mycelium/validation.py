"""Validation rows of the mycelium model (docs/models.md), each able to fail.

Every row runs the model's compiled step when numba is installed (the numpy reference
otherwise: same bits, slower). Estimators are named in each row: box counting of the final
occupancy mask (:func:`mfn.analysis.fractal.box_dimension`) or the mass dimension from the
growth history (:func:`mfn.analysis.colony.mass_dimension`, slope of ln mass against ln
radius of gyration, every step at which the colony grew).
"""

from __future__ import annotations

import itertools

import numpy as np

from mfn.analysis.colony import growth_history, mass_dimension, radial_fit
from mfn.analysis.fractal import box_dimension
from mfn.core.backends import choose_backend
from mfn.core.rows import ValidationRow
from mfn.models.mycelium.membrane import spike_front_speed, spike_reach
from mfn.models.mycelium.params import MyceliumParams
from mfn.models.mycelium.stepper import MyceliumStepper

__all__ = [
    "CHECKS",
    "check_balance",
    "check_box_dimension_nutrient",
    "check_dla_mass_dimension",
    "check_linear_radius",
    "check_spike_reach",
    "check_spike_speed",
]

GROUP = "mycelium"
NUTRIENT_LEVELS = (0.8, 1.5, 3.0, 6.0)
"""Initial nutrient levels (a.u./cell) of the box-dimension row."""
NUTRIENT_SEEDS = (0, 1, 2)
NUTRIENT_STEPS = 200
DLA_SEEDS = 5
RICH_BRANCHING = 0.3
"""Branching of the rich colony (per extension). With continuous headings its hyphae run
straight, so at the default branching (0.07) a rich colony is a radiating fan whose mass
dimension (1.61-1.75, seeds 0-2) says nothing about space filling; at 0.3 it fills space
(1.97-2.09). Under the 8-direction lattice walk the default (0.08 then) sufficed (2.17)."""


def _grow(p: MyceliumParams, record_every: int = 0) -> tuple[MyceliumStepper, list[tuple[int, float]]]:
    s = MyceliumStepper(p, choose_backend("auto"))
    radii = [(0, s.colony_radius())]
    if record_every:
        for _ in range(p.steps // record_every):
            s.advance(record_every)
            radii.append((s.t, s.colony_radius()))
    else:
        s.advance(p.steps)
    return s, radii


RADIUS_SEEDS = (0, 1, 2, 3, 4)
RADIUS_NUTRIENT = 3.0
"""Nutrient of the radius row: a dense front (at the default 1.0 a colony has 20-60 tips and a
few leading hyphae carry its margin: R^2 0.982-0.9995 over seeds 0-9, close to the limit)."""


def check_linear_radius() -> ValidationRow:
    """After the lag the colony radius grows linearly on a uniform medium (R^2 >= 0.98, every seed)."""
    fits = []
    for seed in RADIUS_SEEDS:
        p = MyceliumParams(grid_size=256, steps=130, nutrient=RADIUS_NUTRIENT, seed=seed)
        s, radii = _grow(p, record_every=2)
        t, r = np.array(radii).T
        cy, cx = s.state.extra["centre"]
        fits.append(radial_fit(t, r, min(cy, cx, 255 - cy, 255 - cx)))
    speeds, r2s, frames = (np.array(v) for v in zip(*fits, strict=True))
    return ValidationRow(
        GROUP,
        "radius_grows_linearly",
        "after the lag the colony radius grows linearly in time on a uniform medium (Trinci 1971)",
        f"R^2 of radius (farthest hyphal cell) against step, {len(RADIUS_SEEDS)} seeds at nutrient "
        f"{RADIUS_NUTRIENT:g}: min {r2s.min():.4f}, mean {r2s.mean():.4f}; front speed {speeds.mean():.3f} "
        f"+- {speeds.std(ddof=1):.3f} cells/step; >= {frames.min()} frames each",
        "R^2 >= 0.98 for every seed, with >= 10 frames",
        bool(r2s.min() >= 0.98 and frames.min() >= 10),
    )


def dla_mass_dimensions(seeds: int = DLA_SEEDS, grid: int = 256) -> list[float]:
    """Mass dimension of diffusion-limited colonies grown to the plate edge, one per seed."""
    out = []
    for seed in range(seeds):
        p = MyceliumParams(grid_size=grid, steps=40_000, regime="diffusion_limited", membrane_substeps=1, seed=seed)
        s, _ = _grow(p)
        _, mass, rg = growth_history(s.state.born)
        out.append(mass_dimension(mass, rg)[0])
    return out


def check_dla_mass_dimension() -> ValidationRow:
    """DLA regime: mean mass dimension over 5 seeds in 1.60–1.80; rich regime: >= 1.90."""
    dla = dla_mass_dimensions()
    p = MyceliumParams(grid_size=256, steps=150, regime="rich", branching=RICH_BRANCHING, seed=0)
    s, _ = _grow(p)
    _, mass, rg = growth_history(s.state.born)
    rich = mass_dimension(mass, rg)[0]
    mean, sd = float(np.mean(dla)), float(np.std(dla, ddof=1))
    return ValidationRow(
        GROUP,
        "dla_and_rich_mass_dimension",
        "diffusion-limited growth gives D ~ 1.71 (Witten & Sander 1981); rich growth fills space (Eden)",
        f"mass dimension (ln mass vs ln radius of gyration): DLA {mean:.3f} +- {sd:.3f} over {len(dla)} seeds "
        f"at 256x256; rich (branching {RICH_BRANCHING:g}) {rich:.3f}",
        "DLA mean in [1.60, 1.80]; rich >= 1.90",
        bool(1.60 <= mean <= 1.80 and rich >= 1.90),
    )


def box_dimensions_by_nutrient(levels=NUTRIENT_LEVELS, seeds=NUTRIENT_SEEDS) -> np.ndarray:
    """Box-counting D of the final colony (256 x 256, 200 steps): ``(len(seeds), len(levels))``."""
    out = np.zeros((len(seeds), len(levels)))
    for i, seed in enumerate(seeds):
        for j, level in enumerate(levels):
            s, _ = _grow(MyceliumParams(grid_size=256, nutrient=level, steps=NUTRIENT_STEPS, seed=seed))
            out[i, j] = box_dimension(s.state.occ == 1)[0]
    return out


def check_box_dimension_nutrient() -> ValidationRow:
    """Box-counting D of the final colony rises with nutrient, spans >= 0.25 within 1.3–1.95."""
    all_d = box_dimensions_by_nutrient()
    ds, sd = all_d.mean(axis=0).tolist(), all_d.std(axis=0, ddof=1)
    rising = all(b > a for a, b in itertools.pairwise(ds))
    inside = all(1.3 <= d <= 1.95 for d in ds)
    span = ds[-1] - ds[0]
    return ValidationRow(
        GROUP,
        "box_dimension_rises_with_nutrient",
        "the fractal dimension rises with nutrient; real mycelia span about 1.3-1.95 (Ritz & Crawford 1990)",
        f"box counting D of the final colony (mean +- sd over {len(NUTRIENT_SEEDS)} seeds) at nutrient "
        + ", ".join(f"{n:g}: {d:.3f} +- {e:.3f}" for n, d, e in zip(NUTRIENT_LEVELS, ds, sd, strict=True)),
        "means strictly rising over 4 levels, each in [1.3, 1.95], span >= 0.25",
        bool(rising and inside and span >= 0.25),
    )


def check_balance() -> ValidationRow:
    """Medium + internal substrate + converted biomass stays at its initial total (1e-9 relative)."""
    p = MyceliumParams(grid_size=128, steps=100, medium="patchy", n_inocula=3, seed=2)
    s, _ = _grow(p)
    err = abs(s.nutrient_total() - s.initial_total) / s.initial_total
    return ValidationRow(
        GROUP,
        "nutrient_conserved",
        "nutrient is conserved: medium + internal + converted to biomass (1 cell per extension_cost)",
        f"relative error {err:.2e} after {p.steps} steps ({s.totals()['growth_events']} extensions)",
        "<= 1e-9",
        bool(err <= 1e-9 and s.totals()["growth_events"] > 100),
    )


def check_spike_reach() -> ValidationRow:
    """A stimulus fires every cell of its connected component of the mycelium and no other."""
    from scipy import ndimage

    p = MyceliumParams(grid_size=96, steps=30, spike_rate=0.0, seed=1)
    s, _ = _grow(p)
    # two mycelia on one plate: the colony and its mirror image, well apart
    occ = np.concatenate([s.state.occ, s.state.occ[:, ::-1]], axis=1)
    labels, _ = ndimage.label(occ, structure=np.ones((3, 3)))
    sizes = np.bincount(labels.ravel())[1:]
    target = int(np.argmax(sizes)) + 1
    ys, xs = np.nonzero(labels == target)
    fired = spike_reach(occ, int(ys[len(ys) // 2]), int(xs[len(xs) // 2]), p)
    component = labels == target
    inside = int(np.count_nonzero(fired & component))
    outside = int(np.count_nonzero(fired & ~component))
    return ValidationRow(
        GROUP,
        "spike_travels_along_hyphae",
        "a stimulus starts a spike that reaches every cell of its connected mycelium and nothing else",
        f"fired {inside} of {int(component.sum())} cells of the component, {outside} outside "
        f"({int(occ.sum()) - int(component.sum())} hyphal cells elsewhere)",
        "all of the component, none outside, at least one other hyphal cell",
        bool(inside == component.sum() and outside == 0 and occ.sum() > component.sum()),
    )


SPEED_KINETICS = {"fhn_rate": 0.02, "fhn_threshold": 0.1, "fhn_recovery": 0.0002}
"""Kinetics of the speed row: fronts 1.1 and 2.2 cells wide at couplings 0.025 and 0.1."""


def check_spike_speed() -> ValidationRow:
    """Quadrupling the coupling doubles the spike speed within 10 % (FitzHugh–Nagumo front)."""
    slow = spike_front_speed(0.025, **SPEED_KINETICS)
    fast = spike_front_speed(0.1, **SPEED_KINETICS)
    ratio = fast / slow if slow > 0 else float("nan")
    return ValidationRow(
        GROUP,
        "spike_speed_sqrt_coupling",
        "an excitation front travels at a speed proportional to sqrt(coupling)",
        f"speed {slow:.5f} and {fast:.5f} cells/substep at coupling 0.025 and 0.1: ratio {ratio:.3f}",
        "ratio within 10 % of 2",
        bool(abs(ratio - 2.0) <= 0.2),
    )


CHECKS = (
    check_linear_radius,
    check_dla_mass_dimension,
    check_box_dimension_nutrient,
    check_balance,
    check_spike_reach,
    check_spike_speed,
)
