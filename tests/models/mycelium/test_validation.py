"""The mycelium's validation rows pass, and each fails under a mutation that is a real defect.

Growth mutations change the numbers the step reads (:func:`mfn.models.mycelium.kernels.constants`)
behind the parameters' back, so they act on the compiled step as on the reference; the rows'
colonies are kept per process, so every mutation test starts and ends with an empty store.
"""

import dataclasses

import numpy as np
import pytest

from mfn.core.model import get_model
from mfn.models.mycelium import kernels, membrane, state, stepper, validation, validation_physics
from mfn.models.mycelium.kernels import M_EEX, M_GC, M_IMAX, M_KA, M_KD
from mfn.models.mycelium.params import MyceliumParams

ROWS = validation.GROWTH_CHECKS + validation_physics.PHYSICS_CHECKS


def test_the_model_lists_its_rows_once_each():
    assert get_model("mycelium").checks == ROWS
    assert len({f.__name__ for f in ROWS}) == len(ROWS)


@pytest.mark.slow
@pytest.mark.xdist_group("validation")
@pytest.mark.parametrize("position", range(len(ROWS)), ids=[f.__name__ for f in ROWS])
def test_row_passes(position, validation_table):
    """Each row, read from the session's one run of the whole suite (``validation_table``, tests/conftest.py)."""
    rows = validation_table[validation_table.group == "mycelium"]
    assert len(rows) == len(ROWS)  # each of the model's checks made one row of its group
    row = rows.iloc[position]
    assert row.passed, row.measured


@pytest.fixture
def fresh_colonies():
    validation.colony.cache_clear()
    yield
    validation.colony.cache_clear()


def _mutate(monkeypatch, change, module=stepper):
    """Make ``module``'s step constants pass through ``change(fc, ic, fields)``."""
    real = kernels.constants

    def mutated(p, centre=(0.0, 0.0)):
        c = real(p, centre)
        fc, ic, fields = c.fc.copy(), c.ic.copy(), c.fields.copy()
        change(fc, ic, fields)
        return dataclasses.replace(c, fc=fc, ic=ic, fields=fields)

    monkeypatch.setattr(module, "constants", mutated)


def _fails(check):
    row = check()
    assert not row.passed, row.measured
    return row


@pytest.mark.mutation("growth_unit_constant")
def test_growth_unit_mutation_branching_at_tips_only(monkeypatch, fresh_colonies):
    """Tips split (0.7 /h: the rate at which tip-only branching keeps G nearest constant) instead
    of hyphae branching laterally: G stays roughly constant, but no branch leaves an older hypha."""

    def tips_only(fc, ic, fields):
        fc[state.F_LATERAL] = 0.0
        fc[state.F_APICAL] = 0.7 / 60.0 * fc[state.F_DT]

    _mutate(monkeypatch, tips_only)
    _fails(validation.check_growth_unit)


@pytest.mark.mutation("length_and_ends_same_rate")
def test_same_rates_mutation_lateral_branching_off(monkeypatch, fresh_colonies):
    _mutate(monkeypatch, lambda fc, ic, fields: fc.__setitem__(state.F_LATERAL, 0.0))
    _fails(validation.check_same_rates)


@pytest.mark.mutation("front_speed_rises_and_saturates")
def test_front_speed_mutation_a_fixed_extension_per_step(monkeypatch, fresh_colonies):
    """Tips extend by tip_speed x dt every step whatever their substrate (the old lattice rule).

    Such colonies branch without limit too, so the row's experiment is shortened (10 h, fitted
    over 6-10 h, three media): the speed is the same on every medium."""
    _mutate(monkeypatch, lambda fc, ic, fields: ic.__setitem__(state.I_REGIME, 2))
    monkeypatch.setattr(validation, "FRONT_STEPS", 300)
    monkeypatch.setattr(validation, "FRONT_WINDOW", (6.0, 10.0))
    monkeypatch.setattr(validation, "NUTRIENT_LEVELS", (1.0, 30.0, 100.0))
    row = _fails(validation.check_front_speed)
    rise = float(row.measured.split("30/1 mM x")[1].split(",")[0])
    assert rise < 1.2, row.measured


@pytest.mark.mutation("front_speed_rises_and_saturates")
def test_front_speed_mutation_tips_at_half_speed(monkeypatch, fresh_colonies):
    _mutate(monkeypatch, lambda fc, ic, fields: fc.__setitem__(state.F_VMAX, 0.5 * fc[state.F_VMAX]))
    row = _fails(validation.check_front_speed)
    assert "top speed 0.4" in row.measured


@pytest.mark.mutation("leading_hyphae_avoid_each_other")
def test_avoidance_mutation_autotropism_off(monkeypatch, fresh_colonies):
    _mutate(monkeypatch, lambda fc, ic, fields: fc.__setitem__(state.F_AUTO, 0.0))
    _fails(validation.check_leading_hyphae_avoid)


@pytest.mark.mutation("translocation_matters")
def test_translocation_mutation_translocation_removed(monkeypatch, fresh_colonies):
    def removed(fc, ic, fields):
        fields[M_KD] = fields[M_KA] = 0.0

    _mutate(monkeypatch, removed)
    _fails(validation.check_translocation)


@pytest.mark.mutation("tips_grow_up_a_nutrient_gradient")
def test_tropism_mutation_chemotropism_sign_flipped(monkeypatch, fresh_colonies):
    _mutate(monkeypatch, lambda fc, ic, fields: fc.__setitem__(state.F_CHEMO, -fc[state.F_CHEMO]))
    row = _fails(validation.check_tropism)
    assert "pooled: -0." in row.measured


@pytest.mark.mutation("resting_potential_pump_leak")
def test_resting_potential_mutation_pump_off(monkeypatch):
    _mutate(monkeypatch, lambda fc, ic, fields: fields.__setitem__(M_IMAX, 0.0), validation_physics)
    row = _fails(validation_physics.check_resting_potential)
    assert "settled potential -91" in row.measured  # the leak's potential, E_K


@pytest.mark.mutation("spike_travels_along_hyphae")
def test_spike_reach_mutation_coupling_through_the_medium(monkeypatch):
    """The membrane's cable joins every nutrient cell to its neighbours, hypha or not."""
    real = membrane.membrane_substep

    def everywhere(V, h, hyphal, link, mc):
        return real(V, h, np.ones_like(hyphal), np.full_like(link, 255), mc)

    monkeypatch.setattr(membrane, "membrane_substep", everywhere)
    row = _fails(validation_physics.check_spike_reach)
    assert " 0 outside" not in row.measured  # the spike crossed to the other colony


@pytest.mark.slow
@pytest.mark.mutation("spike_speed_sqrt_coupling")
def test_spike_speed_mutation_coupling_blind_to_the_space_constant(monkeypatch):
    """The cable's coupling computed from the default space constant whatever the parameter says."""
    monkeypatch.setattr(membrane, "_SPEEDS", {})
    real = membrane.constants

    def wrong_cable(p, centre=(0.0, 0.0)):
        c = real(p, centre)
        fields = c.fields.copy()
        fields[M_GC] = p.leak_conductance * (MyceliumParams().space_constant / p.field_spacing) ** 2
        return dataclasses.replace(c, fields=fields)

    monkeypatch.setattr(membrane, "constants", wrong_cable)
    _fails(validation_physics.check_spike_speed)


@pytest.mark.mutation("nutrient_conserved")
def test_balance_mutation_leaky_medium(monkeypatch):
    real = kernels.diffuse_medium
    monkeypatch.setattr(kernels, "diffuse_medium", lambda n, k: real(n, k) * (1.0 - 1e-9))
    monkeypatch.setattr(validation_physics, "choose_backend", lambda _: "numpy")
    _fails(validation_physics.check_balance)


@pytest.mark.mutation("dla_and_rich_mass_dimension")
def test_dla_mutation_walkers_replaced_by_tips(monkeypatch):
    real = validation_physics.MyceliumParams

    def tips_instead(**kw):
        kw.update(regime="rich", steps=360)
        return real(**kw)

    monkeypatch.setattr(validation_physics, "MyceliumParams", tips_instead)
    _fails(validation_physics.check_dla_and_rich)


def test_the_depolarised_stimulus_is_the_excitable_reversal():
    c = kernels.constants(MyceliumParams())
    assert c.fields[M_EEX] == MyceliumParams().spike_reversal
