"""Choice of the step kernel: the numpy reference or a fast path.

``backend="auto"`` picks the fastest kernel available; ``"numpy"`` is the reference.
"""

from __future__ import annotations

from collections.abc import Callable

from mfn._validate import check_choice
from mfn.kernels import numpy_step

__all__ = ["BACKENDS", "resolve_backend"]

BACKENDS = ("auto", "numpy")
"""Accepted values of ``backend``."""

StepKernel = Callable[..., tuple[int, int]]


def resolve_backend(backend: str = "auto") -> tuple[str, StepKernel]:
    """Return ``(name, kernel)`` for a backend choice.

    Parameters
    ----------
    backend : {"auto", "numpy"}
        ``"auto"`` picks the fastest available kernel.

    Returns
    -------
    name : str
        The backend actually used (recorded in a run's attributes).
    kernel : callable
        A function with the signature of :func:`mfn.kernels.numpy_step`.
    """
    check_choice("backend", backend, BACKENDS)
    return "numpy", numpy_step
