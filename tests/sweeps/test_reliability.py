"""Sweeps: bounded runs, storable seeds, one store however its path is written."""

import json
import time

import numpy as np
import pytest

from mfn import ParameterError, ReactionDiffusionParams, Simulation
from mfn.core.model import get_model
from mfn.core.params import SEED_MAX
from mfn.sweeps.driver import sweep
from mfn.sweeps.grid import SweepGrid
from mfn.sweeps.record import run_record
from mfn.sweeps.store import load_cube

BASE = {"grid_size": 8, "steps": 4}


def run(store=None, grid=None, seeds=(0, 1), **kwargs):
    grid = {"alpha": [0.1, 0.2]} if grid is None else grid
    return sweep(grid, list(seeds), base=BASE, store=store, client="synchronous", progress=False, **kwargs)


def test_a_run_over_its_time_limit_is_a_failure_with_the_reason():
    cube = sweep(
        {"steps": [4, 10_000_000]},
        [0],
        base={"grid_size": 32},
        client="synchronous",
        progress=False,
        time_limit=0.5,
    )
    assert cube.status.values.ravel().tolist() == ["ok", "failed"]
    error = str(cube.error.values[1, 0])
    assert error.startswith("TimeLimitExceeded: ") and "time_limit = 0.5 s" in error and "of 10000000 steps" in error
    assert np.isnan(cube.D_box.values[1, 0]) and 0.5 <= float(cube.duration_s.values[1, 0]) < 5


def test_a_time_limit_stops_a_run_inside_its_first_long_step():
    """One reaction-diffusion step of 100,000 Euler substeps on 128x128 takes seconds: the limit
    must be checked between slices of a step, the first step included (not only between steps)."""
    values = {"grid_size": 128, "steps": 3, "substeps": 100_000, "seed": 0}
    start = time.perf_counter()
    record = run_record(values, get_model("reaction_diffusion"), time_limit=0.3)
    elapsed = time.perf_counter() - start
    assert record["status"] == "failed" and record["error"].startswith("TimeLimitExceeded: "), record["error"]
    assert "at step 0 of 3 steps" in record["error"] and elapsed < 3.0


def test_a_time_limit_checked_inside_steps_does_not_change_the_results():
    values = {"grid_size": 16, "steps": 3, "substeps": 300, "seed": 4}
    for backend in ("numpy", "numba"):
        plain = Simulation(ReactionDiffusionParams(**values), backend=backend)
        sliced = Simulation(ReactionDiffusionParams(**values), backend=backend)
        sliced.stepper.checkpoint = lambda: None  # slices each step, checking in between
        plain.step(3)
        sliced.step(3)
        for name in ("u", "v", "V"):
            assert np.array_equal(plain.variable(name), sliced.variable(name)), (backend, name)
        assert plain.lyapunov == sliced.lyapunov
    limited = run_record(values, get_model("reaction_diffusion"), time_limit=60.0)
    assert limited == {**run_record(values, get_model("reaction_diffusion")), **_volatile(limited)}


def _volatile(record):
    return {k: record[k] for k in ("duration_s", "created")}


def test_a_time_limit_does_not_change_the_results():
    values = {**BASE, "steps": 30, "seed": 3}
    classic = get_model("classic")
    plain, limited = run_record(values, classic), run_record(values, classic, time_limit=60.0)
    for name in ("D_box", "V_mean", "E_trend", "growth_events_total", "lyapunov", "T_stable"):
        assert plain[name] == limited[name], name


@pytest.mark.parametrize("bad", [0, -1.0, float("nan"), "1"])
def test_time_limit_must_be_positive(bad):
    with pytest.raises(ParameterError, match="time_limit"):
        run(time_limit=bad)


def test_seeds_beyond_what_a_store_holds_are_refused_up_front():
    with pytest.raises(ParameterError, match=r"seeds.*9223372036854775807"):
        SweepGrid.build({"alpha": [0.1]}, [2**63])
    assert SweepGrid.build({"alpha": [0.1]}, [SEED_MAX]).seeds == (SEED_MAX,)


def test_the_largest_seed_goes_into_a_store(tmp_path):
    cube = run(tmp_path / "s.zarr", seeds=[SEED_MAX])
    assert cube.seed.values.tolist() == [SEED_MAX] and set(cube.status.values.ravel()) == {"ok"}


def test_a_path_through_a_missing_folder_resumes_the_store_it_names(tmp_path, monkeypatch):
    monkeypatch.chdir(tmp_path)
    run("c.zarr")
    again = []
    cube = run("sub/../c.zarr", on_result=again.append)
    assert again == [] and set(cube.status.values.ravel()) == {"ok"}
    assert sorted(p.name for p in tmp_path.iterdir()) == ["c.zarr"]
    from mfn.cli import main

    (tmp_path / "g.json").write_text('{"alpha": [0.1, 0.2]}')
    args = ["sweep", "--grid", "g.json", "--seeds", "0", "1", "--synchronous", "--no-progress"]
    assert main([*args, "--out", "sub/../c.zarr", "--set", "grid_size=8", "--set", "steps=4"]) == 0
    assert sorted(p.name for p in tmp_path.iterdir()) == ["c.zarr", "g.json"]


def test_the_cli_set_option_fixes_a_parameter_without_a_dimension(tmp_path):
    from mfn.cli import main

    (tmp_path / "g.json").write_text('{"alpha": [0.1, 0.2]}')
    out = tmp_path / "s.zarr"
    args = ["sweep", "--grid", str(tmp_path / "g.json"), "--seeds", "0", "--out", str(out), "--synchronous"]
    assert main([*args, "--set", "grid_size=8", "--set", "steps=3", "--set", "boundary=neumann", "--no-progress"]) == 0
    cube = load_cube(out)
    assert cube.status.dims == ("alpha", "seed")
    base = json.loads(cube.attrs["mfn_sweep"])["base"]
    assert base["grid_size"] == 8 and base["steps"] == 3 and base["boundary"] == "neumann"


def test_the_cli_set_option_refuses_a_bad_value(tmp_path, capsys):
    from mfn.cli import main

    (tmp_path / "g.json").write_text('{"alpha": [0.1]}')
    args = ["sweep", "--grid", str(tmp_path / "g.json"), "--out", str(tmp_path / "s.zarr"), "--synchronous"]
    assert main([*args, "--set", "grid_size=2"]) == 2
    with pytest.raises(SystemExit) as stop:
        main([*args, "--set", "nonsense"])
    assert stop.value.code == 2
    err = capsys.readouterr().err.strip().splitlines()
    assert len(err) == 2 and "grid_size" in err[0] and "NAME=VALUE" in err[1]
    assert not (tmp_path / "s.zarr").exists()
