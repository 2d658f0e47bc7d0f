"""Static HoloViews plots of runs and datacubes, rendered to real Bokeh figures."""

import holoviews as hv
import numpy as np
import pytest
import xarray as xr
from bokeh.models import ColorBar

from mfn import FieldParams, ParameterError, simulate
from mfn.viz import FIXED_CLIM, feature_plot, field_image, metric_curves, resolve_clim


@pytest.fixture(scope="module")
def run():
    return simulate(FieldParams(grid_size=16, steps=12, seed=5))


def _mapper(fig):
    bars = [r for r in fig.right if isinstance(r, ColorBar)]
    assert len(bars) == 1
    return bars[0]


def test_field_image_of_a_run_has_a_labelled_fixed_colour_bar(run):
    image = field_image(run)
    assert image.data.shape == (16, 16) if hasattr(image.data, "shape") else True
    np.testing.assert_array_equal(image.dimension_values("V", flat=False), run.V.isel(time=-1).values[::-1])
    fig = hv.render(image, backend="bokeh")
    bar = _mapper(fig)
    assert bar.title == "V (mV)"
    assert (bar.color_mapper.low, bar.color_mapper.high) == FIXED_CLIM == (-95.0, 40.0)
    assert fig.title.text == "step 12"


@pytest.mark.parametrize(("clim", "expected"), [("auto", None), ((-80.0, -60.0), (-80.0, -60.0))])
def test_field_image_colour_range(run, clim, expected):
    V = run.V.isel(time=0).values
    bar = _mapper(hv.render(field_image(run.V, time=0, clim=clim), backend="bokeh"))
    lo, hi = expected or (V.min(), V.max())
    assert (bar.color_mapper.low, bar.color_mapper.high) == pytest.approx((lo, hi))


def test_field_image_accepts_a_plain_array():
    image = field_image(np.full((3, 5), -70.0), clim="auto")
    assert image.dimension_values("V").shape == (15,)
    assert resolve_clim("auto", np.full((2, 2), -70.0)) == (-70.5, -69.5)  # constant frame


@pytest.mark.parametrize(
    ("data", "kwargs", "parameter"),
    [
        (np.zeros(4), {}, "data"),
        (np.full((2, 2), np.nan), {}, "data"),
        (np.zeros((2, 2)), {"clim": "rainbow"}, "clim"),
        (np.zeros((2, 2)), {"clim": (1.0, 1.0)}, "clim[1]"),
        (np.zeros((2, 2)), {"clim": (1.0,)}, "clim"),
    ],
)
def test_field_image_bad_input(data, kwargs, parameter):
    with pytest.raises(ParameterError) as info:
        field_image(data, **kwargs)
    assert info.value.parameter == parameter


def test_field_image_bad_time(run):
    with pytest.raises(ParameterError, match="time"):
        field_image(run, time=13)


def test_metric_curves_one_labelled_panel_per_metric(run):
    layout = metric_curves(run)
    assert len(layout) == 4
    curve = layout.values()[-1]
    assert curve.vdims[0].pprint_label == "mean potential (mV)"
    np.testing.assert_allclose(curve.dimension_values(1), run.V_mean.values)
    with pytest.raises(ParameterError, match="metrics"):
        metric_curves(run, ["nope"])


def test_feature_plot_mean_and_spread_over_seeds():
    cube = xr.Dataset(
        {"D_box": (("alpha", "seed"), np.array([[1.0, 1.2], [1.5, 1.5], [1.8, 2.0]]))},
        coords={"alpha": [0.1, 0.15, 0.2], "seed": [0, 1]},
    )
    overlay = feature_plot(cube, "D_box", "alpha")
    curve, bars = overlay.values()
    np.testing.assert_allclose(curve.dimension_values(1), [1.1, 1.5, 1.9])
    np.testing.assert_allclose(bars.dimension_values(2), [0.1, 0.0, 0.1])
    by_seed = feature_plot(cube, "D_box", "alpha", by="seed")
    assert len(by_seed) == 4
    hv.render(by_seed, backend="bokeh")
    with pytest.raises(ParameterError, match="parameter"):
        feature_plot(cube, "D_box", "beta")
