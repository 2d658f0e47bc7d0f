"""Fixtures shared by the browser tests (tests/viz/test_browser.py, tests/viz/test_jupyterlab.py).

Chromium is Debian's ``/usr/bin/chromium`` (``apt-get install -y chromium``; ``.ci/run``
installs it), driven by Playwright for Python pinned to the release built for that
Chromium (1.65.x for Chromium 156); no browser is downloaded. Launch flags:

- ``--no-sandbox``: CI containers run as root, where Chromium refuses its sandbox;
- ``--headless``: no display;
- ``--disable-gpu``: no GPU on the test machines (software rendering);
- ``--disable-quic``, ``--no-first-run``, ``--disable-background-networking``,
  ``--disable-component-update``, ``--disable-sync``: no network traffic but the app's,
  no first-run dialogs.
"""

from __future__ import annotations

import socket
import subprocess
import time
import urllib.request
from pathlib import Path

import pytest

CHROMIUM = "/usr/bin/chromium"
LAUNCH_ARGS = [
    "--no-sandbox",
    "--headless",
    "--disable-gpu",
    "--disable-quic",
    "--no-first-run",
    "--disable-background-networking",
    "--disable-component-update",
    "--disable-sync",
]


@pytest.fixture
def free_port():
    """A function returning a free TCP port on 127.0.0.1."""

    def pick() -> int:
        with socket.socket() as s:
            s.bind(("127.0.0.1", 0))
            return s.getsockname()[1]

    return pick


@pytest.fixture
def small_disk(tmp_path):
    """A function mounting a tmpfs of ``size`` bytes on a new folder: a real disk that fills up.

    ``small_disk(size, read_only=False)`` returns the folder; it is unmounted when the test
    ends. Mounting needs root (CAP_SYS_ADMIN), as in CI's container; elsewhere the test is
    skipped, saying why (the RLIMIT_FSIZE tests in tests/commands/test_full_disk.py still
    drive the same write paths as any user).
    """
    import shutil

    mounted = []

    def mount(size: int, *, read_only: bool = False) -> Path:
        where = tmp_path / f"disk{len(mounted)}"
        where.mkdir()
        options = f"size={size}" + (",ro" if read_only else "")
        done = None
        if shutil.which("mount"):
            done = subprocess.run(
                ["mount", "-t", "tmpfs", "-o", options, "tmpfs", str(where)], capture_output=True, text=True
            )
        if done is None or done.returncode != 0:
            why = "no mount command" if done is None else done.stderr.strip() or f"exit {done.returncode}"
            pytest.skip(f"cannot mount a tmpfs here ({why}): needs root")
        mounted.append(where)
        return where

    yield mount
    for where in reversed(mounted):
        subprocess.run(["umount", "-l", str(where)], check=False, capture_output=True)


@pytest.fixture
def fill_disk():
    """A function filling the file system of a folder with zeros until it is full; returns the filler file."""

    def fill(disk: Path) -> Path:
        filler = disk / "filler"
        with open(filler, "wb", buffering=0) as out:
            block = bytes(4096)
            try:
                while out.write(block):
                    pass
            except OSError:  # ENOSPC: full
                pass
        return filler

    return fill


@pytest.fixture
def start_server(request):
    """A function that starts a server process and waits until ``ready_url`` answers 200.

    ``start_server(command, ready_url, log_path, cwd=..., env=None, timeout_s=90)`` returns
    the :class:`subprocess.Popen`; the process is stopped by its PID (terminate, then kill)
    when the test ends. Its output goes to ``log_path``, shown if it exits before it is ready.
    """

    def start(command, ready_url, log_path, *, cwd, env=None, timeout_s=90.0, stop_wait_s=10.0):
        log = Path(log_path).open("w")
        proc = subprocess.Popen(command, stdout=log, stderr=subprocess.STDOUT, cwd=cwd, env=env)

        def stop():
            proc.terminate()
            try:
                proc.wait(stop_wait_s)
            except subprocess.TimeoutExpired:
                proc.kill()
                proc.wait(10)
            log.close()

        request.addfinalizer(stop)
        deadline = time.monotonic() + timeout_s
        while True:
            assert proc.poll() is None, Path(log_path).read_text()
            try:
                with urllib.request.urlopen(ready_url, timeout=2) as response:
                    if response.status == 200:
                        return proc
            except OSError:
                pass
            assert time.monotonic() < deadline, f"{ready_url} did not answer within {timeout_s} s"
            time.sleep(0.25)

    return start


@pytest.fixture
def page():
    """A page of a fresh headless Chromium (1500x1000); fails the test on any uncaught page error."""
    from playwright.sync_api import sync_playwright

    if not Path(CHROMIUM).exists():
        pytest.fail(f"{CHROMIUM} is missing: install Debian's chromium (apt-get install -y chromium)")
    with sync_playwright() as p:
        browser = p.chromium.launch(executable_path=CHROMIUM, headless=True, args=LAUNCH_ARGS)
        page = browser.new_page(viewport={"width": 1500, "height": 1000})
        errors: list[str] = []
        page.on("pageerror", lambda err: errors.append(str(err)))
        yield page
        browser.close()
        assert not errors, errors


# ---- a small calibration shared by the tests of mfn.inference, its figures and its command ----

CALIBRATION_BASE = {"grid_size": 32, "steps": 20, "substeps": 100, "dt": 0.004}
"""A 32x32 Schnakenberg run of 2,000 Euler steps (about 0.1 s): patterns start to grow."""
CALIBRATION_PRIORS = {"Dv": (10.0, 60.0), "b": (0.7, 1.1)}
CALIBRATION_TRUTH = {"Dv": 30.0, "b": 0.9}


@pytest.fixture(scope="session")
def rd_observed():
    """A reaction-diffusion run at the true values CALIBRATION_TRUTH (seed 7)."""
    import mfn

    base = mfn.ReactionDiffusionParams(**CALIBRATION_BASE)
    return mfn.simulate(base.replace(**CALIBRATION_TRUTH, seed=7), record_every=None)


@pytest.fixture(scope="session")
def rd_calibration(tmp_path_factory, rd_observed):
    """``(store, result)`` of a 2-generation, 10-particle calibration of Dv and b, in this process."""
    import mfn

    store = tmp_path_factory.mktemp("calibration") / "abc.db"
    base = mfn.ReactionDiffusionParams(**CALIBRATION_BASE)
    result = mfn.calibrate(
        base,
        CALIBRATION_PRIORS,
        rd_observed,
        population=10,
        generations=2,
        scheduler="synchronous",
        store=store,
        progress=False,
    )
    return store, result


@pytest.fixture(scope="session")
def podospora():
    """The three published *P. anserina* networks, read through ``MFN_DATA_DIR`` (never skipped).

    A test needing the data fails, with the fix, when ``MFN_DATA_DIR`` is not set: tests
    never download (``.ci/run`` sets it to the shared copies).
    """
    import os

    import mfn

    if not os.environ.get("MFN_DATA_DIR"):
        pytest.fail(
            "the published networks are needed: set MFN_DATA_DIR to the folder holding "
            "podospora_anserina/ (.ci/run sets it to ../shared/data)",
            pytrace=False,
        )
    return {name.split("/")[1]: mfn.datasets.load(name) for name in mfn.datasets.list()}
