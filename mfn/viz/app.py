"""The served live view: ``mfn app`` or ``panel serve``.

``mfn app [--port P] [--address 127.0.0.1]`` serves :class:`GrowthExplorer` at the root
path ``/``; every browser session gets its own explorer and simulation. The server binds
to 127.0.0.1 unless told otherwise, accepts websocket connections only from the address it
serves, and exposes ``/liveness`` for health checks. The same page can be served with
``panel serve mfn/viz/app.py`` (or ``panel serve notebooks/live_growth.ipynb``).

A closed browser tab stops its simulation within about a second: the server looks for
sessions without a connection every :data:`SESSION_CHECK_MS` and ends those unused for
:data:`SESSION_LIFETIME_MS` (Bokeh's defaults, 17 s and 15 s, let a closed tab's simulation
run on for up to half a minute); ending a session pauses its explorer. A port already in use
is refused before anything is served. Before serving, every model takes one step
(:func:`~mfn.viz.explorer.compile_models`), so numba compiles its kernels then, not on a
session's first Play.
"""

from __future__ import annotations

import errno
import socket
from typing import Any

import panel as pn

from mfn.core.checks import check_int
from mfn.core.errors import ParameterError
from mfn.core.params import ModelParams
from mfn.viz.explorer import MAX_LIVE_GRID, MAX_STEPS_PER_FRAME, GrowthExplorer, compile_models

__all__ = ["DEFAULT_ADDRESS", "DEFAULT_PORT", "check_port_free", "create_app", "serve", "server_options"]

DEFAULT_ADDRESS = "127.0.0.1"
DEFAULT_PORT = 5006
TITLE = "MyceliumFractalNet: live growth"
SESSION_CHECK_MS = 250
"""How often the server looks for sessions whose browser has gone, ms."""
SESSION_LIFETIME_MS = 500
"""How long a session without a connection lives on (a reload reconnects within it), ms."""


def check_port_free(address: str, port: int) -> None:
    """Raise ``ParameterError`` when ``address:port`` cannot be bound (in use, or no such interface)."""
    with socket.socket(socket.AF_INET6 if ":" in address else socket.AF_INET) as probe:
        try:
            probe.bind((address, port))
        except OSError as err:
            why = "in use by another program" if err.errno == errno.EADDRINUSE else str(err.strerror or err)
            if isinstance(err, socket.gaierror) or err.errno == errno.EADDRNOTAVAIL:  # the address, not the port
                raise ParameterError(
                    "address", address, "an IP address of this machine (e.g. 127.0.0.1)", f"{why}; see --address"
                ) from None
            raise ParameterError(
                "port", port, f"a free port on {address}", f"{why}; choose another with --port"
            ) from None


def create_app(params: ModelParams | None = None, **values: Any) -> pn.viewable.Viewable:
    """A page holding a new :class:`GrowthExplorer` (call once per session)."""
    explorer = GrowthExplorer(params, **values)
    intro = pn.pane.Markdown(
        f"## {TITLE}\nPress **Play** to grow the field. Model parameters apply on **Reset**; "
        f"the grid is capped at {MAX_LIVE_GRID} cells per side and a frame at "
        f"{MAX_STEPS_PER_FRAME} steps.",
        disable_anchors=True,  # Panel adds a "¶" link to every heading otherwise
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
    check_port_free(address, port)
    print("preparing the models' compiled kernels (the first start compiles them, up to a minute)", flush=True)
    compile_models()
    print(f"serving the MFN live view at http://{address}:{port}/ (Ctrl+C stops it)", flush=True)
    pn.serve(
        lambda: create_app(params, **values),
        show=show,
        title=TITLE,
        **server_options(port, address, allow_websocket_origin),
    )


def server_options(port: int, address: str = DEFAULT_ADDRESS, allow_websocket_origin: list[str] | None = None) -> dict:
    """Keywords of ``pn.serve`` for the live view: address, origins, liveness, session clean-up."""
    origins = [f"{address}:{port}", *(allow_websocket_origin or [])]
    if address == DEFAULT_ADDRESS:
        origins.append(f"localhost:{port}")
    return {
        "port": port,
        "address": address,
        "websocket_origin": origins,
        "liveness": True,
        "verbose": False,
        "check_unused_sessions_milliseconds": SESSION_CHECK_MS,
        "unused_session_lifetime_milliseconds": SESSION_LIFETIME_MS,
    }


if __name__.startswith("bokeh"):  # `panel serve mfn/viz/app.py`
    create_app().servable(title=TITLE)
