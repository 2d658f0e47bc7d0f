import numpy as np
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
        ({"turn_sd": 91.0}, "turn_sd"),
        ({"turn_sd": -0.01}, "turn_sd"),
        ({"branch_angle": 181.0}, "branch_angle"),
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


PLATE_EDGE_SEEDS = range(10)


def test_defaults_grow_a_colony_to_the_plate_edge():
    """The docstring's claim: on a 256 x 256 plate, nothing else set, every seed's colony reaches
    90 % of the centre-to-edge distance (99th percentile of its hyphal cells' distance from the
    inoculum, so a single stray hypha does not count), and is round: smallest over largest of 8
    sectors' 95th-percentile radius 0.75-0.91 (mean 0.85) over these seeds; under the
    8-direction lattice walk it was 0.01-0.71 (mean 0.39), seed 9 with an empty sector."""
    import mfn
    from mfn.analysis.colony import edge_distance, reach, roundness

    centre = (128, 128)  # the one inoculum sits at (M // 2, N // 2)
    edge = edge_distance((256, 256), centre)
    rounds = []
    for seed in PLATE_EDGE_SEEDS:
        run = mfn.simulate(mfn.MyceliumParams(grid_size=256, seed=seed), record_every=None, backend="numba")
        occ = run["occupied"].isel(time=-1).values > 0
        far = reach(occ, centre)
        assert far >= 0.9 * edge, f"seed {seed}: 99th percentile distance {far:.1f} of {edge} cells"
        rounds.append(roundness(occ, centre))
    assert min(rounds) >= 0.7 and np.mean(rounds) >= 0.8, np.round(rounds, 2)
