"""``mfn app``: serve the live growth view in the browser (needs the ``viz`` extra)."""

from __future__ import annotations

import argparse

from mfn.commands.model_options import add_model_options, params_from_args


def register(subparsers) -> None:
    parser = subparsers.add_parser(
        "app", help="serve the live growth view (Panel) at http://127.0.0.1:5006/", description=__doc__
    )
    parser.add_argument("--port", type=int, default=5006, help="TCP port (default 5006)")
    parser.add_argument(
        "--address", default="127.0.0.1", help="interface to bind (default 127.0.0.1: this machine only)"
    )
    parser.add_argument(
        "--allow-websocket-origin",
        action="append",
        metavar="HOST:PORT",
        help="extra origin allowed to connect (repeatable; needed when binding another address)",
    )
    parser.add_argument("--steps-per-frame", type=int, default=None, help="starting speed, steps per frame")
    parser.add_argument("--show", action="store_true", help="open a browser tab")
    add_model_options(parser)
    parser.set_defaults(handler=run)


def run(args: argparse.Namespace) -> int:
    from mfn.viz.app import serve

    values = {} if args.steps_per_frame is None else {"steps_per_frame": args.steps_per_frame}
    serve(
        args.port,
        args.address,
        params=params_from_args(args),
        allow_websocket_origin=args.allow_websocket_origin,
        show=args.show,
        **values,
    )
    return 0
