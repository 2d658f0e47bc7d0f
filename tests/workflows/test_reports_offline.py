"""Exported notebook reports show every figure offline, counted in a real headless Chromium.

Each demo notebook (``make demo``) is executed on small parameters and exported to HTML
(:func:`mfn.workflows.notebook.execute` with ``html=True``), once for this test and the
notebook's own test in test_notebooks.py (the ``notebook_run`` fixture of tests/conftest.py).
A report is opened from ``file:`` in headless Chromium with every other request aborted
(Playwright routing), so a figure whose JavaScript or image comes from a CDN does not show.
A figure counts as rendered when its output area holds a ``canvas`` or ``img`` at least
100 px on each side (figure-sized: the HoloViews logo the extension shows is smaller),
found by walking the shadow roots Panel and Bokeh render into.
"""

from __future__ import annotations

import time
from pathlib import Path

import nbformat
import pytest

from tests.conftest import SMALL_NOTEBOOKS

IMAGE_MIME = ("image/png", "image/svg+xml")
PLOT_MIME = ("application/vnd.holoviews_exec.v0+json", "application/vnd.bokehjs_exec.v0+json")

# For every output area of the page: 1 if it holds a canvas or img of non-zero size, else 0.
COUNT_JS = """
() => {
  const visible = (el) => { const r = el.getBoundingClientRect(); return r.width >= 100 && r.height >= 100; };
  const hasFigure = (root) => {
    const stack = [root];
    while (stack.length) {
      const node = stack.pop();
      if (node.shadowRoot) stack.push(node.shadowRoot);
      for (const child of node.children || []) {
        if ((child.tagName === 'CANVAS' || child.tagName === 'IMG') && visible(child)) return true;
        stack.push(child);
      }
    }
    return false;
  };
  return Array.from(document.querySelectorAll('.jp-OutputArea-output')).map((a) => hasFigure(a) ? 1 : 0);
}
"""


def figure_outputs(notebook: Path) -> int:
    """Outputs of an executed notebook that are figures (a static image or a HoloViews/Bokeh plot)."""
    node = nbformat.read(notebook, as_version=4)
    return sum(
        1
        for cell in node.cells
        if cell.cell_type == "code"
        for out in cell.outputs
        if out.output_type in ("display_data", "execute_result") and _is_figure(out.get("data", {}))
    )


def _is_figure(data: dict) -> bool:
    """A static image, or a HoloViews/Bokeh plot (which has a text repr; the extension's own output has none)."""
    return any(m in data for m in IMAGE_MIME) or (any(m in data for m in PLOT_MIME) and "text/plain" in data)


def block_network(page) -> list[str]:
    """Abort every request of ``page`` that is not for a ``file:`` or ``data:`` URL; return the aborted URLs."""
    aborted: list[str] = []

    def handle(route):
        url = route.request.url
        if url.startswith(("file:", "data:", "blob:")):
            route.continue_()
        else:
            aborted.append(url)
            route.abort()

    page.route("**/*", handle)
    return aborted


def rendered_figures(page, html: Path, *, settle_s: float = 20.0) -> int:
    """Open ``html`` (network blocked by the caller) and count the output areas showing a figure.

    Waits until the count has not changed for 2 s (at most ``settle_s``): BokehJS renders
    after the page's load event.
    """
    page.goto(html.resolve().as_uri())
    deadline = time.monotonic() + settle_s
    last, since = -1, time.monotonic()
    while time.monotonic() < deadline:
        count = sum(page.evaluate(COUNT_JS))
        if count != last:
            last, since = count, time.monotonic()
        elif time.monotonic() - since > 2.0:
            break
        time.sleep(0.25)
    return last


ROOT = Path(__file__).parents[2]
DEMO = ["field_simulation", "feature_analysis", "fractal_exploration", "regime_detection"]
DEMO += ["federated_robustness", "validation_report", "dataset_sweep", "turing_patterns", "colony_growth"]
DEMO += ["real_networks"]


OTHER_REPORTS: list[str] = []
"""Experiment notebooks outside ``make demo`` whose reports must render offline too (live_growth is an app)."""


def test_the_demo_list_is_the_makefile_s():
    makefile = (ROOT / "Makefile").read_text()
    listed = makefile.split("DEMO_NOTEBOOKS :=")[1].split("\n\n")[0]
    assert sorted(DEMO) == sorted(Path(p).stem for p in listed.replace("\\", " ").split())


@pytest.mark.slow
@pytest.mark.browser
@pytest.mark.parametrize(
    "name", [pytest.param(n, marks=pytest.mark.xdist_group(f"notebook-{n}")) for n in [*DEMO, *OTHER_REPORTS]]
)
def test_every_figure_of_an_exported_report_renders_offline(name, page, notebook_run):
    _, files = SMALL_NOTEBOOKS[name]
    run = notebook_run(name)
    expected = figure_outputs(run.output)
    aborted = block_network(page)
    shown = rendered_figures(page, run.html)
    print(f"\n{name}: {shown} of {expected} figures rendered offline ({len(aborted)} requests blocked)")
    assert shown == expected, aborted
    assert aborted == []  # the page asks the network for nothing (no require.js, no MathJax without math)
    # every static figure the notebook saves is also shown in it (not only written and closed)
    images = sum(
        1
        for c in nbformat.read(run.output, as_version=4).cells
        for o in c.get("outputs", [])
        if "image/png" in o.get("data", {})
    )
    assert images >= sum(f.endswith(".png") for f in files)
