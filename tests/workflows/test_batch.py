"""mfn batch: papermill reruns over a parameter grid on a real Dask LocalCluster."""

import json
from pathlib import Path

import numpy as np
import pytest
import xarray as xr

import mfn
from mfn.cli import main
from mfn.core.errors import ParameterError
from mfn.workflows.batch import expand_grid, load_grid, run_batch

PROBE = Path(__file__).parents[1] / "data" / "probe.ipynb"


@pytest.mark.parametrize(
    ("grid", "match"),
    [
        ({}, "non-empty mapping"),
        ([1, 2], "non-empty mapping"),
        ({"steps": []}, "non-empty list"),
        ({"steps": [1, 1]}, "without repeats"),
        ({"steps": [[1, 2]]}, "numbers, strings or booleans"),
        ({"output_dir": ["a"]}, "each run gets its own folder"),
    ],
)
def test_bad_grids_are_refused(grid, match):
    with pytest.raises(ParameterError, match=match):
        expand_grid(grid)


def test_a_scalar_counts_as_one_value():
    assert expand_grid({"steps": 5, "seed": [1, 2]}) == [{"steps": 5, "seed": 1}, {"steps": 5, "seed": 2}]


def test_load_grid_refuses_missing_and_broken_files(tmp_path):
    with pytest.raises(ParameterError, match="an existing JSON file"):
        load_grid(tmp_path / "none.json")
    (tmp_path / "g.json").write_text("{steps: 1}")
    with pytest.raises(ParameterError, match="valid JSON"):
        load_grid(tmp_path / "g.json")


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
