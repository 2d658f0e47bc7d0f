"""nbval in strict mode for the tutorials: ``pytest --nbval tutorials``.

Text, numbers and tables are compared exactly. Outputs that are random by nature are not:
rich HTML (xarray and HoloViews reprs carry random element ids), JavaScript and the
HoloViews/Bokeh load and exec bundles, and stderr (warnings that depend on the machine).
What remains of them in text is sanitised with ``nbval_sanitize.cfg`` (UUIDs, hex ids,
memory addresses, timestamps, timings), which is used unless ``--nbval-sanitize-with`` is given.

A tutorial's cells share one kernel and run in order. ``make test`` runs the tutorials in the
same pytest-xdist session as the rest of the suite (``--dist loadgroup``): each tutorial's
cells carry ``@pytest.mark.xdist_group("tutorial-<file>")``, so one worker runs them all, in
order, on one kernel (what ``--dist loadfile`` did in a session of their own), while the other
worker goes on with other tests.
"""

from pathlib import Path

import pytest

SKIP_COMPARE = (
    "text/html",
    "application/javascript",
    "application/vnd.holoviews_load.v0+json",
    "application/vnd.holoviews_exec.v0+json",
    "application/vnd.bokehjs_load.v0+json",
    "application/vnd.bokehjs_exec.v0+json",
    "stderr",
)
SANITIZE = Path(__file__).with_name("nbval_sanitize.cfg")


def pytest_configure(config):
    if getattr(config.option, "nbval", False) and not config.option.nbval_sanitize_with:
        config.option.nbval_sanitize_with = str(SANITIZE)


def pytest_collectstart(collector):
    if str(getattr(collector, "path", "")).endswith(".ipynb"):
        collector.skip_compare = (*collector.skip_compare, *SKIP_COMPARE)


@pytest.hookimpl(tryfirst=True)  # before pytest-xdist's own hook turns the marks into node ids
def pytest_collection_modifyitems(items):
    here = Path(__file__).parent
    for item in items:
        if item.path.suffix == ".ipynb" and item.path.parent == here:
            item.add_marker(pytest.mark.xdist_group(f"tutorial-{item.path.stem}"))
