import numpy as np
import pytest

from mfn import ParameterError
from mfn.robust.experiment import robustness_experiment


@pytest.fixture(scope="module")
def experiment():
    return robustness_experiment(n_clients=40, dim=10, fractions=(0.0, 0.2, 0.4), trials=2, seed=1)


def test_dataset_layout(experiment):
    ds = experiment
    assert ds.distance.dims == ("aggregator", "attack", "attacker_fraction", "trial")
    assert ds.distance.shape == (6, 5, 3, 2)
    assert list(ds.attacker_fraction.values) == [0.0, 0.2, 0.4]
    assert ds.distance_mean.dims == ("aggregator", "attack", "attacker_fraction")
    assert ds.attrs["n_clients"] == 40 and ds.distance.attrs["long_name"]
    assert np.all(np.isfinite(ds.distance)) and np.all(ds.distance >= 0)


def test_without_attackers_the_mean_is_exact(experiment):
    assert float(experiment.distance.sel(aggregator="mean", attacker_fraction=0.0).max()) < 1e-12


def test_krum_stays_in_the_honest_spread_while_the_mean_leaves_it(experiment):
    ds = experiment.sel(attacker_fraction=0.2, attack=["sign_flip", "gaussian_noise", "scaled", "colluding"])
    assert bool((ds.distance.sel(aggregator="krum") < ds.honest_spread).all())
    assert bool((ds.distance.sel(aggregator="mean") > ds.honest_spread).all())


def test_seeded(experiment):
    again = robustness_experiment(n_clients=40, dim=10, fractions=(0.0, 0.2, 0.4), trials=2, seed=1)
    np.testing.assert_array_equal(again.distance, experiment.distance)


@pytest.mark.parametrize(
    ("kwargs", "name"),
    [
        ({"fractions": (0.1, 0.5)}, "fractions"),
        ({"fractions": ()}, "fractions"),
        ({"attacks": ("sign_flip", "bribery")}, "attacks"),
        ({"aggregators": ("geomed",)}, "aggregators"),
        ({"n_clients": 4}, "n_clients"),
        ({"honest_std": 0.0}, "honest_std"),
        ({"trials": 0}, "trials"),
    ],
)
def test_bad_input(kwargs, name):
    with pytest.raises(ParameterError, match=name):
        robustness_experiment(**kwargs)
