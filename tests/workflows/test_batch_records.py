"""mfn.workflows.batch_records: a batch keeps what finished, a rerun resumes it, a different batch is refused."""

import json
import os
import signal
import subprocess
import sys
import time
from pathlib import Path

import numpy as np
import pytest
import xarray as xr

from mfn.core.errors import ParameterError
from mfn.workflows.batch import run_batch

DATA = Path(__file__).parents[1] / "data"
PROBE = DATA / "probe.ipynb"


def test_a_different_batch_in_the_same_folder_is_refused_before_running(tmp_path):
    (tmp_path / "batch.json").write_text(json.dumps({"notebook": str(PROBE.resolve()), "grid": {"steps": [4]}}))
    with pytest.raises(ParameterError, match="a different batch"):
        run_batch(PROBE, {"steps": [5]}, tmp_path)


@pytest.mark.slow
def test_an_interrupted_batch_keeps_every_finished_run_and_a_rerun_resumes(tmp_path):
    grid = {"steps": [4, 5, 500], "limit": 100}
    seen = []

    def stop_after_first(record):
        seen.append(record["run"])
        raise KeyboardInterrupt

    with pytest.raises(KeyboardInterrupt):
        run_batch(PROBE, grid, tmp_path, workers=1, progress=stop_after_first)
    runs = json.loads((tmp_path / "runs.json").read_text())
    finished = [r for r in runs if r["status"] != "pending"]
    assert [r["run"] for r in finished] == seen
    cube = xr.open_zarr(tmp_path / "results.zarr").load()
    assert int(cube.run_ok.sum()) == sum(r["status"] == "ok" for r in finished)
    first = Path(finished[0]["notebook"])
    stamp = first.stat().st_mtime_ns

    again = []
    result = run_batch(PROBE, grid, tmp_path, workers=1, progress=lambda r: again.append(r["run"]))
    assert sorted(again + seen) == ["run_0000", "run_0001", "run_0002"]
    assert first.stat().st_mtime_ns == stamp  # not rerun
    assert [r["status"] for r in result.runs] == ["ok", "ok", "failed"]
    cube = xr.open_zarr(result.results).load()
    assert cube.run_ok.values.tolist() == [True, True, False]
    assert np.isnan(cube.growth_events.values[2])


@pytest.mark.slow
def test_a_killed_batch_loses_nothing_finished(tmp_path):
    (tmp_path / "grid.json").write_text(json.dumps({"steps": [4, 5], "limit": 100}))
    cmd = [sys.executable, "-m", "mfn", "batch", str(PROBE), "--grid", str(tmp_path / "grid.json")]
    cmd += ["--out", str(tmp_path / "out"), "--workers", "1"]
    proc = subprocess.Popen(cmd, start_new_session=True, stdout=subprocess.DEVNULL, stderr=subprocess.DEVNULL)
    manifest = tmp_path / "out" / "runs.json"
    deadline = time.monotonic() + 120
    try:
        while time.monotonic() < deadline:
            if manifest.is_file() and any(r["status"] == "ok" for r in json.loads(manifest.read_text())):
                break
            time.sleep(0.2)
    finally:
        os.killpg(proc.pid, signal.SIGKILL)
        proc.wait()
    kept = [r["run"] for r in json.loads(manifest.read_text()) if r["status"] == "ok"]
    assert kept
    rerun = subprocess.run(cmd, capture_output=True, text=True, timeout=300)
    assert rerun.returncode == 0, rerun.stderr
    assert f"{len(kept)} already done" in rerun.stdout
    for name in kept:
        assert name not in rerun.stdout.split("already done")[1]
