"""The served live view: ``mfn app`` or ``panel serve``.

``mfn app [--port P] [--address 127.0.0.1]`` serves :class:`GrowthExplorer` at the root
path ``/``; every browser session gets its own explorer and simulation. The server binds
to 127.0.0.1 unless told otherwise, accepts websocket connections only from the address it
serves, and exposes ``/liveness`` for health checks. The same page can be served with
``panel serve mfn/viz/app.py`` (or ``panel serve notebooks/live_growth.ipynb``).
"""

from __future__ import annotations

from typing import Any

import panel as pn

from mfn.core.checks import check_int
from mfn.core.params import ModelParams
from mfn.viz.explorer import MAX_LIVE_GRID, MAX_STEPS_PER_FRAME, GrowthExplorer

__all__ = ["DEFAULT_ADDRESS", "DEFAULT_PORT", "create_app", "serve"]

DEFAULT_ADDRESS = "127.0.0.1"
DEFAULT_PORT = 5006
TITLE = "MyceliumFractalNet: live growth"


def create_app(params: ModelParams | None = None, **values: Any) -> pn.viewable.Viewable:
    """A page holding a new :class:`GrowthExplorer` (call once per session)."""
    explorer = GrowthExplorer(params, **values)
    intro = pn.pane.Markdown(
        f"## {TITLE}\nPress **Play** to grow the field. Model parameters apply on **Reset**; "
        f"the grid is capped at {MAX_LIVE_GRID} cells per side and a frame at "
        f"{MAX_STEPS_PER_FRAME} steps."
    )
    return pn.Column(intro, explorer)


def serve(
    port: int = DEFAULT_PORT,
    address: str = DEFAULT_ADDRESS,
    *,
    params: ModelParams | None = None,
    allow_websocket_origin: list[str] | None = None,
    show: bool = False,
    **values: Any,
) -> None:
    """Serve the live view at ``http://address:port/`` until interrupted.

    Parameters
    ----------
    port : int, default 5006
        TCP port, in [1, 65535].
    address : str, default "127.0.0.1"
        Interface to bind; only 127.0.0.1 keeps the app private to this machine.
    params : ModelParams, optional
        Starting model parameters of every session.
    allow_websocket_origin : list of str, optional
        Extra ``host:port`` origins allowed to connect (needed when binding elsewhere).
    show : bool, default False
        Open a browser tab.
    **values
        Starting values of other explorer parameters (e.g. ``steps_per_frame``).
    """
    port = check_int("port", port, 1, 65535)
    GrowthExplorer(params, **values)  # validate once, up front, not in every session
    origins = [f"{address}:{port}", *(allow_websocket_origin or [])]
    if address == DEFAULT_ADDRESS:
        origins.append(f"localhost:{port}")
    print(f"serving the MFN live view at http://{address}:{port}/ (Ctrl+C stops it)", flush=True)
    pn.serve(
        lambda: create_app(params, **values),
        port=port,
        address=address,
        websocket_origin=origins,
        show=show,
        title=TITLE,
        liveness=True,
        verbose=False,
    )


if __name__.startswith("bokeh"):  # `panel serve mfn/viz/app.py`
    create_app().servable(title=TITLE)
