"""mfn.sweeps.cluster: local clusters on 127.0.0.1, dashboard off, Ctrl-C handled once, scripts told to guard."""

import json
import os
import signal
import subprocess
import sys
import textwrap
import time

import pytest

from mfn.sweeps.driver import sweep

BASE = {"grid_size": 8, "steps": 4}


@pytest.mark.slow
def test_the_dashboard_is_off_by_default_and_local_when_asked(tmp_path):
    import urllib.error
    import urllib.request

    from distributed import get_client

    seen = []

    def look(record):
        link = get_client().dashboard_link
        try:
            with urllib.request.urlopen(link, timeout=10) as page:
                seen.append((link, page.status))
        except urllib.error.HTTPError as err:
            seen.append((link, err.code))

    sweep({"alpha": [0.1]}, [0], base=BASE, workers=1, progress=False, on_result=look)
    sweep({"alpha": [0.1]}, [0], base=BASE, workers=1, progress=False, on_result=look, dashboard=True)
    (off_link, off_status), (on_link, on_status) = seen
    assert off_link.startswith("http://127.0.0.1:") and off_status == 404
    assert on_link.startswith("http://127.0.0.1:") and on_status == 200


@pytest.mark.slow
def test_a_script_without_a_main_guard_is_told_what_to_add(tmp_path):
    script = tmp_path / "plain.py"
    script.write_text(
        textwrap.dedent(
            """
            import mfn
            cube = mfn.sweep({"alpha": [0.1]}, seeds=[0], base={"grid_size": 8, "steps": 3}, workers=1, progress=False)
            print("status", cube.status.values.ravel().tolist())
            """
        )
    )
    done = subprocess.run([sys.executable, str(script)], capture_output=True, text=True, timeout=180, cwd=tmp_path)
    if done.returncode == 0:
        assert "status ['ok']" in done.stdout
    else:
        last = done.stderr.strip().splitlines()[-1]
        assert last.startswith("mfn.core.errors.MFNError: ") and 'if __name__ == "__main__":' in last


@pytest.mark.slow
def test_ctrl_c_during_a_sweep_on_dask_is_one_line_without_worker_tracebacks(tmp_path):
    """SIGINT goes to the whole process group, as a terminal's Ctrl-C sends it: workers included."""
    (tmp_path / "g.json").write_text(json.dumps({"alpha": [0.1, 0.12, 0.14, 0.16, 0.18, 0.2]}))
    store = tmp_path / "s.zarr"
    cmd = [sys.executable, "-m", "mfn", "sweep", "--grid", str(tmp_path / "g.json"), "--seeds", "0", "1"]
    cmd += ["--set", "grid_size=64", "--set", "steps=5000", "--workers", "2", "--out", str(store), "--no-progress"]
    proc = subprocess.Popen(cmd, stdout=subprocess.PIPE, stderr=subprocess.PIPE, text=True, start_new_session=True)
    deadline = time.monotonic() + 120
    while not store.exists() and proc.poll() is None and time.monotonic() < deadline:
        time.sleep(0.1)
    time.sleep(2.0)  # the workers are in their runs
    assert proc.poll() is None, "the sweep ended before it could be interrupted"
    os.killpg(proc.pid, signal.SIGINT)
    out, err = proc.communicate(timeout=120)
    assert proc.returncode == 130
    assert err.strip() == "", err[-3000:]
    assert out.strip().splitlines()[-1].startswith("interrupted: ") and "rerun to resume" in out
