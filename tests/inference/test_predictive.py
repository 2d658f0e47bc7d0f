"""Posterior predictive simulations, resampling, and the arviz view of a calibration."""

import sys

import numpy as np
import pytest

import mfn
from mfn import ParameterError
from mfn.hyphae.simulated import imaged_network
from mfn.inference.predictive import band_coverage, resample
from mfn.inference.result import credible_intervals, effective_sample_size, weighted_quantile


@pytest.mark.parametrize("n", [1, 7, 100])
def test_systematic_resampling_keeps_the_weights_to_within_one_draw(n):
    weights = np.array([0.5, 0.25, 0.125, 0.125])
    picks = resample(weights, n, np.random.default_rng(3))
    counts = np.bincount(picks, minlength=4)
    assert counts.sum() == n and np.all(np.abs(counts - n * weights) < 1)


def test_weighted_quantiles_and_effective_sample_size_on_known_values():
    assert effective_sample_size(np.array([1.0, 1.0, 0.0, 0.0])) == 2.0
    x = np.arange(1.0, 6.0)
    assert weighted_quantile(x, np.ones(5), [0.1, 0.5, 0.9]).tolist() == [1.0, 3.0, 5.0]
    assert weighted_quantile(x, np.array([0, 0, 0, 0, 1.0]), 0.5) == 5.0


def test_credible_intervals_say_whether_the_truth_is_inside(rd_calibration):
    _, result = rd_calibration
    ci = credible_intervals(result, 0.9)
    for name in ("Dv", "b"):
        row = ci.sel(parameter=name)
        values = np.sort(result[name].values)
        assert values[0] <= float(row.lo) <= float(row["median"]) <= float(row.hi) <= values[-1]
        assert int(row.inside) == int(float(row.lo) <= float(row.truth) <= float(row.hi))
    with pytest.raises(ParameterError, match="level"):
        credible_intervals(result, 1.0)


def test_the_posterior_predictive_simulates_fresh_draws_and_measures_them(rd_calibration):
    _, result = rd_calibration
    pp = mfn.posterior_predictive(result, 6, seed=1)
    assert pp.u.dims == ("draw", "y", "x") and pp.sizes["draw"] == 6
    assert pp.simulated.dims == ("draw", "summary") and np.isfinite(pp.simulated).all()
    assert set(pp.Dv.values) <= set(result.Dv.values) and not set(pp.seed.values) & set(result.seed.values)
    assert (pp.failed == "").all() and pp.observed_u.equals(result.observed_u)
    amplitude = pp.u.std(dim=("y", "x")).values
    np.testing.assert_allclose(pp.simulated.sel(summary="amplitude").values, amplitude, rtol=1e-12)
    again = mfn.posterior_predictive(result, 6, seed=1)
    assert again.simulated.equals(pp.simulated)
    with pytest.raises(ParameterError, match="1 <= n"):
        mfn.posterior_predictive(result, 0)


def test_the_posterior_predictive_runs_at_other_settings_and_refuses_fitted_or_unknown_ones(rd_calibration):
    _, result = rd_calibration
    pp = mfn.posterior_predictive(result, 2, seed=1, settings={"grid_size": 24})
    assert pp.u.shape == (2, 24, 24) and '"grid_size": 24' in pp.attrs["base"] and "observed_u" not in pp
    for name in ("Dv", "seed", "no_such_parameter"):
        with pytest.raises(ParameterError, match="settings"):
            mfn.posterior_predictive(result, 2, settings={name: 1})


def test_band_coverage_counts_observed_times_inside_the_central_band():
    import xarray as xr

    time = np.array([0.3, 0.6, 0.9, 1.2])
    # draws 0..99 at every time: the 5-95 % band is [4.95, 94.05]
    draws = xr.Dataset({"L": (("draw", "time"), np.tile(np.arange(100.0)[:, None], (1, 4)))}, coords={"time": time})
    # observed at the predictive's times (one not simulated: 1.5 h) plus values in and out of the band
    observed = xr.Dataset({"L": ("time", [50.0, 4.0, 94.0, 95.0, 50.0])}, coords={"time": [*time, 1.5]})
    assert band_coverage(draws, observed, ["L"]) == {"L": (2, 4)}
    assert band_coverage(draws, observed, ["L"], level=0.5) == {"L": (1, 4)}
    with pytest.raises(ParameterError, match="variables"):
        band_coverage(draws, observed, ["N"])
    with pytest.raises(ParameterError, match="level"):
        band_coverage(draws, observed, ["L"], level=1.0)


def test_to_arviz_gives_equally_weighted_draws_and_the_observed_summaries(rd_calibration):
    _, result = rd_calibration
    idata = mfn.to_arviz(result)
    assert set(idata.groups()) == {"posterior", "posterior_predictive", "observed_data", "sample_stats"}
    assert idata.posterior.Dv.shape == (1, 10) and set(idata.posterior.Dv.values.ravel()) <= set(result.Dv.values)
    assert idata.observed_data.level.values.tolist() == [float(result.observed.sel(summary="level"))]
    assert idata.posterior_predictive.level.dims == ("chain", "draw", "observation")


def test_to_arviz_without_arviz_says_what_to_install(rd_calibration, monkeypatch):
    monkeypatch.setitem(sys.modules, "arviz", None)
    with pytest.raises(ImportError, match=r"pip install 'mfn\[calibrate\]'"):
        mfn.to_arviz(rd_calibration[1])


def test_the_posterior_predictive_of_a_mycelium_stacks_networks_of_different_sizes():
    base = mfn.MyceliumParams(grid_size=64, steps=240)
    observed = mfn.simulate(base.replace(seed=7), record_every=None)
    result = mfn.calibrate(
        base, {"tip_speed": (4.0, 6.0)}, observed, population=10, generations=1, scheduler="synchronous",
        progress=False,
    )  # fmt: skip
    pp = mfn.posterior_predictive(result, 3, seed=2, settings={"steps": 270})
    assert (pp.failed == "").all() and pp.total_length.dims == ("draw", "time")
    assert pp.time.values.max() == pytest.approx(9.0)  # 270 steps of 2 min, imaged every 0.3 h
    # each draw's list of branchings keeps its own length, padded with NaN to the longest
    counts = pp.branching_angle.notnull().sum("branching").values
    assert counts.min() > 0 and counts.max() == pp.sizes["branching"] and len(set(counts)) > 1
    # the observation imaged like the draws: every one of its frames (to 8.1 h) has a band
    frames = mfn.network_metrics(imaged_network(observed))
    inside, compared = band_coverage(pp, frames, ["total_length"])["total_length"]
    assert compared == int(frames.total_length.notnull().sum()) and 0 < inside <= compared
