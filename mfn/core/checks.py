"""Checks used at the public boundary; each raises :class:`~mfn.core.errors.ParameterError`.

One implementation of "is this a finite real number in range" for the whole package, so that
every message reads the same way: the parameter, the value received and the valid range.
"""

from __future__ import annotations

import math
import numbers
from collections.abc import Iterable
from typing import Any

import numpy as np

from mfn.core.errors import ParameterError

__all__ = [
    "check_array",
    "check_bool",
    "check_choice",
    "check_int",
    "check_real",
    "describe_interval",
    "read_json_object",
    "read_literal",
]

LITERAL_MAX_CHARS = 10_000
"""Longest value typed on the command line that is read as a literal (``-p``, ``--set``)."""
JSON_MAX_BYTES = 16 * 2**20
"""Largest JSON file read as a parameter grid."""


def describe_interval(
    name: str, lo: float | None, hi: float | None, lo_open: bool = False, hi_open: bool = False
) -> str:
    """Words for an interval, e.g. ``"0 < alpha < 0.25"`` or ``"alpha >= 1"``."""
    left = "" if lo is None else f"{_number(lo)} {'<' if lo_open else '<='} "
    right = "" if hi is None else f" {'<' if hi_open else '<='} {_number(hi)}"
    if lo is not None and hi is None:
        return f"{name} {'>' if lo_open else '>='} {_number(lo)}"
    return f"{left}{name}{right}"


def _number(x: float) -> str:
    """``x`` as written by a person: integers in full (``10000000``), other values with ``:g``."""
    if isinstance(x, numbers.Integral):
        return str(int(x))
    return f"{x:g}"


def check_real(
    name: str,
    value: Any,
    lo: float | None = None,
    hi: float | None = None,
    *,
    lo_open: bool = False,
    hi_open: bool = False,
    hint: str | None = None,
) -> float:
    """Return ``value`` as a finite ``float`` inside the interval, or raise ``ParameterError``.

    Booleans, strings, NaN and infinities are refused.
    """
    valid = "a finite real number" + (
        f" with {describe_interval(name, lo, hi, lo_open, hi_open)}" if (lo, hi) != (None, None) else ""
    )
    if isinstance(value, (bool, np.bool_)) or not isinstance(value, numbers.Real):
        raise ParameterError(name, value, valid, hint)
    x = float(value)
    if not math.isfinite(x):
        raise ParameterError(name, value, valid, hint)
    if lo is not None and (x < lo or (lo_open and x == lo)):
        raise ParameterError(name, value, valid, hint)
    if hi is not None and (x > hi or (hi_open and x == hi)):
        raise ParameterError(name, value, valid, hint)
    return x


def check_int(name: str, value: Any, lo: int | None = None, hi: int | None = None, *, hint: str | None = None) -> int:
    """Return ``value`` as an ``int`` in ``[lo, hi]``, or raise ``ParameterError``.

    Integral floats such as ``3.0`` are refused too: a step count of ``3.5`` is a mistake and
    ``3.0`` is usually one.
    """
    valid = "an integer" + (f" with {describe_interval(name, lo, hi)}" if (lo, hi) != (None, None) else "")
    if isinstance(value, (bool, np.bool_)) or not isinstance(value, numbers.Integral):
        raise ParameterError(name, value, valid, hint)
    x = int(value)
    if (lo is not None and x < lo) or (hi is not None and x > hi):
        raise ParameterError(name, value, valid, hint)
    return x


def check_bool(name: str, value: Any) -> bool:
    """Return ``value`` as ``bool``; only ``True``/``False`` (Python or NumPy) are accepted."""
    if isinstance(value, (bool, np.bool_)):
        return bool(value)
    raise ParameterError(name, value, "True or False")


def check_choice(name: str, value: Any, choices: Iterable[Any]) -> Any:
    """Return ``value`` if it is one of ``choices``, or raise ``ParameterError`` listing them."""
    options = tuple(choices)
    if isinstance(value, (bool, np.bool_)) and not any(isinstance(c, bool) for c in options):
        raise ParameterError(name, value, f"one of {', '.join(map(repr, options))}")
    try:
        ok = value in options
    except TypeError:
        ok = False
    if not ok:
        raise ParameterError(name, value, f"one of {', '.join(map(repr, options))}")
    return value


def check_array(
    name: str,
    value: Any,
    *,
    ndim: int | None = None,
    finite: bool = True,
    nonnegative: bool = False,
) -> np.ndarray:
    """Return ``value`` as a float64 array, checking dimensionality and finiteness.

    Raises
    ------
    ParameterError
        If it cannot be read as real numbers, has the wrong number of dimensions, holds NaN
        or infinities (when ``finite``) or negative values (when ``nonnegative``).
    """
    try:
        arr = np.asarray(value, dtype=np.float64)
    except (TypeError, ValueError):
        raise ParameterError(name, value, "an array of real numbers") from None
    if ndim is not None and arr.ndim != ndim:
        raise ParameterError(name, f"array of shape {arr.shape}", f"a {ndim}-D array")
    if finite and not np.all(np.isfinite(arr)):
        raise ParameterError(name, _summary(arr), "finite values (no NaN or infinity)")
    if nonnegative and np.any(arr < 0):
        raise ParameterError(name, _summary(arr), "values >= 0")
    return arr


def _summary(arr: np.ndarray) -> str:
    if arr.size <= 6:
        return np.array2string(arr)
    bad = int(np.count_nonzero(~np.isfinite(arr)))
    if bad:
        return f"array of shape {arr.shape} with {bad} non-finite values"
    return f"array of shape {arr.shape} with min {arr.min():g} and max {arr.max():g}"


def read_json_object(name: str, path: Any) -> dict[str, Any]:
    """Read a JSON file holding one object (e.g. a parameter grid).

    Raises
    ------
    ParameterError
        Naming ``name`` and the path: "an existing JSON file" if there is no such file, "valid
        JSON (...)" with the parser's message if it does not parse, "a JSON object ..." if it
        holds something else.
    """
    import json
    from pathlib import Path

    p = Path(path)
    if not p.is_file():
        raise ParameterError(name, str(path), "an existing JSON file")
    if p.stat().st_size > JSON_MAX_BYTES:
        raise ParameterError(name, str(path), f"a JSON file of at most {JSON_MAX_BYTES // 2**20} MiB")
    try:
        value = json.loads(p.read_text(encoding="utf-8"))
    except (OSError, UnicodeDecodeError, json.JSONDecodeError) as err:
        raise ParameterError(name, str(path), f"valid JSON ({err})") from None
    except (RecursionError, MemoryError):
        raise ParameterError(name, str(path), "JSON nested less deeply (the parser gave up)") from None
    if not isinstance(value, dict):
        raise ParameterError(name, str(path), "a JSON object of parameter name -> list of values")
    return value


def read_literal(name: str, text: str, parse, *, max_chars: int = LITERAL_MAX_CHARS) -> Any:
    """``parse(text)`` for a value a person typed, bounded in length and depth.

    Parameters
    ----------
    name : str
        The option to name in errors (``"-p steps"``).
    text : str
        The value as typed.
    parse : callable
        ``ast.literal_eval`` or ``json.loads``; its own ``ValueError``/``SyntaxError`` pass
        through (a caller may then take the text as a string).

    Raises
    ------
    ParameterError
        For text longer than ``max_chars``, or nested too deeply for the parser (which
        would otherwise end in a ``MemoryError`` or ``RecursionError``).

    Examples
    --------
    >>> import ast
    >>> read_literal("-p x", "[1, 2]", ast.literal_eval)
    [1, 2]
    >>> try:
    ...     read_literal("-p x", "-" * 50_000 + "1", ast.literal_eval)
    ... except ParameterError as err:
    ...     print(err.valid)
    a value of at most 10000 characters
    """
    shown = text if len(text) <= 60 else f"{text[:40]}... ({len(text)} characters)"
    if len(text) > max_chars:
        raise ParameterError(name, shown, f"a value of at most {max_chars} characters")
    try:
        return parse(text)
    except (RecursionError, MemoryError):
        raise ParameterError(name, shown, "a value nested less deeply (the parser gave up)") from None
