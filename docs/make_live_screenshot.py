"""Take docs/images/live_view.png, the README's screenshot of the live view.

Serves ``mfn app`` on a free local port, plays it for a while in headless Chromium
(``/usr/bin/chromium``, the flags of tests/viz/test_browser.py) and saves the page.
Run with ``.venv/bin/python docs/make_live_screenshot.py``.
"""

import socket
import subprocess
import sys
import time
import urllib.request
from pathlib import Path

from playwright.sync_api import sync_playwright

ARGS = ["--no-sandbox", "--headless", "--disable-gpu", "--disable-quic", "--no-first-run"]
ARGS += ["--disable-background-networking", "--disable-component-update", "--disable-sync"]
OPTIONS = ["--grid-size", "128", "--spike-probability", "1.0", "--steps-per-frame", "20", "--seed", "2"]


def main() -> None:
    with socket.socket() as s:
        s.bind(("127.0.0.1", 0))
        port = s.getsockname()[1]
    server = subprocess.Popen([sys.executable, "-m", "mfn", "app", "--port", str(port), *OPTIONS])  # noqa: S603
    try:
        url = f"http://127.0.0.1:{port}/"
        for _ in range(240):
            try:
                urllib.request.urlopen(url + "liveness", timeout=2)  # noqa: S310 (local URL)
                break
            except OSError:
                time.sleep(0.25)
        with sync_playwright() as p:
            browser = p.chromium.launch(executable_path="/usr/bin/chromium", headless=True, args=ARGS)
            page = browser.new_page(viewport={"width": 1560, "height": 900})
            page.goto(url)
            page.locator(".mfn-readout pre").get_by_text("step: 0").wait_for(timeout=60_000)
            page.get_by_text("auto", exact=True).click()
            page.get_by_role("button", name="Play").click()
            time.sleep(25)
            page.get_by_role("button", name="Pause").click()
            time.sleep(1)
            out = Path(__file__).parent / "images" / "live_view.png"
            page.screenshot(path=str(out))
            browser.close()
        print(f"wrote {out}")
    finally:
        server.terminate()
        server.wait(10)


if __name__ == "__main__":
    main()
