"""Every CLI door answers a user mistake with one line on stderr, exit code 2, no traceback, before any work.

Each case of :func:`cases` is an argument list of ``mfn`` built from a folder of fixtures;
every one must end with exit code 2 and one line on stderr, no traceback, and quickly
(checked before any work), leaving nothing behind.
"""

import json
import shutil
import socket
import subprocess
import sys
import time
from pathlib import Path

import numpy as np
import pytest

from mfn import ParameterError, load_run
from mfn.cli import main
from mfn.physics.nernst import nernst

DATA = Path(__file__).parents[1] / "data"
PROBE = DATA / "probe.ipynb"
CLOSED = "tcp://127.0.0.1:9"  # discard port: nothing listens there


def make_fixtures(root: Path) -> dict[str, str]:
    """Files the cases refer to, made under ``root``."""
    root.mkdir(parents=True, exist_ok=True)
    (root / "adir").mkdir(exist_ok=True)
    (root / "afile").write_text("not a folder")
    (root / "afile.ipynb").write_text("not a notebook")
    (root / "grid.json").write_text(json.dumps({"alpha": [0.1]}))
    (root / "batch_grid.json").write_text(json.dumps({"steps": [4]}))
    nb = json.loads(PROBE.read_text())
    nb["metadata"].pop("kernelspec", None)
    nb["metadata"].pop("language_info", None)
    (root / "nokernel.ipynb").write_text(json.dumps(nb))
    shutil.copy(PROBE, root / "probe.ipynb")
    (root / "copy").mkdir(exist_ok=True)
    shutil.copy(PROBE, root / "copy" / "probe.ipynb")
    (root / "deep.json").write_text('{"alpha": ' + "[" * 100_000 + "]" * 100_000 + "}")
    nodes = np.array(
        [(1, 0.0, 0.0, 1), (2, 3.0, 4.0, 2)], dtype=[("n", "<i8"), ("x", "<f8"), ("y", "<f8"), ("t", "<i8")]
    )
    nodes.tofile(root / "net_coordinates.txt")
    np.array([[0, 1, 2]], dtype="<i8").tofile(root / "net_branches.txt")
    (root / "cut_coordinates.txt").write_bytes(nodes.tobytes()[:-3])
    np.array([[0, 1, 2]], dtype="<i8").tofile(root / "cut_branches.txt")
    (root / "blank.png").write_bytes(b"not a png")
    files = (
        "adir",
        "afile",
        "afile.ipynb",
        "grid.json",
        "batch_grid.json",
        "nokernel.ipynb",
        "deep.json",
        "net_coordinates.txt",
        "cut_coordinates.txt",
        "blank.png",
    )
    return {name: str(root / name) for name in files} | {"probe_copy": str(root / "copy" / "probe.ipynb")}


def damaged_store(root: Path) -> str:
    """A finished sweep store (the ``grid.json`` sweep, seed 0, 8x8, 3 steps) with a corrupted chunk."""
    from mfn.sweeps.driver import sweep

    store = root / "damaged.zarr"
    if not store.exists():
        sweep(
            {"alpha": [0.1]}, [0], base={"grid_size": 8, "steps": 3}, store=store, client="synchronous", progress=False
        )
        chunk = next(p for p in (store / "D_box").rglob("*") if p.is_file() and p.name != "zarr.json")
        chunk.write_bytes(b"garbage")
    return str(store)


def cases(f: dict[str, str], root: Path) -> dict[str, list[str]]:
    """Case id -> argv."""
    out = str(root / "new")
    sweep = ["sweep", "--grid", f["grid.json"], "--seeds", "0", "--synchronous", "--no-progress"]
    sweep_small = [*sweep, "--set", "grid_size=8", "--set", "steps=3"]
    batch = ["batch", str(PROBE), "--grid", f["batch_grid.json"]]
    return {
        "simulate --out an existing folder": ["simulate", "--out", f["adir"], "--steps", "2"],
        "simulate --out empty": ["simulate", "--out", "", "--steps", "2"],
        "simulate --out under a file": ["simulate", "--out", f["afile"] + "/run.nc", "--steps", "2"],
        "simulate --steps 0": ["simulate", "--steps", "0", "--out", out + ".nc"],
        "simulate --steps not a number": ["simulate", "--steps", "ten", "--out", out + ".nc"],
        "simulate --grid-size 3 numbers": ["simulate", "--grid-size", "8", "8", "8", "--out", out + ".nc"],
        "simulate --record-every -1": ["simulate", "--record-every", "-1", "--steps", "2", "--out", out + ".nc"],
        "simulate unknown option": ["simulate", "--stepz", "2"],
        "no such command": ["simulat"],
        "sweep --out empty": [*sweep, "--out", ""],
        "sweep --out a file": [*sweep, "--out", f["afile"]],
        "sweep --parquet a folder": [*sweep_small, "--out", out + ".zarr", "--parquet", f["adir"]],
        "sweep --parquet empty": [*sweep_small, "--out", out + ".zarr", "--parquet", ""],
        "sweep --parquet under a file": [*sweep_small, "--out", out + ".zarr", "--parquet", f["afile"] + "/t.parquet"],
        "sweep --scheduler closed": [
            "sweep",
            "--grid",
            f["grid.json"],
            "--out",
            out + ".zarr",
            "--scheduler",
            CLOSED,
            "--no-progress",
        ],
        "sweep --scheduler not an address": [
            "sweep",
            "--grid",
            f["grid.json"],
            "--out",
            out + ".zarr",
            "--scheduler",
            "nonsense",
            "--no-progress",
        ],
        "sweep --seeds negative": [*sweep[:4], "-1", *sweep[5:], "--out", out + ".zarr"],
        "sweep --seeds 2**63": [*sweep[:4], str(2**63), *sweep[5:], "--out", out + ".zarr"],
        "sweep --grid missing": ["sweep", "--grid", f["adir"] + "/none.json", "--out", out + ".zarr"],
        "sweep --grid not JSON": ["sweep", "--grid", f["afile"], "--out", out + ".zarr"],
        "sweep --preset unknown": ["sweep", "--preset", "huge", "--out", out + ".zarr"],
        "sweep --workers 0": ["sweep", "--grid", f["grid.json"], "--workers", "0", "--out", out + ".zarr"],
        "sweep --time-limit 0": [*sweep, "--time-limit", "0", "--out", out + ".zarr"],
        "sweep --set without =": [*sweep, "--set", "grid_size", "--out", out + ".zarr"],
        "sweep --set out of range": [*sweep, "--set", "grid_size=2", "--out", out + ".zarr"],
        "sweep --set a swept name": [*sweep, "--set", "alpha=0.2", "--out", out + ".zarr"],
        "sweep resume of a corrupted chunk": [*sweep_small, "--out", damaged_store(root)],
        "validate --csv a folder": ["validate", "--csv", f["adir"]],
        "validate --csv empty": ["validate", "--csv", ""],
        "validate --csv under a file": ["validate", "--csv", f["afile"] + "/t.csv"],
        "batch --timeout 0": [*batch, "--out", out, "--timeout", "0"],
        "batch --timeout negative": [*batch, "--out", out, "--timeout", "-5"],
        "batch --workers 0": [*batch, "--out", out, "--workers", "0"],
        "batch --out empty": [*batch, "--out", ""],
        "batch --out a file": [*batch, "--out", f["afile"]],
        "batch --scheduler closed": [*batch, "--out", out, "--scheduler", CLOSED],
        "batch notebook missing": ["batch", f["adir"] + "/none.ipynb", "--grid", f["batch_grid.json"], "--out", out],
        "batch grid missing": ["batch", str(PROBE), "--grid", f["adir"] + "/none.json", "--out", out],
        "notebook missing": ["notebook", f["adir"] + "/none.ipynb", "--out", out],
        "notebook not a notebook": ["notebook", f["afile.ipynb"], "--out", out],
        "notebook --out a file": ["notebook", str(PROBE), "--out", f["afile"]],
        "notebook --timeout 0": ["notebook", str(PROBE), "--out", out, "--timeout", "0"],
        "notebook unknown parameter": ["notebook", str(PROBE), "--out", out, "-p", "stepz", "3"],
        "train-validation --preset unknown": ["train-validation", "--preset", "huge"],
        "train-validation --epochs 0": ["train-validation", "--epochs", "0"],
        "train-validation --threshold-mode odd": ["train-validation", "--threshold-mode", "odd"],
        "train-validation --n-fields beyond memory": ["train-validation", "--n-fields", "1000000"],
        "simulate a history beyond memory": ["simulate", "--grid-size", "1024", "--steps", "10000000", "--out", out],
        "measure unknown PATH": ["measure", "podospora_anserina/nope"],
        "measure missing coordinates": ["measure", f["adir"] + "/none_coordinates.txt"],
        "measure truncated coordinates": ["measure", f["cut_coordinates.txt"]],
        "measure --px-um 0": ["measure", f["net_coordinates.txt"], "--px-um", "0"],
        "measure --frame-h negative": ["measure", f["net_coordinates.txt"], "--frame-h", "-1"],
        "measure image without --px-um": ["measure", f["blank.png"]],
        "measure unreadable image": ["measure", f["blank.png"], "--px-um", "1.6"],
        "measure --out a folder": ["measure", f["net_coordinates.txt"], "--out", f["adir"]],
        "measure --out not .nc or .csv": ["measure", f["net_coordinates.txt"], "--out", out + ".txt"],
        "app --port 0": ["app", "--port", "0"],
        "app --port 70000": ["app", "--port", "70000"],
        "app --steps-per-frame 0": ["app", "--steps-per-frame", "0"],
        # places nobody may write to (root included): /proc makes no files, /sys refuses them
        "simulate --out under /proc": ["simulate", "--out", "/proc/nope/x.nc", "--steps", "2"],
        "simulate --out in /sys": ["simulate", "--out", "/sys/x.nc", "--steps", "2"],
        "sweep --out in /proc": ["sweep", "--preset", "base", "--out", "/proc/x.zarr"],
        "sweep --parquet in /proc": [*sweep_small, "--out", out + ".zarr", "--parquet", "/proc/t.parquet"],
        "validate --csv in /proc": ["validate", "--csv", "/proc/x.csv"],
        "notebook --out in /proc": ["notebook", str(PROBE), "--out", "/proc/out"],
        "batch --out in /sys": [*batch, "--out", "/sys/out"],
        "bench --json in /proc": ["bench", "--quick", "--repeats", "1", "--json", "/proc/x/bench.json"],
        "bench --update-baseline in /sys": ["bench", "--quick", "--update-baseline", "--baseline", "/sys/b.json"],
        "bench --check --baseline missing": ["bench", "--quick", "--check", "--baseline", f["adir"] + "/none.json"],
        "bench --check --baseline not JSON": ["bench", "--quick", "--check", "--baseline", f["afile"]],
        "bench --check --baseline without ratios": ["bench", "--quick", "--check", "--baseline", f["grid.json"]],
        "bench --repeats 0": ["bench", "--quick", "--repeats", "0"],
        "notebook the same name twice": ["notebook", str(PROBE), f["probe_copy"], "--out", out],
        "notebook -p nested too deep": ["notebook", str(PROBE), "--out", out, "-p", "steps", "-" * 50_000 + "1"],
        "notebook -p too long": ["notebook", str(PROBE), "--out", out, "-p", "steps", "[" + "1," * 20_000 + "]"],
        "sweep --set nested too deep": [*sweep, "--set", "steps=" + "[" * 100_000, "--out", out + ".zarr"],
        "sweep --grid nested too deep": ["sweep", "--grid", f["deep.json"], "--out", out + ".zarr"],
        "app --address not an address": ["app", "--address", "not-an-ip"],
    }


@pytest.fixture(scope="module")
def door_cases(tmp_path_factory):
    root = tmp_path_factory.mktemp("doors")
    return root, cases(make_fixtures(root), root)


def _door(argv, capsys):
    start = time.perf_counter()
    try:
        code = main(argv)
    except SystemExit as stop:
        code = stop.code
    captured = capsys.readouterr()
    return code, captured.err, time.perf_counter() - start


def test_every_user_mistake_gets_one_line_exit_2_and_no_traceback(door_cases, capsys):
    root, table = door_cases
    handled, bad = 0, []
    for name, argv in table.items():
        code, err, seconds = _door(argv, capsys)
        lines = err.strip().splitlines()
        ok = code == 2 and len(lines) == 1 and "Traceback" not in err and lines[0].startswith("mfn") and seconds < 15
        ok = ok and len(lines[0]) < 1000  # a huge value is shortened, not echoed
        handled += ok
        if not ok:
            bad.append(f"{name}: exit {code}, {seconds:.1f} s, stderr {err.strip()[-300:]!r}")
    assert not bad, f"{handled}/{len(table)} handled:\n" + "\n".join(bad)
    assert not (root / "new").exists() and not (root / "new.zarr").exists() and not (root / "new.nc").exists()


def test_a_scheduler_that_does_not_answer_is_refused_within_seconds(door_cases, capsys):
    _, table = door_cases
    code, err, seconds = _door(table["sweep --scheduler closed"], capsys)
    assert code == 2 and "scheduler" in err and seconds < 12


def test_app_on_a_port_in_use_says_so_in_one_line():
    with socket.socket() as busy:
        busy.bind(("127.0.0.1", 0))
        busy.listen()
        port = busy.getsockname()[1]
        done = subprocess.run(
            [sys.executable, "-m", "mfn", "app", "--port", str(port)], capture_output=True, text=True, timeout=60
        )
    assert done.returncode == 2, done.stderr
    lines = done.stderr.strip().splitlines()
    assert len(lines) == 1 and f"port = {port}" in lines[0] and "in use" in lines[0]
    assert "serving" not in done.stdout


def test_nernst_with_shapes_that_do_not_broadcast_names_them():
    with pytest.raises(ParameterError, match=r"c_in.*shape \(3,\).*c_out.*shape \(2,\)|c_out.*\(2,\).*\(3,\)"):
        nernst(1, np.array([0.005, 0.006]), np.array([0.14, 0.15, 0.16]))
    assert nernst(1, np.array([0.005, 0.006]), 0.14).shape == (2,)


@pytest.mark.parametrize("bad", [None, "", 3])
def test_load_run_of_nothing_is_a_parameter_error(bad):
    with pytest.raises(ParameterError, match="path"):
        load_run(bad)
