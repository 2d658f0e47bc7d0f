import json

import pytest

from mfn import FieldParams, ParameterError
from mfn.sweeps.grid import SweepGrid


def test_dims_shape_and_run_order():
    grid = SweepGrid.build({"grid_size": [8, 16], "alpha": [0.1, 0.15, 0.2]}, seeds=[5, 6], base={"steps": 3})
    assert grid.dims == ("grid_size", "alpha", "seed")
    assert grid.shape == (2, 3, 2) and grid.n_runs == 12
    indices = list(grid.indices())
    assert indices[0] == (0, 0, 0) and indices[1] == (0, 0, 1) and indices[-1] == (1, 2, 1)
    p = grid.params_at((1, 2, 1))
    assert (p.grid_size, p.alpha, p.seed, p.steps) == (16, 0.2, 6, 3)


def test_values_are_normalised_by_fieldparams():
    grid = SweepGrid.build({"alpha": [0.1], "steps": [5], "turing": [False]}, seeds=[0], base=FieldParams())
    assert grid.coords() == {"alpha": [0.1], "steps": [5], "turing": [False], "seed": [0]}
    assert isinstance(grid.coords()["alpha"][0], float)


def test_json_is_canonical_and_names_the_base():
    a = SweepGrid.build({"alpha": [0.1, 0.2]}, seeds=[0, 1], base={"steps": 7, "seed": 9})
    b = SweepGrid.build({"alpha": [0.1, 0.2]}, seeds=[0, 1], base=FieldParams(steps=7))
    assert a.to_json() == b.to_json()
    doc = json.loads(a.to_json())
    assert doc["grid"] == {"alpha": [0.1, 0.2], "seed": [0, 1]} and doc["base"]["steps"] == 7
    assert "seed" not in doc["base"]


@pytest.mark.parametrize(
    ("grid", "seeds", "match"),
    [
        ({"alhpa": [0.1]}, [0], "grid = 'alhpa' is invalid; valid: a FieldParams parameter"),
        ({"seed": [0, 1]}, [0], "pass seeds separately"),
        ({"alpha": []}, [0], r"grid\['alpha'\] = \[\] is invalid; valid: a non-empty list"),
        ({"alpha": 0.1}, [0], r"grid\['alpha'\] = 0.1 is invalid; valid: a list of values"),
        ({"alpha": "0.1"}, [0], "a list of values"),
        ({"alpha": [0.1, 0.3]}, [0], "alpha = 0.3 is invalid; valid: a finite real number with 0 < alpha < 0.25"),
        ({"grid_size": [2]}, [0], "grid_size = 2 is invalid"),
        ({"grid_size": [(8, 16)]}, [0], "set a \\(rows, cols\\) shape in base"),
        ({"boundary": ["periodic", "open"]}, [0], "boundary = 'open' is invalid"),
        ({"steps": [5, 5]}, [0], "distinct values"),
        ({}, [0], "a non-empty mapping"),
        ({"alpha": [0.1]}, [], "seeds = \\[\\] is invalid"),
        ({"alpha": [0.1]}, [0, -1], "seeds = -1 is invalid"),
        ({"alpha": [0.1]}, [1, 1], "distinct seeds"),
        ({"alpha": [0.1]}, 3, "seeds = 3 is invalid; valid: a list of integers"),
    ],
)
def test_bad_grids_name_what_is_wrong(grid, seeds, match):
    with pytest.raises(ParameterError, match=match):
        SweepGrid.build(grid, seeds)


def test_bad_base():
    with pytest.raises(ParameterError, match=r"alpha = 0\.5"):
        SweepGrid.build({"steps": [1]}, [0], base={"alpha": 0.5})
    with pytest.raises(ParameterError, match="base"):
        SweepGrid.build({"steps": [1]}, [0], base=3)
