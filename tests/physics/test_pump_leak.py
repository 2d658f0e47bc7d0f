"""The pump-leak membrane: currents on known answers, and the resting potential they set."""

import math

import pytest

from mfn import MyceliumParams
from mfn.physics.pump_leak import gate_inf, membrane_current, pump_current, resting_potential, sigmoid


def test_the_pump_stalls_at_its_reversal_and_saturates_both_ways():
    assert pump_current(-400.0, 10.0, -400.0, 100.0) == 0.0
    assert pump_current(5000.0, 10.0, -400.0, 100.0) == pytest.approx(10.0, rel=1e-3)
    assert pump_current(-5000.0, 10.0, -400.0, 100.0) == pytest.approx(-10.0, rel=1e-3)
    assert sigmoid(0.75) == pytest.approx(0.6)  # 0.75 / sqrt(1 + 0.5625) = 0.6


def test_gates_rise_and_fall_through_one_half_at_their_midpoints():
    assert gate_inf(-160.0, -160.0, 3.0) == 0.5
    assert gate_inf(-100.0, -160.0, 3.0) > 0.99 > 0.01 > gate_inf(-220.0, -160.0, 3.0)
    assert gate_inf(-100.0, -175.0, -4.0) < 0.01  # inactivation: closed when depolarised


@pytest.mark.parametrize(
    ("changes", "lo", "hi"),
    [
        ({}, -240.0, -160.0),  # Neurospora (Slayman & Gradmann 1975)
        ({"pump_current": 14.0}, -240.0, -200.0),  # a stronger pump hyperpolarises
        ({"k_out": 50.0, "pump_current": 0.0}, -33.0, -31.0),  # no pump: E_K = 25.7 ln(5/180) ... at 50 mM
    ],
)
def test_the_resting_potential_is_the_root_of_the_current(changes, lo, hi):
    p = MyceliumParams(**changes)
    v = resting_potential(p)
    assert lo <= v <= hi
    assert membrane_current(v, p) == pytest.approx(0.0, abs=1e-8)


def test_without_the_pump_the_membrane_rests_at_the_leaks_potential():
    p = MyceliumParams()
    v = resting_potential(p, pump=False)
    assert v == pytest.approx(p.e_k, abs=0.5)
    assert p.e_k == pytest.approx(-1e3 * 8.314 * 298.0 / 96485.33212 * math.log(180.0 / 5.0), abs=1e-6)
