"""Plots and the live view (optional extra ``viz``: ``pip install 'mfn[viz]'``).

Import it explicitly (``import mfn.viz``); ``import mfn`` never loads Panel, HoloViews or
Bokeh.

- :func:`field_image`, :func:`field_frames` (frames on one shared colour scale),
  :func:`metric_curves`, :func:`feature_plot`: static HoloViews plots of runs, features and
  datacubes.
- :class:`GrowthExplorer`: a Panel view that grows a field live, inline in JupyterLab or
  served (``mfn app``).
"""

from __future__ import annotations

try:
    import bokeh  # noqa: F401
    import holoviews  # noqa: F401
    import panel  # noqa: F401
except ImportError as err:  # pragma: no cover - exercised only without the extra
    raise ImportError(
        f"mfn.viz needs the optional 'viz' dependencies ({err.name} is missing); "
        "install them with: pip install 'mfn[viz]'"
    ) from err

from mfn.viz.explorer import MAX_LIVE_GRID, MAX_STEPS_PER_FRAME, GrowthExplorer
from mfn.viz.plots import FIXED_CLIM, feature_plot, field_frames, field_image, metric_curves, resolve_clim

__all__ = [
    "FIXED_CLIM",
    "MAX_LIVE_GRID",
    "MAX_STEPS_PER_FRAME",
    "GrowthExplorer",
    "feature_plot",
    "field_frames",
    "field_image",
    "metric_curves",
    "resolve_clim",
]
