"""Running parameterised notebooks with papermill on a real ``python3`` kernel: :func:`execute`.

:func:`execute` refuses parameters a notebook does not declare before any kernel starts
(:func:`mfn.workflows.parameters.check_parameters`), runs the notebook on a kernel that leaves
quietly (:mod:`mfn.workflows.kernel_managers`), keeps the executed copy also when a cell fails
(:class:`NotebookFailed`) and, when asked, exports it as an HTML report that renders offline
(:mod:`mfn.workflows.html_export`).

Notebooks import their validation helpers from here: ``check_int``, ``check_real``,
``check_bool`` and ``check_choice`` (:mod:`mfn.core.checks`), ``check_output_dir``,
``result_path``, ``model_params_for`` and ``notebook_parameters``
(:mod:`mfn.workflows.parameters`).

papermill, nbclient and nbconvert are imported inside the functions (the ``notebooks`` extra).
"""

from __future__ import annotations

import os
import time
from collections.abc import Mapping
from dataclasses import dataclass
from pathlib import Path
from typing import Any

from mfn.core.checks import check_bool, check_choice, check_int, check_real
from mfn.core.errors import MFNError
from mfn.workflows.html_export import export_html
from mfn.workflows.parameters import (
    KERNEL_NAME,
    check_output_dir,
    check_parameters,
    existing_notebook,
    model_params_for,
    notebook_parameters,
    result_path,
)

__all__ = [
    "NotebookFailed",
    "NotebookRun",
    "check_bool",
    "check_choice",
    "check_int",
    "check_output_dir",
    "check_real",
    "execute",
    "model_params_for",
    "notebook_parameters",
    "result_path",
]


class NotebookFailed(MFNError):
    """A notebook stopped with an error in one of its cells.

    Attributes
    ----------
    cell_index : int
        Index of the failing cell (code and markdown cells counted).
    source : str
        Source of the failing cell.
    ename, evalue : str
        Exception name and message raised in the kernel.
    output : pathlib.Path
        The executed notebook, kept with the error in its failing cell.
    """

    def __init__(self, output: Path, cell_index: int, source: str, ename: str, evalue: str) -> None:
        self.output, self.cell_index, self.source, self.ename, self.evalue = output, cell_index, source, ename, evalue
        super().__init__(f"{output}: cell {cell_index} raised {ename}: {evalue}")

    def __reduce__(self):  # picklable across Dask workers
        return (type(self), (self.output, self.cell_index, self.source, self.ename, self.evalue))


@dataclass(frozen=True)
class NotebookRun:
    """An executed notebook.

    Attributes
    ----------
    output : pathlib.Path
        The executed ``.ipynb``.
    parameters : dict
        Parameters injected (not the notebook's defaults).
    duration_s : float
        Wall-clock time of the execution, s.
    html : pathlib.Path or None
        The HTML export, when asked for.
    """

    output: Path
    parameters: dict[str, Any]
    duration_s: float
    html: Path | None = None


def execute(
    notebook: str | os.PathLike,
    output: str | os.PathLike,
    parameters: Mapping[str, Any] | None = None,
    *,
    cwd: str | os.PathLike | None = None,
    html: bool = False,
    timeout: float = 600,
    ipc: bool | None = None,
    run_timeout: float | None = None,
) -> NotebookRun:
    """Execute a notebook with papermill on the ``python3`` kernel and keep the executed copy.

    Parameters
    ----------
    notebook : path
        The source ``.ipynb`` (it must have a ``parameters`` cell).
    output : path
        Where the executed notebook is written (parent folders are created). It is written
        also when a cell fails, with the error in that cell.
    parameters : mapping, optional
        Values injected after the ``parameters`` cell; every name must be declared there.
    cwd : path, optional
        Working folder of the kernel; defaults to the notebook's folder.
    html : bool, default False
        Also export the executed notebook to HTML beside ``output``.
    timeout : float, default 600
        Longest time one cell may run, s.
    ipc : bool, optional
        Talk to the kernel over IPC sockets (:class:`~mfn.workflows.kernel_managers.IPCKernelManager`)
        rather than TCP ports;
        by default on POSIX systems (IPC sockets do not exist on Windows).
    run_timeout : float, optional
        Longest time the whole execution may take, s (> 0): each cell may run only for what
        is left of it. Going past it raises :class:`NotebookFailed` with ``ename``
        ``"TimeLimitExceeded"``.

    Returns
    -------
    NotebookRun

    Raises
    ------
    ParameterError
        If a parameter is not declared by the notebook (before any kernel starts).
    OutputError
        If the executed copy cannot be written (a full disk); no torn copy is left.
    NotebookFailed
        If a cell raised (a ``ParameterError`` raised by the validation cell arrives here
        with its message in ``evalue``), or a cell or the run took too long (``ename``
        ``"CellTimeoutError"`` or ``"TimeLimitExceeded"``).
    """
    import papermill
    from nbclient.exceptions import CellTimeoutError
    from papermill.exceptions import PapermillExecutionError

    path = existing_notebook(notebook)
    given = check_parameters(dict(parameters or {}), notebook_parameters(path))
    check_real("timeout", timeout, 0, lo_open=True)
    if run_timeout is not None:
        check_real("run_timeout", run_timeout, 0, lo_open=True)
    ipc = os.name == "posix" if ipc is None else check_bool("ipc", ipc)
    out = Path(output)
    out.parent.mkdir(parents=True, exist_ok=True)
    manager = "IPCKernelManager" if ipc else "QuietKernelManager"
    engine: dict[str, Any] = {"kernel_manager_class": f"mfn.workflows.kernel_managers.{manager}"}
    start = time.perf_counter()
    if run_timeout is not None:  # each cell gets what is left of the run's time (at least 1 ms)
        engine["timeout_func"] = lambda cell: max(1e-3, min(timeout, run_timeout - (time.perf_counter() - start)))
    try:
        papermill.execute_notebook(
            str(path),
            str(out),
            parameters=given,
            kernel_name=KERNEL_NAME,
            language="python",  # also for a notebook saved without kernelspec / language_info
            cwd=str(cwd if cwd is not None else path.parent),
            progress_bar=False,
            execution_timeout=timeout,
            **engine,
        )
    except PapermillExecutionError as err:
        raise NotebookFailed(out, err.cell_index, err.source, err.ename, err.evalue) from None
    except CellTimeoutError as err:  # a TimeoutError, so an OSError: before the clause below
        elapsed = time.perf_counter() - start
        if run_timeout is not None and elapsed >= run_timeout:
            why = f"stopped after {elapsed:.1f} s (run_timeout = {run_timeout:g} s)"
            raise NotebookFailed(out, -1, "", "TimeLimitExceeded", why) from None
        raise NotebookFailed(out, -1, "", "CellTimeoutError", " ".join(str(err).split())[:300]) from None
    except OSError as err:
        if err.errno is None or err.filename not in (None, str(out)):
            raise  # not a failed write of the executed copy (a kernel that could not start, say)
        from mfn.core.io import output_error

        out.unlink(missing_ok=True)  # papermill writes it in place: a torn copy is not kept
        raise output_error(out, err) from None
    run = NotebookRun(out, given, time.perf_counter() - start)
    if html:
        run = NotebookRun(out, given, run.duration_s, export_html(out))
    return run
