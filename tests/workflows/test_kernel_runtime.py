"""Kernel files live in a folder their process owns; those of a killed process are cleared by the next one.

Each test gives its processes a private temporary folder (TMPDIR, short: kernel socket paths
are limited to 107 bytes), so what is left behind is exactly what these processes left.
"""

import os
import signal
import subprocess
import sys
import textwrap
import time
from pathlib import Path

import pytest

PROBE = Path(__file__).parents[1] / "data" / "probe.ipynb"
HOLDER = textwrap.dedent(
    """
    import time
    from mfn.workflows.kernel_runtime import kernel_runtime_dir
    folder = kernel_runtime_dir()
    for n in range(1, 6):  # what a kernel leaves: five sockets and its connection file
        (folder / f"k0123456789ab-{n}").touch()
    (folder / "k0123456789ab.json").write_text("{}")
    print(folder, flush=True)
    time.sleep(120)
    """
)


def _env(tmp: Path) -> dict:
    return {**os.environ, "TMPDIR": str(tmp)}


@pytest.fixture
def tmp_path():
    """A short private temporary folder (pytest's own are too deep for socket paths)."""
    import shutil
    import tempfile

    folder = Path(tempfile.mkdtemp(prefix="mfnk-", dir="/tmp"))
    yield folder
    shutil.rmtree(folder, ignore_errors=True)


def test_a_killed_process_leaves_its_folder_and_the_next_one_clears_it(tmp_path):
    from mfn.workflows.kernel_runtime import remove_stale_runtime_dirs

    killed, alive = (
        subprocess.Popen([sys.executable, "-c", HOLDER], stdout=subprocess.PIPE, text=True, env=_env(tmp_path))
        for _ in range(2)
    )
    killed_folder, alive_folder = (Path(proc.stdout.readline().strip()) for proc in (killed, alive))
    try:
        killed.kill()
        killed.wait(30)
        assert len(list(killed_folder.iterdir())) == 7  # SIGKILL: nothing could clean up
        root = tmp_path / f"mfn-kernels-{os.getuid()}"
        assert remove_stale_runtime_dirs(root) == [killed_folder]  # what the next kernel's process does
        assert not killed_folder.exists()
        assert alive_folder.is_dir() and len(list(alive_folder.iterdir())) == 7  # its owner is running
    finally:
        alive.terminate()
        alive.wait(30)
    assert oct(root.stat().st_mode & 0o777) == "0o700"


def test_a_process_that_ends_normally_removes_its_folder(tmp_path):
    code = "from mfn.workflows.kernel_runtime import kernel_runtime_dir; print(kernel_runtime_dir())"
    done = subprocess.run([sys.executable, "-c", code], capture_output=True, text=True, env=_env(tmp_path))
    folder = Path(done.stdout.strip())
    assert folder.parent == tmp_path / f"mfn-kernels-{os.getuid()}" and not folder.exists()


def test_a_shared_folder_that_is_not_private_is_not_used(tmp_path):
    root = tmp_path / f"mfn-kernels-{os.getuid()}"
    root.mkdir(mode=0o777)
    root.chmod(0o777)  # as if another user could write there
    code = "from mfn.workflows.kernel_runtime import kernel_runtime_dir; print(kernel_runtime_dir())"
    done = subprocess.run([sys.executable, "-c", code], capture_output=True, text=True, env=_env(tmp_path))
    assert Path(done.stdout.strip()).parent == tmp_path and list(root.iterdir()) == []


@pytest.mark.slow
def test_a_notebook_run_killed_with_sigkill_leaves_no_kernel_files_after_the_next_run(tmp_path):
    tmp = tmp_path / "tmp"
    tmp.mkdir()
    long = ["notebook", str(PROBE), "--out", str(tmp_path / "a"), "-p", "steps", "5000000", "-p", "limit", "5000000"]
    proc = subprocess.Popen(
        [sys.executable, "-m", "mfn", *long],
        env=_env(tmp),
        start_new_session=True,
        stdout=subprocess.DEVNULL,
        stderr=subprocess.DEVNULL,
    )
    deadline = time.monotonic() + 120
    sockets = []
    while len(sockets) < 5 and time.monotonic() < deadline:
        sockets = [p for p in tmp.rglob("*") if p.is_socket()]
        time.sleep(0.2)
    time.sleep(1.0)  # the kernel is running the long cell
    os.killpg(proc.pid, signal.SIGKILL)
    proc.wait(30)
    assert len(sockets) == 5 and all(p.exists() for p in sockets)  # left behind by the kill
    again = subprocess.run(
        [sys.executable, "-m", "mfn", "notebook", str(PROBE), "--out", str(tmp_path / "b"), "-p", "steps", "2"],
        env=_env(tmp),
        capture_output=True,
        text=True,
        timeout=300,
    )
    assert again.returncode == 0, again.stderr
    left = [str(p.relative_to(tmp)) for p in tmp.rglob("*") if p.is_socket() or "kernel" in p.name]
    assert left == [f"mfn-kernels-{os.getuid()}"], left
