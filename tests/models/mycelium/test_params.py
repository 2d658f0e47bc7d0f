import pytest

from mfn import MyceliumParams, ParameterError


def test_defaults_and_resting_potential_from_ghk():
    p = MyceliumParams()
    assert p.shape == (256, 256) and p.regime == "nutrient" and p.medium == "uniform"
    assert p.E_rest == pytest.approx(-73.10, abs=0.01)  # SPEC section 1: GHK 1 : 0.04 : 0.45


@pytest.mark.parametrize(
    ("changes", "name"),
    [
        ({"nutrient": -0.1}, "nutrient"),
        ({"persistence": 1.5}, "persistence"),
        ({"persistence": -0.01}, "persistence"),
        ({"grid_size": 8, "n_inocula": 65}, "n_inocula"),
        ({"grid_size": 8, "medium": "patchy", "patch_size": 9}, "patch_size"),
        ({"regime": "eden"}, "regime"),
        ({"medium": "agar"}, "medium"),
        ({"coupling": 0.0}, "coupling"),
        ({"coupling": 0.2}, "coupling"),
        ({"nutrient_diffusion": 0.25}, "nutrient_diffusion"),
        ({"extension_cost": 0.0}, "extension_cost"),
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
    p = MyceliumParams(grid_size=(32, 48), regime="rich", seed=5)
    assert MyceliumParams.from_attrs(p.to_attrs()) == p


def test_as_many_inocula_as_cells_is_allowed():
    assert MyceliumParams(grid_size=4, n_inocula=16).n_inocula == 16
