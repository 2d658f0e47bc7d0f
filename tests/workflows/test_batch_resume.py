"""mfn batch keeps what finished: incremental records, resume, NaN for failures, no name clashes."""

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

import mfn
from mfn.core.errors import ParameterError
from mfn.workflows.batch import collect, run_batch

DATA = Path(__file__).parents[1] / "data"
PROBE = DATA / "probe.ipynb"


def _ok(tmp_path, name, params, steps=3):
    run = mfn.simulate(mfn.FieldParams(grid_size=4, steps=steps, seed=0), record_every=None)
    path = mfn.save_dataset(
        run[["V_mean", "growth_events", "clamped_cells"]].isel(time=-1, drop=True), tmp_path / f"{name}.nc"
    )
    return {"run": name, "parameters": params, "status": "ok", "notebook": "", "duration_s": 0.1, "result": str(path)}


def _failed(name, params, why="steps = 500 is invalid"):
    error = {"cell_index": 2, "source": "", "ename": "ParameterError", "evalue": why}
    return {"run": name, "parameters": params, "status": "failed", "notebook": "", "duration_s": 0.1, "error": error}


def test_exactly_one_success_gives_nan_for_the_failed_runs_not_int64_min(tmp_path):
    grid = {"steps": [6, 500, 600], "limit": 100}
    runs = [
        _ok(tmp_path, "run_0000", {"steps": 6, "limit": 100}),
        _failed("run_0001", {"steps": 500, "limit": 100}),
        _failed("run_0002", {"steps": 600, "limit": 100}, "steps = 600 is invalid"),
    ]
    cube = xr.open_zarr(collect(runs, grid, tmp_path / "cube.zarr")).load()
    for name in ("growth_events", "clamped_cells", "V_mean"):
        values = cube[name].values
        assert np.isfinite(values[0]), name
        assert np.isnan(values[1:]).all(), (name, values)
    assert cube.run_ok.values.tolist() == [True, False, False]
    assert [str(e) for e in cube.error.values] == [
        "",
        "ParameterError: steps = 500 is invalid",
        "ParameterError: steps = 600 is invalid",
    ]


def test_every_mix_of_success_and_failure_is_nan_where_failed(tmp_path):
    grid = {"seed": [0, 1, 2]}
    for mask in range(8):
        runs = [
            _ok(tmp_path, f"r{k}", {"seed": k}) if mask >> k & 1 else _failed(f"r{k}", {"seed": k}) for k in range(3)
        ]
        cube = xr.open_zarr(collect(runs, grid, tmp_path / f"cube{mask}.zarr")).load()
        ok = [bool(mask >> k & 1) for k in range(3)]
        assert cube.run_ok.values.tolist() == ok
        if "growth_events" in cube:
            assert np.isnan(cube.growth_events.values).tolist() == [not o for o in ok]
        else:
            assert not any(ok)


def test_parameters_named_like_the_cubes_own_dimensions_do_not_collide(tmp_path):
    grid = {"x": [0.5, 1.0], "time": 3, "event": ["a"]}
    runs = []
    for k, x in enumerate((0.5, 1.0)):
        run = mfn.simulate(mfn.FieldParams(grid_size=4, steps=3, seed=k, alpha=0.1 * x))
        path = mfn.save_dataset(run[["V", "growth_events"]], tmp_path / f"r{k}.nc")
        runs.append(
            {"run": f"r{k}", "parameters": {"x": x, "time": 3, "event": "a"}, "status": "ok", "result": str(path)}
        )
    cube = xr.open_zarr(collect(runs, grid, tmp_path / "cube.zarr")).load()
    assert cube.V.dims == ("x_param", "event_param", "time", "y", "x")
    assert cube.x_param.values.tolist() == [0.5, 1.0] and int(cube.time_param) == 3
    assert cube.attrs["batch_renamed"] == json.dumps({"x": "x_param", "time": "time_param", "event": "event_param"})
    assert cube.sizes["x"] == 4 and cube.sizes["time"] == 4


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
    (tmp_path / "grid.json").write_text(json.dumps({"steps": [4, 5, 6, 7], "limit": 100}))
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


@pytest.mark.slow
def test_a_run_over_the_batch_time_limit_is_a_failure_with_the_reason(tmp_path):
    grid = {"steps": [4, 10_000_000], "limit": 10_000_000}
    start = time.monotonic()
    result = run_batch(PROBE, grid, tmp_path, workers=2, run_timeout=20)
    assert time.monotonic() - start < 90
    assert [r["status"] for r in result.runs] == ["ok", "failed"]
    error = result.runs[1]["error"]
    assert error["ename"] == "TimeLimitExceeded" and "run_timeout = 20 s" in error["evalue"]
    cube = xr.open_zarr(result.results).load()
    assert str(cube.error.values[1]).startswith("TimeLimitExceeded: stopped after")


@pytest.mark.slow
def test_a_notebook_saved_without_kernelspec_runs(tmp_path):
    nb = json.loads(PROBE.read_text())
    del nb["metadata"]["kernelspec"], nb["metadata"]["language_info"]
    bare = tmp_path / "bare.ipynb"
    bare.write_text(json.dumps(nb))
    result = run_batch(bare, {"steps": [4]}, tmp_path / "out", workers=1)
    assert [r["status"] for r in result.runs] == ["ok"]
