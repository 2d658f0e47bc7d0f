"""Kinetics: exact homogeneous states (MODELS.md table), analytic against numerical Jacobians."""

import math

import numpy as np
import pytest

from mfn import ParameterError
from mfn.models.reaction_diffusion.kinetics import KINETICS, custom_kinetics, get_kinetics, numerical_jacobian
from mfn.models.reaction_diffusion.linear import find_states, unique_states


def states(name, p):
    u, v = find_states(KINETICS[name], p)
    return unique_states(u[0], v[0])


@pytest.mark.parametrize("a, b", [(0.1, 0.9), (0.2, 1.3), (0.05, 2.0)])
def test_schnakenberg_state(a, b):
    (found,) = states("schnakenberg", (a, b))
    assert found == pytest.approx((a + b, b / (a + b) ** 2), rel=1e-12)


@pytest.mark.parametrize("a, b", [(0.1, 1.0), (0.5, 2.0), (0.0, 0.7)])
def test_gierer_meinhardt_state_without_saturation(a, b):
    (found,) = states("gierer_meinhardt", (a, b, 0.0))
    u = (a + 1) / b
    assert found == pytest.approx((u, u * u), rel=1e-12)


def test_gierer_meinhardt_state_with_saturation_solves_the_rates():
    kin = KINETICS["gierer_meinhardt"]
    (found,) = states("gierer_meinhardt", (0.1, 1.0, 0.5))
    assert abs(kin.f(*found, (0.1, 1.0, 0.5))) < 1e-12 and abs(kin.g(*found, (0.1, 1.0, 0.5))) < 1e-12
    assert found[0] != pytest.approx(1.1)  # saturation moves the state


@pytest.mark.parametrize("A, B", [(2.0, 4.0), (4.5, 7.5), (1.0, 0.5)])
def test_brusselator_state(A, B):
    (found,) = states("brusselator", (A, B))
    assert found == pytest.approx((A, B / A), rel=1e-12)


@pytest.mark.parametrize("F, k", [(0.02, 0.05), (0.04, 0.07), (0.037, 0.06)])
def test_gray_scott_states(F, k):
    found = states("gray_scott", (F, k))
    expected = [(1.0, 0.0)]
    disc = 1 - 4 * (F + k) ** 2 / F
    if disc > 0:
        for sign in (-1, 1):
            u = (1 + sign * math.sqrt(disc)) / 2
            expected.append((u, (F + k) / u))
    assert len(found) == len(expected)
    for got, want in zip(found, sorted(expected), strict=True):
        assert got == pytest.approx(want, rel=1e-10, abs=1e-14)


@pytest.mark.parametrize("beta", [0.5, 2.0, 4.0])
def test_fitzhugh_nagumo_roots_of_the_cubic(beta):
    found = states("fitzhugh_nagumo", (0.0, beta, 1.0))
    expected = [(0.0, 0.0)]
    if beta > 1:
        r = math.sqrt(1 - 1 / beta)
        expected = [(-r, -r / beta), (0.0, 0.0), (r, r / beta)]
    np.testing.assert_allclose(np.array(found), np.array(expected), rtol=0, atol=1e-12)


def test_classic_has_only_the_origin_exactly():
    assert states("classic", (0.01, 0.02)) == [(0.0, 0.0)]


@pytest.mark.parametrize("name", list(KINETICS))
def test_analytic_jacobian_matches_central_differences(name):
    kin = KINETICS[name]
    rng = np.random.default_rng(3)
    u = rng.uniform(0.3, 2.0, 20)
    v = rng.uniform(0.3, 2.0, 20)
    p = tuple(kin.defaults[n] if kin.defaults[n] != 0 else 0.3 for n in kin.params)
    analytic = np.array(np.broadcast_arrays(*kin.jac(u, v, p)))
    numeric = np.array(numerical_jacobian(kin.f, kin.g, u, v, p))
    np.testing.assert_allclose(numeric, analytic, rtol=1e-7, atol=1e-8)


def test_custom_kinetics_numerical_jacobian_matches_schnakenberg():
    kin = custom_kinetics(lambda u, v: 0.1 - u + u * u * v, lambda u, v: 0.9 - u * u * v)
    got = np.array(kin.jacobian(1.0, 0.9, ()), dtype=float)
    want = np.array(KINETICS["schnakenberg"].jac(1.0, 0.9, (0.1, 0.9)), dtype=float)
    np.testing.assert_allclose(got, want, rtol=1e-8, atol=1e-9)


def test_bad_names_are_parameter_errors():
    with pytest.raises(ParameterError, match="kinetics = 'turing'"):
        get_kinetics("turing")
    with pytest.raises(ParameterError, match="name"):
        custom_kinetics(lambda u, v: u, lambda u, v: v, name="brusselator")
    with pytest.raises(ParameterError, match="f, g"):
        custom_kinetics(1.0, lambda u, v: v)
    with pytest.raises(ParameterError, match="Dw"):
        custom_kinetics(lambda u, v: u, lambda u, v: v, Dw=1.0)
