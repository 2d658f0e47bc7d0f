"""mfn.workflows.batch: papermill reruns over a parameter grid on a real Dask LocalCluster."""

import json
import time
from pathlib import Path

import numpy as np
import pytest
import xarray as xr

import mfn
from mfn.cli import main
from mfn.core.errors import ParameterError
from mfn.workflows.batch import run_batch

PROBE = Path(__file__).parents[1] / "data" / "probe.ipynb"


def test_grid_names_the_notebook_does_not_declare_are_refused_before_running(tmp_path):
    with pytest.raises(ParameterError, match="unknown parameters: sed"):
        run_batch(PROBE, {"steps": [4], "sed": [1]}, tmp_path)
    assert not (tmp_path / "runs.json").exists()


@pytest.mark.slow
def test_batch_collects_a_datacube_and_records_failures(tmp_path, capsys):
    grid = {"steps": [6, 500], "seed": [0, 3], "limit": 100}  # steps=500 is above the limit
    (tmp_path / "grid.json").write_text(json.dumps(grid))
    out = tmp_path / "out"
    status = main(["batch", str(PROBE), "--grid", str(tmp_path / "grid.json"), "--out", str(out), "--workers", "2"])
    printed = capsys.readouterr().out
    assert status == 1 and "2 of 4 runs succeeded" in printed

    runs = json.loads((out / "runs.json").read_text())
    assert [r["run"] for r in runs] == [f"run_{k:04d}" for k in range(4)]
    assert all(Path(r["notebook"]).is_file() for r in runs)  # failed runs keep their notebook too
    failed = [r for r in runs if r["status"] == "failed"]
    assert [r["parameters"] for r in failed] == [
        {"steps": 500, "seed": 0, "limit": 100},
        {"steps": 500, "seed": 3, "limit": 100},
    ]
    for r in failed:
        assert r["error"]["ename"] == "ParameterError"
        assert "steps = 500 is invalid" in r["error"]["evalue"] and "check_int" in r["error"]["source"]

    cube = xr.open_zarr(out / "results.zarr").load()
    assert dict(cube.sizes) == {"steps": 2, "seed": 2}
    assert int(cube.limit) == 100 and cube.limit.ndim == 0  # a single value: a scalar coordinate
    assert cube.run_ok.values.tolist() == [[True, True], [False, False]]
    assert np.isnan(cube.V_mean.sel(steps=500)).all()
    for steps in (6,):
        for seed in (0, 3):
            run = mfn.simulate(mfn.FieldParams(grid_size=8, steps=steps, seed=seed), record_every=None)
            cell = cube.sel(steps=steps, seed=seed)
            assert float(cell.V_mean) == pytest.approx(float(run.V_mean[-1]), abs=1e-12)
            assert int(cell.growth_events) == run.attrs["growth_events_total"]
    assert cube.attrs["batch_failed"] == 2 and "steps" not in cube.attrs


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
