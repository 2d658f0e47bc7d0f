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
from bokeh.models import ColorBar, ColumnDataSource, HoverTool, LinearColorMapper
from bokeh.palettes import Magma256
from bokeh.plotting import figure

from mfn.viz.plots import resolve_clim

__all__ = ["CURVE_COLUMNS", "DIMENSION_COLUMNS", "LiveFigures"]

CURVE_COLUMNS = {
    "growth_events": "growth events (cumulative)",
    "turing_activations": "Turing activations (per frame)",
    "V_mean": "mean V (mV)",
    "active_fraction": "active fraction",
}
"""Metric columns of the live curves and their titles (besides ``step``)."""
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
        self.image_figure.add_layout(ColorBar(color_mapper=self.mapper, title="V (mV)", width=12), "right")
        self.image_figure.add_tools(HoverTool(tooltips=[("x", "$x{0}"), ("y", "$y{0}"), ("V (mV)", "@V{0.00}")]))
        self.curve_figures = [
            self._curve_figure(self.curve_source, name, title) for name, title in CURVE_COLUMNS.items()
        ]
        self.curve_figures.append(self._curve_figure(self.dimension_source, "D", "box-counting dimension"))

    @staticmethod
    def _curve_figure(source: ColumnDataSource, column: str, title: str) -> Any:
        fig = figure(
            title=title,
            width=280,
            height=170,
            x_axis_label="step",
            tools="pan,wheel_zoom,reset,save",
            output_backend="canvas",
        )
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
