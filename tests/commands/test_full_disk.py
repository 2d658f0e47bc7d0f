"""A full disk: every output door answers in one line, exit 2, and leaves nothing partial.

The disks are real; nothing is mocked. Three ways are used, each where it applies:

- a small tmpfs mounted for the test (``small_disk`` in tests/conftest.py): a real file
  system that runs out of space with ENOSPC, exactly what the attack met. Mounting needs
  root (CAP_SYS_ADMIN), as in CI's container; elsewhere those tests are skipped, saying why.
- RLIMIT_FSIZE on the ``mfn`` subprocess: the kernel refuses writes past the limit with
  EFBIG, through the same OSError path as a full disk, for any user. The limit (4 MiB) sits
  above the small files a run may write besides its output (numba's cache, bytecode) and
  below the output; it is used for ``mfn simulate``, whose HDF5 writer crashed the
  interpreter (exit 139) when its file could not be written.
- ``/dev/full`` as the standard output, for the door every command has.

A door whose output would not fit is refused before any work where the free space says so
(``mfn simulate`` knows its file's size, every output refuses a disk with no free block);
the write itself is checked where it can only fail later (a sweep's chunks, a run's file on a
disk that filled meanwhile). Commands that can crash run in a subprocess, so a segmentation
fault fails the test instead of the test session.
"""

import os
import resource
import subprocess
import sys
import time

import numpy as np
import pytest

from mfn.cli import main
from mfn.core.errors import OutputError
from mfn.sweeps import driver, runs
from mfn.sweeps.store import load_cube

SWEEP_GRID = {"alpha": [0.1, 0.2]}
SWEEP_BASE = {"grid_size": 8, "steps": 3}
FSIZE_LIMIT = 4 * 2**20


def _mfn(args, tmp_path, limit=None, stdout=subprocess.PIPE):
    """Run ``python -m mfn ARGS`` (optionally under RLIMIT_FSIZE); returns the completed process."""

    def limited():
        resource.setrlimit(resource.RLIMIT_FSIZE, (limit, limit))

    env = {**os.environ, "PYTHONDONTWRITEBYTECODE": "1"}
    return subprocess.run(
        [sys.executable, "-m", "mfn", *args],
        stdout=stdout,
        stderr=subprocess.PIPE,
        text=True,
        cwd=tmp_path,
        env=env,
        timeout=300,
        preexec_fn=limited if limit else None,  # sets one limit in the child; no threads involved
    )


def _one_line(stderr: str) -> str:
    lines = stderr.strip().splitlines()
    assert len(lines) == 1 and "Traceback" not in stderr, stderr
    assert lines[0].startswith("mfn: error: "), stderr
    return lines[0]


def _files(folder):
    return sorted(str(p.relative_to(folder)) for p in folder.rglob("*"))


def test_simulate_past_a_file_size_limit_says_so_in_one_line_and_leaves_nothing(tmp_path):
    out = tmp_path / "new" / "run.nc"  # 128x128 x 41 frames: 5.4 MB, past the 4 MiB limit
    done = _mfn(["simulate", "--grid-size", "128", "--steps", "40", "--out", str(out)], tmp_path, FSIZE_LIMIT)
    assert done.returncode == 2, (done.returncode, done.stderr[-2000:])
    line = _one_line(done.stderr)
    assert f"cannot write {out}: File too large" in line
    assert _files(tmp_path) == []  # no temporary file, no folder made for it


def test_simulate_onto_a_disk_without_room_is_refused_before_simulating(small_disk, capsys):
    disk = small_disk(256 * 1024)
    start = time.perf_counter()
    code = main(["simulate", "--grid-size", "256", "--steps", "100", "--out", str(disk / "run.nc")])
    line = _one_line(capsys.readouterr().err)
    assert code == 2 and time.perf_counter() - start < 5
    assert "room for the output" in line and "needs about 51.0 MiB" in line
    assert _files(disk) == []


def test_simulate_onto_a_disk_that_fills_during_the_write(small_disk, tmp_path):
    frames = 128 * 128 * 8 * 4  # frames 0, 10, 20, 21 of 128x128: room for them, not for the file's metadata
    disk = small_disk(frames + 4096)
    out = disk / "sub" / "run.nc"
    args = ["simulate", "--grid-size", "128", "--steps", "21", "--record-every", "10", "--out", str(out)]
    done = _mfn(args, tmp_path)
    assert done.returncode == 2, (done.returncode, done.stderr[-2000:])
    assert f"cannot write {out}: No space left on device" in _one_line(done.stderr)
    assert _files(disk) == []


def test_a_sweep_store_that_cannot_be_made_on_a_full_disk(small_disk, tmp_path, capsys):
    disk = small_disk(48 * 1024)  # room for the lock, not for the store's ~35 arrays
    (tmp_path / "g.json").write_text('{"alpha": [0.1, 0.2]}')
    args = ["sweep", "--grid", str(tmp_path / "g.json"), "--seeds", "0", "--synchronous", "--no-progress"]
    code = main([*args, "--set", "grid_size=8", "--set", "steps=3", "--out", str(disk / "sub" / "s.zarr")])
    line = _one_line(capsys.readouterr().err)
    assert code == 2 and f"cannot write {disk / 'sub' / 's.zarr'}: No space left on device" in line
    assert _files(disk) == []


def test_a_sweep_whose_disk_fills_stops_in_one_error_and_resumes_losing_nothing(
    small_disk, fill_disk, tmp_path, monkeypatch
):
    reference = driver.sweep(SWEEP_GRID, [0, 1], base=SWEEP_BASE, client="synchronous", progress=False)
    disk = small_disk(1024 * 1024)
    store = disk / "s.zarr"
    monkeypatch.setattr(runs, "FLUSH_SECONDS", 0.0)  # every record is written as it finishes
    seen = []

    def fill_after_two(record):
        seen.append(record["run_id"])
        if len(seen) == 2:
            fill_disk(disk)

    with pytest.raises(OutputError) as err:
        driver.sweep(
            SWEEP_GRID, [0, 1], base=SWEEP_BASE, store=store, client="synchronous", progress=False,
            on_result=fill_after_two,
        )  # fmt: skip
    assert f"cannot write {store}: No space left on device" in str(err.value) and "rerun to resume" in str(err.value)
    kept = load_cube(store).status.values.ravel().tolist()
    assert kept == ["ok", "ok", "pending", "pending"]
    (disk / "filler").unlink()
    rerun = []
    cube = driver.sweep(
        SWEEP_GRID, [0, 1], base=SWEEP_BASE, store=store, client="synchronous", progress=False,
        on_result=lambda r: rerun.append(r["run_id"]),
    )  # fmt: skip
    assert rerun == [2, 3] and set(cube.status.values.ravel()) == {"ok"}
    np.testing.assert_array_equal(cube.D_box.values, reference.D_box.values)
    assert sorted(p.name for p in disk.iterdir()) == ["s.zarr"]


@pytest.mark.slow  # a kernel starts
def test_a_notebook_whose_executed_copy_does_not_fit(small_disk, capsys):
    """8 KiB pass the free-space check, then papermill's copy of the notebook fills them."""
    from pathlib import Path

    disk = small_disk(8 * 1024)
    probe = Path(__file__).parents[1] / "data" / "probe.ipynb"
    code = main(["notebook", str(probe), "--out", str(disk / "out"), "-p", "steps", "2"])
    line = _one_line(capsys.readouterr().err)
    assert code == 2 and f"cannot write {disk / 'out' / 'probe.ipynb'}: No space left on device" in line
    assert _files(disk) == []


@pytest.mark.parametrize(
    "door",
    [
        ["validate", "--csv", "{disk}/table.csv"],
        ["sweep", "--preset", "base", "--out", "{disk}/s.zarr"],
        ["sweep", "--grid", "{root}/g.json", "--out", "{root}/s.zarr", "--parquet", "{disk}/t.parquet"],
        ["notebook", "{probe}", "--out", "{disk}/out"],
        ["batch", "{probe}", "--grid", "{root}/b.json", "--out", "{disk}/out"],
        ["bench", "--quick", "--repeats", "1", "--json", "{disk}/bench.json"],
        ["bench", "--quick", "--repeats", "1", "--update-baseline", "--baseline", "{disk}/baseline.json"],
    ],
    ids=lambda door: " ".join(door[:2]) + " " + door[-2],
)
def test_every_output_door_refuses_a_full_disk_before_any_work(door, small_disk, fill_disk, tmp_path, capsys):
    from pathlib import Path

    disk = small_disk(64 * 1024)
    filler = fill_disk(disk)
    (tmp_path / "g.json").write_text('{"alpha": [0.1]}')
    (tmp_path / "b.json").write_text('{"steps": [2]}')
    probe = Path(__file__).parents[1] / "data" / "probe.ipynb"
    argv = [a.format(disk=disk, root=tmp_path, probe=probe) for a in door]
    start = time.perf_counter()
    code = main(argv)
    line = _one_line(capsys.readouterr().err)
    assert code == 2 and time.perf_counter() - start < 10, line
    assert "room for the output" in line and f"{disk} has 0.0 MiB free" in line, line
    assert _files(disk) == [filler.name] and not (tmp_path / "s.zarr").exists()


def test_a_full_standard_output_is_one_line_and_exit_2(tmp_path):
    with open("/dev/full", "w") as full:
        done = _mfn(["models"], tmp_path, stdout=full)
    assert done.returncode == 2
    line = _one_line(done.stderr)
    assert "cannot write the standard output: No space left on device" in line
