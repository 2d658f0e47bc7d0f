"""Running parameterised notebooks: parameter checks, execution with papermill, HTML export.

Every notebook in ``notebooks/`` and ``tutorials/`` starts with a cell tagged ``parameters``
(annotated defaults, one per line) followed by a validation cell that builds its
:class:`~mfn.models.classic.params.FieldParams` and checks every other value with the helpers below, so a
bad papermill parameter stops the run in that cell with a :class:`~mfn.core.errors.ParameterError`
naming it. papermill itself only warns about parameters a notebook does not declare;
:func:`execute` refuses them (:func:`check_parameters`) before starting a kernel.

papermill, nbclient and nbconvert are imported inside the functions (the ``notebooks`` extra).
"""

from __future__ import annotations

import os
import re
import time
from collections.abc import Iterable, Mapping
from dataclasses import dataclass
from pathlib import Path
from typing import Any

from mfn.core.checks import check_bool, check_choice, check_int, check_real
from mfn.core.errors import MFNError, ParameterError

try:  # the IPC kernel manager needs jupyter_client (the ``notebooks`` extra)
    from jupyter_client.manager import AsyncKernelManager
except ImportError:  # pragma: no cover - exercised only without the extra
    AsyncKernelManager = object

__all__ = [
    "IPCKernelManager",
    "NotebookFailed",
    "NotebookRun",
    "QuietKernelManager",
    "check_bool",
    "check_choice",
    "check_int",
    "check_output_dir",
    "check_parameters",
    "check_real",
    "execute",
    "export_html",
    "inline_resources",
    "notebook_parameters",
    "result_path",
]

RESULT_FILE = "result.nc"
"""Name of the result file a notebook writes into its ``output_dir`` for :mod:`mfn.workflows.batch`."""
KERNEL_NAME = "python3"
"""Kernel used for every execution: the Python running :mod:`mfn` (ipykernel's native spec)."""
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
    of a process killed with SIGKILL are removed by the next one. It lives in this importable
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


def check_parameters(given: Mapping[str, Any], expected: Iterable[str]) -> dict[str, Any]:
    """Refuse parameters that a notebook does not declare.

    Parameters
    ----------
    given : mapping
        Parameters to inject, name -> value.
    expected : iterable of str
        Names declared in the notebook's ``parameters`` cell.

    Returns
    -------
    dict
        ``given`` as a plain dict.

    Raises
    ------
    ParameterError
        Naming the first unknown parameter (all of them in the message) and listing the valid names.

    Examples
    --------
    >>> check_parameters({"steps": 5}, ["steps", "seed"])
    {'steps': 5}
    >>> try:
    ...     check_parameters({"step": 5, "sed": 1}, ["steps", "seed"])
    ... except ParameterError as err:
    ...     print(err.parameter, "|", err.hint)
    step | unknown parameters: step, sed
    """
    names = list(expected)
    unknown = [key for key in given if key not in names]
    if unknown:
        raise ParameterError(
            unknown[0],
            given[unknown[0]],
            f"a parameter of the notebook: one of {', '.join(names)}",
            hint=f"unknown parameters: {', '.join(unknown)}",
        )
    return dict(given)


def check_output_dir(output_dir: Any) -> Path:
    """Return ``output_dir`` as a :class:`~pathlib.Path`, created if missing.

    Raises
    ------
    ParameterError
        If it is not a non-empty string or path, or names an existing file.
    """
    if not isinstance(output_dir, (str, os.PathLike)) or not str(output_dir).strip():
        raise ParameterError("output_dir", output_dir, "a non-empty folder path")
    path = Path(output_dir)
    if path.exists() and not path.is_dir():
        raise ParameterError("output_dir", str(output_dir), "a folder, not an existing file")
    path.mkdir(parents=True, exist_ok=True)
    return path


def result_path(output_dir: str | os.PathLike) -> Path:
    """Where a notebook writes the result that :mod:`mfn.workflows.batch` collects (``output_dir/result.nc``)."""
    return Path(output_dir) / RESULT_FILE


def notebook_parameters(notebook: str | os.PathLike) -> dict[str, dict[str, Any]]:
    """The parameters a notebook declares: name -> ``{"default", "inferred_type_name", "help"}``.

    The ``parameters`` cell is read as Python (every notebook runs on the ``python3`` kernel),
    so a notebook saved without a kernelspec in its metadata works too.

    Raises
    ------
    ParameterError
        If the file does not exist, is not a readable notebook, or has no cell tagged
        ``parameters``.
    """
    import nbformat
    from papermill.translators import papermill_translators

    path = _existing(notebook)
    try:
        node = nbformat.read(path, as_version=4)
    except Exception as err:  # invalid JSON or not a notebook: nbformat raises several kinds
        raise ParameterError(
            "notebook", str(notebook), "a readable .ipynb notebook", f"{type(err).__name__}: {err}"
        ) from None
    cell = next((c for c in node.cells if "parameters" in c.get("metadata", {}).get("tags", [])), None)
    if cell is None:
        raise ParameterError("notebook", str(notebook), "a notebook with a cell tagged 'parameters'")
    found = papermill_translators.find_translator(KERNEL_NAME, "python").inspect(cell)
    return {p.name: p._asdict() for p in found}


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
        Talk to the kernel over IPC sockets (:class:`IPCKernelManager`) rather than TCP ports;
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

    path = _existing(notebook)
    given = check_parameters(dict(parameters or {}), notebook_parameters(path))
    check_real("timeout", timeout, 0, lo_open=True)
    if run_timeout is not None:
        check_real("run_timeout", run_timeout, 0, lo_open=True)
    ipc = os.name == "posix" if ipc is None else check_bool("ipc", ipc)
    out = Path(output)
    out.parent.mkdir(parents=True, exist_ok=True)
    manager = "IPCKernelManager" if ipc else "QuietKernelManager"
    engine: dict[str, Any] = {"kernel_manager_class": f"mfn.workflows.notebook.{manager}"}
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


def export_html(notebook: str | os.PathLike, target: str | os.PathLike | None = None) -> Path:
    """Export an executed notebook to HTML (default: same name, ``.html``) and return its path.

    The page is complete offline: the BokehJS and Panel files that HoloViews/Panel outputs
    load from their CDNs are embedded (:func:`inline_resources`), and static figures are
    embedded images, so every figure shows without a network. nbconvert's page asks a CDN
    for require.js and MathJax: require.js is left out (Bokeh and Panel load without it),
    and MathJax is kept only for a notebook with math (:func:`has_math`), which then needs
    the network to typeset it. Displays without any data
    (Panel's extension leaves one) are left out: nbconvert would warn that it cannot
    represent them, and no front end shows anything for them. The HoloViews extension's
    "Extension loaded" note, an 'ⓘ' (U+24D8) that no font of a plain Linux machine has
    (the report showed a missing-glyph box there), is left out too.
    """
    import jinja2
    import nbformat
    from nbconvert import HTMLExporter

    from mfn.core.io import atomic_path

    path = _existing(notebook)
    node = nbformat.read(path, as_version=4)
    for cell in node.cells:  # empty displays (Panel leaves one per extension load) show nothing anywhere
        if cell.cell_type == "code":
            cell.outputs = [o for o in cell.outputs if o.output_type != "display_data" or o.get("data")]
            for out in cell.outputs:
                if "text/html" in out.get("data", {}):
                    out.data["text/html"] = _EXTENSION_NOTE.sub("", out.data["text/html"])
    exporter = HTMLExporter(extra_loaders=[jinja2.DictLoader({"mfn_report.html.j2": _REPORT_TEMPLATE})])
    exporter.template_file = "mfn_report.html.j2"
    body, _ = exporter.from_notebook_node(node, resources={"mfn_math": has_math(node)})
    body = inline_resources(body)
    target = Path(target) if target is not None else path.with_suffix(".html")
    with atomic_path(target) as tmp:
        tmp.write_text(body, encoding="utf-8")
    return target


_REPORT_TEMPLATE = """\
{%- extends 'lab/index.html.j2' -%}
{%- block html_head_js_requirejs -%}{%- endblock html_head_js_requirejs -%}
{%- block html_head_js_mathjax -%}
{%- if resources.mfn_math -%}{{ super() }}{%- endif -%}
{%- endblock html_head_js_mathjax -%}
"""
"""nbconvert's lab page without the CDN scripts a report does not need (see :func:`export_html`)."""

_EXTENSION_NOTE = re.compile(r"<span[^>]*title=\"Extension loaded[^>]*>\s*\u24d8\s*</span>")
"""The HoloViews extension's info mark (:func:`export_html` leaves it out)."""

_MATH = re.compile(r"\$|\\\(|\\\[|\\begin\{")


def has_math(node: Any) -> bool:
    """Whether a notebook has TeX for MathJax.

    That is ``$``, ``\\(``, ``\\[`` or ``\\begin{`` in a Markdown cell, or a LaTeX output.

    Examples
    --------
    >>> import nbformat
    >>> nb = nbformat.v4.new_notebook(cells=[nbformat.v4.new_markdown_cell("growth rate $\\sigma(k)$")])
    >>> has_math(nb)
    True
    """
    for cell in node.cells:
        if cell.cell_type == "markdown" and _MATH.search(cell.source):
            return True
        if cell.cell_type == "code" and any("text/latex" in o.get("data", {}) for o in cell.get("outputs", [])):
            return True
    return False


def inline_resources(html: str) -> str:
    """Replace the BokehJS and Panel CDN addresses in ``html`` by the installed files, as data URLs.

    HoloViews and Panel outputs load their JavaScript and CSS from ``cdn.bokeh.org`` and
    ``cdn.holoviz.org`` (the loader injects a tag per address), so an exported report shows
    no figure without a network. Each address of the *installed* Bokeh or Panel version is
    replaced by a ``data:`` URL holding the file shipped inside the package; the loader then
    injects the same files from the page itself. Addresses of other versions, or files the
    packages do not ship, are left as they are. Without Bokeh or Panel installed, ``html``
    is returned unchanged.

    Examples
    --------
    >>> inline_resources("no CDN here")
    'no CDN here'
    """
    import base64
    import importlib.util
    import re

    roots = []
    for name, pattern, local in (
        (
            "bokeh",
            r"https://cdn\.bokeh\.org/bokeh/release/(bokeh(?:-[a-z]+)?)-{v}\.min\.js",
            r"server/static/js/\1.min.js",
        ),
        ("panel", r"https://cdn\.holoviz\.org/panel/{v}/dist/([^\"'?\s]+)(?:\?[^\"'\s]*)?", r"dist/\1"),
    ):
        spec = importlib.util.find_spec(name)
        if spec is None or spec.origin is None:
            continue
        from importlib.metadata import version

        roots.append((re.compile(pattern.format(v=re.escape(version(name)))), local, Path(spec.origin).parent))

    def data_url(match: re.Match, local: str, root: Path) -> str:
        path = root / match.expand(local)
        if not path.is_file():
            return match.group(0)
        kind = "text/css" if path.suffix == ".css" else "text/javascript"
        return f"data:{kind};base64," + base64.b64encode(path.read_bytes()).decode("ascii")

    for pattern, local, root in roots:
        html = pattern.sub(lambda m, local=local, root=root: data_url(m, local, root), html)
    return html


def _existing(notebook: str | os.PathLike) -> Path:
    path = Path(notebook)
    if path.suffix != ".ipynb" or not path.is_file():
        raise ParameterError("notebook", str(notebook), "an existing .ipynb file")
    return path


def model_params_for(
    model: str, common: Mapping[str, Any], classic_only: Mapping[str, Any], extra: Mapping[str, Any]
) -> Any:
    """The parameters of ``model`` from a notebook's parameters, each validated.

    Parameters
    ----------
    model : str
        A registered model's name (``mfn models``).
    common : mapping
        Parameters every model has (``grid_size``, ``steps``, ``seed``).
    classic_only : mapping
        The classic model's own parameters the notebook declares; with another model they must
        stay at the classic defaults, so a value meant for the classic model is never dropped
        silently.
    extra : mapping
        The model's other parameters (``model_params``).

    Raises
    ------
    ParameterError
        For an unknown model, a classic parameter changed for another model, or any invalid
        or unknown parameter of the model.

    Examples
    --------
    >>> model_params_for("classic", {"grid_size": 16}, {"alpha": 0.2}, {}).alpha
    0.2
    >>> model_params_for("reaction_diffusion", {"grid_size": 16}, {"alpha": 0.18}, {"kinetics": "brusselator"}).kinetics
    'brusselator'
    """
    from mfn.core.model import get_model

    spec = get_model(model)
    if not isinstance(extra, Mapping):
        raise ParameterError("model_params", extra, "a mapping of parameter names to values")
    if spec.name == "classic":
        return spec.params_class.from_dict({**common, **classic_only, **extra})
    defaults = get_model("classic").params_class()
    for name, value in classic_only.items():
        if value != getattr(defaults, name):
            raise ParameterError(
                name,
                value,
                f"its default {getattr(defaults, name)!r} with model {spec.name!r} (it is a classic parameter)",
                f"give the {spec.name} model's parameters in model_params",
            )
    return spec.params_class.from_dict({**common, **extra})
