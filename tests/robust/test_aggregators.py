import math

import numpy as np
import pytest

from mfn import ParameterError
from mfn.robust.aggregators import (
    hierarchical_krum,
    krum,
    krum_scores,
    mean,
    median,
    multi_krum,
    pairwise_sq_distances,
    trimmed_mean,
)
from mfn.robust.attacks import ATTACKS, apply_attack, colluding, little_is_enough

BYZANTINE_ROBUST_ATTACKS = ("sign_flip", "gaussian_noise", "scaled", "colluding")


def _honest(n=50, dim=20, seed=0, mu=1.0, sigma=0.5):
    return np.random.default_rng(seed).normal(mu, sigma, (n, dim))


def _spread(honest):
    return np.median(np.linalg.norm(honest - honest.mean(axis=0), axis=1))


def test_pairwise_distances_match_the_definition():
    x = _honest(n=7, dim=3) * 1e3 + 1e6  # large common offset: centring keeps precision
    d = pairwise_sq_distances(x)
    brute = ((x[:, None, :] - x[None, :, :]) ** 2).sum(axis=-1)
    np.testing.assert_allclose(d, brute, rtol=1e-9, atol=1e-6)
    assert np.all(d >= 0) and np.all(np.diag(d) == 0)


def test_identical_updates_are_at_distance_zero():
    d = pairwise_sq_distances(np.tile([[0.1, 0.7, 1e3]], (4, 1)))
    assert np.all(d == 0.0)


def test_krum_scores_use_n_minus_f_minus_2_squared_neighbours():
    u = np.array([[0.0], [1.0], [3.0], [6.0], [10.0]])
    # f = 1: n - f - 2 = 2 nearest others, squared distances
    assert krum_scores(u, 1).tolist() == [1 + 9, 1 + 4, 4 + 9, 9 + 16, 16 + 49]
    assert krum(u, 1, return_index=True)[1] == 1


@pytest.mark.parametrize("attack", BYZANTINE_ROBUST_ATTACKS)
@pytest.mark.parametrize("seed", [0, 1, 2])
def test_krum_picks_an_honest_update_with_20_percent_attackers(attack, seed):
    honest = _honest(seed=seed)
    attacked, bad = apply_attack(honest, attack, 0.2, seed=seed)
    assert bad.sum() == 10
    _, index = krum(attacked, f=10, return_index=True)
    assert not bad[index]
    assert np.linalg.norm(mean(attacked) - honest[~bad].mean(axis=0)) > 0.75 * _spread(honest[~bad])


def test_little_is_enough_wins_krum_but_stays_close():
    # the point of Baruch et al. 2019: identical updates just inside the honest cloud are chosen
    honest = _honest(seed=3)
    attacked, bad = apply_attack(honest, "little_is_enough", 0.2, seed=3)
    chosen, index = krum(attacked, f=10, return_index=True)
    assert bad[index]
    ref = honest[~bad].mean(axis=0)
    z = 0.4677  # Phi^-1((50 - 16) / 50)
    assert np.linalg.norm(chosen - ref) == pytest.approx(z * np.linalg.norm(honest[~bad].std(axis=0)), rel=1e-3)
    assert np.linalg.norm(chosen - ref) < _spread(honest[~bad])


def test_multi_krum_averages_the_best():
    honest = _honest(seed=4)
    attacked, bad = apply_attack(honest, "gaussian_noise", 0.2, seed=4)
    np.testing.assert_allclose(multi_krum(attacked, f=10), honest[~bad].mean(axis=0), rtol=1e-12)
    np.testing.assert_array_equal(multi_krum(attacked, f=10, m=1), krum(attacked, f=10))


def test_median_and_trimmed_mean():
    u = np.array([[1.0, 10.0], [2.0, 20.0], [3.0, 30.0], [4.0, 40.0], [100.0, -1e6]])
    np.testing.assert_array_equal(median(u), [3.0, 20.0])
    np.testing.assert_array_equal(trimmed_mean(u, 0.2), [3.0, 20.0])  # drops 1 at each end
    np.testing.assert_allclose(trimmed_mean(u, 0.0), u.mean(axis=0))


def test_hierarchical_krum_on_2000_clients_with_20_percent_sign_flip():
    honest = _honest(n=2000, dim=50, seed=5, sigma=0.1)
    attacked, bad = apply_attack(honest, "sign_flip", 0.2, seed=5)
    ref, spread = honest[~bad].mean(axis=0), _spread(honest[~bad])
    assert np.linalg.norm(hierarchical_krum(attacked, seed=5) - ref) < spread
    assert np.linalg.norm(mean(attacked) - ref) > 3 * spread


def test_hierarchical_krum_is_seeded():
    attacked, _ = apply_attack(_honest(n=1500, seed=6), "scaled", 0.2, seed=6)
    a, b = hierarchical_krum(attacked, seed=9), hierarchical_krum(attacked, seed=9)
    np.testing.assert_array_equal(a, b)
    assert not np.array_equal(a, hierarchical_krum(attacked, seed=10))
    np.testing.assert_array_equal(a, hierarchical_krum(attacked, rng=np.random.default_rng(9)))


@pytest.mark.parametrize("n", [3, 4, 9, 60])
def test_hierarchical_krum_small_inputs_give_a_member_combination(n):
    u = _honest(n=n, seed=n)
    out = hierarchical_krum(u, seed=0)
    assert out.shape == (20,) and np.all(np.isfinite(out))
    assert np.all(out >= u.min(axis=0)) and np.all(out <= u.max(axis=0))


def test_attacks_are_seeded_and_leave_honest_rows_alone():
    honest = _honest()
    for name in ATTACKS:
        a, bad_a = apply_attack(honest, name, 0.3, seed=1)
        b, bad_b = apply_attack(honest, name, 0.3, seed=1)
        np.testing.assert_array_equal(a, b)
        np.testing.assert_array_equal(bad_a, bad_b)
        np.testing.assert_array_equal(a[~bad_a], honest[~bad_a])
        assert bad_a.sum() == math.floor(0.3 * 50) and not np.array_equal(a[bad_a], honest[bad_a])


def test_colluding_attackers_send_one_vector():
    honest = _honest()
    mask = np.arange(50) < 5
    out = colluding(honest, mask)
    assert np.unique(out[mask], axis=0).shape[0] == 1
    np.testing.assert_allclose(out[0], -honest[5:].mean(axis=0))
    np.testing.assert_array_equal(colluding(honest, mask, target=np.zeros(20))[:5], 0.0)
    np.testing.assert_allclose(little_is_enough(honest, mask, z=0.0)[0], honest[5:].mean(axis=0))


NAN_ROWS = np.ones((10, 3))
NAN_ROWS[4, 1] = np.nan
INF_ROWS = np.ones((10, 3))
INF_ROWS[2, 0] = np.inf


@pytest.mark.parametrize(
    ("call", "name"),
    [
        (lambda: krum(np.ones((6, 2)), f=2), "f"),  # 6 < 2*2 + 3
        (lambda: krum(np.ones((6, 2)), f=-1), "f"),
        (lambda: multi_krum(np.ones((7, 2)), f=2, m=8), "m"),
        (lambda: krum(np.ones((0, 3)), f=0), "updates"),
        (lambda: krum(np.ones(5), f=0), "updates"),
        (lambda: krum([[1.0, 2.0], [1.0], [0.0, 0.0]], f=0), "updates"),  # ragged rows
        (lambda: krum([["a", "b"]] * 3, f=0), "updates"),
        (lambda: krum(NAN_ROWS, f=1), "updates"),
        (lambda: median(INF_ROWS), "updates"),
        (lambda: trimmed_mean(np.ones((5, 2)), 0.5), "beta"),
        (lambda: hierarchical_krum(np.ones((50, 2)), byzantine_fraction=0.5), "byzantine_fraction"),
        (lambda: hierarchical_krum(np.ones((50, 2)), byzantine_fraction=-0.1), "byzantine_fraction"),
        (lambda: hierarchical_krum(np.ones((50, 2)), num_clusters=0), "num_clusters"),
        (lambda: hierarchical_krum(np.ones((50, 2)), sample_fraction=0.0), "sample_fraction"),
        (lambda: hierarchical_krum(np.ones((2, 2))), "updates"),
        (lambda: hierarchical_krum(np.ones((2000, 2)), sample_fraction=0.001), "updates"),
        (lambda: hierarchical_krum(np.ones((50, 2)), seed=-1), "seed"),
        (lambda: apply_attack(np.ones((5, 2)), "bribery", 0.2), "attack"),
        (lambda: apply_attack(np.ones((5, 2)), "sign_flip", 1.0), "fraction"),
        (lambda: apply_attack(np.ones((5, 2)), "colluding", 0.2, target=np.ones(3)), "target"),
        (lambda: colluding(np.ones((5, 2)), np.ones(5)), "attackers"),
        (lambda: colluding(np.ones((5, 2)), np.ones(5, dtype=bool)), "attackers"),
    ],
)
def test_bad_input_raises_parameter_error(call, name):
    with pytest.raises(ParameterError, match=name):
        call()


def test_nan_rejection_names_the_rows():
    with pytest.raises(ParameterError, match=r"rows \[4\]"):
        krum(NAN_ROWS, f=1)
