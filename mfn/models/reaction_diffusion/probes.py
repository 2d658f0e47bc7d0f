"""Measurements of the reaction–diffusion model against its theory: what the validation rows read.

Each function runs the model (:data:`BACKEND`: the fused numba step; the mutation tests switch
it to the numpy reference, whose module globals they can replace) and returns the numbers a
row judges. ``benchmarks/turing_wavelengths.py`` runs them over seeds to measure each row's
spread, which sets its limit (:mod:`.validation`).

- :func:`linear_growth`: the growth rate of the fastest spectral ring in the linear phase
  against the dispersion relation;
- :func:`settled_wavelength`: a run until its pattern settles (:mod:`.settle`), its wavelength
  against the fastest wavelength the box allows;
- :func:`linear_decay`: a run without a Turing instability against the linearised explicit
  scheme applied, mode by mode, to its own initial noise;
- :func:`potential_response`: the membrane potential against its steady response to the
  final activator, ``V = E_rest + g_u (1 + λ² q)⁻¹ (u - u*)`` per Fourier mode (symbol ``q``).
"""

from __future__ import annotations

import math

import numpy as np

__all__ = ["BACKEND", "linear_decay", "linear_growth", "potential_response", "settled_wavelength", "stepper"]

BACKEND = "numba"
"""Step used by the probes (the tests switch it to the numpy reference to break a kernel)."""
SETTLE_CAP = 2000
"""Most model steps :func:`settled_wavelength` runs while waiting for the pattern to settle."""


def stepper(params):
    """An :class:`~.stepper.RDStepper` of ``params`` on :data:`BACKEND`."""
    from mfn.models.reaction_diffusion.stepper import RDStepper

    return RDStepper(params, BACKEND)


def _symbol(shape: tuple[int, int]) -> np.ndarray:
    """The five-point Laplacian's symbol ``4 sin²(kx/2) + 4 sin²(ky/2)`` of every FFT mode of a periodic grid."""
    fy = np.fft.fftfreq(shape[0])[:, None]
    fx = np.fft.fftfreq(shape[1])[None, :]
    return 4 * np.sin(np.pi * fy) ** 2 + 4 * np.sin(np.pi * fx) ** 2


def _rings(shape: tuple[int, int]) -> np.ndarray:
    """Integer ring of every FFT mode, as :func:`mfn.analysis.spectra.radial_spectrum` bins them."""
    side = min(shape)
    fy = np.fft.fftfreq(shape[0])[:, None] * side
    fx = np.fft.fftfreq(shape[1])[None, :] * side
    return np.rint(np.hypot(fy, fx)).astype(int)


def _jacobian(params) -> tuple[float, float, float, float]:
    u, v = params.state
    return tuple(float(x) for x in params.kin.jacobian(u, v, params.kinetic_values))


def linear_growth(params) -> dict:
    """Measure the linear phase of a Turing-unstable run against the dispersion relation.

    Runs ``params`` (one Euler step per model step) from their noise for ``12 / σ_max`` time
    units and takes the radially averaged spectrum of ``u`` at ``4 / σ_max`` (the decaying
    component has gone) and at the end (amplitude still about 1e-2 from noise 1e-6). The
    prediction is the ring's power growth from the dispersion relation of the scheme the
    model steps (five-point symbol, explicit Euler steps of ``dt``:
    :func:`~.linear.euler_growth_rate`) of every mode in the ring with equal initial power
    (white noise): ``ln(Σ e^{2σ_j t2} / Σ e^{2σ_j t1}) / (2 (t2 - t1))``.

    Returns
    -------
    dict
        ``ring`` (dominant at the end), ``allowed`` (the two rings bracketing
        ``k_max N / 2π``), ``measured`` and ``predicted`` growth rates of that ring (1/time),
        ``t1``, ``t2`` and ``amplitude`` (std of u at ``t2``).
    """
    from mfn.analysis.spectra import radial_spectrum
    from mfn.models.reaction_diffusion.linear import euler_growth_rate
    from mfn.models.reaction_diffusion.turing import turing_analysis

    p = params.replace(substeps=1, steps=10**6, settle_window=10**6)  # no settling checks: not needed here
    ta = turing_analysis(p)
    sigma_max, k_max = ta.attrs["sigma_max"], ta.attrs["k_max"]
    n1 = round(4.0 / sigma_max / p.dt)
    n2 = round(12.0 / sigma_max / p.dt)
    s = stepper(p)
    s.advance(n1)
    p1 = radial_spectrum(s.u).values
    s.advance(n2 - n1)
    p2 = radial_spectrum(s.u).values
    t1, t2 = n1 * p.dt, n2 * p.dt
    dominant = int(np.argmax(p2)) + 1
    target = k_max * min(p.shape) / (2 * math.pi)
    measured = math.log(p2[dominant - 1] / p1[dominant - 1]) / (2 * (t2 - t1))
    sig = euler_growth_rate(*_jacobian(p), p.Du, p.Dv, _symbol(p.shape)[_rings(p.shape) == dominant], p.dt)
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


def settled_wavelength(params, cap: int = SETTLE_CAP) -> dict:
    """Run ``params`` until the pattern settles (at most ``cap`` model steps) and measure it.

    Returns
    -------
    dict
        ``settled`` (bool), ``steps`` (model steps run), ``change`` (relative L2 change over
        the last window), ``measured`` (wavelength of the settled u, cells, to a fraction of a
        mode), ``predicted`` (2π / k_max, continuum), ``box`` (2π / k of the fastest shell of
        modes the periodic box allows), ``band`` (the unstable band, cells), ``V_range`` (mV).
    """
    from mfn.models.reaction_diffusion.turing import turing_analysis

    p = params.replace(until_settled=True, steps=cap)
    ta = turing_analysis(p)
    s = stepper(p)
    while s.t < cap and not s.finished():
        s.advance(p.settle_window)
    last = s.settle.last
    return {
        "settled": bool(s.finished()),
        "steps": s.t,
        "change": last.change,
        "measured": last.wavelength,
        "predicted": float(ta.attrs["wavelength"]),
        "box": 2 * math.pi / float(ta.attrs["k_max_lattice"]),
        "band": tuple(ta.attrs["band_wavelength"]),
        "V_range": (float(s.V.min()), float(s.V.max())),
    }


def linear_decay(params) -> dict:
    """Run ``params`` (no Turing instability; small noise) and compare ``u`` with the linearised scheme.

    Every Fourier mode of the initial perturbation ``(u - u*, v - v*)`` is advanced by the
    explicit Euler map of the linearised equations, ``A = I + dt (J - q diag(Du, Dv))`` (``q``
    the five-point symbol of a periodic grid), ``steps * substeps`` times; the prediction is the
    inverse transform of the result. The error is nonlinear (of the order of the noise) and
    round-off; a different stencil, boundary or time step shows at once.

    Returns
    -------
    dict
        ``error`` (``||u - u_predicted|| / ||u_predicted - u*||``), ``var_before`` and
        ``var_after`` (variance of u), ``euler_steps``.
    """
    s = stepper(params)
    us, vs = params.state
    U = np.fft.fft2(s.u - us)
    W = np.fft.fft2(s.v - vs)
    before = float(s.u.var())
    n = params.steps * params.substeps
    s.advance(params.steps)
    fu, fv, gu, gv = _jacobian(params)
    q = _symbol(params.shape)
    A = np.empty((*q.shape, 2, 2))
    A[..., 0, 0] = 1 + params.dt * (fu - q * params.Du)
    A[..., 0, 1] = params.dt * fv
    A[..., 1, 0] = params.dt * gu
    A[..., 1, 1] = 1 + params.dt * (gv - q * params.Dv)
    An = np.linalg.matrix_power(A, n)
    predicted = np.fft.ifft2(An[..., 0, 0] * U + An[..., 0, 1] * W).real
    error = float(np.linalg.norm((s.u - us) - predicted) / np.linalg.norm(predicted))
    return {"error": error, "var_before": before, "var_after": float(s.u.var()), "euler_steps": n}


def potential_response(params) -> dict:
    """Run ``params`` and compare V with its steady response to the final activator.

    With ``u`` held fixed, ``τ V_t = -(V - E_rest) + λ² ∇²V + g_u (u - u*)`` settles (and its
    explicit Euler map has the same fixed point) at ``V̂ = g_u û / (1 + λ² q)`` per Fourier
    mode of ``u - u*``, plus ``E_rest``. A run's V lags a pattern that still moves by about
    ``τ`` times its rate of change.

    Returns
    -------
    dict
        ``error`` (``||V - V_response|| / ||V_response - E_rest||``), ``V_range`` (mV, raw: the
        kernel has no clamp).
    """
    s = stepper(params)
    s.advance(params.steps)
    us = params.state[0]
    response = np.fft.ifft2(params.g_u * np.fft.fft2(s.u - us) / (1 + params.space_constant**2 * _symbol(params.shape)))
    response = params.E_rest + response.real
    error = float(np.linalg.norm(s.V - response) / np.linalg.norm(response - params.E_rest))
    return {"error": error, "V_range": (float(s.V.min()), float(s.V.max()))}
