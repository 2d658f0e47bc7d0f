"""The mycelium's parameters: physical units, their checks, presets and the membrane's rest."""

import pytest

import mfn
from mfn import MyceliumParams, ParameterError


def test_defaults_in_physical_units():
    p = MyceliumParams()
    assert p.shape == (256, 256) and p.spacing == 25.0 and p.field_um == 6400.0
    assert p.field_spacing == 200.0 and p.field_shape == (32, 32)
    assert p.hours == 12.0 and p.regime == "nutrient" and p.inoculum == "spore"
    assert MyceliumParams.specs()["tip_speed"].unit == "µm/min"
    assert MyceliumParams.specs()["nutrient"].unit == "mM"


def test_resting_potential_is_the_pump_leak_steady_state():
    from mfn.physics.pump_leak import membrane_current

    p = MyceliumParams()
    assert -240.0 <= p.E_rest <= -160.0  # Neurospora (Slayman & Gradmann 1975)
    assert membrane_current(p.E_rest, p) == pytest.approx(0.0, abs=1e-9)
    assert p.e_k == pytest.approx(1e3 * mfn.nernst(1, 0.005, 0.180, 298.0), rel=1e-12)
    off = p.replace(pump_current=0.0)
    assert off.E_rest == pytest.approx(p.e_k, abs=0.5)  # the pump off: the leak's potential


@pytest.mark.parametrize(
    ("changes", "name"),
    [
        ({"nutrient": -0.1}, "nutrient"),
        ({"spacing": 0.5}, "spacing"),
        ({"time_step": 0.0}, "time_step"),
        ({"time_step": 30.0}, "time_step"),  # a tip would cross 150 µm of a 200 µm nutrient cell in a step
        ({"grid_size": 16, "medium": "patchy", "patch_size": 500.0}, "patch_size"),
        ({"grid_size": 16, "inoculum": "plug", "plug_radius": 200.0}, "plug_radius"),
        ({"regime": "eden"}, "regime"),
        ({"inoculum": "needle"}, "inoculum"),
        ({"fusion_probability": 1.5}, "fusion_probability"),
        ({"tip_speed": 0.0}, "tip_speed"),
        ({"steps": 0}, "steps"),
        ({"seed": -1}, "seed"),
    ],
)
def test_bad_parameters_name_themselves(changes, name):
    with pytest.raises(ParameterError, match=name) as err:
        MyceliumParams(**changes)
    assert err.value.parameter == name


def test_every_field_has_a_doc_and_round_trips_through_attrs():
    specs = MyceliumParams.specs()
    assert all(spec.doc for spec in specs.values())
    p = MyceliumParams(grid_size=(32, 48), regime="rich", seed=5, inoculum="points", n_inocula=4)
    assert MyceliumParams.from_attrs(p.to_attrs()) == p


def test_the_podospora_preset_and_its_overrides():
    p = MyceliumParams.preset("podospora_anserina")
    assert p.field_um == p.height_um == 9000.0 and p.hours == 20.0
    q = MyceliumParams.preset("podospora_anserina", seed=4, nutrient=10.0)
    assert (q.seed, q.nutrient, q.field_um) == (4, 10.0, 9000.0)
    with pytest.raises(ParameterError, match="preset"):
        MyceliumParams.preset("aspergillus")
    with pytest.raises(ParameterError, match="no_such"):
        MyceliumParams.preset("podospora_anserina", no_such=1)


def test_mfn_models_lists_the_preset(capsys):
    from mfn.cli import main

    assert main(["models", "mycelium"]) == 0
    out = capsys.readouterr().out
    assert "podospora_anserina" in out and "MyceliumParams.preset" in out


@pytest.mark.parametrize(
    ("changes", "name"),
    [
        ({"space_constant": 1e5}, "space_constant"),  # the membrane would need 25 million substeps a step
        ({"nutrient_diffusion": 1e6, "spacing": 1.0, "field_cell": 1, "tip_speed": 0.2}, "nutrient_diffusion"),
        (
            {"translocation_diffusion": 1e6, "nutrient_diffusion": 0.0, "field_cell": 1, "tip_speed": 0.2},
            "translocation_diffusion",
        ),
    ],
)
def test_settings_needing_unbounded_substeps_are_refused_up_front(changes, name):
    with pytest.raises(ParameterError, match="substeps per step") as err:
        MyceliumParams(**changes)
    assert err.value.parameter == name


def test_the_cli_refuses_them_in_one_line(capsys):
    from mfn.cli import main

    assert (
        main(["simulate", "--model", "mycelium", "--grid-size", "16", "--steps", "1", "--space-constant", "1e5"]) == 2
    )
    err = capsys.readouterr().err
    assert err.count("\n") == 1 and "space_constant" in err
