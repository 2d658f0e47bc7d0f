import numpy as np
import pytest

from mfn import IONS, ParameterError, ghk, nernst

REFERENCE_MV = {"K": -89.011, "Na": 66.562, "Cl": -90.854, "Ca": 132.272}


@pytest.mark.parametrize("ion", sorted(REFERENCE_MV))
def test_nernst_matches_reference_table(ion):
    spec = IONS[ion]
    assert nernst(spec.valence, spec.c_out, spec.c_in) * 1e3 == pytest.approx(REFERENCE_MV[ion], abs=0.01)


def test_resting_calcium_is_not_clamped_by_the_floor():
    # a 1e-6 floor would give 101.5 mV here
    assert nernst(2, 0.002, 1e-7) * 1e3 == pytest.approx(132.272, abs=0.01)


def test_zero_concentration_is_floored_not_infinite():
    e = nernst(1, 0.005, 0.0)
    assert np.isfinite(e) and e > 0


def test_sign_follows_gradient_and_valence():
    assert nernst(1, 0.1, 0.01) > 0 > nernst(1, 0.01, 0.1)
    assert nernst(-1, 0.1, 0.01) < 0
    assert nernst(2, 0.1, 0.01) == pytest.approx(nernst(1, 0.1, 0.01) / 2)


def test_temperature_scales_linearly():
    assert nernst(1, 0.005, 0.14, 300.0) / nernst(1, 0.005, 0.14, 310.0) == pytest.approx(300 / 310)


def test_arrays_broadcast():
    out = nernst(1, np.array([0.005, 0.01]), 0.14)
    assert out.shape == (2,) and out[0] < out[1]


def test_ghk_reference_value():
    assert ghk() * 1e3 == pytest.approx(-73.10, abs=0.01)


def test_ghk_reduces_to_nernst_for_a_single_permeable_ion():
    assert ghk(p_na=0, p_cl=0) == pytest.approx(nernst(1, 0.005, 0.140))


@pytest.mark.parametrize(
    ("kwargs", "name"),
    [
        ({"z": 3, "c_out": 0.1, "c_in": 0.1}, "z"),
        ({"z": 0, "c_out": 0.1, "c_in": 0.1}, "z"),
        ({"z": 1, "c_out": -0.1, "c_in": 0.1}, "c_out"),
        ({"z": 1, "c_out": 0.1, "c_in": float("nan")}, "c_in"),
        ({"z": 1, "c_out": 0.1, "c_in": 0.1, "temperature": 350.0}, "temperature"),
        ({"z": 1, "c_out": 0.1, "c_in": 0.1, "temperature": 272.0}, "temperature"),
        ({"z": 1, "c_out": "a lot", "c_in": 0.1}, "c_out"),
    ],
)
def test_nernst_bad_input_names_the_parameter(kwargs, name):
    with pytest.raises(ParameterError, match=name) as info:
        nernst(**kwargs)
    assert info.value.parameter == name


@pytest.mark.parametrize("kwargs", [{"p_k": -1.0}, {"p_k": 0, "p_na": 0, "p_cl": 0}, {"k_in": -0.1}])
def test_ghk_bad_input(kwargs):
    with pytest.raises(ParameterError):
        ghk(**kwargs)
