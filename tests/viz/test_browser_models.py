"""Every model grows in the served live view, driven in a real headless Chromium.

The reaction–diffusion model patterns at 128x128 and the mycelium grows at 256x256; the
measured browser frame rate and simulation step rate are printed (``-s``). Screenshots go to
the test's temporary folder, or to ``MFN_MODEL_SCREENSHOTS`` when that is set (how
``docs/images/live_*.png`` were taken).
"""

from __future__ import annotations

import os
import sys
import time
from pathlib import Path

import pytest

from tests.viz.test_browser import UI_TIMEOUT_MS, image_png, measure, readout

pytestmark = [pytest.mark.browser, pytest.mark.slow]
ROOT = Path(__file__).parents[2]


@pytest.fixture
def serve(tmp_path, free_port, start_server):
    def start(*options: str):
        port = free_port()
        command = [sys.executable, "-m", "mfn", "app", "--port", str(port), *options]
        url = f"http://127.0.0.1:{port}/"
        start_server(command, url + "liveness", tmp_path / f"server-{port}.log", cwd=ROOT, timeout_s=180)
        return url, tmp_path / f"server-{port}.log"

    return start


@pytest.mark.parametrize(
    ("model", "grid", "variable"), [("reaction_diffusion", 128, "u"), ("mycelium", 256, "nutrient")]
)
def test_the_model_grows_live_and_shows_another_variable(serve, page, tmp_path, model, grid, variable):
    url, log = serve("--model", model, "--grid-size", str(grid), "--steps-per-frame", "5", "--seed", "1")
    page.goto(url)
    page.locator(".mfn-readout pre").get_by_text("step: 0").wait_for(timeout=120_000)
    assert f"model: {model}" in readout(page)["text"] and f"grid: {grid}x{grid}" in readout(page)["text"]
    before = image_png(page)
    page.get_by_role("button", name="Play").click()
    page.get_by_role("button", name="Pause").wait_for(timeout=UI_TIMEOUT_MS)
    time.sleep(2.0)  # warm up (the first frames compile nothing: the kernels are cached)
    rates = measure(page, 6.0)
    print(
        f"\n{model} {grid}x{grid}: browser {rates['fps']:.1f} frames/s, simulation {rates['steps_per_s']:.0f} "
        f"steps/s (server readout: {rates['server_fps']:.1f} fps, {rates['server_steps_per_s']:.0f} steps/s)"
    )
    assert rates["fps"] > 0 and rates["steps_per_s"] > 0
    page.get_by_role("button", name="Pause").click()
    page.get_by_role("button", name="Play").wait_for(timeout=UI_TIMEOUT_MS)
    grown = image_png(page)
    assert grown != before
    folder = Path(os.environ.get("MFN_MODEL_SCREENSHOTS", tmp_path))
    page.screenshot(path=str(folder / f"live_{model}.png"))
    page.locator(".mfn-view-variable select, select").first.select_option(variable)
    page.locator(".bk-Canvas").first.wait_for(timeout=UI_TIMEOUT_MS)
    time.sleep(1.5)
    assert image_png(page) != grown  # the other variable is shown
    assert "Traceback" not in log.read_text()
