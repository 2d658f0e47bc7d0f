"""mfn.workflows.batch_grid: grids checked and expanded, results indexed by them (NaN for failures, no clashes)."""

import json

import numpy as np
import pytest
import xarray as xr

import mfn
from mfn.core.errors import ParameterError
from mfn.workflows.batch_grid import collect, expand_grid, load_grid


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
