"""Static HoloViews plots of runs, features and datacubes (Bokeh backend).

Every function returns a HoloViews object; display it in a notebook after
``hv.extension("bokeh")`` or ``pn.extension()``, or wrap it in ``pn.pane.HoloViews``.
Axes and colour bars are labelled from the data's ``long_name`` and ``units``.
"""

from __future__ import annotations

from collections.abc import Sequence
from typing import TYPE_CHECKING, Any

import holoviews as hv
import holoviews.plotting.bokeh
import numpy as np

from mfn.core.checks import check_array, check_choice, check_real
from mfn.core.errors import ParameterError
from mfn.models.classic.kernels import V_MAX, V_MIN

if TYPE_CHECKING:
    import xarray as xr

__all__ = [
    "FIXED_CLIM",
    "ROUND_OFF",
    "clim_label",
    "feature_plot",
    "field_frames",
    "field_image",
    "metric_curves",
    "resolve_clim",
    "wrap_title",
]

FIXED_CLIM = (V_MIN * 1e3, V_MAX * 1e3)
"""The fixed colour range of field images: the clamp range of the potential, mV."""
RUN_METRICS = ("growth_events", "turing_activations", "clamped_cells", "V_mean")
"""Per-frame metrics of a run, as written by :func:`mfn.simulate`."""
FIELD_CMAP = "magma"
ROUND_OFF = 1e-9
"""Values whose magnitude stays below this (mean and spread) are round-off: plotted as 0, and said so."""
TITLE_PX_PER_CHAR = 7.5
"""Width of a character of a 12 px bold title, px (to wrap titles instead of cutting them)."""
AXIS_PX = 70
"""Width the y axis, its labels and the plot's border take from a plot's width, px."""


def resolve_clim(clim: str | Sequence[float], V: np.ndarray | None = None) -> tuple[float, float]:
    """The colour range, mV, for a colour-scale choice.

    Parameters
    ----------
    clim : {"fixed", "auto"} or (low, high)
        ``"fixed"``: the clamp range [-95, 40] mV, the same for every frame, so frames
        compare by eye; ``"auto"``: the frame's own minimum and maximum (a constant frame
        gets +/- 0.5 mV around its value); or explicit limits in mV with ``low < high``.
    V : (M, N) ndarray, optional
        The frame, mV; needed for ``"auto"``.

    Examples
    --------
    >>> resolve_clim("fixed")
    (-95.0, 40.0)
    >>> resolve_clim("auto", np.array([[-70.0, -60.0]]))
    (-70.0, -60.0)
    """
    if isinstance(clim, str):
        check_choice("clim", clim, ("fixed", "auto"))
        if clim == "fixed":
            return FIXED_CLIM
        if V is None:
            raise ParameterError("V", None, "a frame to take the automatic colour range from")
        lo, hi = float(np.min(V)), float(np.max(V))
        return (lo - 0.5, hi + 0.5) if lo == hi else (lo, hi)
    if not isinstance(clim, Sequence) or len(clim) != 2:
        raise ParameterError("clim", clim, '"fixed", "auto" or (low, high) in mV')
    lo = check_real("clim[0]", clim[0])
    hi = check_real("clim[1]", clim[1], lo, lo_open=True)
    return lo, hi


def clim_label(clim: str | Sequence[float], low: float, high: float, *, label: str = "V (mV)") -> str:
    """The colour bar title for a colour-scale choice, stating the scale and its limits.

    ``label`` names the values with their unit.

    Examples
    --------
    >>> clim_label("fixed", -95.0, 40.0)
    'V (mV), fixed scale -95..40'
    >>> clim_label("auto", -71.04, -60.0)
    "V (mV), this frame's range -71.0..-60.0"
    >>> clim_label((-80.0, -50.0), -80.0, -50.0)
    'V (mV), shared scale -80.0..-50.0'
    """
    if isinstance(clim, str) and clim == "fixed":
        return f"{label}, fixed scale {low:.4g}..{high:.4g}"
    kind = "this frame's range" if isinstance(clim, str) else "shared scale"
    return f"{label}, {kind} {low:.1f}..{high:.1f}"


def wrap_title(title: str, width: int) -> str:
    """``title`` broken into lines that fit above a plot ``width`` pixels wide (never cut).

    A title starts at the plot frame, right of the y axis: it has ``width - AXIS_PX`` pixels.

    Examples
    --------
    >>> print(wrap_title("Turing activations (since the previous frame)", 300))
    Turing activations (since the
    previous frame)
    """
    import textwrap

    chars = max(10, int((width - AXIS_PX) / TITLE_PX_PER_CHAR))
    return "\n".join(textwrap.wrap(title, chars, break_on_hyphens=False)) or title


def field_image(
    data: Any,
    *,
    time: int = -1,
    clim: str | Sequence[float] = "fixed",
    title: str | None = None,
    cmap: str = FIELD_CMAP,
    width: int = 430,
    height: int = 360,
) -> hv.Image:
    """An image of the potential with a labelled colour bar.

    Parameters
    ----------
    data : xarray.Dataset, xarray.DataArray or (M, N) array
        A run (its ``V``), a ``V`` DataArray with dims ``(time, y, x)`` or ``(y, x)``, or a
        plain 2-D array of potentials in mV.
    time : int, default -1
        Position along ``time`` of the frame to show (negative counts from the end).
    clim : {"fixed", "auto"} or (low, high), default "fixed"
        Colour range; see :func:`resolve_clim`.
    title : str, optional
        Plot title; defaults to the frame's step when known.
    cmap : str, default "magma"
        Colour map name.
    width, height : int, default 430, 360
        Size of the plot, px.

    Returns
    -------
    holoviews.Image
        Axes ``x (cell)``, ``y (cell)``; the colour bar says ``V (mV)``, which scale
        (fixed, this frame's range or shared) and its limits.
    """
    V, step = _frame(data, time)
    name, unit = _name_and_unit(data)
    lo, hi = resolve_clim(clim, V)
    rows, cols = V.shape
    if title is None:
        title = "" if step is None else f"step {step}"
    image = hv.Image(
        V,
        bounds=(0, 0, cols, rows),
        kdims=[hv.Dimension("x", label="x", unit="cell"), hv.Dimension("y", label="y", unit="cell")],
        vdims=[hv.Dimension(name, label=name, unit=unit)],
    )
    return image.opts(
        backend="bokeh",
        cmap=cmap,
        clim=(lo, hi),
        colorbar=True,
        clabel=clim_label(clim, lo, hi, label=f"{name} ({unit})"),
        title=wrap_title(title, width),
        width=width,
        height=height,
        framewise=True,
        tools=["hover"],
    )


def field_frames(
    data: Any,
    times: Sequence[int],
    *,
    clim: str | Sequence[float] = "shared",
    cols: int = 3,
    width: int = 330,
    height: int = 270,
) -> hv.Layout:
    """Frames of a run side by side on one colour scale, so they compare by eye.

    Parameters
    ----------
    data : xarray.Dataset or xarray.DataArray
        A run (its ``V``) or a ``V`` DataArray with dims ``(time, y, x)``.
    times : sequence of int
        Positions along ``time`` of the frames to show.
    clim : {"shared", "fixed"} or (low, high), default "shared"
        ``"shared"``: the minimum and maximum over the frames shown; ``"fixed"``: the clamp
        range; or explicit limits in mV. Every frame uses the same limits, stated on each
        colour bar (a per-frame scale would make a 0.8 mV ripple look as busy as a 5 mV one).
    cols : int, default 3
        Frames per row.
    width, height : int
        Size of each frame's plot, px.

    Returns
    -------
    holoviews.Layout
    """
    frames = [_frame(data, int(k)) for k in times]
    if not frames:
        raise ParameterError("times", times, "at least one frame position")
    if isinstance(clim, str):
        check_choice("clim", clim, ("shared", "fixed"))
        scale = resolve_clim("auto", np.stack([V for V, _ in frames])) if clim == "shared" else "fixed"
    else:
        scale = resolve_clim(clim)
    name, unit = _name_and_unit(data)
    plots = [
        field_image(
            _labelled(V, name, unit),
            clim=scale,
            title="" if step is None else f"step {step}",
            width=width,
            height=height,
        )
        for V, step in frames
    ]
    return hv.Layout(plots).cols(cols)


def metric_curves(run: xr.Dataset, metrics: Sequence[str] = RUN_METRICS) -> hv.Layout:
    """Curves of a run's per-frame metrics against the step, one panel each.

    Parameters
    ----------
    run : xarray.Dataset
        A run from :func:`mfn.simulate` (or :func:`mfn.load_run`).
    metrics : sequence of str, default all four
        Variables along ``time`` to plot.

    Returns
    -------
    holoviews.Layout
    """
    names = [check_choice("metrics", m, tuple(_time_variables(run))) for m in metrics]
    if not names:
        raise ParameterError("metrics", metrics, "at least one of " + ", ".join(_time_variables(run)))
    width = 380
    curves = [
        hv.Curve(
            (run["time"].values, run[name].values), kdims=[_dimension(run["time"])], vdims=[_dimension(run[name])]
        ).opts(
            backend="bokeh",
            width=width,
            height=240,
            title=wrap_title(_label(run[name]), width),
            ylabel=_axis_label(run[name]),
            tools=["hover"],
        )
        for name in names
    ]
    return hv.Layout(curves).cols(2)


def feature_plot(cube: xr.Dataset, feature: str, parameter: str, *, by: str | None = None) -> hv.Overlay:
    """A feature against a sweep parameter, averaged over every other dimension.

    The mean is drawn as a curve with error bars of one standard deviation (population) over
    the averaged dimensions, typically the seeds. Curves that coincide exactly (for example
    Turing on and off at kinetics where the coupling never fires) are drawn once, labelled
    with every value they stand for, so that no line hides under another. A feature whose
    mean and spread all stay below :data:`ROUND_OFF` in magnitude (a field Lyapunov exponent
    of 1e-10 under periodic edges) is round-off: it is drawn as 0 and the title says so,
    instead of a trend of noise.

    Parameters
    ----------
    cube : xarray.Dataset
        A datacube: features as variables over parameter dimensions (and ``seed``).
    feature : str
        The variable to plot.
    parameter : str
        The dimension on the x axis.
    by : str, optional
        A dimension to keep, one curve per value.

    Returns
    -------
    holoviews.Overlay
        Titled with the feature's long name; the y axis says its unit.
    """
    check_choice("feature", feature, tuple(cube.data_vars))
    check_choice("parameter", parameter, tuple(cube[feature].dims))
    if by is not None:
        check_choice("by", by, tuple(d for d in cube[feature].dims if d != parameter))
    da = cube[feature]
    keep = [parameter] if by is None else [parameter, by]
    reduce = [d for d in da.dims if d not in keep]
    mean = da.mean(reduce) if reduce else da
    std = da.std(reduce) if reduce else da * 0.0
    title = _label(da)
    if float(np.nanmax(np.abs(mean.values) + np.abs(std.values), initial=0.0)) < ROUND_OFF:
        mean, std = mean * 0.0, std * 0.0
        title += f": every |value| < {ROUND_OFF:g}, round-off, shown as 0"
    groups = [("", mean, std)] if by is None else _merge_identical(mean, std, by)
    xdim, ydim = _dimension(cube[parameter]), _dimension(da)
    layers = []
    for label, m, s in groups:
        x = m[parameter].values
        curve = hv.Curve((x, m.values), kdims=[xdim], vdims=[ydim], label=label)
        layers.append(curve.opts(backend="bokeh", width=420, height=320, tools=["hover"], padding=0.08))
        layers.append(hv.ErrorBars((x, m.values, s.values), kdims=[xdim], vdims=[ydim, "std"]))
    # the legend outside the frame: inside, it covered the points at one corner
    return hv.Overlay(layers).opts(title=wrap_title(title, 420), ylabel=_axis_label(da), legend_position="bottom")


def _merge_identical(mean: xr.DataArray, std: xr.DataArray, by: str) -> list[tuple[str, Any, Any]]:
    """One group per distinct curve along ``by``; curves equal in mean and spread share one line and label.

    A curve drawn exactly over another hides it; merging them says that they coincide.
    """
    groups: list[tuple[list[str], Any, Any]] = []
    for value in mean[by].values:
        m, s = mean.sel({by: value}), std.sel({by: value})
        for names, gm, gs in groups:
            if np.array_equal(gm.values, m.values, equal_nan=True) and np.array_equal(
                gs.values, s.values, equal_nan=True
            ):
                names.append(str(value))
                break
        else:
            groups.append(([str(value)], m, s))
    return [
        (f"{by} = {' = '.join(names)}" + (" (identical)" if len(names) > 1 else ""), m, s) for names, m, s in groups
    ]


def _name_and_unit(data: Any) -> tuple[str, str]:
    """The name and unit of what is drawn: a run's primary variable, a DataArray's own, else V in mV."""
    import sys

    xr = sys.modules.get("xarray")
    if xr is not None and isinstance(data, xr.Dataset):
        data = data[data.attrs.get("primary", "V")] if data.attrs.get("primary", "V") in data else data.get("V")
    if xr is not None and isinstance(data, xr.DataArray) and data.name is not None:
        return str(data.name), str(data.attrs.get("units", ""))
    return "V", "mV"


def _labelled(frame: np.ndarray, name: str, unit: str) -> Any:
    """A 2-D frame as a DataArray that keeps its name and unit (for :func:`field_image`)."""
    import xarray as xr

    return xr.DataArray(frame, dims=("y", "x"), name=name, attrs={"units": unit})


def _frame(data: Any, time: int) -> tuple[np.ndarray, int | None]:
    """The 2-D frame and its step, from a run (its primary variable), a DataArray or an array."""
    import sys

    xr = sys.modules.get("xarray")
    if xr is not None and isinstance(data, xr.Dataset):
        primary = data.attrs.get("primary", "V")
        if primary not in data:
            raise ParameterError("data", f"a Dataset without {primary}", f"a run with a {primary}(time, y, x) variable")
        data = data[primary]
    step = None
    if xr is not None and isinstance(data, xr.DataArray):
        if "time" in data.dims:
            n = data.sizes["time"]
            if not -n <= time < n:
                raise ParameterError("time", time, f"a frame position in [{-n}, {n - 1}]")
            data = data.isel(time=time)
            step = int(data["time"]) if "time" in data.coords else None
        data = data.values
    V = check_array("data", data, ndim=2)
    if min(V.shape) < 1:
        raise ParameterError("data", f"array of shape {V.shape}", "a non-empty 2-D field")
    return V, step


def _time_variables(run: xr.Dataset) -> list[str]:
    return [name for name, var in run.data_vars.items() if var.dims == ("time",)]


def _label(var: xr.DataArray) -> str:
    return str(var.attrs.get("long_name", var.name))


def _axis_label(var: xr.DataArray) -> str:
    """``name (unit)``: the axis label of a variable (dimensionless units are left out)."""
    unit = var.attrs.get("units")
    return str(var.name) if unit in (None, "1", "") else f"{var.name} ({unit})"


def _dimension(var: xr.DataArray) -> hv.Dimension:
    unit, label = var.attrs.get("units"), _label(var)
    shown = None if unit in (None, "1", "") or unit == label else str(unit)  # "step", not "step (step)"
    return hv.Dimension(str(var.name), label=label, unit=shown)
