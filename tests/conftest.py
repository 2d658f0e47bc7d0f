"""Fixtures shared across the tests: browsers, servers, disks, and the expensive results computed once.

Chromium is Debian's ``/usr/bin/chromium`` (``apt-get install -y chromium``; ``.ci/run``
installs it), driven by Playwright for Python pinned to the release built for that
Chromium (1.65.x for Chromium 156); no browser is downloaded. Launch flags:

- ``--no-sandbox``: CI containers run as root, where Chromium refuses its sandbox;
- ``--headless``: no display;
- ``--disable-gpu``: no GPU on the test machines (software rendering);
- ``--disable-quic``, ``--no-first-run``, ``--disable-background-networking``,
  ``--disable-component-update``, ``--disable-sync``: no network traffic but the app's,
  no first-run dialogs.

Running in parallel
-------------------
``make test`` runs the suite on two worker processes (pytest-xdist, ``-n 2 --dist loadgroup``).
What keeps that safe:

- servers listen on a free port picked by the OS (:func:`free_port`), each test writes under
  its own ``tmp_path`` (one base folder per worker), kernels talk over IPC sockets in a
  folder of their own process (:mod:`mfn.workflows.kernel_runtime`), Dask clusters take
  random ports; no test writes into the repository;
- an expensive result is computed once per session by a session fixture here
  (:func:`validation_table`, :func:`notebook_run`). Session fixtures live once per worker,
  so every test using one carries ``@pytest.mark.xdist_group(<group>)`` and
  ``--dist loadgroup`` sends the whole group to one worker, which computes it once:

  - ``"validation"``: the tests reading :func:`validation_table` (every row: 36 s measured on a
    busy 2-core machine);
  - ``"notebook-<name>"``: the tests reading :func:`notebook_run` of notebook ``<name>``
    (the notebook's test run and its offline report; for ``validation_report`` also the
    report test of tests/validation/test_report.py).
  - ``"pypde"``: the tests stepping py-pde's compiled 8x8 stepper, which
    :func:`mfn.bench.pypde.pypde_stepper` builds once per process (about 15 s of compilation);
  - ``"tutorial-<file>"``: the cells of one tutorial under ``--nbval`` (tutorials/conftest.py),
    which share a kernel and run in order; ``make test`` runs them in this same session;
  - ``"rd-calibration"``: every test reading :func:`rd_calibration` (the hook below marks them);
  - a module whose module fixture is expensive is one group, so it is computed once, not once
    per worker: ``"mycelium-preset"`` (three preset colonies, 15 s), ``"sweep-driver"`` (a
    LocalCluster of 2 processes, 7 s).

  Without xdist (a targeted ``pytest tests/x``), the marks do nothing and the fixtures are
  still computed once. tests/test_parallel.py checks that the installed pytest and
  pytest-xdist honour the groups (pytest 9.2 with pytest-xdist 3.8 silently does not).
- the tests are sorted so the long ones start first (:func:`pytest_collection_modifyitems`):
  a long test started last would leave one worker running it alone at the end. pytest-xdist
  hands out the groups before the single tests, largest group first (its ``--loadscope-reorder``).

Keeping it fast
---------------
``make test`` must stay under 10 minutes on 2 cores, and the suite is CPU-bound: what counts
is the CPU a test burns, in its own process and in those it starts. What the expensive ones
taught:

- every pytest process imports every installed plugin (hypothesis, nbval, zarr's: about 4 s);
  a test that runs pytest in a subprocess loads only the plugins it needs
  (tests/test_parallel.py);
- installing the lock into a fresh venv takes pip about 100 s and uv about 10 s
  (tests/test_environment.py says why uv keeps the proof);
- a browser test pays for its grid: the server steps and encodes every frame and Chromium
  paints it; use the live view's largest grid (256) only where the size is the point
  (tests/viz/test_browser.py);
- a soak proves a leak rate: its length and its allowance go together (a 15 s soak with
  5 MB fails the 0.33 MB/s leak that 45 s with 15 MB failed);
- the suite starts hundreds of processes (commands, notebook kernels, Dask workers, servers),
  so what each pays at start-up counts many times: ``import mfn`` loads its public names on
  first use (1.3 s → 0.55 s; tests/commands/test_cli.py keeps it light), and ``make install``
  compiles the numba kernels into their on-disk cache once (:mod:`mfn.simulation.compile`;
  cold, the mycelium's alone take 17 s in every process that starts before the cache exists);
- a kernel that calls ``hv.extension`` imports nbformat, whose jsonschema builds 38 Earley
  parsers of ``rfc3987_syntax`` at import (1.3–1.7 s per kernel; jsonschema issue 1428):
  a notebook test pays about 5 s before its first plot.
"""

from __future__ import annotations

import socket
import subprocess
import time
import urllib.request
from pathlib import Path

import pytest

collect_ignore_glob = ["data/*.ipynb"]
"""tests/data holds notebooks the tests execute (probe.ipynb); under ``--nbval`` (``make test`` runs
the tutorials in this session) they are data, not tests of their own."""

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


GROUP_OF_FIXTURE = {"rd_calibration": "rd-calibration"}
"""Session fixtures whose tests get their xdist group here, wherever they are (inference, viz)."""


@pytest.hookimpl(tryfirst=True)  # before pytest-xdist's own hook turns the marks into node ids
def pytest_collection_modifyitems(items):
    """Run the tests marked ``slow`` first, keeping the order within each kind; group the tests of
    GROUP_OF_FIXTURE.

    Under xdist a long test started last leaves the other worker idle while it runs; started
    first, the many short tests fill the other worker's time meanwhile.
    """
    for item in items:
        for fixture, group in GROUP_OF_FIXTURE.items():
            if fixture in getattr(item, "fixturenames", ()):
                item.add_marker(pytest.mark.xdist_group(group))
    items.sort(key=lambda item: item.get_closest_marker("slow") is None)


# ---- expensive results computed once per session (see "Running in parallel" above) ----

SMALL_NOTEBOOKS: dict[str, tuple[dict, list[str]]] = {
    "field_simulation": (
        {"grid_size": 16, "steps": 20, "record_every": 5, "n_frames": 3, "seed": 2},
        ["run.nc", "result.nc", "frames.png", "metrics.png"],
    ),
    "feature_analysis": (
        {"grid_size": 16, "steps": 20, "n_seeds": 3},
        ["result.nc", "features.csv", "features_by_seed.png"],
    ),
    "fractal_exploration": (
        {"n_points": 2000, "n_seeds": 3, "level": 4, "grid_size": 16, "steps": 20},
        ["result.nc", "fractals.png"],
    ),
    "federated_robustness": (
        {"n_clients": 20, "dim": 5, "trials": 2, "n_fractions": 3, "max_fraction": 0.3},
        ["result.nc", "error_curves.png"],
    ),
    "dataset_sweep": (
        {"alphas": [0.1, 0.2], "turing": [True], "seeds": [0], "grid_size": 16, "steps": 10, "workers": 1},
        ["sweep.zarr", "sweep.parquet", "result.nc", "features_vs_alpha.png"],
    ),
    # the general rows (`mfn validate --quick`): the report renders any rows alike, and the
    # whole suite runs once, in process, for validation_table
    "validation_report": (
        {"fail_on_error": True, "groups": ["control", "invariant", "falsification", "finding"]},
        ["result.nc", "validation.csv"],
    ),
    "regime_detection": (
        {"grid_size": 16, "steps": 20, "runs_per_regime": 4},
        ["result.nc", "regimes.png"],
    ),
    "colony_growth": (
        {"hours": 6.0, "compare_times": [3.0, 6.0], "nutrient_levels": [3.0, 30.0], "sweep_seeds": 1}
        | {"sweep_hours": 8.0},
        [
            "result.nc",
            "colony.png",
            "real_vs_model.png",
            "growth.png",
            "distributions.png",
            "table.csv",
            "front_speed.png",
        ],
    ),
    "real_networks": (
        {"experiment": "podospora_anserina/M2WT_200616", "times": [3.0, 9.0], "compare_all": False},
        ["result.nc", "network.png", "growth.png", "growth_unit.png", "distributions.png", "table.csv"],
    ),
    "live_growth": ({"grid_size": 32, "steps_per_frame": 3, "warmup_frames": 4, "seed": 1}, ["curves.csv"]),
    "calibrate": (
        {"base": {"grid_size": 32, "steps": 20, "substeps": 100, "dt": 0.004}, "truth": {"Dv": 30.0, "b": 0.9}}
        | {"priors": {"Dv": [10.0, 60.0], "b": [0.7, 1.1]}, "population": 10, "generations": 1, "predictive_draws": 3},
        ["result.nc", "posterior.csv", "corner.png", "generations.png", "summaries.png", "predictive.png"],
    ),
    "turing_patterns": (
        {"grid_size": 32, "steps": 20, "n_seeds": 1, "sweep": {"Dv": [20.0, 40.0], "b": [0.9]}},
        ["result.nc", "dispersion.png", "pattern.png", "turing_space.png"],
    ),
}
"""Small parameters of each experiment notebook in notebooks/, and the files it must write into output_dir."""


@pytest.fixture(scope="session")
def notebook_run(tmp_path_factory):
    """A function ``run(name)``: notebook ``notebooks/<name>.ipynb`` executed on its SMALL_NOTEBOOKS
    parameters and exported to HTML, once per session; returns the :class:`~mfn.workflows.notebook.NotebookRun`
    (its ``parameters["output_dir"]`` is where the notebook wrote).

    Tests using it carry ``@pytest.mark.xdist_group(f"notebook-{name}")``. A run that raised is
    not kept: the next test asking for it runs it again and sees the error itself.
    """
    from mfn.workflows.notebook import execute

    runs = {}

    def run(name: str):
        if name not in runs:
            folder = tmp_path_factory.mktemp(name)
            params, _ = SMALL_NOTEBOOKS[name]
            notebook = Path(__file__).parents[1] / "notebooks" / f"{name}.ipynb"
            given = {**params, "output_dir": str(folder / "o")}
            runs[name] = execute(notebook, folder / f"{name}.ipynb", given, html=True)
        return runs[name]

    return run


@pytest.fixture(scope="session")
def validation_table():
    """The table of the whole validation suite (``mfn.validate()``: every general and model row), run once per
    session (half a minute or more). Tests using it carry ``@pytest.mark.xdist_group("validation")``."""
    from mfn.validation.suite import validate

    return validate()
