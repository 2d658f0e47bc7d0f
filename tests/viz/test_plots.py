"""Static HoloViews plots of runs and datacubes, rendered to real Bokeh figures."""

import holoviews as hv
import numpy as np
import pytest
import xarray as xr
from bokeh.models import ColorBar

from mfn import FieldParams, ParameterError, simulate
from mfn.viz import FIXED_CLIM, feature_plot, field_frames, field_image, metric_curves, resolve_clim
from mfn.viz.plots import ROUND_OFF


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
    assert bar.title == "V (mV), fixed scale -95..40"
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


def test_frames_compared_side_by_side_share_one_stated_colour_scale(run):
    times = [0, 6, 12]
    shown = run.V.isel(time=times).values
    figs = [hv.render(p, backend="bokeh") for p in field_frames(run, times).values()]
    bars = [_mapper(f) for f in figs]
    limits = {(b.color_mapper.low, b.color_mapper.high) for b in bars}
    assert limits == {(shown.min(), shown.max())}  # one scale: the range over every frame shown
    assert all(b.title.startswith("V (mV), shared scale ") for b in bars)
    assert [f.title.text for f in figs] == ["step 0", "step 6", "step 12"]
    fixed = _mapper(hv.render(field_frames(run, times, clim="fixed").values()[0], backend="bokeh"))
    assert (fixed.color_mapper.low, fixed.color_mapper.high) == FIXED_CLIM
    with pytest.raises(ParameterError, match="clim"):
        field_frames(run, times, clim="auto")


def test_metric_titles_are_whole_and_axes_carry_units(run):
    run = run.copy()
    run["turing_activations"].attrs["long_name"] = "Turing activations (since the previous frame)"
    for name, plot in zip(
        ["turing_activations", "V_mean"], metric_curves(run, ["turing_activations", "V_mean"]).values(), strict=True
    ):
        fig = hv.render(plot, backend="bokeh")
        assert fig.title.text.replace("\n", " ") == run[name].attrs["long_name"]  # wrapped, never cut
        assert max(map(len, fig.title.text.split("\n"))) * 7.5 <= fig.width - 70  # right of the y axis
        assert fig.yaxis[0].axis_label == f"{name} ({run[name].attrs['units']})"
        assert fig.xaxis[0].axis_label == "step (step)" or "step" in fig.xaxis[0].axis_label


def test_coinciding_curves_are_drawn_once_and_labelled_as_identical():
    values = np.array([[1.0, 1.0, 2.0], [1.5, 1.5, 2.5], [1.8, 1.8, 3.0]])  # turing True == False
    cube = xr.Dataset(
        {"V_std": (("alpha", "turing"), values[:, :2]), "X": (("alpha", "mode"), values)},
        coords={"alpha": [0.1, 0.15, 0.2], "turing": [True, False], "mode": ["a", "b", "c"]},
    )
    curves = [e for e in feature_plot(cube, "V_std", "alpha", by="turing") if isinstance(e, hv.Curve)]
    assert [c.label for c in curves] == ["turing = True = False (identical)"]
    three = [e.label for e in feature_plot(cube, "X", "alpha", by="mode") if isinstance(e, hv.Curve)]
    assert three == ["mode = a = b (identical)", "mode = c"]


def test_round_off_values_are_shown_as_zero_and_said_so():
    noise = np.random.default_rng(0).normal(0, 1e-10, (3, 4))
    cube = xr.Dataset(
        {"lyapunov": (("alpha", "seed"), noise, {"units": "1/step", "long_name": "field Lyapunov exponent"})},
        coords={"alpha": [0.1, 0.15, 0.2], "seed": [0, 1, 2, 3]},
    )
    overlay = feature_plot(cube, "lyapunov", "alpha")
    curve = overlay.values()[0]
    np.testing.assert_array_equal(curve.dimension_values(1), 0.0)
    fig = hv.render(overlay, backend="bokeh")
    assert f"< {ROUND_OFF:g}, round-off, shown as 0" in fig.title.text.replace("\n", " ")
    assert fig.yaxis[0].axis_label == "lyapunov (1/step)"
    real = cube.assign(lyapunov=cube.lyapunov * 1e6)  # 1e-4: a value, plotted as it is
    assert np.abs(feature_plot(real, "lyapunov", "alpha").values()[0].dimension_values(1)).max() > 0
