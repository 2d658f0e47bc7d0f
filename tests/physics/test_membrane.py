"""The ion parameters shared by the models with a GHK resting potential (reaction–diffusion;
the mycelium's pump-leak membrane is tested in tests/physics/test_pump_leak.py)."""

import dataclasses

import pytest

from mfn import ParameterError, ReactionDiffusionParams, ghk
from mfn.physics.membrane import ION_PARAMETERS
from mfn.physics.nernst import IONS

MODELS = [ReactionDiffusionParams]


@pytest.mark.parametrize("params_class", MODELS)
def test_every_model_declares_the_same_ion_parameters_last(params_class):
    specs = params_class.specs()
    names = [f.name for f in dataclasses.fields(params_class)]
    assert names[-len(ION_PARAMETERS) :] == list(ION_PARAMETERS)
    for name in ION_PARAMETERS:
        assert specs[name] == ReactionDiffusionParams.specs()[name]


def test_defaults_are_the_reference_gradients_in_mM():
    p = ReactionDiffusionParams()
    for field, (ion, side) in {"k_in": ("K", "c_in"), "na_out": ("Na", "c_out"), "cl_in": ("Cl", "c_in")}.items():
        assert getattr(p, field) == pytest.approx(getattr(IONS[ion], side) * 1e3, rel=1e-15)
    assert (p.k_in, p.k_out, p.na_in, p.na_out, p.cl_in, p.cl_out) == (140.0, 5.0, 12.0, 145.0, 4.0, 120.0)


@pytest.mark.parametrize("params_class", MODELS)
@pytest.mark.parametrize(
    ("changes", "expected_mV"),
    [
        ({}, -73.10),  # 1 : 0.04 : 0.45 (docs/electrochemistry.md)
        ({"p_na": 0.0, "p_cl": 0.0}, -89.01),  # K+ only: its Nernst potential
        ({"k_out": 140.0, "p_na": 0.0, "p_cl": 0.0}, 0.0),  # no K+ gradient
    ],
)
def test_E_rest_is_the_ghk_potential_of_the_fields(params_class, changes, expected_mV):
    p = params_class(**changes)
    assert p.E_rest == pytest.approx(expected_mV, abs=0.01)
    kwargs = {n: getattr(p, n) / (1e3 if n.endswith(("_in", "_out")) else 1.0) for n in ION_PARAMETERS}
    assert p.E_rest == pytest.approx(ghk(**kwargs) * 1e3, rel=1e-12)


@pytest.mark.parametrize("params_class", MODELS)
@pytest.mark.parametrize(
    ("name", "value"), [("k_in", -1.0), ("na_out", 1001.0), ("p_cl", -0.1), ("temperature", 400.0)]
)
def test_an_ion_value_out_of_range_is_named(params_class, name, value):
    with pytest.raises(ParameterError, match=name):
        params_class(**{name: value})
