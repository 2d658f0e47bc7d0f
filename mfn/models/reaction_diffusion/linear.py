"""Linear stability of reaction–diffusion kinetics, vectorised: states, conditions, dispersion.

The building blocks of :mod:`.turing` (one parameter set) and of the Turing-space map (a
grid of them); every function broadcasts over leading array dimensions.

- :func:`find_states`: homogeneous steady states ``f = g = 0`` found by damped Newton
  iterations from a fixed set of starting points (never assumed from a formula);
- :func:`growth_rate`: the largest real part of the eigenvalues of ``J - q D`` for a
  Laplacian symbol ``q`` (``k²`` in the continuum, ``4 sin²(kx/2) + 4 sin²(ky/2)`` on the
  five-point lattice), in closed form for 2x2 matrices; :func:`euler_growth_rate`, the same
  mode's growth under the explicit Euler steps of ``dt`` the model takes;
- :func:`conditions`: the four Turing conditions (Murray, Mathematical Biology II, ch. 2),
  the unstable band of ``k²`` and the fastest continuum mode.
"""

from __future__ import annotations

import numpy as np

__all__ = ["STARTS", "conditions", "euler_growth_rate", "find_states", "growth_rate", "max_stable_dt"]

_AXIS = np.array([-2.0, -1.0, -0.5, 0.0, 0.05, 0.2, 0.5, 1.0, 2.0, 4.0, 10.0, 30.0])
STARTS = np.stack(np.meshgrid(_AXIS, _AXIS, indexing="ij"), axis=-1).reshape(-1, 2)
"""Starting points ``(u, v)`` of the Newton iterations (144 points, -2 .. 30 on each axis)."""
NEWTON_ITERATIONS = 300
NEWTON_MAX_STEP = 5.0
"""Largest change of ``u`` or ``v`` in one Newton iteration (damping far from a root)."""
STEP_TOL = 1e-13
"""Newton stops at a point when its last correction is below this, relative to ``max(1, |u|, |v|)``."""
RESIDUAL_TOL = 1e-9
"""A converged point is a steady state when ``max(|f|, |g|)`` is below this (rates per unit time)."""
DIVERGED = 1e6
"""Iterates whose ``|u| + |v|`` exceeds this are abandoned (no state of interest lies there)."""
SNAP = 1e-15
"""State components smaller than this in magnitude are reported as exactly 0 (round-off)."""
K_POINTS = 4001
"""Wavenumbers sampled in ``[0, π]`` to locate the fastest continuum mode (then refined)."""


def find_states(kin, p, *, starts: np.ndarray = STARTS):
    """Homogeneous steady states of ``kin`` for parameters ``p``, by damped Newton.

    Parameters
    ----------
    kin : Kinetics
        The kinetics.
    p : tuple of float or of (G,) arrays
        Its parameters; arrays evaluate ``G`` parameter sets at once.
    starts : (S, 2) ndarray
        Starting points.

    Returns
    -------
    u, v : (G, S) ndarray
        The point each start converged to (NaN where it did not converge to a state, or to a
        negative one for kinetics whose concentrations must be positive).
    """
    g_count = max((np.size(x) for x in p), default=1)
    pp = tuple(np.reshape(np.asarray(x, dtype=float), (-1, 1)) if np.ndim(x) else float(x) for x in p)
    u = np.broadcast_to(starts[:, 0], (g_count, len(starts))).copy()
    v = np.broadcast_to(starts[:, 1], (g_count, len(starts))).copy()
    u, v = u.ravel(), v.ravel()
    pp = tuple(np.repeat(x.ravel(), len(starts)) if isinstance(x, np.ndarray) else x for x in pp)
    idx = np.arange(u.size)  # the points still iterating
    with np.errstate(all="ignore"):
        for _ in range(NEWTON_ITERATIONS):
            pi = tuple(x[idx] if isinstance(x, np.ndarray) else x for x in pp)
            ui, vi = u[idx], v[idx]
            du, dv = _newton_step(kin, ui, vi, pi)
            scale = np.maximum(1.0, np.maximum(np.abs(du), np.abs(dv)) / NEWTON_MAX_STEP)
            ui, vi = ui - du / scale, vi - dv / scale
            u[idx], v[idx] = ui, vi
            size = np.maximum(np.abs(du), np.abs(dv))
            going = (size > STEP_TOL * np.maximum(1.0, np.maximum(np.abs(ui), np.abs(vi)))) & (
                np.abs(ui) + np.abs(vi) < DIVERGED
            )
            idx = idx[going]
            if idx.size == 0:
                break
        converged = np.ones(u.size, dtype=bool)
        converged[idx] = False
        fr, gr = kin.f(u, v, pp), kin.g(u, v, pp)
        ok = (np.maximum(np.abs(fr), np.abs(gr)) < RESIDUAL_TOL) & converged
    u, v, ok = (x.reshape(g_count, len(starts)) for x in (u, v, ok))
    if kin.positive:
        ok &= (u >= 0) & (v >= 0)
    ok &= v > kin.v_min
    return np.where(ok, u, np.nan), np.where(ok, v, np.nan)


def _newton_step(kin, u, v, pp):
    """The Newton correction ``J⁻¹ (f, g)``; zero where the residual is exactly zero."""
    fr, gr = kin.f(u, v, pp), kin.g(u, v, pp)
    fu, fv, gu, gv = kin.jacobian(u, v, pp)
    det = fu * gv - fv * gu
    du = (gv * fr - fv * gr) / det
    dv = (fu * gr - gu * fr) / det
    exact = (fr == 0) & (gr == 0)
    return np.where(exact, 0.0, du), np.where(exact, 0.0, dv)


def unique_states(u: np.ndarray, v: np.ndarray, rel: float = 1e-7) -> list[tuple[float, float]]:
    """The distinct finite points of 1-D arrays ``u``, ``v`` (merged within ``rel``), sorted by ``u``.

    Of points that merge, the one met first with an exact zero is kept (a state at the
    origin is reported as exactly 0, not as a round-off neighbour).
    """
    found: list[tuple[float, float]] = []
    order = np.argsort(np.abs(u) + np.abs(v), kind="stable")
    for uu, vv in zip(u[order], v[order], strict=True):
        if not (np.isfinite(uu) and np.isfinite(vv)):
            continue
        tol = rel * max(1.0, abs(uu), abs(vv))
        uu = 0.0 if abs(uu) < SNAP else uu
        vv = 0.0 if abs(vv) < SNAP else vv
        if all(abs(uu - a) > tol or abs(vv - b) > tol for a, b in found):
            found.append((float(uu), float(vv)))
    return sorted(found)


def growth_rate(fu, fv, gu, gv, Du, Dv, q):
    """Largest real part of the eigenvalues of ``J - q diag(Du, Dv)`` (per unit time)."""
    a = fu - q * Du
    d = gv - q * Dv
    tr = a + d
    det = a * d - fv * gu
    disc = tr * tr / 4.0 - det
    return tr / 2.0 + np.sqrt(np.maximum(disc, 0.0))


def euler_growth_rate(fu, fv, gu, gv, Du, Dv, q, dt):
    """Growth rate per unit time of a mode under explicit Euler steps of ``dt``: ``max ln|1 + dt λ| / dt``.

    ``λ`` are the eigenvalues of ``J - q diag(Du, Dv)``; for small ``dt σ`` this is
    ``σ - dt σ² / 2 + ...`` below :func:`growth_rate` (0.1–0.4 % at the built-in kinetics'
    defaults, which the linear-phase validation row resolves).
    """
    a = fu - q * Du
    d = gv - q * Dv
    half = (a + d) / 2.0
    root = np.sqrt(np.asarray(half * half - (a * d - fv * gu), dtype=complex))
    return np.maximum(np.log(np.abs(1 + dt * (half + root))), np.log(np.abs(1 + dt * (half - root)))) / dt


def conditions(fu, fv, gu, gv, Du, Dv) -> dict[str, np.ndarray]:
    """The Turing conditions, the unstable band and the fastest continuum mode.

    Returns
    -------
    dict
        ``trace``, ``det`` (of J); booleans ``stable_trace`` (tr J < 0), ``stable_det``
        (det J > 0), ``activator`` (Dv f_u + Du g_v > 0), ``crossing``
        ((Dv f_u + Du g_v)² > 4 Du Dv det J), ``turing`` (all four); ``k_lo``, ``k_hi`` (the
        band where det(J - k² D) < 0; NaN without it); ``k_max``, ``sigma_max`` (the fastest
        continuum mode in ``(0, π]`` and its growth rate; NaN without a band).
    """
    with np.errstate(all="ignore"):
        tr = fu + gv
        det = fu * gv - fv * gu
        h = Dv * fu + Du * gv
        disc = h * h - 4.0 * Du * Dv * det
        out = {
            "trace": tr,
            "det": det,
            "stable_trace": tr < 0,
            "stable_det": det > 0,
            "activator": h > 0,
            "crossing": disc > 0,
        }
        turing = out["stable_trace"] & out["stable_det"] & out["activator"] & out["crossing"]
        root = np.sqrt(np.where(turing, disc, np.nan))
        q_lo = (h - root) / (2.0 * Du * Dv)
        q_hi = (h + root) / (2.0 * Du * Dv)
        out["turing"] = turing
        out["k_lo"] = np.sqrt(q_lo)
        out["k_hi"] = np.sqrt(q_hi)
        k_max, sigma_max = _fastest(fu, fv, gu, gv, Du, Dv, turing)
    out["k_max"] = k_max
    out["sigma_max"] = sigma_max
    return out


def _fastest(fu, fv, gu, gv, Du, Dv, mask):
    """Fastest continuum mode in (0, π] where ``mask``: a grid search refined by a parabola.

    Evaluated only at the masked entries, in chunks, so memory stays bounded on big grids.
    """
    mask = np.asarray(mask)
    shape = mask.shape
    k_out = np.full(shape, np.nan)
    s_out = np.full(shape, np.nan)
    where = np.nonzero(mask.ravel())[0]
    flat = [np.broadcast_to(x, shape).ravel()[where] for x in (fu, fv, gu, gv, Du, Dv)]
    k = np.linspace(0.0, np.pi, K_POINTS)
    dk = k[1] - k[0]
    for start in range(0, where.size, 1024):
        args = [x[start : start + 1024, None] for x in flat]
        sigma = growth_rate(*args, k * k)
        i = np.clip(np.argmax(sigma, axis=-1), 1, K_POINTS - 2)[:, None]
        s0, s1, s2 = (np.take_along_axis(sigma, i + d, -1)[:, 0] for d in (-1, 0, 1))
        curv = s0 - 2.0 * s1 + s2
        shift = np.where(curv < 0, 0.5 * (s0 - s2) / np.where(curv < 0, curv, -1.0), 0.0)
        kb = k[i[:, 0]] + shift * dk
        sel = where[start : start + 1024]
        k_out.ravel()[sel] = kb
        s_out.ravel()[sel] = growth_rate(*(a[:, 0] for a in args), kb * kb)
    return k_out, s_out


def max_stable_dt(fu, fv, gu, gv, Du, Dv, q_max: float = 8.0, samples: int = 801) -> float:
    """Largest explicit-Euler time step keeping every decaying lattice mode from growing.

    For each Laplacian symbol ``q`` in ``[0, q_max]`` (8 is the largest five-point symbol,
    dx = 1), each eigenvalue ``λ`` of ``J - q D`` with ``Re λ < 0`` and ``|Im λ| <= |Re λ|``
    needs ``|1 + dt λ| < 1``, that is ``dt < -2 Re λ / |λ|²`` (for pure diffusion:
    ``dt < 1 / (4 D)``). Oscillatory modes (``|Im λ| > |Re λ|``, near a Hopf point) get the
    stiffness bound ``dt |λ| < 2`` instead: |1 + dt λ| < 1 would forbid every step as
    ``Re λ → 0``, while explicit Euler only adds a spurious growth of about ``dt |λ|² / 2``
    to them. Growing modes (the Turing band, Re λ >= 0) set no limit. Returns that bound
    (``inf`` when nothing decays).
    """
    q = np.linspace(0.0, q_max, samples)
    a = fu - q * Du
    d = gv - q * Dv
    tr = a + d
    det = a * d - fv * gu
    sq = np.sqrt((tr * tr / 4.0 - det).astype(complex))
    lam = np.concatenate([tr / 2.0 + sq, tr / 2.0 - sq])
    decaying = lam.real < 0
    if not decaying.any():
        return float("inf")
    lam = lam[decaying]
    real_like = np.abs(lam.imag) <= np.abs(lam.real)
    bound = np.where(real_like, -2.0 * lam.real / np.abs(lam) ** 2, 2.0 / np.abs(lam))
    return float(bound.min())
