"""mfn.analysis.feature_params: every setting of the features is validated, naming it."""

import pytest

from mfn import ParameterError
from mfn.analysis.feature_params import FeatureParams


@pytest.mark.parametrize(
    ("kwargs", "parameter"),
    [
        ({"threshold_mode": "percentile"}, "threshold_mode"),
        ({"thresholds": (-40.0, -50.0, -60.0)}, "thresholds"),
        ({"thresholds": (-60.0, -50.0)}, "thresholds"),
        ({"thresholds": (-100.0, -50.0, -40.0)}, "thresholds"),
        ({"percentiles": (50, 75, 101)}, "percentiles"),
        ({"percentiles": "abc"}, "percentiles"),
        ({"min_box": 0}, "min_box"),
        ({"min_box": 4, "max_box": 2}, "max_box"),
        ({"num_scales": 2}, "num_scales"),
        ({"num_scales": 11}, "num_scales"),
        ({"stability_threshold": 0.0}, "stability_threshold"),
        ({"stability_window": 0}, "stability_window"),
        ({"connectivity": 6}, "connectivity"),
        ({"connectivity": True}, "connectivity"),
    ],
)
def test_feature_params_are_validated(kwargs, parameter):
    with pytest.raises(ParameterError) as info:
        FeatureParams(**kwargs)
    assert info.value.parameter == parameter
