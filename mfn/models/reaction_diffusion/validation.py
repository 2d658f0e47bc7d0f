"""Validation rows of the reaction–diffusion model: linear theory against the simulation.

Each row runs the model (the fused numba step, :data:`BACKEND`) on a 128x128 periodic grid
and compares with :func:`~.turing.turing_analysis`:

- ``turing_linear_growth``: from noise of 1e-6, during the linear phase the fastest-growing
  ring of the power spectrum (integer rings of radius ``m = |k| N / 2π``) is one of the two
  rings bracketing ``k_max N / 2π``, and its measured growth rate matches the dispersion
  relation within 10 %. The prediction is the ring's power growth from the five-point
  dispersion relation of every mode in the ring with equal initial power (white noise):
  ``ln(Σ e^{2σ_j t2} / Σ e^{2σ_j t1}) / (2 (t2 - t1))``;
- ``turing_settled_wavelength``: the default run's final ``u`` has its spectral peak inside
  the unstable band and within 20 % of ``2π / k_max``;
- ``equal_diffusion_stays_homogeneous``: with ``Dv = Du`` no Turing instability exists and the
  perturbation variance of ``u`` decays;
- ``potential_in_range``: V stays within [-95, 40] mV with no clamp in the kernel (judged on
  the raw field) and mirrors the pattern (correlation with ``u`` above 0.9);
- ``classic_not_turing``: the classic kinetics' only homogeneous state has det J = 0 and is
  reported as not Turing-unstable.

The rows take about 6 s together on one core (numba, compiled and cached).
"""

from __future__ import annotations

import math

import numpy as np

from mfn.core.errors import NumericalInstabilityError
from mfn.core.rows import ValidationRow

__all__ = [
    "CHECKS",
    "classic_not_turing",
    "equal_diffusion_stays_homogeneous",
    "linear_growth",
    "potential_in_range",
    "settled_wavelength",
    "turing_linear_growth",
    "turing_settled_wavelength",
]

GROUP = "reaction_diffusion"
BACKEND = "numba"
"""Step used by the rows (the tests switch it to the numpy reference to break a kernel)."""
TURING_KINETICS = ("schnakenberg", "gierer_meinhardt", "brusselator", "fitzhugh_nagumo")
GRID = 128
GROWTH_TOL = 0.10
WAVELENGTH_TOL = 0.20
V_RANGE = (-95.0, 40.0)


def _params(kinetics: str, grid: int, **changes):
    from mfn.models.reaction_diffusion.params import ReactionDiffusionParams

    return ReactionDiffusionParams(kinetics=kinetics, grid_size=grid, boundary="periodic", **changes)


def _stepper(params):
    from mfn.models.reaction_diffusion.stepper import RDStepper

    return RDStepper(params, BACKEND)


def _rings(shape: tuple[int, int]) -> tuple[np.ndarray, np.ndarray]:
    """Integer ring of every FFT mode (as :func:`mfn.analysis.spectra.radial_spectrum` bins them) and its symbol."""
    m, n = shape
    side = min(m, n)
    fy = np.fft.fftfreq(m)[:, None]
    fx = np.fft.fftfreq(n)[None, :]
    ring = np.rint(np.hypot(fy * side, fx * side)).astype(int)
    symbol = 4 * np.sin(np.pi * fy) ** 2 + 4 * np.sin(np.pi * fx) ** 2
    return ring, symbol


def linear_growth(params) -> dict:
    """Measure the linear phase of a Turing-unstable run against the dispersion relation.

    Runs ``params`` (one Euler step per model step) from their noise for ``12 / σ_max`` time
    units and takes the radially averaged spectrum of ``u`` at ``4 / σ_max`` (the decaying
    component has gone) and at the end (amplitude still about 1e-2 from noise 1e-6).

    Returns
    -------
    dict
        ``ring`` (dominant at the end), ``allowed`` (the two rings bracketing
        ``k_max N / 2π``), ``measured`` and ``predicted`` growth rates of that ring (1/time),
        ``t1``, ``t2`` and ``amplitude`` (std of u at ``t2``).
    """
    from mfn.analysis.spectra import radial_spectrum
    from mfn.models.reaction_diffusion.linear import growth_rate
    from mfn.models.reaction_diffusion.turing import turing_analysis

    p = params.replace(substeps=1, steps=10**6)
    ta = turing_analysis(p)
    sigma_max, k_max = ta.attrs["sigma_max"], ta.attrs["k_max"]
    n1 = round(4.0 / sigma_max / p.dt)
    n2 = round(12.0 / sigma_max / p.dt)
    s = _stepper(p)
    s.advance(n1)
    p1 = radial_spectrum(s.u).values
    s.advance(n2 - n1)
    p2 = radial_spectrum(s.u).values
    t1, t2 = n1 * p.dt, n2 * p.dt
    dominant = int(np.argmax(p2)) + 1
    target = k_max * min(p.shape) / (2 * math.pi)
    measured = math.log(p2[dominant - 1] / p1[dominant - 1]) / (2 * (t2 - t1))
    ring, symbol = _rings(p.shape)
    i = ta.attrs["state_index"]
    jac = [float(ta[n][i]) for n in ("f_u", "f_v", "g_u", "g_v")]
    sig = growth_rate(*jac, p.Du, p.Dv, symbol[ring == dominant])
    top = sig.max()
    lse = [np.log(np.exp(2 * (sig - top) * t).sum()) for t in (t1, t2)]
    predicted = (lse[1] - lse[0]) / (2 * (t2 - t1)) + top
    return {
        "ring": dominant,
        "allowed": (math.floor(target), math.ceil(target)),
        "measured": measured,
        "predicted": float(predicted),
        "t1": t1,
        "t2": t2,
        "amplitude": float(s.u.std()),
    }


def settled_wavelength(params) -> dict:
    """Run ``params`` to the end; ``measured`` and ``predicted`` wavelength (cells) and the band."""
    from mfn.analysis.spectra import dominant_wavelength
    from mfn.models.reaction_diffusion.turing import turing_analysis

    ta = turing_analysis(params)
    s = _stepper(params)
    s.advance(params.steps)
    return {
        "measured": float(dominant_wavelength(s.u).attrs["wavelength"]),
        "predicted": ta.attrs["wavelength"],
        "band": tuple(ta.attrs["band_wavelength"]),
        "V_range": (float(s.V.min()), float(s.V.max())),
    }


def _linear_growth_one(kinetics: str, grid: int) -> tuple[bool, str]:
    g = linear_growth(_params(kinetics, grid, noise=1e-6))
    m, pr, lo_hi = g["measured"], g["predicted"], g["allowed"]
    ok = g["ring"] in lo_hi and abs(m / pr - 1) <= GROWTH_TOL
    text = (
        f"{kinetics}: ring {g['ring']} (allowed {lo_hi[0]}, {lo_hi[1]}), rate {m:.4f} vs "
        f"{pr:.4f} ({100 * (m / pr - 1):+.1f} %), std(u) {g['amplitude']:.1e} at t = {g['t2']:g}"
    )
    return ok, text


def turing_linear_growth(kinetics=TURING_KINETICS, grid: int = GRID) -> ValidationRow:
    """Linear phase: dominant ring next to k_max, growth rate within 10 % of the dispersion relation."""
    results = [_guarded(_linear_growth_one, k, grid) for k in kinetics]
    return ValidationRow(
        GROUP,
        "turing_linear_growth",
        f"from small noise on a {grid}x{grid} periodic grid, the fastest-growing spectral ring in the linear "
        "phase is one of the two rings next to k_max and grows at the rate of the dispersion relation",
        "; ".join(t for _, t in results),
        f"ring in the allowed pair and |rate / predicted - 1| <= {GROWTH_TOL:.0%}",
        all(ok for ok, _ in results),
    )


def _settled_one(kinetics: str, grid: int) -> tuple[bool, str]:
    w = settled_wavelength(_params(kinetics, grid))
    measured, predicted, (lo, hi) = w["measured"], w["predicted"], w["band"]
    ok = lo <= measured <= hi and abs(measured / predicted - 1) <= WAVELENGTH_TOL
    ratio = measured / predicted
    return ok, f"{kinetics}: {measured:.2f} vs {predicted:.2f} cells (ratio {ratio:.3f}, band {lo:.1f}-{hi:.1f})"


def turing_settled_wavelength(kinetics=TURING_KINETICS, grid: int = GRID) -> ValidationRow:
    """Settled pattern: wavelength in the unstable band and within 20 % of 2π/k_max."""
    results = [_guarded(_settled_one, k, grid) for k in kinetics]
    return ValidationRow(
        GROUP,
        "turing_settled_wavelength",
        f"the default run's settled pattern ({grid}x{grid}, periodic) has its wavelength in the predicted "
        "unstable band and near 2 pi / k_max",
        "; ".join(t for _, t in results),
        f"inside the band and |measured / predicted - 1| <= {WAVELENGTH_TOL:.0%}",
        all(ok for ok, _ in results),
    )


def _equal_one(kinetics: str, grid: int) -> tuple[bool, str]:
    from mfn.models.reaction_diffusion.turing import turing_analysis

    base = _params(kinetics, grid)
    p = base.replace(Dv=base.Du, steps=20)
    unstable = turing_analysis(p).attrs["turing_unstable"]  # Du = Dv excludes it
    s = _stepper(p)
    before = float(s.u.var())
    s.advance(p.steps)
    after = float(s.u.var())
    ok = after < 0.5 * before and not unstable
    return ok, (
        f"{kinetics}: var(u) {before:.2e} -> {after:.2e} after {p.steps * p.substeps} Euler steps"
        f"{' (analysis says Turing-unstable!)' if unstable else ''}"
    )


def equal_diffusion_stays_homogeneous(kinetics=TURING_KINETICS, grid: int = GRID) -> ValidationRow:
    """With Dv = Du the same kinetics stay homogeneous: the perturbation variance decays."""
    results = [_guarded(_equal_one, k, grid) for k in kinetics]
    return ValidationRow(
        GROUP,
        "equal_diffusion_stays_homogeneous",
        "with equal diffusion coefficients the Turing kinetics stay homogeneous (the noise decays)",
        "; ".join(t for _, t in results),
        "final variance of u below half the initial one",
        all(ok for ok, _ in results),
    )


def _potential_one(kinetics: str, grid: int) -> tuple[bool, str]:
    p = _params(kinetics, grid)
    s = _stepper(p)
    s.advance(p.steps)
    lo, hi = float(s.V.min()), float(s.V.max())
    corr = float(np.corrcoef(s.V.ravel(), s.u.ravel())[0, 1])
    ok = V_RANGE[0] < lo and hi < V_RANGE[1] and corr > 0.9
    return ok, f"{kinetics}: V in [{lo:.1f}, {hi:.1f}] mV, corr(V, u) {corr:.3f}"


def potential_in_range(kinetics=("schnakenberg", "brusselator"), grid: int = GRID) -> ValidationRow:
    """V stays in [-95, 40] mV without a clamp and mirrors the pattern."""
    results = [_guarded(_potential_one, k, grid) for k in kinetics]
    return ValidationRow(
        GROUP,
        "potential_in_range",
        "the membrane potential settles to E_rest plus a pattern that mirrors u, within [-95, 40] mV, "
        "with no clamp in the kernel",
        "; ".join(t for _, t in results),
        "raw V inside (-95, 40) mV and corr(V, u) > 0.9",
        all(ok for ok, _ in results),
    )


def classic_not_turing() -> ValidationRow:
    """The classic kinetics: one homogeneous state, det J = 0, not Turing-unstable."""
    from mfn.models.reaction_diffusion.turing import turing_analysis

    ta = turing_analysis(_params("classic", 32))
    det = [float(x) for x in ta.det.values]
    ok = (not ta.attrs["turing_unstable"]) and ta.sizes["state"] == 1 and det == [0.0]
    return ValidationRow(
        GROUP,
        "classic_not_turing",
        "the classic v4.1 kinetics have no Turing instability: their only homogeneous state has det J = 0",
        f"states {ta.sizes['state']}, det J {det}, turing_unstable {ta.attrs['turing_unstable']}",
        "one state, det J = 0 exactly, not Turing-unstable",
        ok,
    )


def _guarded(fn, kinetics: str, grid: int) -> tuple[bool, str]:
    try:
        return fn(kinetics, grid)
    except NumericalInstabilityError as err:
        return False, f"{kinetics}: {err}"


CHECKS = (
    turing_linear_growth,
    turing_settled_wavelength,
    equal_diffusion_stays_homogeneous,
    potential_in_range,
    classic_not_turing,
)
"""The rows, as listed in the model's ``checks``."""
