"""Validation rows of the mycelium's membrane, bookkeeping and growth regimes, each able to fail.

The membrane rows run the model's own membrane substep
(:func:`~mfn.models.mycelium.kernels.membrane_substep`) on fixed hyphae; the regime rows
grow colonies with the compiled step when numba is installed. Estimator of the regimes'
dimension: the mass dimension, the slope of ln(occupied lattice cells) against ln(radius of
gyration) over the growth history (:func:`mfn.analysis.colony_growth.mass_dimension`).
"""

from __future__ import annotations

import numpy as np

from mfn.analysis.colony_growth import growth_history, mass_dimension
from mfn.core.backends import choose_backend
from mfn.core.rows import ValidationRow
from mfn.models.mycelium.kernels import constants, membrane_substep
from mfn.models.mycelium.membrane import spike_front_speed, spike_reach
from mfn.models.mycelium.params import MyceliumParams
from mfn.models.mycelium.stepper import MyceliumStepper

__all__ = [
    "PHYSICS_CHECKS",
    "check_balance",
    "check_dla_and_rich",
    "check_resting_potential",
    "check_spike_reach",
    "check_spike_speed",
    "settled_potential",
]

GROUP = "mycelium"
REST_RANGE = (-240.0, -160.0)
"""Resting potentials of Neurospora crassa, mV (Slayman & Gradmann 1975)."""
SETTLE_SUBSTEPS = 20_000
"""Most membrane substeps :func:`settled_potential` takes (10,000 s of membrane time)."""
DLA_SEEDS = 5
SPEED_RATIO_TOLERANCE = 0.05
"""The speed ratio at 4x the coupling must lie within this of 2 (measured 2.03 at 100 µm cells)."""


SETTLE_DT = 0.5
"""Membrane substep of :func:`settled_potential`, s (one cell, no cable: stable up to ~1 s)."""


def settled_potential(p: MyceliumParams, start: float = -170.0) -> float:
    """The potential (mV) a single hyphal cell settles at from ``start`` mV (the inactivation
    gate at rest), under the model's own membrane substep of :data:`SETTLE_DT` s: at most
    :data:`SETTLE_SUBSTEPS` substeps, stopping once one moves it by less than 1e-6 mV (and the
    gate by 1e-7)."""
    c = constants(p.replace(membrane_dt=SETTLE_DT))
    hyphal, link = np.ones((1, 1), bool), np.zeros((1, 1), np.uint8)
    v, h = np.full((1, 1), start), np.full((1, 1), c.rest[1])
    for _ in range(SETTLE_SUBSTEPS):
        before = (float(v[0, 0]), float(h[0, 0]))
        v, h = membrane_substep(v, h, hyphal, link, c.fields)
        if abs(float(v[0, 0]) - before[0]) < 1e-6 and abs(float(h[0, 0]) - before[1]) < 1e-7:
            break
    return float(v[0, 0])


def check_resting_potential() -> ValidationRow:
    """The pump-leak membrane rests in the range measured in Neurospora; without the pump, at E_K."""
    p = MyceliumParams()
    rest, off = settled_potential(p), settled_potential(p.replace(pump_current=0.0))
    lo, hi = REST_RANGE
    return ValidationRow(
        GROUP,
        "resting_potential_pump_leak",
        "an electrogenic H+ pump beside a K+ leak holds fungal hyphae at -160 to -240 mV (Neurospora: Slayman "
        "& Gradmann 1975); with the pump off the potential falls to the leak's",
        f"settled potential {rest:.1f} mV; with the pump off {off:.1f} mV (E_K {p.e_k:.1f} mV)",
        f"{lo:g} <= V_rest <= {hi:g} mV",
        bool(lo <= rest <= hi),
    )


def _components(hlen: np.ndarray, link: np.ndarray) -> np.ndarray:
    """Labels of the nutrient cells joined by hyphae (0 where there is no hypha)."""
    from scipy import sparse
    from scipy.sparse.csgraph import connected_components

    from mfn.models.mycelium.geometry import DX, DY

    m, n = hlen.shape
    rows, cols = [], []
    for d in range(8):
        ys, xs = np.nonzero((link >> d) & 1)
        rows.append(ys * n + xs)
        cols.append((ys + DY[d]) * n + (xs + DX[d]))
    graph = sparse.coo_array((np.ones(sum(r.size for r in rows)), (np.concatenate(rows), np.concatenate(cols))),
                             shape=(m * n, m * n))  # fmt: skip
    _, labels = connected_components(graph, directed=False)
    labels = labels.reshape(m, n) + 1
    return np.where(hlen > 0, labels, 0)


def check_spike_reach() -> ValidationRow:
    """A stimulus fires every nutrient cell of its connected mycelium and no other."""
    p = MyceliumParams(steps=240, seed=1)
    s = MyceliumStepper(p, choose_backend("auto"))
    s.advance(p.steps)
    w = s.world
    gap = np.zeros((w.hlen.shape[0], 2))
    hlen = np.concatenate([w.hlen, gap, w.hlen[:, ::-1]], axis=1)  # the colony and its mirror image, apart
    mirrored = w.link[:, ::-1].copy()
    swap = ((2, 3), (4, 5), (6, 7))  # west <-> east and the diagonals' sides
    for a, b in swap:
        fa, fb = (mirrored >> a) & 1, (mirrored >> b) & 1
        mirrored = (mirrored & ~np.uint8((1 << a) | (1 << b))) | (fb << a).astype(np.uint8) | (fa << b).astype(np.uint8)
    link = np.concatenate([w.link, gap.astype(np.uint8), mirrored], axis=1)
    labels = _components(hlen, link)
    sizes = np.bincount(labels.ravel())[1:]
    target = int(np.argmax(sizes)) + 1
    ys, xs = np.nonzero(labels == target)
    fired = spike_reach(hlen, link, int(ys[len(ys) // 2]), int(xs[len(xs) // 2]), p)
    component = labels == target
    inside, outside = int(np.count_nonzero(fired & component)), int(np.count_nonzero(fired & ~component))
    others = int(np.count_nonzero(hlen > 0)) - int(component.sum())
    return ValidationRow(
        GROUP,
        "spike_travels_along_hyphae",
        "a stimulus starts a spike that reaches every part of its connected mycelium and nothing else",
        f"fired {inside} of {int(component.sum())} nutrient cells of the component, {outside} outside "
        f"({others} hyphal cells elsewhere)",
        "all of the component, none outside, at least one other hyphal cell",
        bool(inside == component.sum() and outside == 0 and others > 0),
    )


SPEED_SPACING = 12.5
"""Lattice spacing of the speed row, µm: nutrient cells of 100 µm, a tenth of the default space
constant (at the default 200 µm the front is 6 % slower than the continuum's)."""


def check_spike_speed() -> ValidationRow:
    """Quadrupling the cable's coupling (doubling its space constant) doubles the spike's speed."""
    p = MyceliumParams(spacing=SPEED_SPACING)
    slow, fast = spike_front_speed(p), spike_front_speed(p.replace(space_constant=2.0 * p.space_constant))
    ratio = fast / slow if slow > 0 else float("nan")
    return ValidationRow(
        GROUP,
        "spike_speed_sqrt_coupling",
        "an excitation front along a cable travels at a speed proportional to its space constant, the square "
        "root of the coupling",
        f"speed {slow:.3f} and {fast:.3f} mm/s at space constants {p.space_constant:g} and "
        f"{2 * p.space_constant:g} µm: ratio {ratio:.3f}",
        f"ratio within {SPEED_RATIO_TOLERANCE} of 2",
        bool(abs(ratio - 2.0) <= SPEED_RATIO_TOLERANCE),
    )


def check_balance() -> ValidationRow:
    """Medium + internal substrate + substrate built into hyphae stays at its start (1e-12 relative)."""
    p = MyceliumParams(grid_size=128, steps=300, medium="patchy", inoculum="points", n_inocula=3, seed=2)
    s = MyceliumStepper(p, choose_backend("auto"))
    s.advance(p.steps)
    err = abs(s.nutrient_total() - s.initial_total) / s.initial_total
    return ValidationRow(
        GROUP,
        "nutrient_conserved",
        "nutrient is conserved: medium + internal substrate + substrate built into hyphae (extension_cost per µm)",
        f"relative error {err:.1e} after {p.steps} steps ({s.grown / 1000:.1f} mm of hypha grown)",
        "<= 1e-12",
        bool(err <= 1e-12 and s.grown > 1000.0),
    )


def dla_mass_dimensions(seeds: int = DLA_SEEDS, grid: int = 256) -> list[float]:
    """Mass dimension of diffusion-limited colonies grown to the field edge, one per seed."""
    out = []
    for seed in range(seeds):
        p = MyceliumParams(grid_size=grid, steps=40_000, regime="diffusion_limited", seed=seed)
        s = MyceliumStepper(p, choose_backend("auto"))
        s.advance(p.steps)
        _, mass, rg = growth_history(s.world.born)
        out.append(mass_dimension(mass, rg)[0])
    return out


def check_dla_and_rich() -> ValidationRow:
    """DLA regime: mean mass dimension over 5 seeds in 1.60-1.80; rich regime: >= 1.90.

    The exponent is read from the growth history (occupied cells against radius of gyration as
    the colony grows), not from one picture's spatial scaling. A colony that also fills in behind
    its margin while it spreads, as the rich one does with its exponential branching, gains mass
    faster than ``rg**2``: its exponent exceeds 2 (about 3.2) and says "space filling", not a
    dimension above the plane's.
    """
    dla = dla_mass_dimensions()
    p = MyceliumParams(regime="rich")
    s = MyceliumStepper(p, choose_backend("auto"))
    s.advance(p.steps)
    _, mass, rg = growth_history(s.world.born)
    rich = mass_dimension(mass, rg)[0]
    mean, sd = float(np.mean(dla)), float(np.std(dla, ddof=1))
    return ValidationRow(
        GROUP,
        "dla_and_rich_mass_dimension",
        "diffusion-limited growth gives D ~ 1.71 (Witten & Sander 1981); growth without limits fills space",
        f"mass dimension (ln occupied 25 µm cells vs ln radius of gyration): DLA {mean:.3f} +- {sd:.3f} over "
        f"{len(dla)} seeds on 256 x 256 cells; rich (tips at full speed, 12 h) {rich:.2f} "
        "(above 2: it also fills in behind its margin as it grows)",
        "DLA mean in [1.60, 1.80]; rich >= 1.90",
        bool(1.60 <= mean <= 1.80 and rich >= 1.90),
    )


PHYSICS_CHECKS = (
    check_resting_potential,
    check_spike_reach,
    check_spike_speed,
    check_balance,
    check_dla_and_rich,
)
