"""mfn.simulation.state: a State's variables and a StepResult's counts and metrics read as attributes."""

import copy

import numpy as np
import pytest

from mfn.simulation.state import State, StepResult


def test_a_state_reads_its_variables_as_attributes_and_refuses_other_names():
    state = State(3, {"V": np.full((2, 2), -70.0), "a": np.zeros((2, 2))})
    assert state.t == 3 and state.V[0, 0] == -70.0 and state.a.shape == (2, 2)
    with pytest.raises(AttributeError, match="u"):
        _ = state.u
    assert not hasattr(state, "u")


def test_a_step_result_reads_its_counts_and_metrics_as_attributes():
    result = StepResult(5, {"growth_events": 2}, {"V_mean": -68.5})
    assert (result.t, result.growth_events, result.V_mean) == (5, 2, -68.5)
    with pytest.raises(AttributeError, match="clamped_cells"):
        _ = result.clamped_cells
    assert StepResult(0).counts == {} and StepResult(0).metrics == {}


@pytest.mark.parametrize("make", [lambda: State(1, {"V": np.zeros(2)}), lambda: StepResult(1, {"n": 1}, {"m": 0.5})])
def test_copies_are_equal_and_made_without_recursing_through_getattr(make):
    original = make()
    for copied in (copy.copy(original), copy.deepcopy(original)):
        assert copied.t == original.t and type(copied) is type(original)
