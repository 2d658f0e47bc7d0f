"""mfn.sweeps.integrity: every chunk of a sweep store carries a CRC-32C checksum, damage is named and repaired.

zstd at level 0 stores float64 chunks almost verbatim, so many single-byte flips still decode
to different numbers; the checksum catches them on resume, on ``--repair``, and when the cube
is loaded. A deleted or undecodable chunk is named with the fix on resume, and a repair runs
its runs again. A store made before checksums (``data/base.zarr``) still resumes, and says so.
"""

import shutil
from pathlib import Path

import numpy as np
import pytest

from mfn import ParameterError
from mfn.cli import main
from mfn.core.model import get_model
from mfn.sweeps.driver import sweep
from mfn.sweeps.store import SweepStore, load_cube

GRID = {"alpha": [0.1, 0.2]}
SEEDS = [0, 1]
BASE = {"grid_size": 8, "steps": 3}
SHIPPED = Path(__file__).parents[2] / "data" / "base.zarr"
FLIPS = 20


def run(store, **kwargs):
    return sweep(GRID, SEEDS, base=BASE, store=store, client="synchronous", progress=False, **kwargs)


@pytest.fixture(scope="module")
def finished(tmp_path_factory):
    """A finished store of 4 runs (one chunk per variable) and its cube."""
    store = tmp_path_factory.mktemp("checksums") / "s.zarr"
    return store, run(store)


@pytest.fixture
def store(finished, tmp_path):
    """A fresh copy of the finished store."""
    copy = tmp_path / "s.zarr"
    shutil.copytree(finished[0], copy)
    return copy


def _chunk(store: Path, name: str) -> Path:
    return next(p for p in (store / name / "c").rglob("*") if p.is_file())


def test_every_array_of_a_new_store_has_a_checksum_codec(store):
    import zarr

    group = zarr.open_group(str(store), mode="r")
    for name, array in group.arrays():
        codecs = [type(c).__name__ for c in array.metadata.codecs]
        assert codecs[-1] == "Crc32cCodec", (name, codecs)
    assert load_cube(store).attrs["store_checksums"] == "crc32c"


@pytest.mark.parametrize("name", ["N_clusters_high", "status"])
def test_every_single_byte_flip_is_caught_on_resume_and_on_load(store, name):
    chunk = _chunk(store, name)
    original = chunk.read_bytes()
    opened = SweepStore(store, get_model("classic"))  # reads every chunk from disk on each verify
    missed = []
    for k, position in enumerate(np.linspace(0, len(original) - 1, FLIPS).astype(int)):
        damaged = bytearray(original)
        damaged[position] ^= 1 << (k % 8)  # one bit of one byte
        chunk.write_bytes(bytes(damaged))
        try:
            opened.verify()
            missed.append(f"resume missed byte {position}")
        except ParameterError as err:
            assert f"{name}/c/0" in str(err) and "runs 0..3" in str(err) and "checksum" in str(err), str(err)
        if k % 4:
            continue  # loading reads through the same codecs: every fourth flip is enough
        try:
            load_cube(store)
            missed.append(f"load missed byte {position}")
        except ParameterError as err:
            assert f"{name}/c/0" in str(err) and "--repair" in str(err), str(err)
    chunk.write_bytes(original)
    assert not missed, f"{len(missed)} checks missed a flip: {missed}"


def _damage(store, how):
    chunk = _chunk(store, "D_box")
    if how == "deleted":
        chunk.unlink()
    else:
        chunk.write_bytes(b"\x28\xb5\x2f\xfd garbage, not zstd")
    return chunk


@pytest.mark.parametrize("how", ["deleted", "corrupted"])
def test_a_resume_names_a_damaged_chunk_and_the_fix(store, how):
    chunk = _damage(store, how)
    with pytest.raises(ParameterError) as err:
        run(store)
    message = str(err.value)
    assert str(chunk.relative_to(store)) in message and how.replace("deleted", "missing") in message
    assert "repair" in message


@pytest.mark.parametrize("how", ["deleted", "corrupted"])
def test_repair_reruns_the_runs_of_a_damaged_chunk(store, finished, how):
    _damage(store, how)
    rerun = []
    cube = run(store, repair=True, on_result=lambda r: rerun.append(r["run_id"]))
    assert sorted(rerun) == [0, 1, 2, 3]
    np.testing.assert_array_equal(cube.D_box.values, finished[1].D_box.values)
    assert set(cube.status.values.ravel()) == {"ok"}


def test_repair_names_the_damaged_runs_and_reruns_them(store, finished):
    chunk = _chunk(store, "N_clusters_high")
    data = bytearray(chunk.read_bytes())
    data[len(data) // 2] ^= 0x10
    chunk.write_bytes(bytes(data))
    rerun = []
    cube = run(store, repair=True, on_result=lambda r: rerun.append(r["run_id"]))
    assert sorted(rerun) == [0, 1, 2, 3] and cube.attrs["repaired_runs"] == [0, 1, 2, 3]
    np.testing.assert_array_equal(cube.N_clusters_high.values, finished[1].N_clusters_high.values)


def test_the_cli_names_the_repaired_runs(store, tmp_path, capsys):
    chunk = _chunk(store, "D_box")
    data = bytearray(chunk.read_bytes())
    data[-1] ^= 0x01
    chunk.write_bytes(bytes(data))
    (tmp_path / "g.json").write_text('{"alpha": [0.1, 0.2]}')
    args = ["sweep", "--grid", str(tmp_path / "g.json"), "--seeds", "0", "1", "--out", str(store), "--synchronous"]
    args += ["--set", "grid_size=8", "--set", "steps=3", "--no-progress"]
    assert main(args) == 2
    refused = capsys.readouterr().err.strip().splitlines()
    assert len(refused) == 1 and "D_box/c/0" in refused[0] and "runs 0..3" in refused[0]
    assert main([*args, "--repair"]) == 0
    assert "repaired: runs 0, 1, 2, 3 ran again" in capsys.readouterr().out


def test_a_store_made_before_checksums_still_resumes_and_says_so(tmp_path, capsys):
    copy = tmp_path / "base.zarr"
    shutil.copytree(SHIPPED, copy)
    assert main(["sweep", "--preset", "base", "--out", str(copy), "--synchronous", "--no-progress"]) == 0
    out = capsys.readouterr().out
    assert "runs: 72 in the sweep, 0 run now" in out
    assert f"note: {copy} was made before chunk checksums" in out
    assert load_cube(copy).attrs["store_checksums"] == "none"
