"""Model-free rows of :func:`mfn.validate`: Nernst potentials, the random IFS, box counting.

Each function returns one :class:`~mfn.core.rows.ValidationRow` whose verdict a broken
estimator or constant would flip (the mutation tests in ``tests/validation`` break each one
and check that its row then fails). Limits are derived from the model where it gives one:
the IFS maps' contractions and offsets bound the attractor; the IFS scale law gives the
expected Lyapunov exponent and its spread; exact fractals give the box dimension.
"""

from __future__ import annotations

import math

import numpy as np

from mfn.analysis import fractal
from mfn.analysis.fractal import box_fit, ifs, ifs_maps
from mfn.core.rows import ValidationRow
from mfn.physics import nernst as nernst_module
from mfn.physics.nernst import IONS

__all__ = [
    "LITERATURE_NERNST_MV",
    "box_dimension_known_answers",
    "ifs_bounded",
    "ifs_lyapunov_negative",
    "nernst_matches_literature",
    "nernst_sign",
]

LITERATURE_NERNST_MV = {"K": -90.0, "Na": 66.0, "Cl": -89.0, "Ca": 130.0}
"""Commonly quoted textbook equilibrium potentials of mammalian cells at 37 °C, mV."""
SPEC_IFS_SCALES = (0.2, 0.5)
"""The IFS scale law of docs/features.md: ``s ~ U(0.2, 0.5)`` (kept here, apart from the code it judges)."""


def _expected_lyapunov(lo: float, hi: float) -> tuple[float, float]:
    """Mean and standard deviation of ``2 ln s`` for ``s ~ U(lo, hi)``."""

    def moment(k: int) -> float:  # E[(ln s)^k] for k = 1, 2, from the antiderivatives of ln s and ln^2 s
        f = (lambda s: s * math.log(s) - s) if k == 1 else (lambda s: s * (math.log(s) ** 2 - 2 * math.log(s) + 2))
        return (f(hi) - f(lo)) / (hi - lo)

    m1, m2 = moment(1), moment(2)
    return 2.0 * m1, 2.0 * math.sqrt(m2 - m1 * m1)


def nernst_matches_literature() -> ValidationRow:
    got = {k: nernst_module.nernst(ion.valence, ion.c_out, ion.c_in) * 1e3 for k, ion in IONS.items()}
    worst = max(abs(got[k] - LITERATURE_NERNST_MV[k]) for k in got)
    return ValidationRow(
        "invariant",
        "nernst_matches_literature",
        "Nernst potentials of K+, Na+, Cl-, Ca2+ at 310 K match the textbook values",
        ", ".join(f"{IONS[k].name} {v:+.1f}" for k, v in got.items()) + f" mV; worst {worst:.1f} mV off",
        "each within 5 mV of K+ -90, Na+ +66, Cl- -89, Ca2+ +130 mV",
        worst <= 5.0,
    )


def nernst_sign() -> ValidationRow:
    k = IONS["K"]
    e = nernst_module.nernst(1, k.c_out, k.c_in)
    flipped = nernst_module.nernst(1, k.c_in, k.c_out)
    anion = nernst_module.nernst(-1, k.c_out, k.c_in)
    divalent = nernst_module.nernst(2, k.c_out, k.c_in)
    ok = e < 0 < flipped and math.isclose(flipped, -e) and math.isclose(anion, -e) and math.isclose(divalent, e / 2)
    return ValidationRow(
        "falsification",
        "nernst_sign",
        "the Nernst sign follows the gradient and the valence",
        f"E {e * 1e3:+.2f}, flipped gradient {flipped * 1e3:+.2f}, z=-1 {anion * 1e3:+.2f}, "
        f"z=2 {divalent * 1e3:+.2f} mV",
        "E < 0 when c_out < c_in; exactly -E for the flipped gradient and for z=-1; E/2 for z=2",
        ok,
    )


def _benettin_ifs(maps: fractal.IFSMaps, points: np.ndarray, delta: float = 1e-6) -> float:
    """Lyapunov exponent of the area (2 x the separation rate) measured on a twin trajectory.

    The twin starts ``delta`` away from each point before its map is applied, under the same
    map choices; the growth of the separation is measured and the twin renormalised (Benettin).
    """
    factors = maps.scales * np.exp(1j * maps.angles)
    offsets = maps.shifts[:, 0] + 1j * maps.shifts[:, 1]
    with np.errstate(all="ignore"):  # an expanding system overflows: NaN, judged as a failure
        z = np.concatenate([[0j], points[:-1, 0] + 1j * points[:-1, 1]])
        k = maps.choice
        zn = factors[k] * z + offsets[k]
        twin = factors[k] * (z + delta) + offsets[k]
        return float(2.0 * np.mean(np.log(np.abs(twin - zn) / delta)))


def ifs_lyapunov_negative() -> ValidationRow:
    seeds = range(20)
    reported, measured = [], []
    for s in seeds:
        maps = ifs_maps(n_points=10_000, seed=s)
        result = ifs(n_points=10_000, seed=s)
        reported.append(result.lyapunov)
        measured.append(_benettin_ifs(maps, result.points))
    reported, measured = np.array(reported), np.array(measured)
    mean, sd = _expected_lyapunov(*SPEC_IFS_SCALES)
    # a seed's exponent is a mean over its 4 maps' scales (weighted by the choices): sd about sd/2
    tolerance = 4.0 * sd / math.sqrt(4 * len(seeds))
    agree = float(np.abs(reported - measured).max())
    ok = (
        bool(np.isfinite(measured).all())
        and agree <= 1e-6
        and reported.max() < 0
        and abs(reported.mean() - mean) <= tolerance
    )
    return ValidationRow(
        "invariant",
        "ifs_lyapunov_negative",
        "the IFS contracts: the exponent ifs() reports is what a twin trajectory measures, and it is negative",
        f"reported mean {reported.mean():.3f}, max {reported.max():.3f} over 20 seeds; "
        f"twin-trajectory measurement differs by at most {agree:.1e}",
        f"twin within 1e-6; every seed < 0; mean within {tolerance:.3f} (4 SE) of 2 E[ln s] = {mean:.4f} "
        "for s ~ U(0.2, 0.5)",
        bool(ok),
    )


def ifs_bounded() -> ValidationRow:
    worst_hi, worst_lo, bad = 0.0, math.inf, []
    for s in range(10):
        for n in (2, 8):
            maps = ifs_maps(n_points=10_000, n_transforms=n, seed=s)
            extent = float(np.hypot(*ifs(n_points=10_000, n_transforms=n, seed=s).points.T).max())
            radius = maps.radius
            reach = float(np.hypot(*maps.fixed_points.T).max())
            worst_hi, worst_lo = max(worst_hi, extent / radius), min(worst_lo, extent / reach)
            if not (math.isfinite(radius) and extent <= radius and extent >= 0.9 * reach):
                bad.append(f"seed {s}, {n} maps")
    return ValidationRow(
        "falsification",
        "ifs_bounded",
        "the IFS attractor stays within the bound its maps give, and reaches their fixed points",
        f"max |z| / (max|t| / (1 - max s)) up to {worst_hi:.3f}; max |z| / max |fixed point| down to {worst_lo:.3f}"
        + (f"; outside: {', '.join(bad)}" if bad else ""),
        "every s_k < 1; max |z| <= max|t_k| / (1 - max s_k) and >= 0.9 max |t_k / (1 - s_k e^(i theta_k))|, "
        "2 and 8 maps, 10 seeds",
        not bad,
    )


def _sierpinski_triangle(levels: int) -> np.ndarray:
    image = np.ones((1, 1), bool)
    for _ in range(levels):
        image = np.kron(np.array([[1, 0], [1, 1]], bool), image)
    return image


def _sierpinski_carpet(levels: int) -> np.ndarray:
    image = np.ones((1, 1), bool)
    base = np.ones((3, 3), bool)
    base[1, 1] = False
    for _ in range(levels):
        image = np.kron(base, image)
    return image


KNOWN_DIMENSIONS = {
    "line": (np.eye(256, dtype=bool), (2, 128, 7), 1.0),
    "square": (np.ones((256, 256), bool), (2, 128, 7), 2.0),
    "Sierpinski triangle": (_sierpinski_triangle(9), (2, 256, 8), math.log(3) / math.log(2)),
    "Sierpinski carpet": (_sierpinski_carpet(6), (3, 243, 5), math.log(8) / math.log(3)),
}
"""Exact sets as images, their box settings (min_box, max_box, num_scales) and dimensions."""


def box_dimension_known_answers() -> ValidationRow:
    errors, worst_r2 = {}, 1.0
    for name, (image, (lo, hi, n), exact) in KNOWN_DIMENSIONS.items():
        fit = box_fit(image, lo, hi, n)
        errors[name] = fit.raw_slope - exact
        worst_r2 = min(worst_r2, fit.r2)
    worst = max(errors, key=lambda k: abs(errors[k]))
    ok = abs(errors[worst]) <= 0.005 and worst_r2 >= 0.999
    return ValidationRow(
        "invariant",
        "box_dimension_known_answers",
        "box counting recovers known dimensions (judged on the raw, unclipped slope)",
        f"raw slopes off by at most {abs(errors[worst]):.1e} ({worst}); R^2 >= {worst_r2:.6f} "
        "on a line, a square, a Sierpinski triangle and carpet",
        "each raw slope within 0.005 of 1, 2, ln3/ln2 = 1.5850, ln8/ln3 = 1.8928; R^2 >= 0.999",
        bool(ok),
    )
