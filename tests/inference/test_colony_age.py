"""The colony's age at the first frame: shifts recovered from synthetic series, and coverage after them."""

import numpy as np
import pytest
import xarray as xr
from hypothesis import given, settings
from hypothesis import strategies as st
from scipy.stats import norm

from mfn import ParameterError
from mfn.inference.colony_age import time_shift
from mfn.inference.predictive import band_at, band_coverage

MODEL_HOURS = np.round(np.arange(1, 81) * 0.3, 10)
"""A predictive imaged every 0.3 h to 24 h, like the mycelium's."""


def length(t):
    """A decelerating exponential, mm: specific rate 0.45 /h early falling to 0.3 /h (like the data's L)."""
    return 0.2 * np.exp(0.3 * t + 1.5 * (1 - np.exp(-t / 10.0)))


def predictive(spread=0.2, draws=41):
    """Draws of ``length`` times log-normal factors (seed noise) at the normal's quantiles: the median is the curve."""
    factors = np.exp(spread * norm.ppf((np.arange(draws) + 0.5) / draws))
    data = {
        "total_length": (("draw", "time"), factors[:, None] * length(MODEL_HOURS)[None, :]),
        "free_ends": (("draw", "time"), factors[:, None] * length(MODEL_HOURS)[None, :] / 0.4),
    }
    return xr.Dataset(data, coords={"time": MODEL_HOURS})


def observed(shift, hours=19.5, start=0.3, noise=0.0, seed=1):
    """An experiment whose colony is ``shift`` h older at each frame than the model at that hour."""
    t = np.round(np.arange(start, hours + 1e-9, 0.3), 10)
    value = length(t + shift) * np.exp(noise * np.random.default_rng(seed).standard_normal(t.size))
    return xr.Dataset({"total_length": ("time", value), "free_ends": ("time", value / 0.4)}, coords={"time": t})


@pytest.mark.parametrize("shift", [-1.2, -0.35, 0.0, 0.37, 1.5, 2.83])
def test_a_known_shift_is_recovered_to_the_resolution(shift):
    assert time_shift(predictive(), observed(shift)) == pytest.approx(shift, abs=0.006)


@settings(max_examples=25, deadline=None)
@given(shift=st.floats(-2.5, 2.5), start=st.sampled_from([0.3, 1.5]))
def test_shifts_are_recovered_through_frame_noise(shift, start):
    # 10 % noise on each frame's L: the mean-square fit over 55-65 frames stays within 0.1 h
    found = time_shift(predictive(), observed(shift, start=start, noise=0.1), resolution=0.02)
    assert abs(found - shift) < 0.1


def test_the_band_is_read_between_simulated_times_log_linearly():
    pred = predictive(spread=0.0, draws=3)
    lo, hi = band_at(pred.total_length, np.array([0.45, 6.0, 0.1, 30.0]), [0.05, 0.95])
    # an exponential between frames 0.3 and 0.6 is exact in log; outside the span: no band
    expected = np.sqrt(length(0.3) * length(0.6))
    assert lo[0] == pytest.approx(expected, rel=1e-12) and hi[0] == pytest.approx(expected, rel=1e-12)
    assert lo[1] == pytest.approx(length(6.0), rel=1e-12)
    assert np.isnan(lo[2:]).all() and np.isnan(hi[2:]).all()


@pytest.mark.parametrize("shift", [-0.8, 1.7])
def test_coverage_of_an_older_colony_is_recovered_by_its_shift(shift):
    pred, obs = predictive(spread=0.1), observed(shift)
    inside, compared = band_coverage(pred, obs, ["total_length", "free_ends"], shift=shift)["free_ends"]
    assert inside == compared  # the same curve, shifted back: every compared hour inside
    assert compared == (obs.sizes["time"] if shift > 0 else int(np.sum(obs.time.values + shift >= 0.3 - 1e-9)))
    unshifted, _ = band_coverage(pred, obs, ["free_ends"])["free_ends"]
    assert unshifted < 0.5 * compared  # without it, a 0.8-1.7 h age difference leaves the band


@pytest.mark.parametrize(
    ("kwargs", "match"),
    [
        ({"variable": "no_such"}, "variable"),
        ({"bounds": (1.0, 1.0)}, r"bounds\[1\]"),
        ({"bounds": (-200.0, 1.0)}, r"bounds\[0\]"),
        ({"bounds": (0.0, 1.0, 2.0)}, "bounds"),
        ({"resolution": 0.0}, "resolution"),
        ({"resolution": 10.0}, "resolution"),
        ({"overlap": 0.0}, "overlap"),
        ({"bounds": (30.0, 40.0)}, "simulate longer"),
    ],
)
def test_bad_input_names_the_parameter(kwargs, match):
    with pytest.raises(ParameterError, match=match):
        time_shift(predictive(), observed(0.5), **kwargs)


def test_an_observation_without_three_positive_values_is_refused():
    obs = observed(0.0).isel(time=slice(0, 2))
    with pytest.raises(ParameterError, match="at least 3"):
        time_shift(predictive(), obs)
    with pytest.raises(ParameterError, match="shift"):
        band_coverage(predictive(), obs, ["total_length"], shift=float("nan"))
