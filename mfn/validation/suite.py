"""The validation suite: :func:`validate` runs every row (docs/validation.md; the original's checks, made falsifiable).

A row is worth something only if a broken model would fail it (docs/validation.md). Every
row here tests its claim where the claim can be broken, and the tests keep, for every row, a
mutation (a deliberately broken kernel, constant or estimator) under which it fails
(``pytest -k mutation``; ``tests/validation/test_mutations.py``). The rows:

- model-free (:mod:`mfn.validation.general`): Nernst potentials, the IFS's Lyapunov exponent
  and bound (derived from its maps), box counting on exact fractals (raw slope and R^2);
- the classic model (:mod:`mfn.validation.classic`): stability judged before the clamp
  (:mod:`mfn.validation.probe`), the mean's bookkeeping, linear-scheme predictions, the
  threshold finding against a white-noise control, regime discrimination;
- then the rows of every registered model (``Model.checks``, group = the model's name).

Two rows state weaknesses of the original model rather than hide them: at the default
kinetics the Turing coupling never fires (``turing_on_differs_from_off``), and at the fixed
default thresholds a default run has no structure at all (``threshold_sensitivity``); the
noise row states that the clamp pushes the mean of a noisy field up.
"""

from __future__ import annotations

from collections.abc import Callable, Sequence
from typing import TYPE_CHECKING

from mfn.core.errors import ParameterError
from mfn.core.rows import ValidationRow
from mfn.validation import classic, general

if TYPE_CHECKING:
    import pandas as pd

__all__ = ["COLUMNS", "GENERAL_GROUPS", "QUICK_GROUPS", "ROWS", "model_rows", "rows", "select", "validate"]

COLUMNS = ("group", "name", "claim", "measured", "limit", "passed")
"""Columns of the table :func:`validate` returns."""

GENERAL_GROUPS: dict[str, tuple[Callable[[], ValidationRow], ...]] = {
    "control": (
        classic.pure_diffusion_lowers_variance,
        classic.growth_events_at_p_half,
        classic.turing_on_differs_from_off,
        classic.noise_run_is_sound,
        classic.alpha_024_is_stable,
        classic.thousand_steps_are_stable,
    ),
    "invariant": (
        general.nernst_matches_literature,
        classic.clamp_holds_and_is_counted,
        general.ifs_lyapunov_negative,
        general.box_dimension_known_answers,
        classic.same_seed_same_result,
    ),
    "falsification": (classic.diffusion_smooths, general.nernst_sign, general.ifs_bounded, classic.cfl_edge),
    "finding": (classic.threshold_sensitivity, classic.regime_discrimination),
}
"""The general rows by group (each row reports the same group), in the order of docs/validation.md."""

ROWS: tuple[Callable[[], ValidationRow], ...] = tuple(row for group in GENERAL_GROUPS.values() for row in group)
"""The general rows, in the order of docs/validation.md (controls, invariants, falsification, findings)."""

QUICK_GROUPS = tuple(GENERAL_GROUPS)
"""``mfn validate --quick``: the general rows (the classic model's and the model-free ones, about
5 s); each model's own rows run with ``--group <model>``."""


def model_rows(names: Sequence[str] | None = None) -> list[Callable[[], ValidationRow]]:
    """The checks of every registered model (or of the models ``names``), in registration order."""
    from mfn.core.model import models

    return [check for name, model in models().items() if names is None or name in names for check in model.checks]


def select(groups: Sequence[str] | None = None) -> list[Callable[[], ValidationRow]]:
    """The rows of ``groups`` (general groups and model names), in the suite's order; every row for None.

    Raises
    ------
    ParameterError
        For a group that is neither a general group nor a registered model with rows.
    """
    if groups is None:
        return [*ROWS, *model_rows()]
    from mfn.core.model import models

    known = [*GENERAL_GROUPS, *(name for name, model in models().items() if model.checks)]
    for group in groups:
        if group not in known:
            raise ParameterError("group", group, f"one of {', '.join(known)}")
    general_rows = [row for name, group in GENERAL_GROUPS.items() if name in groups for row in group]
    return [*general_rows, *model_rows(groups)]


def rows(groups: Sequence[str] | None = None) -> list[ValidationRow]:
    """Run every row (general, then each model's), or those of ``groups``, and return them.

    Raises
    ------
    ParameterError
        For an unknown group (before any row runs).
    TypeError
        If a check does not return a :class:`ValidationRow`.
    ValueError
        If two rows share a name.
    """
    out = []
    for row in select(groups):
        result = row()
        if not isinstance(result, ValidationRow):
            raise TypeError(f"validation check {row.__module__}.{row.__qualname__} returned {type(result).__name__}")
        out.append(result)
    names = [r.name for r in out]
    duplicates = sorted({n for n in names if names.count(n) > 1})
    if duplicates:
        raise ValueError(f"validation rows share names: {duplicates}")
    return out


def validate(groups: Sequence[str] | None = None) -> pd.DataFrame:
    """Run the validation suite (or the rows of ``groups``) and return its table.

    Parameters
    ----------
    groups : sequence of str, optional
        General groups (``control``, ``invariant``, ``falsification``, ``finding``) and model
        names whose rows to run; None runs every row. :data:`QUICK_GROUPS` is the quick subset.

    Returns
    -------
    pandas.DataFrame
        One row per check, with columns ``group`` (control, invariant, falsification,
        finding, or a model's name), ``name`` (unique identifier), ``claim`` (in words),
        ``measured`` (the numbers, with units), ``limit`` (what they are judged against) and
        ``passed`` (bool). ``mfn validate`` prints it and exits with status 1 if a row failed.
    """
    import pandas as pd

    table = pd.DataFrame([[getattr(r, c) for c in COLUMNS] for r in rows(groups)], columns=list(COLUMNS))
    table["passed"] = table["passed"].astype(bool)
    return table
