"""Take docs/images/report_*.png: the figures of exported reports, as a reader sees them offline.

Executes two experiment notebooks (``mfn.workflows.notebook.execute`` with ``html=True``, as
``make demo`` does) into a temporary folder, opens each HTML report in headless Chromium
(``/usr/bin/chromium``) with every request but ``file:`` and ``data:`` aborted, and stacks the
output areas that hold a rendered figure into one PNG per report. Run with
``.venv/bin/python docs/make_report_screenshots.py``.
"""

import io
import tempfile
from pathlib import Path

from PIL import Image
from playwright.sync_api import sync_playwright

from mfn.workflows.notebook import execute

ROOT = Path(__file__).parents[1]
ARGS = ["--no-sandbox", "--headless", "--disable-gpu", "--disable-quic", "--no-first-run"]
REPORTS = {
    "field_simulation": {"grid_size": 64, "steps": 300, "record_every": 30, "n_frames": 6, "seed": 1},
    "dataset_sweep": {"alphas": [0.1, 0.15, 0.2], "turing": [True, False], "seeds": [0, 1], "steps": 50, "workers": 1},
}
FIGURE_AREAS = """() => Array.from(document.querySelectorAll('.jp-OutputArea-output')).map((area, i) => {
  const stack = [area];
  while (stack.length) {
    const node = stack.pop();
    if (node.shadowRoot) stack.push(node.shadowRoot);
    for (const c of node.children || []) {
      const r = c.getBoundingClientRect();
      if ((c.tagName === 'CANVAS' || c.tagName === 'IMG') && r.width >= 100 && r.height >= 100) return i;
      stack.push(c);
    }
  }
  return -1;
}).filter((i) => i >= 0)"""


def offline(route) -> None:
    if route.request.url.startswith(("file:", "data:", "blob:")):
        route.continue_()
    else:
        route.abort()


def main() -> None:
    with tempfile.TemporaryDirectory() as tmp, sync_playwright() as p:
        browser = p.chromium.launch(executable_path="/usr/bin/chromium", headless=True, args=ARGS)
        for name, params in REPORTS.items():
            out = Path(tmp) / name
            run = execute(
                ROOT / "notebooks" / f"{name}.ipynb",
                out / f"{name}.ipynb",
                {**params, "output_dir": str(out)},
                html=True,
            )
            page = browser.new_page(viewport={"width": 1300, "height": 1000})
            page.route("**/*", offline)
            page.goto(run.html.as_uri())
            page.wait_for_timeout(5000)
            areas = page.locator(".jp-OutputArea-output")
            shots = [Image.open(io.BytesIO(areas.nth(i).screenshot())) for i in page.evaluate(FIGURE_AREAS)]
            width = max(s.width for s in shots)
            sheet = Image.new("RGB", (width, sum(s.height for s in shots)), "white")
            y = 0
            for shot in shots:
                sheet.paste(shot, (0, y))
                y += shot.height
            target = ROOT / "docs" / "images" / f"report_{name}.png"
            sheet.save(target)
            print(f"wrote {target} ({len(shots)} figures, offline)")
            page.close()
        browser.close()


if __name__ == "__main__":
    main()
