"""Plots and the live view (optional extra ``viz``: ``pip install 'mfn[viz]'``).

Import it explicitly (``import mfn.viz``); ``import mfn`` never loads Panel, HoloViews or
Bokeh, and neither does ``import mfn.viz``: each name below is imported when first used, so
the matplotlib pictures of hyphal networks (:mod:`mfn.viz.networks`) need no Panel.

- :func:`field_image`, :func:`field_frames` (frames on one shared colour scale),
  :func:`metric_curves`, :func:`feature_plot`: static HoloViews plots of runs, features and
  datacubes.
- :class:`GrowthExplorer`: a Panel view that grows a field live, inline in JupyterLab or
  served (``mfn app``).
- :func:`plot_network`, :func:`plot_side_by_side`, :func:`plot_growth`,
  :func:`plot_growth_unit`, :func:`plot_distributions`: hyphal networks and their measures
  (matplotlib).

Rank 7: it may import the layers of rank 0 to 6 (core up to simulation, sweeps, workflows,
validation and inference) and never ``bench`` or ``commands``; nothing below it imports it
(ADR 0010).
"""

from __future__ import annotations

import importlib
from typing import Any

_WHERE = {
    "FIXED_CLIM": "plots",
    "feature_plot": "plots",
    "field_frames": "plots",
    "field_image": "plots",
    "metric_curves": "plots",
    "resolve_clim": "plots",
    "MAX_LIVE_GRID": "explorer",
    "MAX_STEPS_PER_FRAME": "explorer",
    "GrowthExplorer": "explorer",
    "plot_distributions": "networks",
    "plot_growth": "networks",
    "plot_growth_unit": "networks",
    "plot_network": "networks",
    "plot_side_by_side": "networks",
}
_EXTRA = {"panel", "holoviews", "bokeh", "matplotlib"}

__all__ = sorted(_WHERE)


def __getattr__(name: str) -> Any:
    module = _WHERE.get(name)
    if module is None:
        raise AttributeError(f"module 'mfn.viz' has no attribute {name!r}")
    try:
        found = importlib.import_module(f"mfn.viz.{module}")
    except ImportError as err:
        if (err.name or "").split(".")[0] in _EXTRA:
            raise ImportError(
                f"mfn.viz.{name} needs the optional 'viz' dependencies ({err.name} is missing); "
                "install them with: pip install 'mfn[viz]'"
            ) from err
        raise
    return getattr(found, name)
