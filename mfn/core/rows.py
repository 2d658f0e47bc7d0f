"""The row of a validation table: one claim, what was measured, the limit, and the verdict.

Models declare their own rows (``Model.checks``: functions returning a
:class:`ValidationRow`); :func:`mfn.validate` runs the general rows and every registered
model's. A row is worth something only if a broken model would fail it: every row has a
mutation in the tests (a deliberately broken kernel, parameter or estimator) under which it
fails (``pytest -k mutation``).
"""

from __future__ import annotations

from dataclasses import dataclass

import numpy as np

__all__ = ["GROUPS", "ValidationRow"]

GROUPS = ("control", "invariant", "falsification", "finding")
"""The general groups; each model's rows use the model's name as their group."""


@dataclass(frozen=True)
class ValidationRow:
    """One validation experiment's result.

    Attributes
    ----------
    group : str
        One of :data:`GROUPS`, or a model's name for that model's rows.
    name : str
        Short identifier, unique in the table (``"pure_diffusion_lowers_variance"``).
    claim : str
        The claim in words.
    measured : str
        What was measured, with units.
    limit : str
        What the measurement is judged against.
    passed : bool
        The verdict.
    """

    group: str
    name: str
    claim: str
    measured: str
    limit: str
    passed: bool

    def __post_init__(self) -> None:
        from mfn.core.errors import ParameterError

        for field in ("group", "name", "claim", "measured", "limit"):
            value = getattr(self, field)
            if not isinstance(value, str) or not value.strip():
                raise ParameterError(field, value, "a non-empty string")
        if not self.name.isidentifier():
            raise ParameterError("name", self.name, "a snake_case identifier, unique in the table")
        if not isinstance(self.passed, (bool, np.bool_)):
            raise ParameterError("passed", self.passed, "a bool (the verdict)")
        object.__setattr__(self, "passed", bool(self.passed))
