"""The validation table as HTML a reader can trust: real tables, every cell escaped.

Cell text holds ``|``, ``<`` and ``>`` (``max |z|``, ``V < -60 mV``): pasted into a Markdown
table it breaks the columns, pasted into HTML it opens tags. :func:`table_html` escapes every
cell (``pandas.DataFrame.to_html(escape=True)``), so what the suite measured is what the
report shows. Used by ``notebooks/validation_report.ipynb``.
"""

from __future__ import annotations

from typing import TYPE_CHECKING

if TYPE_CHECKING:
    import pandas as pd

__all__ = ["REPORT_COLUMNS", "group_tables_html", "table_html"]

REPORT_COLUMNS = ("verdict", "name", "claim", "measured", "limit")
"""Columns of a rendered group table."""


def table_html(rows: pd.DataFrame) -> str:
    """One group's rows as an escaped HTML table with the columns :data:`REPORT_COLUMNS`.

    Parameters
    ----------
    rows : pandas.DataFrame
        Rows of :func:`mfn.validate` (columns name, claim, measured, limit, passed).

    Returns
    -------
    str
        A ``<table>`` element; ``verdict`` is PASS or FAIL.
    """
    shown = rows.assign(verdict=rows["passed"].map({True: "PASS", False: "FAIL"}))[list(REPORT_COLUMNS)]
    return shown.to_html(index=False, escape=True, border=0, classes="mfn-validation", justify="left")


def group_tables_html(table: pd.DataFrame) -> str:
    """Every group of the table as a heading and its :func:`table_html`, in the table's order."""
    from html import escape

    parts = []
    for group, rows in table.groupby("group", sort=False):
        passed = int(rows["passed"].sum())
        parts.append(f"<h3>{escape(str(group))} ({passed} of {len(rows)} passed)</h3>")
        parts.append(table_html(rows))
    return "\n".join(parts)
