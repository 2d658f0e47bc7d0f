"""The stored ratios of ``mfn bench`` and the check against them (``mfn bench --check``).

``--check`` re-measures the gated rows and fails when a ratio falls more than
:data:`CHECK_MARGIN` below the stored baseline (``baseline.json`` next to this module).
"""

from __future__ import annotations

from pathlib import Path

__all__ = ["BASELINE_PATH", "CHECK_MARGIN", "check_ratios", "read_baseline"]

BASELINE_PATH = Path(__file__).with_name("baseline.json")
"""The stored ratios ``mfn bench --check`` compares against."""
CHECK_MARGIN = 0.30
"""``--check`` fails when a gated ratio is below ``(1 - CHECK_MARGIN)`` times its baseline."""


def read_baseline(path: str | Path) -> dict:
    """The stored baseline: ``{"margin": float, "ratios": {row name: ratio}}``.

    Raises
    ------
    ParameterError
        If the file is missing, not JSON, or holds no ``ratios`` object of numbers.
    """
    from mfn.core.checks import read_json_object
    from mfn.core.errors import ParameterError

    stored = read_json_object("--baseline", path)
    ratios = stored.get("ratios")
    if not isinstance(ratios, dict) or not all(isinstance(v, (int, float)) for v in ratios.values()):
        raise ParameterError(
            "--baseline", str(path), 'a baseline file: {"ratios": {row: ratio, ...}}', "mfn bench --update-baseline"
        )
    return stored


def check_ratios(measured: dict[str, float], baseline: dict[str, float], margin: float = CHECK_MARGIN) -> list[str]:
    """Messages for every baseline row whose measured ratio fell more than ``margin`` below it.

    Parameters
    ----------
    measured, baseline : dict of str to float
        Ratio (reference time / fast time) per row name.
    margin : float
        Allowed relative shrink, in [0, 1).

    Returns
    -------
    list of str
        Empty when every baseline row holds; a row missing from ``measured`` fails.
    """
    failures = []
    for name, base in baseline.items():
        floor = base * (1.0 - margin)
        got = measured.get(name)
        if got is None:
            failures.append(f"{name}: not measured (baseline ratio {base:.2f})")
        elif not got >= floor:
            failures.append(f"{name}: ratio {got:.2f} < {floor:.2f} (baseline {base:.2f} minus {margin:.0%})")
    return failures
