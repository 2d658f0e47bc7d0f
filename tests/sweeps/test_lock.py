"""mfn.sweeps.lock: one sweep at a time writes a store; a planted link or a stale lock file does no harm."""

import pytest

from mfn import ParameterError
from mfn.sweeps.driver import sweep
from mfn.sweeps.store import load_cube

BASE = {"grid_size": 8, "steps": 4}


def run(store, **kwargs):
    return sweep({"alpha": [0.1, 0.2]}, [0, 1], base=BASE, store=store, client="synchronous", progress=False, **kwargs)


def test_a_store_being_written_is_locked_against_a_second_sweep(tmp_path):
    store = tmp_path / "s.zarr"
    refused = []

    def second_resume(record):  # runs while the first sweep holds the store
        if not refused:
            with pytest.raises(ParameterError, match="another process is writing it") as err:
                run(store)
            refused.append(str(err.value))

    run(store, on_result=second_resume)
    assert refused and str(store) in refused[0]
    assert set(load_cube(store).status.values.ravel()) == {"ok"}
    run(store)  # the lock is released at the end


def test_a_planted_symlink_lock_is_refused_and_its_target_left_untouched(tmp_path):
    precious = tmp_path / "precious.txt"
    precious.write_text("keep me")
    (tmp_path / ".s.zarr.lock").symlink_to(precious)
    with pytest.raises(ParameterError, match=r"s\.zarr\.lock.*symbolic link"):
        run(tmp_path / "s.zarr")
    assert precious.read_text() == "keep me" and not (tmp_path / "s.zarr").exists()
    assert (tmp_path / ".s.zarr.lock").is_symlink()  # left for its owner to look at


def test_a_lock_left_by_a_killed_sweep_does_not_block_the_next(tmp_path):
    (tmp_path / ".s.zarr.lock").write_text("12345\n")  # what SIGKILL leaves: a file nobody holds
    assert set(run(tmp_path / "s.zarr").status.values.ravel()) == {"ok"}
    assert not (tmp_path / ".s.zarr.lock").exists()
