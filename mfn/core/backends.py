"""Choice of the step kernel: the numpy reference or the fused numba kernel.

``backend="auto"`` picks the fastest kernel available: numba's when numba is installed (the
optional extra ``mfn[fast]``), otherwise the numpy reference, with a one-line notice the
first time. ``"numpy"`` is the reference; ``"numba"`` insists on the fast kernel. Both give
bit-identical results (see :mod:`mfn.models.classic.kernels_numba`). numba is imported only here, when a
kernel is resolved, never by ``import mfn``.
"""

from __future__ import annotations

import importlib.util
import warnings
from collections.abc import Callable

from mfn.core.checks import check_choice
from mfn.core.errors import ParameterError
from mfn.models.classic.kernels import numpy_step

__all__ = ["BACKENDS", "choose_backend", "numba_available", "resolve_backend"]

BACKENDS = ("auto", "numpy", "numba")
"""Accepted values of ``backend``."""

NUMBA_MISSING = "numba is not installed: using the numpy kernel (pip install 'mfn[fast]' for the fast one)"

StepKernel = Callable[..., tuple[int, int]]

_notice_given = False


def numba_available() -> bool:
    """Whether numba can be imported (without importing it)."""
    return importlib.util.find_spec("numba") is not None


def choose_backend(backend: str = "auto") -> str:
    """The back end a choice resolves to: ``"numpy"`` or ``"numba"`` (numba is not imported).

    ``"auto"`` gives ``"numba"`` when numba is installed, otherwise ``"numpy"`` with a
    one-line notice the first time. Used for the step kernel and for the per-frame sums of
    the temporal features (:mod:`mfn.analysis.temporal`).

    Raises
    ------
    ParameterError
        If ``backend`` is not one of :data:`BACKENDS`, or is ``"numba"`` without numba.
    """
    global _notice_given
    check_choice("backend", backend, BACKENDS)
    if backend == "numpy":
        return "numpy"
    if not numba_available():
        if backend == "numba":
            raise ParameterError(
                "backend", backend, "'numpy' or 'auto' (numba is not installed)", "pip install 'mfn[fast]'"
            )
        if not _notice_given:
            warnings.warn(NUMBA_MISSING, stacklevel=4)
            _notice_given = True
        return "numpy"
    return "numba"


def resolve_backend(backend: str = "auto") -> tuple[str, StepKernel]:
    """Return ``(name, kernel)`` for a backend choice.

    Parameters
    ----------
    backend : {"auto", "numpy", "numba"}
        ``"auto"`` picks numba when it is installed and the numpy reference otherwise.

    Returns
    -------
    name : str
        The backend actually used (recorded in a run's attributes).
    kernel : callable
        A function with the signature of :func:`mfn.models.classic.kernels.numpy_step`.

    Raises
    ------
    ParameterError
        If ``backend`` is not one of :data:`BACKENDS`, or is ``"numba"`` without numba.
    """
    if choose_backend(backend) == "numpy":
        return "numpy", numpy_step
    from mfn.models.classic.kernels_numba import numba_step

    return "numba", numba_step
