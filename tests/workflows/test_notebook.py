"""mfn.workflows.notebook: parameter checks and papermill execution on a real python3 kernel."""

from pathlib import Path

import papermill
import pytest
import xarray as xr
from papermill.exceptions import PapermillExecutionError

import mfn
from mfn.core.errors import ParameterError
from mfn.workflows.notebook import (
    NotebookFailed,
    check_output_dir,
    check_parameters,
    execute,
    export_html,
    notebook_parameters,
    result_path,
)

DATA = Path(__file__).parents[1] / "data"
PROBE = DATA / "probe.ipynb"
ROOT = Path(__file__).parents[2]


def test_check_parameters_names_every_unknown_one():
    with pytest.raises(ParameterError) as info:
        check_parameters({"steps": 3, "sed": 1, "gridsize": 8}, ["steps", "seed", "grid_size"])
    assert info.value.parameter == "sed"
    assert "unknown parameters: sed, gridsize" in str(info.value)
    assert "one of steps, seed, grid_size" in str(info.value)


@pytest.mark.parametrize("bad", ["", "   ", 3, None])
def test_check_output_dir_refuses_non_paths(bad):
    with pytest.raises(ParameterError, match="output_dir"):
        check_output_dir(bad)


def test_check_output_dir_refuses_a_file_and_creates_folders(tmp_path):
    (tmp_path / "f").write_text("x")
    with pytest.raises(ParameterError, match="not an existing file"):
        check_output_dir(tmp_path / "f")
    assert check_output_dir(tmp_path / "a" / "b").is_dir()


def test_notebook_parameters_reads_the_annotated_defaults():
    found = notebook_parameters(PROBE)
    assert list(found) == ["steps", "seed", "limit", "output_dir"]
    assert found["steps"]["inferred_type_name"] == "int" and found["steps"]["default"] == "8"


@pytest.mark.parametrize("bad", ["missing.ipynb", "probe.txt"])
def test_notebook_parameters_refuses_missing_files(bad):
    with pytest.raises(ParameterError, match=r"an existing \.ipynb file"):
        notebook_parameters(DATA / bad)


def test_unknown_parameter_is_refused_before_any_kernel_starts(tmp_path):
    with pytest.raises(ParameterError, match="unknown parameters: step"):
        execute(PROBE, tmp_path / "out.ipynb", {"step": 4})
    assert not (tmp_path / "out.ipynb").exists()


def test_execute_runs_the_notebook_and_writes_its_result(tmp_path):
    done = execute(PROBE, tmp_path / "run.ipynb", {"steps": 30, "seed": 2, "output_dir": str(tmp_path / "o")}, ipc=True)
    expected = mfn.simulate(mfn.FieldParams(grid_size=8, steps=30, seed=2), record_every=None)
    result = xr.load_dataset(result_path(tmp_path / "o"), engine="h5netcdf")
    assert int(result.growth_events) == expected.attrs["growth_events_total"]
    assert float(result.V_mean) == pytest.approx(float(expected.V_mean[-1]), abs=1e-12)
    assert done.parameters["steps"] == 30 and done.duration_s > 0
    html = export_html(done.output)
    assert html.suffix == ".html" and f"growth events {expected.attrs['growth_events_total']}" in html.read_text()


def test_html_export_leaves_out_empty_displays_without_a_warning(tmp_path):
    import warnings

    import nbformat

    notebook = nbformat.v4.new_notebook()
    cell = nbformat.v4.new_code_cell("print('kept')")
    cell.outputs = [
        nbformat.v4.new_output("display_data", data={}),
        nbformat.v4.new_output("stream", name="stdout", text="kept\n"),
    ]
    notebook.cells.append(cell)
    path = tmp_path / "empty_display.ipynb"
    nbformat.write(notebook, path)
    with warnings.catch_warnings(record=True) as caught:
        warnings.simplefilter("always")
        html = export_html(path)
    assert not [w for w in caught if "not able to be represented" in str(w.message)]
    assert "kept" in html.read_text()
    assert len(nbformat.read(path, as_version=4).cells[0].outputs) == 2  # the notebook itself is unchanged


@pytest.mark.parametrize(
    ("markdown", "latex_output", "mathjax"),
    [
        ("A colony grows.", False, False),
        ("costs 5 dollars, not $5", False, True),  # a lone dollar may start TeX: MathJax is kept
        (r"growth rate \(\sigma(k)\)", False, True),
        (r"\begin{equation} k^2 \end{equation}", False, True),
        ("A colony grows.", True, True),
    ],
)
def test_an_exported_report_asks_the_network_for_mathjax_only_with_math(tmp_path, markdown, latex_output, mathjax):
    import re

    import nbformat

    cell = nbformat.v4.new_code_cell("x")
    if latex_output:
        cell.outputs = [nbformat.v4.new_output("execute_result", data={"text/latex": "$x$", "text/plain": "x"})]
    notebook = nbformat.v4.new_notebook(cells=[nbformat.v4.new_markdown_cell(markdown), cell])
    path = tmp_path / "report.ipynb"
    nbformat.write(notebook, path)
    page = export_html(path).read_text()
    remote = re.findall(r'<script[^>]+src="(https?://[^"]+)"', page)
    assert ["mathjax" in url for url in remote] == ([True] if mathjax else [])  # and never require.js
    assert "jp-Notebook" in page


def test_bad_parameter_stops_in_the_validation_cell(tmp_path):
    with pytest.raises(NotebookFailed) as info:
        execute(PROBE, tmp_path / "bad.ipynb", {"steps": 500, "output_dir": str(tmp_path / "o")})
    err = info.value
    # cell 3 of the executed copy: markdown, parameters, injected parameters, validation
    assert err.ename == "ParameterError" and err.cell_index == 3
    assert "steps = 500 is invalid; valid: an integer with 1 <= steps <= 100" in err.evalue
    assert "check_int" in err.source
    assert (tmp_path / "bad.ipynb").is_file() and not result_path(tmp_path / "o").exists()


def test_papermill_reports_the_parameter_error_of_a_real_notebook(tmp_path):
    with pytest.raises(PapermillExecutionError) as info:
        papermill.execute_notebook(
            str(ROOT / "notebooks" / "field_simulation.ipynb"),
            str(tmp_path / "out.ipynb"),
            parameters={"alpha": 0.3, "output_dir": str(tmp_path / "o")},
            kernel_name="python3",
            cwd=str(ROOT / "notebooks"),
            progress_bar=False,
        )
    assert info.value.ename == "ParameterError"
    assert "alpha = 0.3 is invalid; valid: a finite real number with 0 < alpha < 0.25" in str(info.value)


def test_inline_resources_embeds_the_installed_bokeh_and_panel_files():
    import base64
    from importlib.metadata import version

    import bokeh
    import panel

    from mfn.workflows.notebook import inline_resources

    b, p = version("bokeh"), version("panel")
    page = (
        f'js_urls = ["https://cdn.bokeh.org/bokeh/release/bokeh-{b}.min.js", '
        f'"https://cdn.bokeh.org/bokeh/release/bokeh-widgets-{b}.min.js", '
        f'"https://cdn.holoviz.org/panel/{p}/dist/panel.min.js", '
        f'"https://cdn.holoviz.org/panel/{p}/dist/css/loading.css?v={p}", '
        '"https://cdn.bokeh.org/bokeh/release/bokeh-0.0.1.min.js"];'
    )
    out = inline_resources(page)
    urls = out.split('"')[1::2]
    assert [u.split(",")[0] for u in urls[:4]] == ["data:text/javascript;base64"] * 3 + ["data:text/css;base64"]
    shipped = Path(bokeh.__file__).parent / "server" / "static" / "js" / "bokeh.min.js"
    assert base64.b64decode(urls[0].split(",", 1)[1]) == shipped.read_bytes()
    assert (
        base64.b64decode(urls[2].split(",", 1)[1])
        == (Path(panel.__file__).parent / "dist" / "panel.min.js").read_bytes()
    )
    assert urls[4] == "https://cdn.bokeh.org/bokeh/release/bokeh-0.0.1.min.js"  # another version: left alone


RECORD_SIGINT = """\
import signal
from pathlib import Path

kernel = get_ipython().kernel
kernel.pre_handler_hook = kernel.post_handler_hook = lambda: None  # keep this handler for every later message
signal.signal(signal.SIGINT, lambda signum, frame: (Path(output_dir) / "interrupted").write_text("SIGINT"))
"""


@pytest.mark.parametrize("ipc", [True, False])
def test_a_finished_notebook_s_kernel_is_shut_down_without_an_interrupt(tmp_path, ipc):
    """jupyter_client interrupts every kernel it shuts down; one that lands while ipykernel handles a message prints
    ``[IPKernelApp] ERROR | KeyboardInterrupt caught in kernel.`` into a successful run (``make demo``).
    The kernel here records any SIGINT it gets after its last cell."""
    import nbformat

    parameters = nbformat.v4.new_code_cell('output_dir = "."', metadata={"tags": ["parameters"]})
    notebook = nbformat.v4.new_notebook(cells=[parameters, nbformat.v4.new_code_cell(RECORD_SIGINT)])
    path = tmp_path / "records_sigint.ipynb"
    nbformat.write(notebook, path)
    execute(path, tmp_path / "run.ipynb", {"output_dir": str(tmp_path)}, ipc=ipc)
    assert not (tmp_path / "interrupted").exists()


def _page_text(html: str) -> str:
    """The text a reader sees in an HTML page: everything outside tags, scripts and styles."""
    from html.parser import HTMLParser

    class Text(HTMLParser):
        def __init__(self):
            super().__init__()
            self.skip, self.parts = 0, []

        def handle_starttag(self, tag, attrs):
            self.skip += tag in ("script", "style")

        def handle_endtag(self, tag):
            self.skip -= tag in ("script", "style")

        def handle_data(self, data):
            if not self.skip:
                self.parts.append(data)

    parser = Text()
    parser.feed(html)
    return "".join(parser.parts)


def test_an_exported_report_has_a_glyph_for_every_character_it_shows(tmp_path):
    """The HoloViews extension's banner ends in 'ⓘ' (U+24D8), which no font of a plain Linux machine has:
    the report showed a missing-glyph box. Checked against DejaVu Sans (matplotlib's bundled font)."""
    from pathlib import Path as P

    import matplotlib
    import nbformat
    from fontTools.ttLib import TTFont

    parameters = nbformat.v4.new_code_cell('output_dir = "."', metadata={"tags": ["parameters"]})
    plot = nbformat.v4.new_code_cell('import holoviews as hv\nhv.extension("bokeh")\nhv.Curve([1, 2, 3])')
    notebook = nbformat.v4.new_notebook(cells=[nbformat.v4.new_markdown_cell("# A report — 5 µm²"), parameters, plot])
    path = tmp_path / "banner.ipynb"
    nbformat.write(notebook, path)
    run = execute(path, tmp_path / "run.ipynb", {"output_dir": str(tmp_path)}, html=True)
    text = _page_text(run.html.read_text(encoding="utf-8"))
    font = TTFont(P(matplotlib.get_data_path()) / "fonts" / "ttf" / "DejaVuSans.ttf")
    covered = set(font.getBestCmap())
    missing = sorted({c for c in text if ord(c) > 127 and ord(c) not in covered})
    assert "µm²" in text and not missing, [f"U+{ord(c):04X}" for c in missing]
