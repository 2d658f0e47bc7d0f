"""Exceptions raised by :mod:`mfn`.

Every public entry point validates its input and raises :class:`ParameterError` naming the
parameter, the value it received and the valid range, so that nothing reaches the numerics
unchecked.
"""

from __future__ import annotations

from typing import Any

__all__ = ["ClampWarning", "MFNError", "NumericalInstabilityError", "OutputError", "ParameterError"]


class MFNError(Exception):
    """Base class of every error raised on purpose by :mod:`mfn`."""


class ParameterError(MFNError, ValueError):
    """An input value is invalid.

    Parameters
    ----------
    parameter : str
        Name of the offending parameter, as the caller spelled it.
    value : Any
        The value received.
    valid : str
        The valid range or choices, in words (``"0 < alpha < 0.25"``, ``"one of -2, -1, 1, 2"``).
    hint : str, optional
        How to fix it, when that is known.

    Examples
    --------
    >>> str(ParameterError("alpha", 0.3, "0 < alpha < 0.25"))
    'alpha = 0.3 is invalid; valid: 0 < alpha < 0.25'
    """

    def __init__(self, parameter: str, value: Any, valid: str, hint: str | None = None) -> None:
        self.parameter = parameter
        self.value = value
        self.valid = valid
        self.hint = hint
        message = f"{parameter} = {value!r} is invalid; valid: {valid}"
        if hint:
            message += f" ({hint})"
        super().__init__(message)

    def __reduce__(self):  # keeps the error picklable across Dask workers
        return (type(self), (self.parameter, self.value, self.valid, self.hint))


class OutputError(MFNError, OSError):
    """An output could not be written: a full disk, a read-only, forbidden or missing place.

    Whatever was being written is removed (temporary files, folders made for it), so nothing
    partial is left; the ``mfn`` command reports it in one line with exit status 2.

    Parameters
    ----------
    path : str or path-like
        The output that could not be written.
    reason : str
        What the system said (``"No space left on device"``).
    hint : str, optional
        What to do about it.

    Examples
    --------
    >>> str(OutputError("/data/run.nc", "No space left on device", "free space or write elsewhere"))
    'cannot write /data/run.nc: No space left on device (free space or write elsewhere)'
    """

    def __init__(self, path: Any, reason: str, hint: str | None = None) -> None:
        self.path, self.reason, self.hint = str(path), reason, hint
        super().__init__(f"cannot write {path}: {reason}" + (f" ({hint})" if hint else ""))

    def __reduce__(self):
        return (type(self), (self.path, self.reason, self.hint))


class NumericalInstabilityError(MFNError, ArithmeticError):
    """A computation produced non-finite values.

    Parameters
    ----------
    message : str
        What went wrong and where.
    partial : Any, optional
        The partial result computed before the failure (for example an
        :class:`xarray.Dataset` holding the steps that were finite), so that a long
        computation is never lost.
    """

    def __init__(self, message: str, partial: Any = None) -> None:
        self.partial = partial
        super().__init__(message)

    def __reduce__(self):
        return (type(self), (self.args[0], self.partial))


class ClampWarning(UserWarning):
    """Valid parameters that make a clamp, not the model, decide many values (e.g. strong noise)."""
