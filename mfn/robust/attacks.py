"""Byzantine attacks on federated updates, to test the aggregators of :mod:`mfn.robust.aggregators`.

Each attack takes the honest updates (n, dim) and a boolean mask of the attackers and returns
a new array in which the attackers' rows are replaced; honest rows are untouched. Attacks
that need statistics of the honest clients compute them from the rows not masked (an
omniscient attacker, the usual worst case). :func:`apply_attack` picks the attackers.

Attacks (``ATTACKS``):

* ``sign_flip``: each attacker sends ``-scale`` times its own honest update.
* ``gaussian_noise``: each attacker sends its update plus ``Normal(0, std^2)`` per
  coordinate (large by default).
* ``scaled``: each attacker sends ``factor`` times its own update (a boosting attack).
* ``colluding``: every attacker sends the *same* vector, by default ``-scale`` times the
  honest mean, so the attackers agree perfectly with each other.
* ``little_is_enough`` (Baruch et al. 2019): every attacker sends ``mu - z sigma``
  (coordinate-wise honest mean and population standard deviation); by default
  ``z = Phi^-1((n - s) / n)`` with ``s = floor(n / 2 + 1) - f``, the paper's choice, small
  enough to hide among the honest clients.
"""

from __future__ import annotations

import math
from collections.abc import Callable
from statistics import NormalDist

import numpy as np

from mfn.core.checks import check_choice, check_real
from mfn.core.errors import ParameterError
from mfn.robust.aggregators import check_updates, resolve_rng

__all__ = [
    "ATTACKS",
    "apply_attack",
    "colluding",
    "gaussian_noise",
    "little_is_enough",
    "scaled",
    "sign_flip",
]


def _prepare(updates, attackers) -> tuple[np.ndarray, np.ndarray]:
    arr = check_updates(updates)
    mask = np.asarray(attackers)
    if mask.dtype != bool or mask.shape != (arr.shape[0],):
        raise ParameterError(
            "attackers", f"array of dtype {mask.dtype} and shape {mask.shape}", f"a boolean mask of shape ({len(arr)},)"
        )
    return arr.copy(), mask


def _honest_rows(arr: np.ndarray, mask: np.ndarray) -> np.ndarray:
    honest = arr[~mask]
    if honest.shape[0] == 0:
        raise ParameterError("attackers", "every client", "at least one honest client (this attack copies them)")
    return honest


def sign_flip(updates, attackers, scale: float = 1.0) -> np.ndarray:
    """Attackers send ``-scale`` times their own update (``scale > 0``)."""
    arr, mask = _prepare(updates, attackers)
    arr[mask] *= -check_real("scale", scale, 0.0, lo_open=True)
    return arr


def gaussian_noise(updates, attackers, std: float = 100.0, *, seed: int | None = 0, rng=None) -> np.ndarray:
    """Attackers add ``Normal(0, std^2)`` noise per coordinate (``std > 0``, same units as the updates)."""
    arr, mask = _prepare(updates, attackers)
    std = check_real("std", std, 0.0, lo_open=True)
    arr[mask] += resolve_rng(seed, rng).normal(0.0, std, (int(mask.sum()), arr.shape[1]))
    return arr


def scaled(updates, attackers, factor: float = 10.0) -> np.ndarray:
    """Attackers send ``factor`` times their own update (any finite factor, e.g. 10 or -5)."""
    arr, mask = _prepare(updates, attackers)
    arr[mask] *= check_real("factor", factor)
    return arr


def colluding(updates, attackers, target=None, scale: float = 1.0) -> np.ndarray:
    """Every attacker sends the same vector: ``target``, or ``-scale`` times the honest mean.

    Parameters
    ----------
    target : (dim,) float ndarray, optional
        The shared malicious update.
    scale : float
        Used when ``target`` is None, > 0.
    """
    arr, mask = _prepare(updates, attackers)
    if target is None:
        vec = -check_real("scale", scale, 0.0, lo_open=True) * _honest_rows(arr, mask).mean(axis=0)
    else:
        vec = check_updates(np.atleast_2d(target), "target")
        if vec.shape != (1, arr.shape[1]):
            raise ParameterError("target", f"array of shape {np.shape(target)}", f"shape ({arr.shape[1]},)")
        vec = vec[0]
    arr[mask] = vec
    return arr


def little_is_enough(updates, attackers, z: float | None = None) -> np.ndarray:
    """ "A little is enough": every attacker sends ``mu - z sigma`` of the honest updates.

    Parameters
    ----------
    z : float, optional
        Shift in honest standard deviations, ``>= 0``; default Baruch et al.'s
        ``Phi^-1((n - s) / n)``, ``s = floor(n / 2 + 1) - f`` (0 when that is not positive).
    """
    arr, mask = _prepare(updates, attackers)
    honest = _honest_rows(arr, mask)
    if z is None:
        n, f = arr.shape[0], int(mask.sum())
        s = math.floor(n / 2 + 1) - f
        z = max(0.0, NormalDist().inv_cdf((n - s) / n)) if 0 < s < n else 0.0
    z = check_real("z", z, 0.0)
    arr[mask] = honest.mean(axis=0) - z * honest.std(axis=0)
    return arr


ATTACKS: dict[str, Callable[..., np.ndarray]] = {
    "sign_flip": sign_flip,
    "gaussian_noise": gaussian_noise,
    "scaled": scaled,
    "colluding": colluding,
    "little_is_enough": little_is_enough,
}
"""Every attack by name."""


def apply_attack(
    updates, attack: str, fraction: float, *, seed: int | None = 0, rng=None, **options
) -> tuple[np.ndarray, np.ndarray]:
    """Turn a random ``floor(fraction n)`` of the clients into attackers.

    Parameters
    ----------
    updates : (n, dim) float ndarray
        Honest updates.
    attack : str
        A name in :data:`ATTACKS`.
    fraction : float
        Fraction of attackers, ``0 <= fraction < 1``.
    seed, rng
        Choose the attackers (and draw the noise of ``gaussian_noise``).
    **options
        Passed to the attack (``scale``, ``std``, ``factor``, ``target``, ``z``).

    Returns
    -------
    attacked : (n, dim) float64 ndarray
    attackers : (n,) bool ndarray

    Examples
    --------
    >>> u = np.ones((10, 2))
    >>> attacked, bad = apply_attack(u, "sign_flip", 0.2, seed=1)
    >>> int(bad.sum()), attacked[bad].tolist()
    (2, [[-1.0, -1.0], [-1.0, -1.0]])
    """
    arr = check_updates(updates)
    name = check_choice("attack", attack, tuple(ATTACKS))
    fraction = check_real("fraction", fraction, 0.0, 1.0, hi_open=True)
    gen = resolve_rng(seed, rng)
    n = arr.shape[0]
    mask = np.zeros(n, dtype=bool)
    mask[gen.choice(n, size=math.floor(fraction * n), replace=False)] = True
    if name == "gaussian_noise":
        options.setdefault("rng", gen)
    return ATTACKS[name](arr, mask, **options), mask
