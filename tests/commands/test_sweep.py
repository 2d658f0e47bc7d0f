"""``mfn sweep``: the command line of parameter sweeps."""

import json
import re
import signal
import subprocess
import sys
import time

import pandas as pd
import pytest

from mfn.cli import main
from mfn.sweeps.store import load_cube


def test_sweep_from_a_grid_file_writes_store_and_parquet(tmp_path, capsys):
    grid = tmp_path / "grid.json"
    grid.write_text(json.dumps({"grid_size": [8, 12], "steps": [3], "turing": [True, False]}))
    store, table = tmp_path / "cube.zarr", tmp_path / "table.parquet"
    argv = ["sweep", "--grid", str(grid), "--seeds", "4", "5", "--out", str(store), "--synchronous"]
    argv += ["--threshold-mode", "adaptive"]
    assert main([*argv, "--parquet", str(table), "--no-progress"]) == 0
    out = capsys.readouterr().out
    assert "runs: 8 in the sweep, 8 run now, 0 already in the store" in out
    assert "failures: 0 now, 0 in the store" in out and "runs/s" in out
    cube = load_cube(store)
    assert cube.sizes == {"grid_size": 2, "steps": 1, "turing": 2, "seed": 2}
    rows = pd.read_parquet(table)
    assert len(rows) == 8 and rows.run_id.tolist() == list(range(8))
    assert {"seed", "grid_size", "alpha", "D_box", "N_clusters_high", "status", "mfn_version"} <= set(rows.columns)
    assert rows.alpha.unique().tolist() == [0.18] and rows.seed.unique().tolist() == [4, 5]
    assert (rows.status == "ok").all() and (rows.N_clusters_low >= 1).all()  # adaptive thresholds

    assert main([*argv, "--no-progress"]) == 0  # a rerun resumes: nothing left to do
    assert "8 run now" not in capsys.readouterr().out


@pytest.mark.parametrize(
    ("argv", "match"),
    [
        (["--preset", "huge"], "preset = 'huge' is invalid"),
        (["--preset", "base", "--seeds", "-1"], "seeds = -1 is invalid"),
        (["--grid", "GRID", "--seeds", "0"], "alhpa"),
        (["--grid", "MISSING"], "--grid = .* is invalid; valid: an existing JSON file"),
    ],
)
def test_bad_input_exits_2_and_writes_nothing(tmp_path, capsys, argv, match):
    (tmp_path / "GRID").write_text(json.dumps({"alhpa": [0.1]}))
    argv = [str(tmp_path / a) if a in ("GRID", "MISSING") else a for a in argv]
    assert main(["sweep", *argv, "--out", str(tmp_path / "s.zarr"), "--synchronous"]) == 2
    assert re.search(match, capsys.readouterr().err)
    assert not (tmp_path / "s.zarr").exists()


@pytest.mark.slow
def test_ctrl_c_keeps_finished_runs_and_a_rerun_does_the_rest(tmp_path):
    grid = tmp_path / "grid.json"
    # runs long enough (about 0.3 s each with the fused kernel) that the interrupt lands mid-sweep
    grid.write_text(json.dumps({"grid_size": [96], "steps": [2000], "alpha": [0.1, 0.15, 0.2, 0.24]}))
    store = tmp_path / "s.zarr"
    cmd = [sys.executable, "-m", "mfn", "sweep", "--grid", str(grid), "--seeds", "0", "1", "2", "--out", str(store)]
    proc = subprocess.Popen([*cmd, "--synchronous"], stdout=subprocess.PIPE, stderr=subprocess.PIPE, text=True)
    deadline = time.monotonic() + 120
    while time.monotonic() < deadline:  # wait until at least two runs are safely in the store
        if store.exists() and (load_cube(store).status.values == "ok").sum() >= 2:
            break
        time.sleep(0.5)
    proc.send_signal(signal.SIGINT)
    out, err = proc.communicate(timeout=60)
    assert proc.returncode == 130, err
    assert "interrupted:" in out and "rerun to resume" in out
    kept = load_cube(store).status.values
    n_kept = int((kept == "ok").sum())
    assert 2 <= n_kept < 12 and set(kept.ravel()) <= {"ok", "pending"}

    done = subprocess.run([*cmd, "--synchronous", "--no-progress"], capture_output=True, text=True, timeout=300)
    assert done.returncode == 0, done.stderr
    assert f"runs: 12 in the sweep, {12 - n_kept} run now, {n_kept} already in the store" in done.stdout
    assert set(load_cube(store).status.values.ravel()) == {"ok"}


def _sweep(tmp_path, *options):
    grid = tmp_path / "grid.json"
    grid.write_text(json.dumps({"alpha": [0.1, 0.2]}))
    store = tmp_path / "cube.zarr"
    argv = ["sweep", "--grid", str(grid), "--seeds", "0", "--out", str(store), "--synchronous", "--no-progress"]
    return main([*argv, "--set", "grid_size=16", "--set", "steps=10", *options]), store


def test_fixed_thresholds_say_how_many_runs_had_no_active_cell(tmp_path, capsys):
    code, store = _sweep(tmp_path)
    out = capsys.readouterr().out
    assert code == 0
    assert "features: fixed thresholds -60, -50, -40; 2 of 2 runs had no active cell" in out
    assert "try --threshold-mode adaptive" in out
    assert (load_cube(store).f_active.values == 0).all()


@pytest.mark.parametrize(
    ("options", "summary", "settings"),
    [
        (
            ["--thresholds", "-72", "-71", "-70"],
            "fixed thresholds -72, -71, -70; 0 of 2",
            {"thresholds": [-72, -71, -70]},
        ),
        (["--percentiles", "40", "60", "80"], "adaptive thresholds 40, 60, 80; 0 of 2", {"percentiles": [40, 60, 80]}),
    ],
)
def test_feature_settings_come_from_the_command_line(tmp_path, capsys, options, summary, settings):
    code, store = _sweep(tmp_path, *options)
    assert code == 0 and summary in capsys.readouterr().out
    cube = load_cube(store)
    assert (cube.f_active.values > 0).all()
    recorded = json.loads(cube.attrs["mfn_feature_params"])
    for key, value in settings.items():
        assert recorded[key] == value


def test_thresholds_and_adaptive_mode_conflict(tmp_path, capsys):
    code, store = _sweep(tmp_path, "--threshold-mode", "adaptive", "--thresholds", "-60", "-50", "-40")
    assert code == 2 and "--thresholds" in capsys.readouterr().err and not store.exists()


def test_a_model_is_swept_over_its_own_parameters(tmp_path, capsys):
    grid = tmp_path / "grid.json"
    grid.write_text(json.dumps({"Du": [1.0, 0.5]}))
    store = tmp_path / "rd.zarr"
    argv = ["sweep", "--model", "reaction_diffusion", "--grid", str(grid), "--seeds", "0", "--out", str(store)]
    assert main([*argv, "--synchronous", "--no-progress", "--set", "grid_size=16", "--set", "steps=5"]) == 0
    assert "adaptive thresholds" in capsys.readouterr().out  # the model's own feature settings
    cube = load_cube(store)
    assert (cube.status.values == "ok").all() and cube.V_mean.attrs["units"] == "mV"
