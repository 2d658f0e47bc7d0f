"""The Bokeh figures of the live view: the field image and the metric curves.

The live view updates plain Bokeh data sources instead of HoloViews ``DynamicMap`` streams:
measured on the development machine, re-rendering six HoloViews plots cost about 0.5 s of
server time per frame, while updating the Bokeh sources costs a few milliseconds (see
docs/adr/0005-live-view-frames-and-backpressure.md). The static plots in
:mod:`mfn.viz.plots` stay HoloViews.

Every curve source is a bounded buffer: ``ColumnDataSource.stream(..., rollover=length)``
keeps the newest ``length`` rows and drops the rest.
"""

from __future__ import annotations

from typing import Any

import numpy as np
import pandas as pd
from bokeh.models import BasicTickFormatter, ColorBar, ColumnDataSource, HoverTool, LinearColorMapper
from bokeh.palettes import Magma256
from bokeh.plotting import figure

from mfn.viz.plots import clim_label, resolve_clim, wrap_title

__all__ = ["DIMENSION_COLUMNS", "LiveFigures", "curve_columns", "curve_labels"]

CURVE_WIDTH, CURVE_HEIGHT = 300, 200
"""Size of each live curve, px."""

DIMENSION_COLUMNS = ("D", "r2")
"""Columns of the box-counting dimension curve (besides ``step``)."""


def curve_columns(model: Any) -> dict[str, str]:
    """A model's live curves, column -> title: its counters, its metrics and the active fraction."""
    columns = {}
    for counter in model.counters:
        columns[counter.name] = f"{counter.long_name} ({'cumulative' if counter.cumulative else 'per frame'})"
    for metric in model.metrics:
        columns[metric.name] = f"{metric.long_name} ({metric.units})" if metric.units != "1" else metric.long_name
    columns["active_fraction"] = "active fraction"
    return columns


def curve_labels(model: Any) -> dict[str, str]:
    """The y-axis label of each live curve, column -> ``name (unit)`` (dimensionless: the name)."""
    labels = {q.name: q.name if q.units in ("1", "") else f"{q.name} ({q.units})" for q in model.counters}
    labels.update({q.name: q.name if q.units in ("1", "") else f"{q.name} ({q.units})" for q in model.metrics})
    labels["active_fraction"] = "active fraction"
    return labels


class LiveFigures:
    """The image and curves of one live view, with their data sources.

    Parameters
    ----------
    side : int
        Grid side, cells.
    length : int
        Rows kept per curve (older rows roll over).
    columns : dict of str to str
        Curve columns and their titles (:func:`curve_columns`).
    label : str
        Label of the image's values, with units (``"V (mV)"``).
    clim : (float, float)
        Starting colour range.
    ylabels : dict of str to str, optional
        Y-axis label of each curve (:func:`curve_labels`); default the column names.
    spacing_um : float, optional
        Lattice spacing of a model with physical units (µm): the image's axes are then in µm,
        with a scale bar; by default they count cells.
    """

    def __init__(
        self,
        side: int,
        length: int,
        columns: dict[str, str],
        label: str,
        clim: tuple[float, float],
        ylabels: dict[str, str] | None = None,
        spacing_um: float | None = None,
    ) -> None:
        self.length = length
        self.scale = 1.0 if spacing_um is None else float(spacing_um)
        """Length of one lattice cell in the image's units (µm, or 1 for cells)."""
        unit = "cell" if spacing_um is None else "µm"
        extent = side * self.scale
        self.label = label
        self.columns = dict(columns)
        self.fixed_clim = clim
        self.image_source = ColumnDataSource({"image": [np.full((side, side), np.nan, np.float32)]})
        self.curve_source = ColumnDataSource(_empty(("step", *self.columns)))
        self.dimension_source = ColumnDataSource(_empty(("step", *DIMENSION_COLUMNS)))
        self.mapper = LinearColorMapper(palette=Magma256, low=clim[0], high=clim[1], nan_color="#d9d9d9")
        self.image_figure = figure(
            title=label,
            width=450,
            height=390,
            x_range=(0, extent),
            y_range=(0, extent),
            x_axis_label=f"x ({unit})",
            y_axis_label=f"y ({unit})",
            tools="pan,wheel_zoom,reset,save",
            output_backend="canvas",
        )
        self.image = self.image_figure.image(
            image="image", source=self.image_source, x=0, y=0, dw=extent, dh=extent, color_mapper=self.mapper
        )
        if spacing_um is not None:
            from bokeh.models import MetricLength, ScaleBar

            self.scale_bar = ScaleBar(range=self.image_figure.x_range, unit="µm", dimensional=MetricLength(),
                                      location="bottom_left", bar_length=0.25, label_text_font_size="11px")  # fmt: skip
            """A scale bar in µm (models with physical units)."""
            self.image_figure.add_layout(self.scale_bar)
        self.clim_text = clim_label("fixed", *clim, label=label)
        """The colour scale shown: which one and its limits (also the colour bar's title)."""
        self.colour_bar = ColorBar(
            color_mapper=self.mapper, title=self.clim_text, width=12, title_text_font_size="11px"
        )
        self.image_figure.add_layout(self.colour_bar, "right")
        self.hover = HoverTool(
            tooltips=[("x", "$x{0}"), ("y", "$y{0}"), (label, "@image{0.00}")], renderers=[self.image]
        )
        self.image_figure.add_tools(self.hover)
        self.marker_source = ColumnDataSource({"x": np.array([], np.float64), "y": np.array([], np.float64)})
        """Points marked on the image (the mycelium's hyphal tips), at cell centres."""
        self.image_figure.scatter(
            "x", "y", source=self.marker_source, size=4, color="#00e5ff", line_color="#003b46", marker="circle"
        )
        ylabels = ylabels or {}
        self.curve_figures = [
            self._curve_figure(self.curve_source, name, title, ylabels.get(name, name))
            for name, title in self.columns.items()
        ]
        self.curve_figures.append(
            self._curve_figure(self.dimension_source, "D", "box-counting dimension of the active cells", "D")
        )

    @staticmethod
    def _curve_figure(source: ColumnDataSource, column: str, title: str, ylabel: str) -> Any:
        """A live curve with a whole (wrapped) title, labelled axes and a few plain ticks."""
        fig = figure(
            title=wrap_title(title, CURVE_WIDTH),
            width=CURVE_WIDTH,
            height=CURVE_HEIGHT,
            x_axis_label="step",
            y_axis_label=ylabel,
            tools="pan,wheel_zoom,reset,save",
            toolbar_location=None,  # beside the plot it took a third of its width; hover still works
            output_backend="canvas",
        )
        for axis in (fig.xaxis[0], fig.yaxis[0]):
            axis.ticker.desired_num_ticks = 4
            axis.formatter = BasicTickFormatter(use_scientific=False, precision="auto")
            axis.major_label_text_font_size = "10px"
            axis.axis_label_text_font_size = "10px"
        fig.title.text_font_size = "11px"
        fig.line("step", column, source=source, line_width=2)
        fig.add_tools(HoverTool(tooltips=[("step", "@step{0}"), (title, f"@{column}")]))
        return fig

    def show_frame(self, image: np.ndarray, clim: str) -> None:
        """Replace the image and set its colour range (``"fixed"``: :attr:`fixed_clim`, or ``"auto"``)."""
        side = image.shape[0] * self.scale
        if self.image.glyph.dw != side:
            self.image.glyph.update(dw=side, dh=side)
            self.image_figure.x_range.update(start=0, end=side)
            self.image_figure.y_range.update(start=0, end=side)
        self.set_clim(clim, image)
        self.image_source.data = {"image": [image]}

    def add_dispersion(self, k: np.ndarray, sigma: np.ndarray, k_max: float) -> None:
        """Add a figure of a dispersion relation: growth rate against k, the fastest mode and the measured one."""
        from bokeh.models import Span

        fig = figure(
            title="growth rate vs k: predicted k_max dashed,\nmeasured k solid",
            width=280,
            height=170,
            x_axis_label="k (rad/cell)",
            y_axis_label="growth rate (1/time)",
            tools="",
            output_backend="canvas",
        )
        fig.title.text_font_size = "10px"
        fig.line(k, sigma, line_width=2)
        fig.add_layout(Span(location=0.0, dimension="width", line_color="grey", line_width=1))
        if np.isfinite(k_max):
            fig.add_layout(Span(location=k_max, dimension="height", line_dash="dashed", line_color="#d62728"))
        self.measured_k = Span(location=0.0, dimension="height", line_color="#2ca02c", line_width=2, visible=False)
        fig.add_layout(self.measured_k)
        self.curve_figures.insert(0, fig)

    def show_measured_k(self, k: float | None) -> None:
        """Mark the measured dominant wavenumber on the dispersion figure (None: hide it)."""
        span = getattr(self, "measured_k", None)
        if span is None:
            return
        if k is None or not np.isfinite(k):
            span.visible = False
        else:
            span.update(location=float(k), visible=True)

    def show_markers(self, points: np.ndarray | None) -> None:
        """Mark ``points``, an ``(n, 2)`` array of ``(y, x)`` cells, on the image (None or empty: none)."""
        if points is None or len(points) == 0:
            if len(self.marker_source.data["x"]):
                self.marker_source.data = {"x": np.array([], np.float64), "y": np.array([], np.float64)}
            return
        points = np.asarray(points, dtype=np.float64)
        self.marker_source.data = {"x": (points[:, 1] + 0.5) * self.scale, "y": (points[:, 0] + 0.5) * self.scale}

    def on_tap(self, callback: Any) -> None:
        """Call ``callback(y, x)`` with the lattice cell of the image a person taps or clicks."""
        from bokeh.events import Tap

        def tapped(event: Any) -> None:
            if event.x is not None and event.y is not None:
                callback(int(np.floor(event.y / self.scale)), int(np.floor(event.x / self.scale)))

        self.image_figure.on_event(Tap, tapped)

    def set_variable(self, label: str, clim: tuple[float, float]) -> None:
        """Label the image for another variable (``"u (1)"``) with its fixed colour range."""
        self.fixed_clim = clim
        self.label = label
        self.image_figure.title.text = label
        self.clim_text = clim_label("fixed", *clim, label=label)
        self.colour_bar.title = self.clim_text
        self.hover.tooltips = [("x", "$x{0}"), ("y", "$y{0}"), (label, "@image{0.00}")]

    def set_clim(self, clim: str, image: np.ndarray | None = None) -> None:
        """Set the colour range for the shown frame (or ``image``)."""
        frame = self.image_source.data["image"][0] if image is None else image
        low, high = self.fixed_clim if clim == "fixed" else resolve_clim("auto", _finite(frame))
        self.mapper.update(low=low, high=high)
        self.clim_text = clim_label(clim, low, high, label=self.label)
        self.colour_bar.title = self.clim_text

    def append(self, rows: list[dict[str, float]], dimension_rows: list[dict[str, float]]) -> None:
        """Add metric rows to the curves (keeping the newest ``length``)."""
        if rows:
            self.curve_source.stream(_columns(rows, self.curve_source), rollover=self.length)
        if dimension_rows:
            self.dimension_source.stream(_columns(dimension_rows, self.dimension_source), rollover=self.length)

    def restart(self, rows: list[dict[str, float]], dimension_rows: list[dict[str, float]]) -> None:
        """Replace every curve with the rows of a new run (the newest ``length``).

        One replacement, not an emptying followed by :meth:`append`: in one held update Bokeh
        sends the replaced data as it is when the update goes out, rows included, and then
        the stream again, so the browser drew the new run's rows twice (a line back to the
        first step across each curve).
        """
        self.curve_source.data = _columns(rows[-self.length :], self.curve_source)
        self.dimension_source.data = _columns(dimension_rows[-self.length :], self.dimension_source)

    @staticmethod
    def frame(source: ColumnDataSource) -> pd.DataFrame:
        """A source's data as a DataFrame."""
        return pd.DataFrame({k: np.asarray(v) for k, v in source.data.items()})


def _finite(image: np.ndarray) -> np.ndarray:
    """The finite values of an image (off-mycelium cells are NaN), or a zero when there are none."""
    finite = np.asarray(image)[np.isfinite(image)]
    return finite if finite.size else np.zeros(1)


def _empty(columns: Any) -> dict[str, np.ndarray]:
    return {c: np.array([], dtype=np.float64) for c in columns}


def _columns(rows: list[dict[str, float]], source: ColumnDataSource) -> dict[str, np.ndarray]:
    return {c: np.array([row[c] for row in rows], dtype=np.float64) for c in source.data}
