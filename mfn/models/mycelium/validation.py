"""Validation rows of the mycelium model's growth (docs/models.md), each able to fail.

Every row grows colonies with the compiled step when numba is installed (the reference
otherwise: same bits, slower), from the ``podospora_anserina`` preset (9 x 9 mm, 20 h) or
the defaults, several seeds pooled; colonies are kept (:func:`colony`) so rows sharing them
grow each once per process. The membrane's rows, the nutrient balance and the regimes'
dimensions are in :mod:`~mfn.models.mycelium.validation_physics`.
"""

from __future__ import annotations

import functools

import numpy as np

from mfn.core.backends import choose_backend
from mfn.core.rows import ValidationRow
from mfn.hyphae.growth import growth_counts
from mfn.models.mycelium.colony_measures import (
    branch_node_ages,
    front_fit,
    margin_contacts,
    radius_at,
)
from mfn.models.mycelium.params import MyceliumParams
from mfn.models.mycelium.stepper import MyceliumStepper

__all__ = [
    "GROWTH_CHECKS",
    "check_front_speed",
    "check_growth_unit",
    "check_leading_hyphae_avoid",
    "check_same_rates",
    "check_translocation",
    "check_tropism",
    "colony",
]

GROUP = "mycelium"
SEEDS = (0, 1, 2)
WINDOW = (20.0 / 3.0, 20.0)
"""The exponential phase after germination: the last two thirds of the preset's 20 h, h."""
MIN_BRANCH_AGE = 0.5
"""Branches leave hyphae at least this old (median, h): lateral, not at the tip (data: 1.2-2.1 h)."""
NUTRIENT_LEVELS = (1.0, 3.0, 10.0, 30.0, 100.0)
"""Media of the front-speed row, mM."""
FRONT_WINDOW = (8.0, 16.0)
"""Hours over which the front speed is fitted (linear expansion, before the field edge)."""
FRONT_STEPS = 480
"""Steps of the front-speed row's colonies (16 h)."""
MARGIN_ZONE = 0.0
"""Contacts beyond the colony radius (95 % of nodes) less this (µm) are the leading hyphae's."""
MARGIN_BOUND = 2.5
"""Most contacts per mm of final margin the leading hyphae may make (measured 1.3; 5.0 without autotropism)."""


def params(**changes) -> MyceliumParams:
    """The preset ``podospora_anserina`` with ``changes`` (the rows' colonies)."""
    return MyceliumParams.preset("podospora_anserina", **changes)


@functools.lru_cache(maxsize=32)
def colony(p: MyceliumParams):
    """Grow ``p`` to its end; ``(network, contacts, stepper totals)``, kept per process."""
    s = MyceliumStepper(p, choose_backend("auto"))
    s.advance(p.steps)
    return s.network(), {k: v[0] for k, v in s.events().items()}, s.totals()


def _pooled_counts(ps, times):
    length = ends = 0
    for p in ps:
        counts = growth_counts(colony(p)[0], times)
        length, ends = length + counts.total_length, ends + counts.free_ends
    return length, ends


def check_growth_unit() -> ValidationRow:
    """G = L/N stays constant over the exponential phase (CV < 15 %), set by lateral branching."""
    ps = [params(seed=s) for s in SEEDS]
    times = np.arange(WINDOW[0], WINDOW[1] + 1e-9, 0.5)
    length, ends = _pooled_counts(ps, times)
    g = length / np.maximum(ends, 1)
    cv = float(g.std() / g.mean())
    ages = np.concatenate([branch_node_ages(colony(p)[0]) for p in ps])
    age = float(np.median(ages)) if ages.size else 0.0
    return ValidationRow(
        GROUP,
        "growth_unit_constant",
        "after germination the hyphal growth unit G = L/N is constant (Trinci 1974), branches leaving older "
        "hyphae laterally",
        f"G over {WINDOW[0]:.1f}-{WINDOW[1]:.0f} h, {len(SEEDS)} preset colonies pooled: {g.min():.0f}-{g.max():.0f} "
        f"µm, CV {cv:.3f}; median age of the node a branch leaves {age:.2f} h ({ages.size} branches)",
        f"CV < 0.15 and median branch-node age >= {MIN_BRANCH_AGE} h",
        bool(cv < 0.15 and age >= MIN_BRANCH_AGE),
    )


def check_same_rates() -> ValidationRow:
    """Total length and free ends grow at the same exponential rate (within 10 %)."""
    ps = [params(seed=s) for s in SEEDS]
    length, ends = _pooled_counts(ps, np.array(WINDOW))
    span = WINDOW[1] - WINDOW[0]
    r_length = float(np.log(length[1] / length[0]) / span)
    r_ends = float(np.log(max(ends[1], 1) / max(ends[0], 1)) / span)
    ratio = r_ends / r_length if r_length > 0 else float("nan")
    return ValidationRow(
        GROUP,
        "length_and_ends_same_rate",
        "total hyphal length L and free ends N grow exponentially at the same rate (Trinci 1974)",
        f"over {WINDOW[0]:.1f}-{WINDOW[1]:.0f} h, {len(SEEDS)} preset colonies pooled: L {r_length:.3f} /h, "
        f"N {r_ends:.3f} /h, ratio {ratio:.3f} (P. anserina data: 0.31-0.37 /h)",
        "N's rate within 10 % of L's",
        bool(abs(ratio - 1.0) <= 0.10),
    )


def front_speeds(levels=NUTRIENT_LEVELS, seeds=(0, 1)) -> np.ndarray:
    """Front speed (µm/min) and R² of the radius over :data:`FRONT_WINDOW`: ``(len(levels), len(seeds), 2)``."""
    out = np.zeros((len(levels), len(seeds), 2))
    for i, level in enumerate(levels):
        for j, seed in enumerate(seeds):
            fit = front_fit(colony(params(nutrient=level, seed=seed, steps=FRONT_STEPS))[0], FRONT_WINDOW)
            out[i, j] = fit.speed, fit.r2
    return out


def check_front_speed() -> ValidationRow:
    """The front advances linearly, faster on richer media up to the tips' largest speed (Monod)."""
    fits = front_speeds(NUTRIENT_LEVELS)
    speed = fits[:, :, 0].mean(axis=1)
    r2 = float(fits[:, :, 1].min())
    tip_speed = params().tip_speed
    rise, plateau, top = speed[-2] / speed[0], speed[-1] / speed[-2], speed[-1] / tip_speed
    return ValidationRow(
        GROUP,
        "front_speed_rises_and_saturates",
        "after the exponential phase the colony radius grows linearly (Trinci 1971) at a speed that rises "
        "with the medium's nutrient and saturates at the leading tips' largest extension rate",
        "front speed (µm/min) at " + ", ".join(f"{n:g}" for n in NUTRIENT_LEVELS) + " mM: "
        + ", ".join(f"{v:.2f}" for v in speed)
        + f"; R² >= {r2:.3f}; {NUTRIENT_LEVELS[-2]:g}/{NUTRIENT_LEVELS[0]:g} mM x{rise:.2f}, "
        f"{NUTRIENT_LEVELS[-1]:g}/{NUTRIENT_LEVELS[-2]:g} mM x{plateau:.3f}; top speed {top:.2f} x tip_speed",
        "R² >= 0.97 every run; rising x >= 2; saturated x <= 1.10; top speed 0.8-1.0 x tip_speed",
        bool(r2 >= 0.97 and rise >= 2.0 and plateau <= 1.10 and 0.8 <= top <= 1.0),
    )  # fmt: skip


def margin_contact_density(ps) -> tuple[float, float]:
    """Contacts of the leading hyphae per mm of final margin, and the fraction of anastomoses
    behind the margin, pooled over the colonies ``ps``."""
    at_margin = margin = fused_behind = fused = 0.0
    for p in ps:
        net, contacts, _ = colony(p)
        front = margin_contacts(net, contacts["contact_t"], contacts["contact_x"], contacts["contact_y"], MARGIN_ZONE)
        at_margin += front.sum()
        margin += 2.0 * np.pi * radius_at(net, np.array([p.hours]), 95.0)[0] / 1000.0
        is_fused = contacts["contact_fused"] == 1
        fused += is_fused.sum()
        fused_behind += (is_fused & ~front).sum()
    return at_margin / margin, fused_behind / max(fused, 1.0)


def check_leading_hyphae_avoid() -> ValidationRow:
    """Leading hyphae avoid each other (negative autotropism): few contacts at the margin."""
    density, behind = margin_contact_density([params(seed=s) for s in SEEDS])
    return ValidationRow(
        GROUP,
        "leading_hyphae_avoid_each_other",
        "leading hyphae turn away from each other (negative autotropism) and rarely cross; anastomoses happen "
        "mostly behind the margin (Glass et al. 2004; Dikec et al. 2020)",
        f"{len(SEEDS)} preset colonies: {density:.2f} contacts (crossings and fusions) per mm of margin beyond the "
        f"colony radius (95 % of nodes); {100 * behind:.1f} % of anastomoses behind it",
        f"<= {MARGIN_BOUND} contacts per mm of margin and >= 80 % of anastomoses behind it",
        bool(density <= MARGIN_BOUND and behind >= 0.8),
    )


def check_translocation() -> ValidationRow:
    """Translocating substrate to the tips matters: without it front speed or G changes by > 10 %."""
    with_, without = params(seed=0), params(seed=0, translocation_diffusion=0.0, translocation_speed=0.0)
    speed = [front_fit(colony(p)[0], FRONT_WINDOW).speed for p in (with_, without)]
    g = []
    for p in (with_, without):
        counts = growth_counts(colony(p)[0], np.array([p.hours]))
        g.append(float(counts.total_length[0] / max(counts.free_ends[0], 1)))
    ds, dg = abs(speed[1] / speed[0] - 1.0), abs(g[1] / g[0] - 1.0)
    return ValidationRow(
        GROUP,
        "translocation_matters",
        "substrate translocated along the hyphae to the tips (diffusive and active) feeds the margin "
        "(Boswell et al. 2002, 2003)",
        f"preset colony with / without translocation: front {speed[0]:.2f} / {speed[1]:.2f} µm/min "
        f"({100 * ds:.0f} % change), G at 20 h {g[0]:.0f} / {g[1]:.0f} µm ({100 * dg:.0f} % change)",
        "front speed or G changes by more than 10 %",
        bool(ds > 0.10 or dg > 0.10),
    )


def check_tropism() -> ValidationRow:
    """On a static nutrient gradient the tips turn up it (chemotropism)."""
    cos = []
    for seed in SEEDS:
        p = MyceliumParams(seed=seed, medium="gradient", nutrient_diffusion=0.0)
        s = MyceliumStepper(p, choose_backend("auto"))
        s.advance(p.steps)
        cos.append(np.cos(s.tip_headings()))
    mean = float(np.concatenate(cos).mean())
    return ValidationRow(
        GROUP,
        "tips_grow_up_a_nutrient_gradient",
        "hyphal tips turn towards richer medium (positive chemotropism)",
        f"mean cosine of the tips' headings with the gradient after 12 h on a static ramp (0.5-1.5 x 30 mM "
        f"over 6.4 mm), {len(SEEDS)} colonies pooled: {mean:.3f} (without chemotropism 0 +- 0.05)",
        ">= 0.2",
        bool(mean >= 0.2),
    )


GROWTH_CHECKS = (
    check_growth_unit,
    check_same_rates,
    check_front_speed,
    check_leading_hyphae_avoid,
    check_translocation,
    check_tropism,
)
