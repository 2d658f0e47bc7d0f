"""Byzantine-robust aggregation of client updates.

Every aggregator takes an (n_clients, dim) array and returns one (dim,) update.

* :func:`krum` and :func:`multi_krum` (Blanchard et al. 2017): the score of a client is the
  sum of its *squared* distances to its ``n - f - 2`` nearest other clients; Krum returns the
  client with the lowest score, Multi-Krum the mean of the ``m`` lowest. Their guarantee
  needs ``n >= 2 f + 3``, which is enforced.
* :func:`median` and :func:`trimmed_mean` (Yin et al. 2018), coordinate-wise baselines.
* :func:`hierarchical_krum`: Krum inside seeded clusters, then 0.7 Krum + 0.3 median of
  the cluster winners (docs/learning.md).

Non-finite updates (NaN or infinity) are **rejected** with :class:`~mfn.core.errors.ParameterError`
rather than treated as Byzantine: a NaN would otherwise poison every distance, and silently
dropping clients would change ``n`` and with it the meaning of ``f``. Filter them first if
you want to treat them as attackers (``updates[np.isfinite(updates).all(axis=1)]``).

Distances use the Gram matrix on centred data, in row blocks, so memory stays at
``block x n`` floats and 10,000 clients of dimension 100 take seconds.

Huge finite updates (ADR 0014). An attacker may send any finite value, up to the float64
maximum (1.8e308); squaring 1e155 already overflows. So distances are computed on data
centred on the coordinate-wise *median* (robust: honest rows stay near zero however far an
attacker is, so their mutual distances keep full precision) and scaled by a power of two
chosen so that the largest possible Krum score fits in float64. A power-of-two scaling is
exact, so on ordinary data the numbers are those of the unscaled formula, and Krum's
*choices* are made on the scaled scores: they never see an overflow and no score is NaN.
Values returned *as distances or scores* (:func:`pairwise_sq_distances`,
:func:`krum_scores`) are scaled back and are ``inf`` where the true value exceeds the
float64 range (about 1.8e308), which is the correctly rounded result. The means (plain,
trimmed, Multi-Krum) are computed per coordinate on scaled values too, so the mean of
finite updates is always finite. Distances below the float64 range relative to the
largest one (a spread of more than about 1e300 between clients) underflow to 0 and tie;
ties go to the lowest index.
"""

from __future__ import annotations

import math

import numpy as np

from mfn.core.checks import check_int, check_real
from mfn.core.errors import ParameterError

__all__ = [
    "AGGREGATORS",
    "check_updates",
    "hierarchical_krum",
    "krum",
    "krum_scores",
    "mean",
    "median",
    "multi_krum",
    "pairwise_sq_distances",
    "resolve_rng",
    "trimmed_mean",
]

HIERARCHICAL_KRUM_WEIGHT = 0.7
"""Weight of Krum over the cluster winners; the coordinate-wise median gets the rest."""

SAMPLING_THRESHOLD = 1000
"""Hierarchical Krum samples clients first when there are more than this many."""

_BLOCK_ELEMENTS = 4_000_000  # distances held at once (32 MB of float64)


def resolve_rng(seed: int | None, rng: np.random.Generator | None) -> np.random.Generator:
    """``rng`` when given, else a generator seeded with ``seed`` (an int >= 0, or None for fresh entropy)."""
    if rng is not None:
        if not isinstance(rng, np.random.Generator):
            raise ParameterError("rng", rng, "a numpy.random.Generator or None")
        return rng
    return np.random.default_rng(None if seed is None else check_int("seed", seed, 0))


def check_updates(updates, name: str = "updates") -> np.ndarray:
    """Return ``updates`` as a finite (n_clients, dim) float64 array, or raise ``ParameterError``."""
    try:
        arr = np.asarray(updates, dtype=np.float64)
    except (TypeError, ValueError):
        raise ParameterError(name, updates, "an (n_clients, dim) array of real numbers") from None
    if arr.ndim != 2 or arr.shape[0] == 0 or arr.shape[1] == 0:
        raise ParameterError(name, f"array of shape {arr.shape}", "a non-empty (n_clients, dim) array")
    finite = np.isfinite(arr).all(axis=1)
    if not finite.all():
        bad = np.flatnonzero(~finite)
        raise ParameterError(
            name,
            f"{bad.size} non-finite updates (rows {bad[:5].tolist()}{'...' if bad.size > 5 else ''})",
            "finite values (no NaN or infinity)",
            "non-finite updates are rejected, not treated as Byzantine; drop those rows first if intended",
        )
    return arr


def _check_f(f, n: int) -> int:
    f = check_int("f", f, 0)
    if n < 2 * f + 3:
        raise ParameterError("f", f, f"n_clients >= 2 f + 3, i.e. f <= {(n - 3) // 2} for n_clients = {n}")
    return f


def _row_blocks(n: int):
    step = max(1, _BLOCK_ELEMENTS // max(n, 1))
    for start in range(0, n, step):
        yield slice(start, min(n, start + step))


def _per_column_scaled(arr: np.ndarray, reduce) -> np.ndarray:
    """``reduce(arr, axis=0)`` on columns scaled by a power of two into [-1, 1]: cannot overflow."""
    _, exp = np.frexp(np.abs(arr).max(axis=0))  # max < 2**exp; power-of-two scaling is exact
    return np.ldexp(reduce(np.ldexp(arr, -exp[None, :]), axis=0), exp)


def _scaled_mean(arr: np.ndarray) -> np.ndarray:
    """Coordinate-wise mean; finite for finite input (``np.mean`` overflows past 1.8e308 / n)."""
    return _per_column_scaled(arr, np.mean)


def _scaled_median(arr: np.ndarray) -> np.ndarray:
    """Coordinate-wise median; ``np.median`` averages two values and can overflow."""
    return _per_column_scaled(arr, np.median)


def _sq_dist_block(x: np.ndarray, sq: np.ndarray, rows: slice) -> np.ndarray:
    d = x[rows] @ x.T
    d *= -2.0  # in place: ||a||^2 + ||b||^2 - 2 a.b without temporaries
    d += sq[rows, None]
    d += sq[None, :]
    np.maximum(d, 0.0, out=d)  # round-off can make ||a||^2 + ||b||^2 - 2ab slightly negative
    d[np.arange(d.shape[0]), np.arange(rows.start, rows.stop)] = 0.0
    return d


def _centred(updates: np.ndarray) -> tuple[np.ndarray, np.ndarray, int]:
    """Median-centred updates scaled by ``2**-shift``, their squared norms, and ``shift``.

    Distances are translation invariant; centring on the median keeps honest rows near 0
    (little cancellation in the Gram trick) even beside a huge attacker. The power-of-two
    scale makes the largest possible Krum score, ``n * dim * (2 max|x|)**2``, fit below
    2**1020; true squared distances are the scaled ones times ``2**(2 shift)``.
    """
    n, dim = updates.shape
    # the median of values near +-1.8e308 is finite; the subtraction can overflow, so halve first
    x = updates * 0.5 - _scaled_median(updates) * 0.5
    top = float(np.abs(x).max())
    if top == 0.0:
        return x, np.zeros(n), 0
    _, exp_top = math.frexp(top)  # top < 2**exp_top
    target = (1016 - math.ceil(math.log2(4.0 * n * dim))) // 2  # max|x| scaled below 2**target
    shift = exp_top - target  # x / 2**shift < 2**target
    x = np.ldexp(x, -shift)
    return x, np.einsum("ij,ij->i", x, x), shift + 1  # + 1: the halving above


def pairwise_sq_distances(updates) -> np.ndarray:
    """All squared Euclidean distances between clients.

    Parameters
    ----------
    updates : (n, dim) float ndarray

    Returns
    -------
    (n, n) float64 ndarray
        Symmetric, zero diagonal, never negative. Needs ``8 n^2`` bytes: for Krum on many
        clients use :func:`krum_scores`, which works in blocks.
    """
    x, sq, shift = _centred(check_updates(updates))
    with np.errstate(over="ignore"):  # inf is the correctly rounded value past 1.8e308
        return np.ldexp(_sq_dist_block(x, sq, slice(0, x.shape[0])), 2 * shift)


def _krum_scores(updates: np.ndarray, f: int) -> tuple[np.ndarray, int]:
    """Scaled Krum scores (never overflowing) and the shift: true scores are ``s * 2**(2 shift)``."""
    n = updates.shape[0]
    k = n - f - 2  # neighbours counted, self excluded
    x, sq, shift = _centred(updates)
    scores = np.empty(n)
    for rows in _row_blocks(n):
        d = _sq_dist_block(x, sq, rows)
        d[np.arange(d.shape[0]), np.arange(rows.start, rows.stop)] = np.inf  # not its own neighbour
        scores[rows] = np.partition(d, k - 1, axis=1)[:, :k].sum(axis=1)
    return scores, shift


def krum_scores(updates, f: int) -> np.ndarray:
    """Krum score of every client: summed squared distance to its ``n - f - 2`` nearest others.

    Parameters
    ----------
    updates : (n, dim) float ndarray
        Finite client updates.
    f : int
        Number of Byzantine clients tolerated, with ``n >= 2 f + 3``.

    Returns
    -------
    (n,) float64 ndarray
        ``inf`` where a score exceeds the float64 range (see the module notes); Krum itself
        compares scaled scores, so it still ranks those clients correctly.
    """
    arr = check_updates(updates)
    scores, shift = _krum_scores(arr, _check_f(f, arr.shape[0]))
    with np.errstate(over="ignore"):  # inf is the correctly rounded value past 1.8e308
        return np.ldexp(scores, 2 * shift)


def krum(updates, f: int, *, return_index: bool = False):
    """Krum: the single client update with the lowest Krum score.

    Parameters
    ----------
    updates : (n, dim) float ndarray
        Finite client updates.
    f : int
        Byzantine clients tolerated, ``0 <= f`` and ``n >= 2 f + 3``.
    return_index : bool
        Also return the chosen client's row index (the lowest index wins a tie).

    Returns
    -------
    (dim,) float64 ndarray, or (ndarray, int) with ``return_index``

    Examples
    --------
    >>> u = np.array([[0.0], [0.1], [0.2], [-0.1], [50.0]])
    >>> krum(u, f=1, return_index=True)
    (array([0.]), 0)
    """
    arr = check_updates(updates)
    best = int(np.argmin(_krum_scores(arr, _check_f(f, arr.shape[0]))[0]))
    return (arr[best].copy(), best) if return_index else arr[best].copy()


def multi_krum(updates, f: int, m: int | None = None) -> np.ndarray:
    """Multi-Krum: the mean of the ``m`` updates with the lowest Krum scores.

    Parameters
    ----------
    updates : (n, dim) float ndarray
    f : int
        Byzantine clients tolerated, ``n >= 2 f + 3``.
    m : int, optional
        Updates averaged, ``1 <= m <= n``; default ``n - f``. ``m = 1`` is Krum.
    """
    arr = check_updates(updates)
    n = arr.shape[0]
    f = _check_f(f, n)
    m = n - f if m is None else check_int("m", m, 1, n)
    chosen = np.argsort(_krum_scores(arr, f)[0], kind="stable")[:m]
    return _scaled_mean(arr[chosen])


def mean(updates) -> np.ndarray:
    """The plain coordinate-wise mean (not robust: one attacker can move it anywhere)."""
    return _scaled_mean(check_updates(updates))


def median(updates) -> np.ndarray:
    """The coordinate-wise median."""
    return _scaled_median(check_updates(updates))


def trimmed_mean(updates, beta: float = 0.1) -> np.ndarray:
    """Coordinate-wise trimmed mean: drop the ``floor(beta n)`` largest and smallest values.

    Parameters
    ----------
    updates : (n, dim) float ndarray
    beta : float
        Fraction trimmed at each end, ``0 <= beta < 0.5``.
    """
    arr = check_updates(updates)
    beta = check_real("beta", beta, 0.0, 0.5, hi_open=True)
    n = arr.shape[0]
    cut = math.floor(beta * n)
    return _scaled_mean(np.sort(arr, axis=0)[cut : n - cut])


def _cluster_f(size: int, beta: float) -> int:
    """The documented ``f_c = max(1, floor(beta size))``, lowered where needed so that ``size >= 2 f_c + 3``."""
    return min(max(1, math.floor(beta * size)), (size - 3) // 2)


def _min_cluster_size(beta: float) -> int:
    """The smallest cluster in which Krum can tolerate the documented ``max(1, floor(beta size))``."""
    size = 5
    while size < 2 * max(1, math.floor(beta * size)) + 3:
        size += 1
    return size


def hierarchical_krum(
    updates,
    num_clusters: int = 100,
    byzantine_fraction: float = 0.2,
    sample_fraction: float = 0.1,
    *,
    seed: int | None = 0,
    rng: np.random.Generator | None = None,
) -> np.ndarray:
    """Hierarchical Krum: Krum in seeded clusters, then 0.7 Krum + 0.3 median of the winners.

    Steps:

    1. When ``n > 1000``, keep a random ``ceil(sample_fraction n)`` of the clients.
    2. Shuffle the kept clients and split them into ``C`` clusters of near-equal size.
    3. In each cluster of ``s`` clients run Krum with ``f_c = max(1, floor(beta s))``.
    4. Combine the ``C`` winners as ``0.7 krum(winners, f_w) + 0.3 median(winners)`` with
       ``f_w = max(1, floor(beta C))``.

    Design choices docs/learning.md leaves open (ADR 0004): Krum is undefined in a cluster smaller
    than ``2 f_c + 3``, so ``num_clusters`` is an *upper bound*: ``C = min(num_clusters,
    kept // s_min)``, with ``s_min`` the smallest cluster for which ``f_c`` above is valid
    (5 at ``beta = 0.2``). When a cluster or the set of winners is still too small for that
    ``f``, ``f`` is lowered to the largest valid value ``(s - 3) // 2``; with fewer than 3
    kept clients there is no Krum and a ``ParameterError`` is raised. With fewer than 3
    winners the combination is their coordinate-wise median.

    Parameters
    ----------
    updates : (n, dim) float ndarray
        Finite client updates (non-finite ones are rejected, see the module notes), n >= 3.
    num_clusters : int
        Maximum number of clusters C, >= 1 (default 100).
    byzantine_fraction : float
        Assumed Byzantine fraction beta, ``0 <= beta < 0.5`` (default 0.2).
    sample_fraction : float
        Fraction of clients kept when ``n > 1000``, ``0 < sample_fraction <= 1`` (default 0.1).
    seed : int, optional
        Seed of the sampling and the cluster assignment (ignored when ``rng`` is given).
    rng : numpy.random.Generator, optional
        Generator to draw from instead of ``seed``.

    Returns
    -------
    (dim,) float64 ndarray
    """
    arr = check_updates(updates)
    c_max = check_int("num_clusters", num_clusters, 1)
    beta = check_real("byzantine_fraction", byzantine_fraction, 0.0, 0.5, hi_open=True)
    frac = check_real("sample_fraction", sample_fraction, 0.0, 1.0, lo_open=True)
    gen = resolve_rng(seed, rng)
    n = arr.shape[0]
    if n < 3:
        raise ParameterError("updates", f"{n} clients", "at least 3 clients (Krum needs n >= 2 f + 3)")
    if n > SAMPLING_THRESHOLD:
        arr = arr[gen.choice(n, size=math.ceil(frac * n), replace=False)]
    kept = arr.shape[0]
    n_clusters = max(1, min(c_max, kept // _min_cluster_size(beta)))
    clusters = np.array_split(gen.permutation(kept), n_clusters)
    winners = np.stack([_krum_winner(arr[idx], _cluster_f(idx.size, beta)) for idx in clusters])
    if winners.shape[0] < 3:
        return _scaled_median(winners)
    top = _krum_winner(winners, _cluster_f(winners.shape[0], beta))
    w = HIERARCHICAL_KRUM_WEIGHT
    return w * top + (1.0 - w) * _scaled_median(winners)  # convex: finite for finite inputs


def _krum_winner(arr: np.ndarray, f: int) -> np.ndarray:
    if arr.shape[0] < 3:  # only possible for a single cluster of fewer than 3 kept clients
        raise ParameterError("updates", f"{arr.shape[0]} clients kept", "at least 3 (raise sample_fraction)")
    return arr[int(np.argmin(_krum_scores(arr, max(f, 0))[0]))]


AGGREGATORS = {
    "mean": mean,
    "median": median,
    "trimmed_mean": trimmed_mean,
    "krum": krum,
    "multi_krum": multi_krum,
    "hierarchical_krum": hierarchical_krum,
}
"""Every aggregator by name, for experiments and notebooks."""
