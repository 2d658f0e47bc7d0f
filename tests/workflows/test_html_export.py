"""mfn.workflows.html_export: reports that render offline, ask the network only for MathJax, and show every glyph."""

from pathlib import Path

import pytest

from mfn.workflows.html_export import export_html, inline_resources
from mfn.workflows.notebook import execute


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


def test_inline_resources_embeds_the_installed_bokeh_and_panel_files():
    import base64
    from importlib.metadata import version

    import bokeh
    import panel

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
