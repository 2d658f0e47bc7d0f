"""mfn.core.io: written files follow the umask; temporary files go away on failure and on SIGTERM."""

import os
import signal
import stat
import subprocess
import sys
import textwrap
import time

import pytest
import xarray as xr

from mfn.core.errors import OutputError, ParameterError
from mfn.core.io import atomic_dir, atomic_path, check_output_file, check_output_folder
from mfn.core.netcdf import save_dataset


@pytest.fixture
def umask_022():
    old = os.umask(0o022)
    yield
    os.umask(old)


def _mode(path):
    return stat.S_IMODE(os.stat(path).st_mode)


def test_atomic_files_and_folders_follow_the_umask(tmp_path, umask_022):
    target = tmp_path / "x.txt"
    with atomic_path(target) as tmp:
        tmp.write_text("done")
    assert _mode(target) == 0o644
    path = save_dataset(xr.Dataset({"V": ("x", [1.0])}), tmp_path / "run.nc")
    assert _mode(path) == 0o644
    with atomic_dir(tmp_path / "store") as tmp:
        (tmp / "a").write_text("1")
    assert _mode(tmp_path / "store") == 0o755


def test_a_stricter_umask_is_followed_too(tmp_path):
    old = os.umask(0o077)
    try:
        with atomic_path(tmp_path / "x.txt") as tmp:
            tmp.write_text("done")
    finally:
        os.umask(old)
    assert _mode(tmp_path / "x.txt") == 0o600


def test_a_failed_rename_leaves_no_temporary_file(tmp_path):
    (tmp_path / "target").mkdir()
    (tmp_path / "target" / "inside").write_text("a folder in the way")
    with pytest.raises(OSError):
        with atomic_path(tmp_path / "target") as tmp:
            tmp.write_text("x")
    assert sorted(p.name for p in tmp_path.iterdir()) == ["target"]


def test_a_failed_folder_write_leaves_nothing(tmp_path):
    with pytest.raises(RuntimeError):
        with atomic_dir(tmp_path / "store") as tmp:
            (tmp / "a").write_text("1")
            raise RuntimeError("boom")
    assert list(tmp_path.iterdir()) == []


def test_an_atomic_folder_replaces_the_old_one_whole(tmp_path):
    for n in ("1", "2"):
        with atomic_dir(tmp_path / "store") as tmp:
            (tmp / n).write_text(n)
    assert [p.name for p in tmp_path.iterdir()] == ["store"]
    assert [p.name for p in (tmp_path / "store").iterdir()] == ["2"]


def test_sigterm_during_a_write_of_the_mfn_command_removes_the_temporary_file(tmp_path):
    script = tmp_path / "slow.py"
    script.write_text(
        textwrap.dedent(
            f"""
            import time
            from mfn.core.io import atomic_path, raise_on_sigterm
            raise_on_sigterm()
            with atomic_path({str(tmp_path / "big.bin")!r}) as tmp:
                tmp.write_bytes(b"x" * 1000)
                print("writing", flush=True)
                time.sleep(60)
            """
        )
    )
    proc = subprocess.Popen([sys.executable, str(script)], stdout=subprocess.PIPE, text=True)
    assert proc.stdout.readline().strip() == "writing"
    assert any(p.name.startswith(".big.bin.") for p in tmp_path.iterdir())
    proc.send_signal(signal.SIGTERM)
    assert proc.wait(timeout=30) == 143
    assert sorted(p.name for p in tmp_path.iterdir()) == ["slow.py"]


@pytest.mark.parametrize("writer", ["atomic_path", "atomic_dir"])
def test_a_sigterm_whose_exit_a_library_swallows_still_undoes_the_write(tmp_path, writer):
    script = tmp_path / "swallow.py"
    script.write_text(
        textwrap.dedent(
            f"""
            import os, signal, time
            from mfn.core.io import {writer}, raise_on_sigterm
            raise_on_sigterm()
            with {writer}({str(tmp_path / "out")!r}) as tmp:
                if tmp.is_dir():
                    (tmp / "part").write_text("x")
                else:
                    tmp.write_text("x")
                try:  # as a library's broad except around a lazy import would
                    os.kill(os.getpid(), signal.SIGTERM)
                    time.sleep(5)
                except BaseException:
                    pass
            print("the write went on")
            """
        )
    )
    proc = subprocess.run([sys.executable, str(script)], capture_output=True, text=True, timeout=60)
    assert proc.returncode == 143 and "went on" not in proc.stdout, (proc.returncode, proc.stderr)
    assert sorted(p.name for p in tmp_path.iterdir()) == ["swallow.py"]


def test_sigterm_of_mfn_simulate_leaves_no_temporary_file(tmp_path):
    out = tmp_path / "run.nc"
    cmd = [sys.executable, "-m", "mfn", "simulate", "--grid-size", "256", "--steps", "400", "--out", str(out)]
    proc = subprocess.Popen(cmd, stdout=subprocess.DEVNULL, stderr=subprocess.PIPE, text=True)
    deadline = time.monotonic() + 60
    while time.monotonic() < deadline and not any(p.name.startswith(".run.nc.") for p in tmp_path.iterdir()):
        time.sleep(0.005)
    time.sleep(0.05)  # into the write itself
    assert proc.poll() is None, "the write finished before the test could stop it"
    proc.send_signal(signal.SIGTERM)
    assert proc.wait(timeout=60) == 143
    assert list(tmp_path.iterdir()) == []


@pytest.mark.parametrize("bad", ["", None])
def test_output_checks_refuse_empty_paths(bad):
    with pytest.raises(ParameterError):
        check_output_file("--out", bad)
    with pytest.raises(ParameterError):
        check_output_folder("--out", bad)


def test_output_checks_refuse_a_place_under_a_file(tmp_path):
    (tmp_path / "f").write_text("")
    with pytest.raises(ParameterError, match="is a file"):
        check_output_file("--out", tmp_path / "f" / "deeper" / "x.nc")
    with pytest.raises(ParameterError, match="existing file"):
        check_output_folder("--out", tmp_path / "f")
    with pytest.raises(ParameterError, match="not an existing folder"):
        check_output_file("--out", tmp_path)


def _left(folder):
    return sorted(str(p.relative_to(folder)) for p in folder.rglob("*"))


def test_writes_onto_a_full_disk_raise_output_error_and_leave_nothing(small_disk, fill_disk):
    """A real full disk (a tmpfs filled to its last block): each kind of write names the target and ENOSPC."""
    disk = small_disk(64 * 1024)
    filler = fill_disk(disk)
    for kind in ("file", "netCDF"):
        target = disk / "new" / "deeper" / f"{kind}.out"
        with pytest.raises(OutputError) as err:
            if kind == "file":
                with atomic_path(target) as tmp:
                    tmp.write_bytes(b"x" * 8192)
            else:
                save_dataset(xr.Dataset({"V": ("x", list(range(4096)))}), target)
        assert isinstance(err.value, OSError) and str(err.value).startswith(f"cannot write {target}: No space left")
        assert _left(disk) == [filler.name], kind  # no temporary file, no folder made for it
    with pytest.raises(OutputError, match="No space left on device"):
        with atomic_dir(disk / "store") as tmp:
            (tmp / "a").write_bytes(b"x" * 8192)
    assert _left(disk) == [filler.name]


def test_output_checks_try_the_place_itself(small_disk, fill_disk):
    read_only = small_disk(64 * 1024, read_only=True)
    with pytest.raises(ParameterError, match=r"cannot create a file in .*: Read-only file system"):
        check_output_file("--out", read_only / "x.nc")
    with pytest.raises(ParameterError, match=r"cannot create a file in .*: Read-only file system"):
        check_output_folder("--out", read_only / "sub" / "out")
    full = small_disk(64 * 1024)
    fill_disk(full)
    with pytest.raises(ParameterError, match=r"room for the output \(.* has 0.0 MiB free"):
        check_output_file("--out", full / "x.nc")
    roomy = small_disk(1024 * 1024)
    with pytest.raises(ParameterError, match=r"has 1.0 MiB free, the output needs about 2.0 MiB"):
        check_output_file("--out", roomy / "x.nc", size=2 * 2**20)
    assert check_output_file("--out", roomy / "x.nc", size=2**19) == roomy / "x.nc"
    assert _left(roomy) == []  # the probe file is gone


@pytest.mark.parametrize("place", ["/proc/nope/x.nc", "/sys/x.nc"])
def test_places_nobody_may_write_are_refused_even_for_root(place):
    with pytest.raises(ParameterError, match=r"a place you can write to \(cannot create a file in /(proc|sys)"):
        check_output_file("--out", place)


def test_a_path_through_a_missing_folder_names_the_same_file_everywhere(tmp_path, monkeypatch):
    monkeypatch.chdir(tmp_path)
    assert check_output_file("--out", "sub/../x.txt") == tmp_path / "x.txt"
    with atomic_path("sub/../x.txt") as tmp:
        tmp.write_text("done")
    save_dataset(xr.Dataset({"V": ("x", [1.0])}), "sub/../run.nc")
    assert _left(tmp_path) == ["run.nc", "x.txt"]  # no sub/ made on the way


def test_a_device_or_pipe_is_never_replaced_by_an_output(tmp_path):
    fifo = tmp_path / "pipe"
    os.mkfifo(fifo)
    for special in (fifo, "/dev/null"):
        with pytest.raises(ParameterError, match="a regular file path"):
            check_output_file("--out", special)
        with pytest.raises(OutputError, match="a device, pipe or socket"):
            save_dataset(xr.Dataset({"V": ("x", [1.0])}), special)
    assert stat.S_ISFIFO(os.lstat(fifo).st_mode) and stat.S_ISCHR(os.lstat("/dev/null").st_mode)
