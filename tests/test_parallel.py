"""The parallel test run keeps each xdist group on one worker (``make test``: ``-n 2 --dist loadgroup``).

pytest-xdist groups a test by appending ``@<group>`` to its node id; pytest 9.2 keeps node ids
elsewhere, so with pytest-xdist 3.8 the groups are silently ignored and every worker would
compute every shared session result (tests/conftest.py). pyproject.toml keeps pytest below 9.2.
"""

import os
import subprocess
import sys

import pytest

GROUPED = """
import os
import pytest

@pytest.mark.xdist_group("shared")
@pytest.mark.parametrize("i", range(6))
def test_grouped(i, tmp_path_factory):
    out = tmp_path_factory.getbasetemp().parent / f"grouped-{i}"
    out.write_text(os.environ["PYTEST_XDIST_WORKER"])

@pytest.mark.parametrize("j", range(6))
def test_free(j):
    pass
"""


@pytest.mark.slow  # two worker processes start
def test_an_xdist_group_runs_on_one_worker(tmp_path):
    (tmp_path / "test_grouped.py").write_text(GROUPED)
    (tmp_path / "pytest.ini").write_text("[pytest]\n")  # this folder's own settings, not the project's
    run = [sys.executable, "-m", "pytest", "-q", "-p", "no:cacheprovider", "-n", "2", "--dist", "loadgroup"]
    run += ["-c", str(tmp_path / "pytest.ini"), "--basetemp", str(tmp_path / "base"), str(tmp_path)]
    # pytest and pytest-xdist alone: the other installed plugins (hypothesis, nbval, zarr's, ...) touch no
    # node id and cost each of the three processes 4 s of imports
    env = {**os.environ, "PYTEST_DISABLE_PLUGIN_AUTOLOAD": "1", "PYTEST_PLUGINS": "xdist.plugin"}
    done = subprocess.run(run, capture_output=True, text=True, timeout=120, check=False, cwd=tmp_path, env=env)
    assert done.returncode == 0, done.stdout + done.stderr
    workers = {(tmp_path / "base" / f"grouped-{i}").read_text() for i in range(6)}  # the workers' common base
    assert len(workers) == 1, f"the group ran on {sorted(workers)}"
