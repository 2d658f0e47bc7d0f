from html.parser import HTMLParser
from pathlib import Path

import nbformat
import pandas as pd
import pytest

from mfn.validation.report import REPORT_COLUMNS, group_tables_html, table_html
from mfn.validation.suite import COLUMNS, QUICK_GROUPS


class Cells(HTMLParser):
    """The text of every table cell, row by row."""

    def __init__(self):
        super().__init__()
        self.rows, self._cell = [], None

    def handle_starttag(self, tag, attrs):
        if tag == "tr":
            self.rows.append([])
        elif tag in ("td", "th"):
            self._cell = ""

    def handle_endtag(self, tag):
        if tag in ("td", "th"):
            self.rows[-1].append(self._cell)
            self._cell = None

    def handle_data(self, data):
        if self._cell is not None:
            self._cell += data


TRICKY = pd.DataFrame(
    [
        ["falsification", "ifs_bounded", "max |z| <= R", "max |z| / R = 0.97 | fine", "V < -60 mV & <b>", True],
        ["control", "x", "claim", "measured", "limit", False],
    ],
    columns=list(COLUMNS),
)


def test_table_html_keeps_pipes_and_angle_brackets_inside_their_cells():
    parser = Cells()
    parser.feed(table_html(TRICKY))
    assert parser.rows[0] == list(REPORT_COLUMNS)
    assert parser.rows[1] == ["PASS", "ifs_bounded", "max |z| <= R", "max |z| / R = 0.97 | fine", "V < -60 mV & <b>"]
    assert parser.rows[2][0] == "FAIL" and all(len(r) == len(REPORT_COLUMNS) for r in parser.rows)


def test_group_tables_html_has_one_table_per_group_in_order():
    html = group_tables_html(TRICKY)
    assert html.index("falsification (1 of 1 passed)") < html.index("control (0 of 1 passed)")
    assert html.count("<table") == 2 and "<b>" not in html


@pytest.mark.slow
@pytest.mark.xdist_group("notebook-validation_report")
def test_the_report_notebook_renders_every_row_in_a_real_table(notebook_run):
    """The notebook's run of tests/conftest.py (the general rows; every row renders alike)."""
    done = notebook_run("validation_report")
    out = Path(done.parameters["output_dir"])
    cells = nbformat.read(done.output, as_version=4).cells
    html = [
        o["data"]["text/html"]
        for c in cells
        if c.cell_type == "code"
        for o in c.outputs
        if "text/html" in o.get("data", {})
    ]
    parser = Cells()
    parser.feed(next(h for h in html if "mfn-validation" in h))
    body = [r for r in parser.rows if r != list(REPORT_COLUMNS)]
    table = pd.read_csv(out / "validation.csv")
    assert len(body) == len(table) and all(len(r) == len(REPORT_COLUMNS) for r in body)
    assert [r[1] for r in body] == list(table.name) and [r[3] for r in body] == list(table.measured)
    assert list(table.group.unique()) == list(QUICK_GROUPS)  # the rows of the groups asked, in the suite's order


@pytest.mark.slow  # a kernel starts
def test_the_report_notebook_refuses_an_unknown_group_before_any_row_runs(tmp_path):
    from mfn.workflows.notebook import NotebookFailed, execute

    path = Path(__file__).parents[2] / "notebooks" / "validation_report.ipynb"
    with pytest.raises(NotebookFailed) as failed:
        execute(path, tmp_path / "report.ipynb", {"groups": ["control", "fast"], "output_dir": str(tmp_path / "o")})
    assert failed.value.ename == "ParameterError" and "group = 'fast' is invalid" in failed.value.evalue
    assert "select(groups" in failed.value.source  # the validation cell, before the cell that runs rows
