"""The model registry: lookup by name and by the type of the parameters."""

import pytest

from mfn import FieldParams, MyceliumParams, ReactionDiffusionParams
from mfn.core.errors import ParameterError
from mfn.core.model import get_model, model_for, models


def test_the_built_in_models_are_registered_and_found_by_params_type():
    assert {"classic", "reaction_diffusion", "mycelium"} <= set(models())
    for params in (FieldParams(), ReactionDiffusionParams(), MyceliumParams()):
        model = model_for(params)
        assert model.params_class is type(params) and type(params).model == model.name
        assert get_model(model.name) is model


@pytest.mark.parametrize("params", [{"grid_size": 8}, None, 3])
def test_anything_else_is_refused(params):
    with pytest.raises(ParameterError, match="parameters of a registered model") as info:
        model_for(params)
    assert info.value.parameter == "params"


def test_an_unknown_name_lists_the_models():
    with pytest.raises(ParameterError, match="one of 'classic'"):
        get_model("nosuch")


def test_a_measure_may_not_take_the_name_of_a_variable_counter_metric_or_other_measure():
    import dataclasses

    from mfn.core.model import Measure, get_model

    classic = get_model("classic")
    for clash in ("V", "growth_events", "V_mean", classic.measures[0].name):
        extra = Measure(clash, "1", "clashing", lambda stepper: 0.0)
        with pytest.raises(ParameterError, match=f"measures = '{clash}' is invalid"):
            dataclasses.replace(classic, measures=(*classic.measures, extra))
