"""Tutorial 05 in a real JupyterLab: the live view renders inline and plays from the page.

A JupyterLab server runs as a subprocess on 127.0.0.1 (a free port, a random token) over a
temporary folder holding a copy of ``tutorials/05_live_growth.ipynb`` stripped of its
outputs; headless Chromium (``page`` fixture, tests/conftest.py) opens it, runs every cell
through the *Run > Run All Cells* menu, then presses Play in the rendered view. The server
is stopped by its PID when the test ends.

Offline: Panel loads BokehJS from a CDN unless told to inline it, and neither the test
machines nor CI reach a CDN, so the server (and so its kernels) runs with
``PANEL_INLINE=1``. Panel's theme stylesheets are still requested from the CDN; their
failure changes only fonts and colours, and is not a page error.

Set ``MFN_JUPYTERLAB_SCREENSHOT=docs/images/jupyterlab_live.png`` to save the README's
screenshot of the view while it plays.
"""

from __future__ import annotations

import json
import os
import re
import secrets
import sys
import time
from pathlib import Path

import nbformat
import pytest
from playwright.sync_api import expect

ROOT = Path(__file__).parents[2]
TUTORIAL = ROOT / "tutorials" / "05_live_growth.ipynb"
UI_TIMEOUT_MS = 60_000  # generous: CI machines may be busy; this is a wait, not a speed check
FINAL_OUTPUT = "step 300: 142 growth events (was 71)"  # the last cell of tutorial 05 on its defaults

# JupyterLab user settings: no news pop-up; every cell kept in the page (no windowing),
# so the explorer's output stays reachable after Run All scrolls to the end
SETTINGS = {
    "@jupyterlab/apputils-extension/notification": {"fetchNews": "false"},
    "@jupyterlab/notebook-extension/tracker": {"windowingMode": "none"},
}

pytestmark = [pytest.mark.browser, pytest.mark.slow]


@pytest.fixture
def lab(tmp_path, free_port, start_server):
    """JupyterLab over a copy of tutorial 05 without outputs; returns the notebook's URL."""
    folder = tmp_path / "tutorials"
    folder.mkdir()
    notebook = nbformat.read(TUTORIAL, as_version=4)
    for cell in notebook.cells:
        if cell.cell_type == "code":
            cell.outputs, cell.execution_count = [], None
    nbformat.write(notebook, folder / TUTORIAL.name)
    for name, values in SETTINGS.items():
        path = tmp_path / "lab-settings" / f"{name}.jupyterlab-settings"
        path.parent.mkdir(parents=True, exist_ok=True)
        path.write_text(json.dumps(values))

    port, token = free_port(), secrets.token_hex(16)
    env = dict(
        os.environ,
        JUPYTER_CONFIG_DIR=str(tmp_path / "config"),
        JUPYTER_RUNTIME_DIR=str(tmp_path / "runtime"),
        JUPYTERLAB_SETTINGS_DIR=str(tmp_path / "lab-settings"),
        JUPYTERLAB_WORKSPACES_DIR=str(tmp_path / "lab-workspaces"),
        PANEL_INLINE="1",
    )
    command = [sys.executable, "-m", "jupyter", "lab", "--no-browser", "--ServerApp.ip=127.0.0.1"]
    command += [f"--port={port}", f"--IdentityProvider.token={token}", f"--ServerApp.root_dir={tmp_path}"]
    command += ["--allow-root"]  # CI containers run as root
    base = f"http://127.0.0.1:{port}"
    start_server(
        command, f"{base}/api/status?token={token}", tmp_path / "jupyterlab.log", cwd=tmp_path, env=env, stop_wait_s=20
    )
    return f"{base}/lab/tree/tutorials/{TUTORIAL.name}?token={token}"


def step_of(view) -> int:
    """The ``step:`` number of the explorer's readout."""
    return int(re.search(r"step: (\d+)", view.locator(".mfn-readout pre").inner_text()).group(1))


def test_tutorial_05_renders_the_live_view_inline_and_plays_in_jupyterlab(lab, page):
    page.goto(lab)
    page.get_by_text("Python 3 (ipykernel) | Idle").wait_for(timeout=UI_TIMEOUT_MS)
    page.locator(".lm-MenuBar-itemLabel", has_text="Run").first.click()
    page.get_by_text("Run All Cells", exact=True).click()
    # the last cell prints this only when every cell before it ran (and asserted) without error
    page.locator(".jp-OutputArea-output").get_by_text(FINAL_OUTPUT).wait_for(timeout=UI_TIMEOUT_MS)

    # the explorer's output: Panel's Bokeh models rendered inside the notebook's output area
    view = page.locator(".jp-OutputArea-output").filter(has=page.locator(".mfn-readout"))
    assert view.count() == 1
    view.locator(".mfn-field-image").scroll_into_view_if_needed()
    view.locator(".mfn-field-image canvas").first.wait_for(timeout=UI_TIMEOUT_MS)
    assert view.locator("canvas").count() >= 6  # the field image and five curves
    # The code-driven run's last frame, step 300 of the second run. Under Run All the view's
    # comm opens only after the last cell, and Panel may deliver updates queued before then in
    # any order; the explorer queues none (nothing is sent before the view's first paint), so
    # the first paint brings the latest frame and nothing older can land after it.
    view.locator(".mfn-readout pre").get_by_text("step: 300").wait_for(timeout=UI_TIMEOUT_MS)
    time.sleep(1.0)  # anything late would land within Panel's 0.1 s retry period
    assert step_of(view) == 300, view.locator(".mfn-readout pre").inner_text()
    assert "grid: 64x64" in view.locator(".mfn-readout pre").inner_text()
    before = view.locator(".mfn-field-image").screenshot()

    toggle = view.locator(".bk-btn").first  # Play / Pause
    expect(toggle).to_have_text("Play", timeout=UI_TIMEOUT_MS)
    toggle.click()
    expect(toggle).to_have_text("Pause", timeout=UI_TIMEOUT_MS)
    deadline = time.monotonic() + 30
    while step_of(view) < 400:  # 10 frames of 10 steps, run by the kernel's periodic callback
        assert time.monotonic() < deadline, view.locator(".mfn-readout pre").inner_text()
        time.sleep(0.2)
    assert view.locator(".mfn-field-image").screenshot() != before
    shot = os.environ.get("MFN_JUPYTERLAB_SCREENSHOT")
    if shot:
        page.locator('.jp-SideBar.jp-mod-left [data-id="filebrowser"]').click()  # fold the file browser
        page.set_viewport_size({"width": 1500, "height": 980})
        page.locator(".jp-Cell").filter(has=view).evaluate("cell => cell.scrollIntoView({block: 'start'})")
        time.sleep(3)
        page.screenshot(path=str(ROOT / shot))

    toggle.click()
    expect(toggle).to_have_text("Play", timeout=UI_TIMEOUT_MS)
    # the frame computed last before the pause may still arrive (one frame, however many steps)
    readings = [step_of(view)]
    while len(readings) < 3 or readings[-1] != readings[-2]:
        assert len(readings) < 20, readings
        time.sleep(1.0)
        readings.append(step_of(view))
    time.sleep(2.0)
    assert step_of(view) == readings[-1] > 300  # paused: the step no longer advances
