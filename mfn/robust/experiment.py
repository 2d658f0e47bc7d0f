"""The robustness experiment: how far each aggregator lands from the honest mean under attack.

Honest clients draw updates ``Normal(honest_mean, honest_std^2)`` per coordinate; a growing
fraction of them is replaced by attackers (:mod:`mfn.robust.attacks`), every aggregator of
:mod:`mfn.robust.aggregators` combines the result, and the Euclidean distance of its output from the
mean of the honest updates is recorded. The distance is compared with the *honest spread*,
the median distance of an honest update from that same mean: an aggregator "stays within the
honest spread" when its distance is below it.

Each aggregator is told the true number of attackers ``k = floor(fraction n)``: Krum and
Multi-Krum use ``f = min(k, (n - 3) // 2)`` and Multi-Krum averages ``m = n - f``; the
trimmed mean uses ``beta = fraction``; hierarchical Krum uses ``byzantine_fraction =
fraction`` with its other defaults and a per-trial seed.
"""

from __future__ import annotations

from collections.abc import Sequence
from typing import TYPE_CHECKING

import numpy as np

from mfn.core.checks import check_array, check_choice, check_int, check_real
from mfn.core.errors import ParameterError
from mfn.robust.aggregators import AGGREGATORS
from mfn.robust.attacks import ATTACKS, apply_attack

if TYPE_CHECKING:
    import xarray as xr

__all__ = ["DEFAULT_FRACTIONS", "aggregate", "robustness_experiment"]

DEFAULT_FRACTIONS = tuple(round(0.05 * k, 2) for k in range(10))
"""Attacker fractions 0, 0.05, ..., 0.45."""


def aggregate(name: str, updates: np.ndarray, n_attackers: int, *, seed: int = 0) -> np.ndarray:
    """Run aggregator ``name`` told that ``n_attackers`` of the clients are Byzantine (see module notes)."""
    name = check_choice("aggregator", name, tuple(AGGREGATORS))
    n = updates.shape[0]
    f = min(n_attackers, (n - 3) // 2)
    if name in ("krum", "multi_krum"):
        return AGGREGATORS[name](updates, f)
    if name == "trimmed_mean":
        return AGGREGATORS[name](updates, n_attackers / n)
    if name == "hierarchical_krum":
        return AGGREGATORS[name](updates, byzantine_fraction=n_attackers / n, seed=seed)
    return AGGREGATORS[name](updates)


def robustness_experiment(
    n_clients: int = 100,
    dim: int = 20,
    fractions: Sequence[float] = DEFAULT_FRACTIONS,
    attacks: Sequence[str] = tuple(ATTACKS),
    aggregators: Sequence[str] = tuple(AGGREGATORS),
    trials: int = 5,
    honest_mean: float = 1.0,
    honest_std: float = 0.25,
    seed: int = 0,
) -> xr.Dataset:
    """Distance of each aggregator's output from the honest mean as the attacker fraction grows.

    Parameters
    ----------
    n_clients : int
        Clients per round, >= 5.
    dim : int
        Update dimension, >= 1.
    fractions : sequence of float
        Attacker fractions, each in [0, 0.5) (default 0, 0.05, ..., 0.45).
    attacks, aggregators : sequence of str
        Names in :data:`mfn.robust.attacks.ATTACKS` and :data:`mfn.robust.aggregators.AGGREGATORS`.
    trials : int
        Independent rounds per setting, >= 1.
    honest_mean, honest_std : float
        Honest updates are ``Normal(honest_mean, honest_std^2)`` per coordinate; std > 0.
    seed : int
        Seed of everything (honest draws, attacker choice, noise, clustering).

    Returns
    -------
    xarray.Dataset
        ``distance(aggregator, attack, attacker_fraction, trial)``, ``honest_spread(attack,
        attacker_fraction, trial)``, their trial means ``distance_mean`` and
        ``spread_mean``, and ``within_spread_fraction(aggregator, attack, attacker_fraction)``
        (share of trials with distance < spread). Plot with, e.g.,
        ``ds.distance_mean.sel(attack="sign_flip").plot.line(x="attacker_fraction", hue="aggregator")``.
    """
    import xarray as xr

    from mfn.core.version import __version__

    n = check_int("n_clients", n_clients, 5)
    d = check_int("dim", dim, 1)
    fr = check_array("fractions", list(fractions), ndim=1)
    if fr.size == 0 or np.any(fr < 0) or np.any(fr >= 0.5):
        raise ParameterError("fractions", list(fractions), "a non-empty list of values in [0, 0.5)")
    attacks = [check_choice("attacks", a, tuple(ATTACKS)) for a in attacks]
    aggregators = [check_choice("aggregators", a, tuple(AGGREGATORS)) for a in aggregators]
    if not attacks or not aggregators:
        raise ParameterError("attacks", attacks, "at least one attack and one aggregator")
    trials = check_int("trials", trials, 1)
    mu = check_real("honest_mean", honest_mean)
    sigma = check_real("honest_std", honest_std, 0.0, lo_open=True)
    rng = np.random.default_rng(check_int("seed", seed, 0))

    dist = np.empty((len(aggregators), len(attacks), fr.size, trials))
    spread = np.empty((len(attacks), fr.size, trials))
    for t in range(trials):
        honest = rng.normal(mu, sigma, (n, d))
        for j, attack in enumerate(attacks):
            for k, fraction in enumerate(fr):
                updates, bad = apply_attack(honest, attack, float(fraction), rng=rng)
                ref = honest[~bad].mean(axis=0)
                spread[j, k, t] = np.median(np.linalg.norm(honest[~bad] - ref, axis=1))
                agg_seed = int(rng.integers(2**31))
                for i, name in enumerate(aggregators):
                    out = aggregate(name, updates, int(bad.sum()), seed=agg_seed)
                    dist[i, j, k, t] = np.linalg.norm(out - ref)

    dims4 = ("aggregator", "attack", "attacker_fraction", "trial")
    ds = xr.Dataset(
        {
            "distance": (dims4, dist, {"long_name": "distance from the honest mean", "units": "update units"}),
            "honest_spread": (
                dims4[1:],
                spread,
                {"long_name": "median distance of an honest update from the honest mean", "units": "update units"},
            ),
        },
        coords={
            "aggregator": aggregators,
            "attack": attacks,
            "attacker_fraction": ("attacker_fraction", fr, {"long_name": "fraction of attackers"}),
            "trial": np.arange(trials),
        },
    )
    ds["distance_mean"] = ds.distance.mean("trial").assign_attrs(ds.distance.attrs)
    ds["spread_mean"] = ds.honest_spread.mean("trial").assign_attrs(ds.honest_spread.attrs)
    ds["within_spread_fraction"] = (ds.distance < ds.honest_spread).mean("trial")
    ds.within_spread_fraction.attrs["long_name"] = "share of trials within the honest spread"
    ds.attrs.update(
        n_clients=n,
        dim=d,
        trials=trials,
        honest_mean=mu,
        honest_std=sigma,
        seed=int(seed),
        attackers_per_fraction="floor(fraction * n_clients)",
        mfn_version=__version__,
    )
    return ds
