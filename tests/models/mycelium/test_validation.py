"""The mycelium's validation rows pass, and each fails under a mutation of the model."""

import numpy as np
import pytest

from mfn.core.model import get_model
from mfn.models.mycelium import kernels, membrane, stepper, validation
from mfn.models.mycelium.params import MyceliumParams

FAST = [validation.check_linear_radius, validation.check_balance, validation.check_spike_reach]
SLOW = [validation.check_dla_mass_dimension, validation.check_box_dimension_nutrient, validation.check_spike_speed]


def test_the_model_lists_its_rows():
    assert get_model("mycelium").checks == validation.CHECKS
    assert len({f().name for f in FAST}) == len(FAST)


@pytest.mark.parametrize("check", FAST, ids=lambda f: f.__name__)
def test_row_passes(check):
    row = check()
    assert row.group == "mycelium"
    assert row.passed, row.measured


@pytest.mark.slow
@pytest.mark.parametrize("check", SLOW, ids=lambda f: f.__name__)
def test_slow_row_passes(check):
    row = check()
    assert row.passed, row.measured


@pytest.mark.mutation("radius_grows_linearly")
def test_linear_radius_mutation_nutrient_falling_off_from_the_centre(monkeypatch):
    real = stepper.initial_medium

    def falling(p, rng):
        m, n = p.shape
        yy, xx = np.mgrid[:m, :n]
        return real(p, rng) * np.exp(-np.hypot(yy - m // 2, xx - n // 2) / 25.0)

    monkeypatch.setattr(stepper, "initial_medium", falling)
    assert not validation.check_linear_radius().passed


def _params_with(**forced):
    def make(**kw):
        kw.update(forced)
        return MyceliumParams(**kw)

    return make


@pytest.mark.slow
@pytest.mark.mutation("dla_and_rich_mass_dimension")
def test_dla_mass_dimension_mutation_walkers_replaced_by_tips(monkeypatch):
    forced = _params_with(regime="rich", steps=150, branching=validation.RICH_BRANCHING)
    monkeypatch.setattr(validation, "MyceliumParams", forced)
    row = validation.check_dla_mass_dimension()
    assert not row.passed, row.measured


@pytest.mark.mutation("box_dimension_rises_with_nutrient")
def test_box_dimension_mutation_nutrient_level_ignored(monkeypatch):
    monkeypatch.setattr(validation, "MyceliumParams", _params_with(nutrient=1.5))
    monkeypatch.setattr(validation, "NUTRIENT_SEEDS", (0,))
    assert not validation.check_box_dimension_nutrient().passed


@pytest.mark.mutation("nutrient_conserved")
def test_balance_mutation_leaky_medium(monkeypatch):
    real = kernels._diffuse_medium
    monkeypatch.setattr(kernels, "_diffuse_medium", lambda n, d: real(n, d) * (1.0 - 1e-9))
    monkeypatch.setattr(validation, "choose_backend", lambda _: "numpy")
    row = validation.check_balance()
    assert not row.passed, row.measured


@pytest.mark.mutation("spike_travels_along_hyphae")
def test_spike_reach_mutation_coupling_through_the_medium(monkeypatch):
    real = membrane.membrane_substep
    monkeypatch.setattr(membrane, "membrane_substep", lambda u, w, occ, c: real(u, w, np.ones_like(occ), c))
    row = validation.check_spike_reach()
    assert not row.passed, row.measured


@pytest.mark.mutation("spike_speed_sqrt_coupling")
def test_spike_speed_mutation_kinetics_scaled_with_coupling(monkeypatch):
    import dataclasses

    real = membrane.membrane_substep

    def scaled(u, w, occ, c):
        return real(u, w, occ, dataclasses.replace(c, fhn_rate=c.fhn_rate * c.coupling / 0.025))

    monkeypatch.setattr(membrane, "membrane_substep", scaled)
    membrane.spike_front_speed.cache_clear()  # measured speeds are cached by their arguments
    try:
        row = validation.check_spike_speed()
    finally:
        membrane.spike_front_speed.cache_clear()  # leave no mutated speed behind
    assert not row.passed, row.measured
