"""Calibration figures: what each draws, on the ranges it states (the images are looked at in docs)."""

import matplotlib
import numpy as np
import pytest
import xarray as xr

import mfn
from mfn import ParameterError
from mfn.viz.calibration import (
    corner_plot,
    generations_plot,
    predictive_bands,
    predictive_patterns,
    predictive_summaries,
)

matplotlib.use("Agg")


def test_the_corner_plot_spans_the_priors_and_marks_the_truth(rd_calibration):
    _, result = rd_calibration
    fig = corner_plot(result)
    axes = [ax for ax in fig.axes if ax.get_visible()]
    assert len(axes) == 3  # two marginals and one pair
    diagonal = [ax for ax in axes if ax.get_title()]
    assert [ax.get_xlim() for ax in diagonal] == [(10.0, 60.0), (0.7, 1.1)]
    assert diagonal[0].get_title().startswith("Dv = ")
    red = [line for ax in axes for line in ax.get_lines() if line.get_color() == "#d62728"]
    assert len(red) == 4  # truth on each marginal, and both lines on the pair
    assert "red: true values" in fig._suptitle.get_text()


def test_generations_plot_draws_epsilon_and_acceptance(rd_calibration):
    _, result = rd_calibration
    fig = generations_plot(result)
    eps, acc = fig.axes
    np.testing.assert_array_equal(eps.get_lines()[0].get_ydata(), result.epsilon.values)
    np.testing.assert_array_equal(acc.get_lines()[0].get_ydata(), result.acceptance_rate.values)


def test_pattern_and_summary_figures_of_the_posterior_predictive(rd_calibration):
    _, result = rd_calibration
    pp = mfn.posterior_predictive(result, 4)
    fig = predictive_patterns(pp, n=2)
    images = [im for ax in fig.axes for im in ax.get_images()]
    assert len(images) == 3 and len({im.get_clim() for im in images}) == 1
    np.testing.assert_array_equal(images[0].get_array(), pp.observed_u.values)
    fig = predictive_summaries(pp)
    assert [ax.get_title() for ax in fig.axes] == ["wavelength", "spot_density", "amplitude", "level"]
    with pytest.raises(ParameterError, match="variable"):
        predictive_patterns(pp, variable="v")


def test_predictive_bands_cover_the_draws_and_draw_the_observed_series():
    time = xr.DataArray(np.arange(5.0), dims="time", attrs={"units": "h"})
    draws = np.arange(1.0, 21.0)[:, None] * np.exp(0.3 * time.values)[None, :]
    pp = xr.Dataset(
        {"total_length": (("draw", "time"), draws, {"units": "mm"}), "observed_total_length": ("time", draws[9])},
        coords={"time": time},
    )
    fig = predictive_bands(pp, ["total_length"])
    (ax,) = fig.axes
    outer = ax.collections[0].get_paths()[0].vertices[:, 1]
    assert outer.min() == pytest.approx(np.quantile(draws, 0.05, axis=0).min())
    assert outer.max() == pytest.approx(np.quantile(draws, 0.95, axis=0).max())
    observed = [line for line in ax.get_lines() if line.get_marker() == "o"]
    np.testing.assert_array_equal(observed[0].get_ydata(), draws[9])
    assert ax.get_xlabel() == "time (h)" and ax.get_ylabel() == "total_length (mm)"
    with pytest.raises(ParameterError, match="over time"):
        predictive_bands(pp, ["free_ends"])


def test_predictive_bands_draw_a_shifted_observation_beside_its_own_clock_on_log_axes():
    time = xr.DataArray(np.arange(1.0, 6.0), dims="time", attrs={"units": "h"})
    draws = np.arange(1.0, 21.0)[:, None] * np.exp(0.3 * time.values)[None, :]
    pp = xr.Dataset({"total_length": (("draw", "time"), draws, {"units": "mm"})}, coords={"time": time})
    observed = xr.Dataset({"total_length": ("time", draws[9, :3])}, coords={"time": time.values[:3]})
    fig = predictive_bands(pp, ["total_length"], observed=observed, shift=1.5, log=["total_length"])
    (ax,) = fig.axes
    own, shifted = [line for line in ax.get_lines() if line.get_marker() == "o"]
    np.testing.assert_array_equal(own.get_xdata(), [1.0, 2.0, 3.0])
    np.testing.assert_array_equal(shifted.get_xdata(), [2.5, 3.5, 4.5])
    assert shifted.get_label() == "observed, +1.50 h" and ax.get_yscale() == "log"
    with pytest.raises(ParameterError, match="shift"):
        predictive_bands(pp, ["total_length"], observed=observed, shift=float("inf"))
