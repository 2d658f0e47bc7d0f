"""Choice of the back end: the numpy reference or a fused numba kernel.

``backend="auto"`` picks the fastest step available: numba's when numba is installed (the
optional extra ``mfn[fast]``) and the model has one, otherwise the numpy reference, with a
one-line notice the first time numba is missing. ``"numpy"`` is the reference; ``"numba"``
insists on the fast kernel. A model's numba step matches its reference (bit-identical for the
classic model, see :mod:`mfn.models.classic.kernels_numba`). numba is never imported by
``import mfn``; the models import their kernels when a step is made.
"""

from __future__ import annotations

import importlib.util
import warnings

from mfn.core.checks import check_choice
from mfn.core.errors import ParameterError

__all__ = ["BACKENDS", "choose_backend", "numba_available", "resolve_backend"]

BACKENDS = ("auto", "numpy", "numba")
"""Accepted values of ``backend``."""

NUMBA_MISSING = "numba is not installed: using the numpy kernel (pip install 'mfn[fast]' for the fast one)"

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


def resolve_backend(backend: str, available: tuple[str, ...] = ("numpy", "numba"), model: str = "") -> str:
    """The backend a choice resolves to among those a model has.

    Parameters
    ----------
    backend : {"auto", "numpy", "numba"}
        ``"auto"`` picks numba when it is installed and the model has a numba step.
    available : tuple of str
        The backends the model implements (the numpy reference always).
    model : str
        The model's name, for messages.

    Returns
    -------
    str
        ``"numpy"`` or ``"numba"`` (recorded in a run's attributes).

    Raises
    ------
    ParameterError
        If ``backend`` is not one of :data:`BACKENDS`, or is ``"numba"`` without numba or for
        a model without a numba step.
    """
    check_choice("backend", backend, BACKENDS)
    if backend == "numba" and "numba" not in available:
        raise ParameterError("backend", backend, f"one of {', '.join(map(repr, ('auto', *available)))} for {model}")
    if "numba" not in available:
        return "numpy"
    return choose_backend(backend)
