"""Parameters carrying their specs: validation, names, attrs round trips."""

from dataclasses import dataclass

import numpy as np
import pytest

from mfn.core.errors import ParameterError
from mfn.core.params import GRID_RANGE, ModelParams, ParamSpec, check_grid, parameter


@dataclass(frozen=True)
class Toy(ModelParams):
    grid_size: int = parameter(8, "grid", doc="side")
    steps: int = parameter(3, "int", lo=1, hi=10, doc="steps")
    rate: float = parameter(0.5, "float", lo=0, hi=1, hi_open=True, doc="a rate")
    on: bool = parameter(True, "bool", doc="a switch")
    mode: str = parameter("a", "choice", choices=("a", "b"), doc="a mode")
    seed: int = parameter(0, "int", lo=0, doc="seed", sweep=False)

    def check(self):
        if self.mode == "b" and not self.on:
            raise ParameterError("mode", self.mode, "'a' when on is False")


@pytest.mark.parametrize(
    ("name", "value", "valid"),
    [
        ("steps", 11, "an integer with 1 <= steps <= 10"),
        ("steps", 2.0, "an integer with 1 <= steps <= 10"),
        ("rate", 1.0, "a finite real number with 0 <= rate < 1"),
        ("rate", float("nan"), "a finite real number with 0 <= rate < 1"),
        ("on", 1, "True or False"),
        ("mode", "c", "one of 'a', 'b'"),
        ("grid_size", 2, f"an integer with {GRID_RANGE[0]} <= grid_size <= {GRID_RANGE[1]}"),
    ],
)
def test_each_field_is_checked_by_its_spec(name, value, valid):
    with pytest.raises(ParameterError) as info:
        Toy(**{name: value})
    assert info.value.parameter == name and info.value.valid == valid
    assert Toy.specs()[name].describe() == valid or name == "grid_size"


def test_constraints_between_fields_and_unknown_names():
    with pytest.raises(ParameterError, match="'a' when on is False"):
        Toy(mode="b", on=False)
    with pytest.raises(ParameterError, match="a Toy parameter: one of grid_size, steps"):
        Toy.from_dict({"stpes": 3})


def test_specs_carry_their_names_and_attrs_round_trip():
    specs = Toy.specs()
    assert [s.name for s in specs.values()] == ["grid_size", "steps", "rate", "on", "mode", "seed"]
    assert isinstance(specs["rate"], ParamSpec) and not specs["seed"].sweep
    toy = Toy(grid_size=(8, 12), on=False)
    attrs = toy.to_attrs()
    assert attrs["on"] == 0 and attrs["grid_size"] == [8, 12]
    np_attrs = {**attrs, "grid_size": np.array([8, 12]), "steps": np.int64(3), "mode": b"a"}
    assert Toy.from_attrs(np_attrs) == toy
    assert toy.shape == (8, 12) and toy.n_cells == 96


@pytest.mark.parametrize(("value", "expected"), [(np.array(64), 64), ((16, 16), 16), ([8, 12], (8, 12))])
def test_grid_sizes_from_numpy_and_sequences(value, expected):
    assert check_grid("grid_size", value) == expected


def test_a_bad_kind_is_refused_when_declared():
    with pytest.raises(ParameterError, match="kind"):
        parameter(1, "complex")


def _params_classes():
    import mfn  # noqa: F401 - registers the built-in models
    from mfn.core.model import models

    return [Toy, *(model.params_class for model in models().values())]


@pytest.mark.parametrize("cls", _params_classes(), ids=lambda c: c.__name__)
def test_an_unknown_keyword_is_a_parameter_error_naming_the_valid_fields(cls):
    with pytest.raises(ParameterError) as info:
        cls(nope=1)
    assert info.value.parameter == "nope" and info.value.value == 1
    for name in cls.specs():
        assert name in info.value.valid
    with pytest.raises(ParameterError, match="positional"):
        cls(*range(len(cls.specs()) + 1))


def test_copies_and_pickles_still_work_with_the_keyword_check():
    import copy
    import pickle

    toy = Toy(steps=5)
    assert copy.deepcopy(toy) == toy and pickle.loads(pickle.dumps(toy)) == toy
    assert toy.replace(rate=0.25).rate == 0.25
