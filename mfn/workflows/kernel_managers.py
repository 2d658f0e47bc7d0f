"""The kernel managers of mfn's notebook runs: kernels that leave quietly, over IPC sockets.

:class:`QuietKernelManager` lets a finished kernel leave before it would interrupt it, so a
successful run prints no ``KeyboardInterrupt`` error; :class:`IPCKernelManager` also talks to
its kernel over IPC sockets, so that many kernels started at once (a batch on several Dask
workers) cannot clash on TCP ports. :func:`mfn.workflows.notebook.execute` names them by their
import path, so Dask workers load them from this module.
"""

from __future__ import annotations

from typing import Any

try:  # the IPC kernel manager needs jupyter_client (the ``notebooks`` extra)
    from jupyter_client.manager import AsyncKernelManager
except ImportError:  # pragma: no cover - exercised only without the extra
    AsyncKernelManager = object

__all__ = ["SHUTDOWN_GRACE_S", "IPCKernelManager", "QuietKernelManager"]

SHUTDOWN_GRACE_S = 2.0
"""How long a finished kernel may take to exit when asked before it is interrupted, s."""


class QuietKernelManager(AsyncKernelManager):
    """A kernel manager that lets a finished kernel leave before it would interrupt it.

    jupyter_client (8.x) sends SIGINT to a kernel at the start of every shutdown, idle or
    not. When the signal lands while ipykernel is still handling a message, the kernel
    prints ``[IPKernelApp] ERROR | KeyboardInterrupt caught in kernel.`` into the output of
    a run that succeeded (``make demo`` did). This manager first asks the kernel to shut down
    and gives it :data:`SHUTDOWN_GRACE_S` to exit; only a kernel still running then (a cell
    past its timeout) is interrupted, as before.
    """

    async def _async_interrupt_kernel(self) -> None:
        if self.shutting_down and self.has_kernel:
            import asyncio

            await self._async_request_shutdown()
            try:
                await asyncio.wait_for(self._async_wait(pollinterval=0.05), timeout=SHUTDOWN_GRACE_S)
                return  # it left: nothing to interrupt
            except TimeoutError:
                pass
        await super()._async_interrupt_kernel()


class IPCKernelManager(QuietKernelManager):
    """A kernel manager whose kernels talk over IPC sockets instead of TCP ports.

    Many kernels started at once on one machine (a batch on several Dask workers) can pick
    the same free TCP port and fail to connect; IPC sockets are files with a unique name
    per kernel, so they cannot clash. The socket files and the connection file go to this
    process's folder (:func:`mfn.workflows.kernel_runtime.kernel_runtime_dir`), so that those
    of a process killed with SIGKILL are removed by the next one. It lives in an importable
    module so that Dask workers can load it by name. Like :class:`QuietKernelManager` it
    interrupts only a kernel that does not leave when asked.
    """

    def __init__(self, **kwargs: Any) -> None:
        import uuid

        from mfn.workflows.kernel_runtime import kernel_runtime_dir

        kwargs.setdefault("transport", "ipc")
        # the socket files are named <ip>-<n>: a unique prefix per kernel (the default,
        # "kernel-ipc" in the working folder, is shared by kernels started in the same folder)
        name = f"k{uuid.uuid4().hex[:12]}"  # short: a socket's path may not exceed 107 bytes
        kwargs.setdefault("ip", str(kernel_runtime_dir() / name))
        kwargs.setdefault("connection_file", str(kernel_runtime_dir() / f"{name}.json"))
        super().__init__(**kwargs)
