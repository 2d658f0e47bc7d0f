"""The numpy features baseline of mfn bench computes what the package computes."""

import numpy as np
import pytest

from mfn import FieldParams, simulate
from mfn.analysis.features import FEATURE_NAMES, feature_vector
from mfn.bench.features import features_baseline


@pytest.mark.parametrize(
    "params",
    [
        FieldParams(grid_size=24, steps=30, seed=1),
        FieldParams(grid_size=(20, 28), steps=30, seed=2, ra=0.1, ri=0.001, spike_probability=1.0, jitter_var=0.0005),
    ],
)
def test_features_baseline_matches_the_package(params):
    history = simulate(params, lyapunov=False).V.values
    got, expected = features_baseline(history), feature_vector(history)
    for name, g, e in zip(FEATURE_NAMES, got, expected, strict=True):
        if name in ("D_box", "D_r2"):  # the baseline counts whole boxes only
            assert np.isfinite(g) and 0 <= e <= 2
        else:
            assert g == pytest.approx(e, rel=1e-9, abs=1e-9), name
