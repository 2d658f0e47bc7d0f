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

__all__ = ["CURVE_COLUMNS", "DIMENSION_COLUMNS", "LiveFigures"]

CURVE_COLUMNS = {
    "growth_events": ("growth events (cumulative)", "events"),
    "turing_activations": ("Turing activations (since the previous frame)", "cells"),
    "V_mean": ("mean potential", "V_mean (mV)"),
    "active_fraction": ("fraction of cells above the active threshold", "fraction"),
}
"""Metric columns of the live curves: their titles and y-axis labels (besides ``step``)."""
CURVE_WIDTH, CURVE_HEIGHT = 300, 190
"""Size of each live curve, px."""
DIMENSION_COLUMNS = ("D", "r2")
"""Columns of the box-counting dimension curve (besides ``step``)."""


class LiveFigures:
    """The image and curves of one live view, with their data sources.

    Parameters
    ----------
    side : int
        Grid side, cells.
    length : int
        Rows kept per curve (older rows roll over).
    """

    def __init__(self, side: int, length: int) -> None:
        self.length = length
        self.image_source = ColumnDataSource({"V": [np.full((side, side), -70.0, np.float32)]})
        self.curve_source = ColumnDataSource(_empty(("step", *CURVE_COLUMNS)))
        self.dimension_source = ColumnDataSource(_empty(("step", *DIMENSION_COLUMNS)))
        self.mapper = LinearColorMapper(palette=Magma256, low=-95.0, high=40.0)
        self.clim_text = clim_label("fixed", -95.0, 40.0)
        """The colour scale shown: which one and its limits (also the colour bar's title)."""
        self.image_figure = figure(
            title="V (mV)",
            width=450,
            height=390,
            x_range=(0, side),
            y_range=(0, side),
            x_axis_label="x (cell)",
            y_axis_label="y (cell)",
            tools="pan,wheel_zoom,reset,save",
            output_backend="canvas",
        )
        self.image = self.image_figure.image(
            image="V", source=self.image_source, x=0, y=0, dw=side, dh=side, color_mapper=self.mapper
        )
        self.colour_bar = ColorBar(
            color_mapper=self.mapper, title=self.clim_text, width=12, title_text_font_size="11px"
        )
        self.image_figure.add_layout(self.colour_bar, "right")
        self.image_figure.add_tools(HoverTool(tooltips=[("x", "$x{0}"), ("y", "$y{0}"), ("V (mV)", "@V{0.00}")]))
        self.curve_figures = [
            self._curve_figure(self.curve_source, name, title, ylabel)
            for name, (title, ylabel) in CURVE_COLUMNS.items()
        ]
        self.curve_figures.append(
            self._curve_figure(self.dimension_source, "D", "box-counting dimension of the active cells", "D")
        )

    @staticmethod
    def _curve_figure(source: ColumnDataSource, column: str, title: str, ylabel: str) -> Any:
        """A live curve with a whole (wrapped) title, labelled axes and a few plain ticks."""
        fig = figure(
            title=wrap_title(title, CURVE_WIDTH - 40),
            width=CURVE_WIDTH,
            height=CURVE_HEIGHT,
            x_axis_label="step",
            y_axis_label=ylabel,
            tools="pan,wheel_zoom,reset,save",
            toolbar_location="above",  # beside the plot it took a third of its width
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

    def show_frame(self, V: np.ndarray, clim: str) -> None:
        """Replace the image with ``V`` (mV) and set its colour range (``"fixed"`` or ``"auto"``)."""
        side = V.shape[0]
        if self.image.glyph.dw != side:
            self.image.glyph.update(dw=side, dh=side)
            self.image_figure.x_range.update(start=0, end=side)
            self.image_figure.y_range.update(start=0, end=side)
        self.set_clim(clim, V)
        self.image_source.data = {"V": [V]}

    def set_clim(self, clim: str, V: np.ndarray | None = None) -> None:
        """Set the colour range for the shown frame (or ``V``)."""
        frame = self.image_source.data["V"][0] if V is None else V
        low, high = resolve_clim(clim, frame)
        self.mapper.update(low=low, high=high)
        self.clim_text = clim_label(clim, low, high)
        self.colour_bar.title = self.clim_text

    def append(self, rows: list[dict[str, float]], dimension_rows: list[dict[str, float]]) -> None:
        """Add metric rows to the curves (keeping the newest ``length``)."""
        if rows:
            self.curve_source.stream(_columns(rows, self.curve_source), rollover=self.length)
        if dimension_rows:
            self.dimension_source.stream(_columns(dimension_rows, self.dimension_source), rollover=self.length)

    def clear(self) -> None:
        """Empty every curve."""
        self.curve_source.data = _empty(self.curve_source.data)
        self.dimension_source.data = _empty(self.dimension_source.data)

    @staticmethod
    def frame(source: ColumnDataSource) -> pd.DataFrame:
        """A source's data as a DataFrame."""
        return pd.DataFrame({k: np.asarray(v) for k, v in source.data.items()})


def _empty(columns: Any) -> dict[str, np.ndarray]:
    return {c: np.array([], dtype=np.float64) for c in columns}


def _columns(rows: list[dict[str, float]], source: ColumnDataSource) -> dict[str, np.ndarray]:
    return {c: np.array([row[c] for row in rows], dtype=np.float64) for c in source.data}
