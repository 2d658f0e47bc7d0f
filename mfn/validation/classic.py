"""Rows of :func:`mfn.validate` about the classic lattice model (docs/models.md, docs/features.md, docs/validation.md).

Stability is judged before the clamp: every run goes through :func:`mfn.validation.probe.probe`,
which records V before each clamp and checks each step against the maximum-principle bound of
the explicit scheme. A run that should never reach the clamp must have no clamped cell; the
change of the field's mean must be what growth events, kicks, noise and the clamp put in
(diffusion conserves it under periodic edges). Where the linear scheme predicts a number
exactly (variance after pure diffusion, decay of the checkerboard mode at the CFL edge) the
row compares with it. Runs that need features use :class:`mfn.Simulation` on the numpy
reference (:data:`BACKEND`); the numba path gives the same bits (row ``same_seed_same_result``).
"""

from __future__ import annotations

import itertools
import math
import warnings

import numpy as np

from mfn.analysis.features import FEATURE_NAMES, FeatureParams, features_from_state
from mfn.analysis.fractal import box_fit
from mfn.analysis.temporal import TemporalFeatures
from mfn.core.backends import numba_available
from mfn.core.errors import ClampWarning, ParameterError
from mfn.core.rows import ValidationRow
from mfn.models.classic.params import FieldParams
from mfn.simulation.simulation import Simulation
from mfn.validation.probe import Probe, probe

__all__ = [
    "ACTIVE_KINETICS",
    "BACKEND",
    "alpha_024_is_stable",
    "cfl_edge",
    "clamp_holds_and_is_counted",
    "diffusion_smooths",
    "growth_events_at_p_half",
    "noise_run_is_sound",
    "pure_diffusion_lowers_variance",
    "regime_discrimination",
    "same_seed_same_result",
    "thousand_steps_are_stable",
    "threshold_sensitivity",
    "turing_on_differs_from_off",
]

ACTIVE_KINETICS = {"ra": 0.1, "ri": 0.001}
"""Activator/inhibitor rates, inside the valid ranges, at which the Turing coupling fires."""
NOISE = 0.0005
"""The original's noise variance when switched on, V^2 (22 mV per cell and step)."""
BACKEND = "numpy"
"""Step kernel of the runs that need a Simulation: the reference."""
SPEC_V_RANGE = (-95.0, 40.0)
"""The clamp of the classic model (docs/models.md), mV (kept here, apart from the kernel constants it judges)."""
EXCESS_TOL = 1e-9
"""Largest excess over the maximum-principle bound counted as round-off, mV."""
BOOKKEEPING_TOL = 1e-9
"""Largest bookkeeping error of the mean counted as round-off, mV."""


def _field(**kwargs) -> FieldParams:
    """``FieldParams(**kwargs)`` without the ClampWarning: the noise rows use the original's noise on purpose."""
    with warnings.catch_warnings():
        warnings.simplefilter("ignore", ClampWarning)
        return FieldParams(**kwargs)


def _sim(params: FieldParams, **kwargs) -> Simulation:
    sim = Simulation(params, backend=kwargs.pop("backend", BACKEND), lyapunov=kwargs.pop("lyapunov", False), **kwargs)
    sim.step(params.steps)
    return sim


def _pre(p: Probe) -> str:
    return (
        f"pre-clamp V in [{p.pre_min:.1f}, {p.pre_max:.1f}] mV, {p.clamped} clamped cell-steps, "
        f"excess {p.excess:.2g} mV"
    )


def _sound(p: Probe) -> bool:
    """Finite, within the maximum-principle bound at every step, and the mean's bookkeeping closes."""
    return p.finite and p.excess <= EXCESS_TOL and abs(p.bookkeeping_error) <= BOOKKEEPING_TOL


def _never_clamped(p: Probe) -> bool:
    return _sound(p) and p.clamped == 0 and p.out_of_range_steps == 0


_UNCLAMPED_LIMIT = (
    "finite; 0 clamped cells; every step within its maximum-principle bound (excess <= 1e-9 mV); "
    "mean drift = growth events' charge / cells (to 1e-9 mV)"
)


def _lattice_symbol(shape: tuple[int, int]) -> np.ndarray:
    ky = 2.0 * np.pi * np.fft.fftfreq(shape[0])
    kx = 2.0 * np.pi * np.fft.fftfreq(shape[1])
    return 4.0 * np.sin(ky / 2)[:, None] ** 2 + 4.0 * np.sin(kx / 2)[None, :] ** 2


def _predicted_variance(V0: np.ndarray, alpha: float, steps: int) -> float:
    """Spatial variance after ``steps`` of periodic explicit diffusion from ``V0`` (exact for the linear scheme)."""
    power = np.abs(np.fft.fft2(V0)) ** 2 / V0.size**2
    power[0, 0] = 0.0
    return float((power * (1.0 - alpha * _lattice_symbol(V0.shape)) ** (2 * steps)).sum())


# ---- controls -----------------------------------------------------------------------------


def pure_diffusion_lowers_variance() -> ValidationRow:
    params = _field(grid_size=32, steps=100, spike_probability=0.0, turing=False)
    p = probe(params)
    before, after = float(p.V0.var()), float(p.V.var())
    predicted = _predicted_variance(p.V0, params.alpha, params.steps)
    rel = abs(after / predicted - 1.0)
    return ValidationRow(
        "control",
        "pure_diffusion_lowers_variance",
        "pure diffusion (p=0, no Turing, no noise) lowers the spatial variance by what the scheme predicts",
        f"var {before:.3f} -> {after:.5f} mV^2 in 100 steps; predicted {predicted:.5f} (relative error {rel:.1e})",
        "after < before; equals sum_k |V0_k|^2 (1 - alpha lambda_k)^200 within 1e-6 relative",
        _never_clamped(p) and after < before and rel <= 1e-6,
    )


def growth_events_at_p_half() -> ValidationRow:
    params = _field(grid_size=32, steps=200, spike_probability=0.5, seed=1)
    p = probe(params)
    mean, sd = params.steps * 0.5, math.sqrt(params.steps * 0.25)
    lo, hi = math.ceil(mean - 4 * sd), math.floor(mean + 4 * sd)
    return ValidationRow(
        "control",
        "growth_events_at_p_half",
        "p=0.5 gives the expected growth events; their charge is all that moves the mean; the clamp is never reached",
        f"{p.events} events in 200 steps; mean drift {p.mean_drift:.4f} mV = charge/cells "
        f"{p.charge / p.cells:.4f} mV; {_pre(p)}",
        f"events in [{lo}, {hi}] (binomial mean 100 +- 4 sd); " + _UNCLAMPED_LIMIT,
        _never_clamped(p) and lo <= p.events <= hi,
    )


def turing_on_differs_from_off() -> ValidationRow:
    def pair(extra):
        on = probe(_field(grid_size=32, steps=200, seed=2, **extra))
        off = probe(_field(grid_size=32, steps=200, seed=2, turing=False, **extra))
        return on.activations, float(np.abs(on.V - off.V).mean())

    act_n, act_dv = pair(ACTIVE_KINETICS)
    def_n, def_dv = pair({})
    return ValidationRow(
        "control",
        "turing_on_differs_from_off",
        "with ra=0.1, ri=0.001 the Turing coupling fires and changes V; at the default kinetics it never "
        "fires and changes nothing (no true Turing instability, docs/models.md)",
        f"ra=0.1, ri=0.001: {act_n} activations, mean |V_on - V_off| = {act_dv:.1f} mV; "
        f"default kinetics: {def_n} activations, mean |V_on - V_off| = {def_dv:.3g} mV",
        "active kinetics: > 0 activations and > 1 mV apart; default kinetics: 0 activations and identical fields",
        act_n > 0 and act_dv > 1.0 and def_n == 0 and def_dv == 0.0,
    )


def noise_run_is_sound() -> ValidationRow:
    p = probe(_field(grid_size=32, steps=500, jitter_var=NOISE, seed=3))
    share = p.clamped / (p.cells * p.steps)
    return ValidationRow(
        "control",
        "noise_run_is_sound",
        "500 steps with noise (jitter_var=0.0005 V^2, 22 mV per step) stay finite and every step keeps "
        "within its bound; the clamp trims the noise's tails and, being asymmetric around -70 mV, "
        "pushes the mean up (stated, not hidden)",
        f"{_pre(p)} ({share:.1%} of cell-steps); mean drift {p.mean_drift:+.1f} mV, of which the clamp "
        f"{p.clamp_drift:+.1f}, noise {p.sources[2] / p.cells:+.1f}, growth {p.charge / p.cells:+.1f} mV; "
        f"bookkeeping error {p.bookkeeping_error:.1e} mV",
        "finite; excess <= 1e-9 mV at every step (bound: range + event + kick + that step's noise extremes); "
        "mean drift = sum of the sources (to 1e-9 mV)",
        _sound(p),
    )


def alpha_024_is_stable() -> ValidationRow:
    p = probe(_field(grid_size=32, steps=500, alpha=0.24, seed=4))
    std = float(p.V.std())
    return ValidationRow(
        "control",
        "alpha_024_is_stable",
        "alpha=0.24 is stable: the field never reaches the clamp and smooths below its initial spread",
        f"{_pre(p)}; spatial std {p.V0.std():.2f} -> {std:.3f} mV",
        _UNCLAMPED_LIMIT + "; final std < initial std",
        _never_clamped(p) and std < float(p.V0.std()),
    )


def thousand_steps_are_stable() -> ValidationRow:
    p = probe(_field(grid_size=32, steps=1000, seed=5))
    return ValidationRow(
        "control",
        "thousand_steps_are_stable",
        "1000 default steps never reach the clamp; the mean drifts up by exactly the growth events' charge "
        "(V has no leak, so it never settles)",
        f"{_pre(p)}; mean drift {p.mean_drift:+.4f} mV, charge/cells {p.charge / p.cells:+.4f} mV "
        f"({p.events} events, bookkeeping error {p.bookkeeping_error:.1e} mV)",
        _UNCLAMPED_LIMIT,
        _never_clamped(p),
    )


# ---- invariants ---------------------------------------------------------------------------


def clamp_holds_and_is_counted() -> ValidationRow:
    lo, hi, pre_lo, pre_hi, clamped, reached = math.inf, -math.inf, math.inf, -math.inf, 0, 0
    sound = True
    for seed in range(10):
        p = probe(_field(grid_size=16, steps=100, jitter_var=0.01, seed=seed))
        lo, hi = min(lo, float(p.V.min())), max(hi, float(p.V.max()))
        pre_lo, pre_hi = min(pre_lo, p.pre_min), max(pre_hi, p.pre_max)
        clamped += p.clamped
        reached += p.out_of_range_steps
        sound = sound and _sound(p)
    vmin, vmax = SPEC_V_RANGE
    return ValidationRow(
        "invariant",
        "clamp_holds_and_is_counted",
        "under the strongest noise (jitter_var=0.01) the clamp is reached, counted, and leaves V in [-95, 40] mV",
        f"pre-clamp V in [{pre_lo:.0f}, {pre_hi:.0f}] mV in {reached} steps; after the clamp V in "
        f"[{lo:.1f}, {hi:.1f}] mV; {clamped} clamped cell-steps counted",
        "after the clamp V in [-95, 40] mV (docs/models.md); the clamp reached and counted (> 0); every step within "
        "its bound and the bookkeeping closed, seeds 0-9",
        vmin <= lo and hi <= vmax and clamped > 0 and reached > 0 and sound,
    )


def same_seed_same_result() -> ValidationRow:
    params = _field(grid_size=24, steps=60, jitter_var=NOISE, **ACTIVE_KINETICS, seed=7)
    a, b = _sim(params, lyapunov=True), _sim(params, lyapunov=True)
    c = _sim(_field(**{**params.to_dict(), "seed": 8}), lyapunov=True)
    fa, fb = a.features().to_array().values, b.features().to_array().values
    same = np.array_equal(a.V, b.V) and np.array_equal(fa, fb) and a.lyapunov == b.lyapunov
    reference = np.array_equal(probe(params).V, a.V)
    backends = "numba not installed"
    numba_same = True
    if numba_available():
        numba_same = np.array_equal(_sim(params, backend="numba").V, a.V)
        backends = f"numba = numpy: {numba_same}"
    differs = not np.array_equal(a.V, c.V)
    return ValidationRow(
        "invariant",
        "same_seed_same_result",
        "the same seed gives bit-identical fields, features and Lyapunov exponent (numpy, numba, the probe); "
        "another seed differs",
        f"identical: {same}; probe = Simulation: {reference}; {backends}; other seed differs: {differs}",
        "all bit-identical; the other seed's field differs",
        same and reference and numba_same and differs,
    )


# ---- falsification attempts ---------------------------------------------------------------


def diffusion_smooths() -> ValidationRow:
    sim = Simulation(_field(grid_size=32, spike_probability=0.0, turing=False), backend=BACKEND, lyapunov=False)

    def roughness(V):
        return float(np.abs(np.diff(V, axis=0)).mean() + np.abs(np.diff(V, axis=1)).mean())

    values = [roughness(sim.V)]
    for _ in range(5):
        sim.step(10)
        values.append(roughness(sim.V))
    return ValidationRow(
        "falsification",
        "diffusion_smooths",
        "pure diffusion smooths the field",
        " -> ".join(f"{v:.3f}" for v in values) + " mV (mean neighbour difference every 10 steps)",
        "falls at every check",
        all(b < a for a, b in itertools.pairwise(values)),
    )


def _checkerboard(V: np.ndarray) -> float:
    sign = np.where((np.add.outer(np.arange(V.shape[0]), np.arange(V.shape[1])) % 2) == 0, 1.0, -1.0)
    return float((V * sign).mean())


def cfl_edge() -> ValidationRow:
    alpha, steps = 0.2499, 1000
    p = probe(_field(grid_size=32, steps=steps, alpha=alpha, seed=9))
    q = probe(_field(grid_size=32, steps=steps, alpha=alpha, spike_probability=0.0, seed=9))
    ratio = _checkerboard(q.V) / _checkerboard(q.V0)
    predicted = (1.0 - 8.0 * alpha) ** steps
    rel = abs(ratio / predicted - 1.0)
    refused = []
    for bad in (0.25, 0.3):
        try:
            FieldParams(alpha=bad)
        except ParameterError as err:
            refused.append(err.parameter == "alpha")
    refused_ok = len(refused) == 2 and all(refused)
    return ValidationRow(
        "falsification",
        "cfl_edge",
        "alpha=0.2499, at the CFL edge, stays stable: its fastest mode decays as the scheme says; alpha >= 0.25 "
        "is refused up front",
        f"{_pre(p)}; checkerboard mode (p=0) x{ratio:.5f} in 1000 steps, predicted (1 - 8 alpha)^1000 = "
        f"{predicted:.5f}; alpha=0.25 and 0.3 refused: {refused_ok}",
        _UNCLAMPED_LIMIT + "; checkerboard ratio within 1e-6 relative; both refused",
        _never_clamped(p) and _never_clamped(q) and rel <= 1e-6 and refused_ok,
    )


# ---- feature findings ---------------------------------------------------------------------


def threshold_sensitivity() -> ValidationRow:
    sim = _sim(_field(grid_size=64, steps=100))
    fixed = sim.features(FeatureParams())
    adaptive_params = FeatureParams(threshold_mode="adaptive")
    adaptive = sim.features(adaptive_params)
    structural = ("D_box", "f_active", "N_clusters_low", "N_clusters_med", "N_clusters_high", "max_cluster_size")
    all_zero = all(float(fixed[name]) == 0.0 for name in structural)
    # White-noise control: the same values at shuffled positions (same histogram, same percentiles).
    V = sim.V
    rng = np.random.default_rng(0)
    controls = []
    for _ in range(20):
        shuffled = rng.permutation(V.ravel()).reshape(V.shape)
        controls.append(int(features_from_state(shuffled, _NO_TEMPORAL, adaptive_params).N_clusters_low))
    run_clusters = int(adaptive.N_clusters_low)
    fit = box_fit(V > adaptive.attrs["threshold_low"])
    ok = all_zero and run_clusters < min(controls) and not fit.clipped and fit.r2 >= 0.95
    return ValidationRow(
        "finding",
        "threshold_sensitivity",
        "default run (64x64, 100 steps): fixed -60/-50/-40 mV thresholds see nothing (every structural feature 0); "
        "adaptive percentiles 50/75/90 see structure a white-noise control lacks",
        f"fixed: V_max {float(fixed.V_max):.1f} mV, structural features all 0: {all_zero}; adaptive (low "
        f"{adaptive.attrs['threshold_low']:.2f} mV): {run_clusters} clusters vs {min(controls)}-{max(controls)} "
        f"in 20 shuffled fields, D_box raw slope {fit.raw_slope:.3f}, R^2 {fit.r2:.4f}",
        "fixed: all 0; adaptive: fewer clusters than every shuffled control (permutation p < 0.05); "
        "D_box unclipped with R^2 >= 0.95",
        bool(ok),
    )


_NO_TEMPORAL = TemporalFeatures(dV_mean=0.0, dV_max=0.0, T_stable=0, E_trend=0.0, steps=0)
"""Temporal features of a single frame (the shuffled controls have no history; only structure is compared)."""


REGIMES = {
    "diffusion": {"spike_probability": 0.0, "turing": False},
    "growth": {},
    "Turing": ACTIVE_KINETICS,
    "noise": {"jitter_var": NOISE},
}


def regime_discrimination() -> ValidationRow:
    vectors = {}
    for name, extra in REGIMES.items():
        rows = [_sim(_field(grid_size=32, steps=200, seed=seed, **extra)).features().to_array().values
                for seed in range(3)]  # fmt: skip
        vectors[name] = np.array(rows)
    names = list(vectors)
    worst, worst_pair = math.inf, ""
    for i, a in enumerate(names):
        for b in names[i + 1 :]:
            va, vb = vectors[a], vectors[b]
            spread = va.std(axis=0) + vb.std(axis=0) + 1e-12 * (1 + np.abs(va).max(0) + np.abs(vb).max(0))
            separation = np.abs(va.mean(0) - vb.mean(0)) / spread
            k = int(np.argmax(separation))
            if separation[k] < worst:
                worst, worst_pair = float(separation[k]), f"{a} vs {b} by {FEATURE_NAMES[k]}"
    return ValidationRow(
        "finding",
        "regime_discrimination",
        "the features tell the regimes apart (diffusion, growth, Turing with ra=0.1, ri=0.001, noise; 32x32, "
        "200 steps, 3 seeds)",
        f"weakest pair: {worst_pair}, separation {min(worst, 1e9):.3g}",
        "for every pair some feature's means differ by > 3x the summed spread across seeds",
        worst > 3.0,
    )
