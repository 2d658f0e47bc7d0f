"""The Dask connection of sweeps, batches and calibrations, and the checks made before it.

:func:`connect` gives the client to use: one given, one to a scheduler address (waiting at
most :data:`SCHEDULER_TIMEOUT` s), or a new ``LocalCluster`` whose HTTP server listens on
127.0.0.1 only, its dashboard off unless asked (:func:`local_cluster_options`). Its worker
processes preload this module, whose :func:`dask_setup` makes them ignore Ctrl-C, so that the
process that started the work handles an interrupt. A plain script that starts a sweep at top
level is told at once what to add (:data:`MAIN_GUARD_HINT`), instead of starting it again in
every worker.
"""

from __future__ import annotations

import os
import signal
import sys
import threading
from contextlib import ExitStack
from typing import Any

from mfn.core.errors import MFNError, ParameterError

__all__ = [
    "MAIN_GUARD_HINT",
    "SCHEDULER_TIMEOUT",
    "check_client",
    "connect",
    "dask_setup",
    "host_count",
    "local_cluster_options",
    "refuse_unguarded_script",
    "require",
]

SCHEDULER_TIMEOUT = 5.0
"""Seconds to wait for a Dask scheduler given by address (the distributed default is 30 s)."""

MAIN_GUARD_HINT = (
    "Dask starts worker processes that re-import your script, so a script must start a sweep under "
    'if __name__ == "__main__": (or pass client="synchronous" to run in this process)'
)
"""What a plain script that starts a sweep at top level is told to add."""


def require(module: str, what: str) -> None:
    """Raise ImportError naming the extra to install when an optional module is missing."""
    from importlib.util import find_spec

    if find_spec(module) is None:
        raise ImportError(f"{what} needs the {module} package: pip install 'mfn[sweep]'")


def check_client(client: Any, workers: int | None) -> None:
    """Refuse a client other than None, "synchronous", an address or a ``Client``, and workers beside a client."""
    if client is None or isinstance(client, str):
        if workers is not None and client is not None:
            raise ParameterError("workers", workers, "None when client is given", "size the cluster you connect to")
        return
    from distributed import Client

    if not isinstance(client, Client):
        raise ParameterError("client", client, 'None, "synchronous", a scheduler address or a distributed.Client')
    if workers is not None:
        raise ParameterError("workers", workers, "None when client is given", "size the cluster you connect to")


def refuse_unguarded_script(client: Any) -> None:
    """Fail at once, saying what to add, in a worker process that is re-importing a script.

    Dask's worker processes start with ``spawn``, which runs the main script again as
    ``__mp_main__``; a sweep at the script's top level would then start inside each worker.
    """
    if client == "synchronous":
        return
    frame = sys._getframe(2)  # the caller of sweep()
    while frame is not None:
        if frame.f_globals.get("__name__") == "__mp_main__":
            raise MFNError(f"mfn.sweep was started while a worker process imported the script: {MAIN_GUARD_HINT}")
        frame = frame.f_back


def connect(client: Any, workers: int | None, stack: ExitStack, dashboard: bool = False, name: str = "client"):
    """The Dask client to use (None for synchronous); clients and clusters started here close with ``stack``.

    Parameters
    ----------
    client : distributed.Client, str or None
        A client to use as it is; ``"synchronous"`` for none; the address of a running
        scheduler (waits at most :data:`SCHEDULER_TIMEOUT` s); None for a new ``LocalCluster``
        on 127.0.0.1 (:func:`local_cluster_options`).
    workers : int or None
        Worker processes of a new local cluster (one thread each); None for one per core.
    stack : contextlib.ExitStack
        Closes what is started here.
    dashboard : bool, default False
        Serve the local cluster's dashboard (on 127.0.0.1).
    name : str, default "client"
        The parameter a bad address is reported as (``"scheduler"`` for ``mfn batch``).

    Raises
    ------
    ParameterError
        If a scheduler address cannot be reached.
    MFNError
        If the local cluster's worker processes cannot start.
    """
    if client == "synchronous":
        return None
    from distributed import Client, LocalCluster

    if isinstance(client, Client):
        return client
    if isinstance(client, str):
        try:
            return stack.enter_context(Client(client, timeout=SCHEDULER_TIMEOUT))
        except (OSError, TimeoutError, ValueError, TypeError) as err:
            raise ParameterError(
                name, client, "the address of a running Dask scheduler (tcp://host:port)", f"cannot connect: {err}"
            ) from None
    import logging

    n = workers or len(os.sched_getaffinity(0))
    nanny_log = logging.getLogger("distributed.nanny")
    stack.callback(nanny_log.setLevel, nanny_log.level)  # restored once the cluster has closed
    try:
        cluster = stack.enter_context(
            LocalCluster(n_workers=n, threads_per_worker=1, processes=True, **local_cluster_options(dashboard))
        )
    except Exception as err:  # "Nanny failed to start" and kin: the workers could not start
        raise MFNError(
            f"Dask could not start its worker processes ({type(err).__name__}: {err}). {MAIN_GUARD_HINT}"
        ) from err
    # closed after an interrupt, a worker busy in a run is stopped after a grace time: no warning each
    stack.callback(nanny_log.setLevel, logging.ERROR)
    return stack.enter_context(Client(cluster))


def dask_setup(worker) -> None:
    """Run in each worker process of a local cluster as it starts (its ``preload``): ignore SIGINT.

    Ctrl-C in a terminal reaches every process of its group, so each worker would stop with a
    ``KeyboardInterrupt`` traceback; the sweep's own process handles the interrupt instead,
    keeping every finished run and closing the workers (the runs in progress are cancelled
    without a warning per run).
    """
    import logging

    if threading.current_thread() is threading.main_thread():
        signal.signal(signal.SIGINT, signal.SIG_IGN)
    # closing the cluster on an interrupt cancels the runs in progress: one warning line each
    logging.getLogger("distributed.worker.state_machine").setLevel(logging.ERROR)


def local_cluster_options(dashboard: bool = False) -> dict[str, Any]:
    """``LocalCluster`` keywords that keep its HTTP server on 127.0.0.1 (a free port), the dashboard off unless asked.

    ``dashboard_address=":0"`` would listen on every interface and ``None`` still opens port
    8787 (for health and metrics routes), so the address is always ``127.0.0.1:0``. Workers
    preload this module, whose :func:`dask_setup` makes them ignore Ctrl-C.
    """
    return {
        "dashboard_address": "127.0.0.1:0",
        "scheduler_kwargs": {"dashboard": bool(dashboard)},
        "preload": ["mfn.sweeps.cluster"],  # dask_setup: workers leave Ctrl-C to this process
    }


def host_count(client) -> int:
    """How many machines the client's workers run on (at least 1)."""
    workers = client.scheduler_info(n_workers=-1)["workers"].values()
    return len({w["host"] for w in workers}) or 1
