"""mfn.datasets: the registry, local copies through MFN_DATA_DIR, checksums and a failed fetch."""

import shutil
from pathlib import Path

import pytest

import mfn
from mfn import ParameterError
from mfn.datasets import registry

SHARED = "M2WT_200616"


def test_the_registry_lists_the_three_published_experiments():
    assert mfn.datasets.list() == [
        "podospora_anserina/M2WT_200610",
        "podospora_anserina/M2WT_200616",
        "podospora_anserina/M2WT_210304",
    ]
    entry = mfn.datasets.info("podospora_anserina/M2WT_200610")
    assert entry.px_um == 1.6 and entry.frame_h == 0.3
    assert "2018126248d6564b525daf1f603f0f9231c683fa" in entry.url  # pinned commit
    assert all(len(sha) == 64 for sha in entry.files.values())


def test_unknown_name():
    with pytest.raises(ParameterError, match=r"name = 'podospora_anserina/nope'.*M2WT_200610"):
        mfn.datasets.load("podospora_anserina/nope")


def test_load_reads_local_copies_checked_against_their_sha256(podospora):
    net = podospora[SHARED]
    assert net.attrs["dataset"] == f"podospora_anserina/{SHARED}"
    assert net.n_nodes == 77_848


@pytest.fixture
def copy_dir(tmp_path, monkeypatch):
    """A private MFN_DATA_DIR holding a copy of one experiment."""
    import os

    source = Path(os.environ.get("MFN_DATA_DIR") or pytest.fail("set MFN_DATA_DIR (see tests/conftest.py)"))
    folder = tmp_path / "podospora_anserina"
    folder.mkdir()
    for suffix in ("_coordinates.txt", "_branches.txt"):
        shutil.copy(source / "podospora_anserina" / f"{SHARED}{suffix}", folder)
    monkeypatch.setenv("MFN_DATA_DIR", str(tmp_path))
    return folder


def test_a_damaged_copy_is_refused(copy_dir):
    path = copy_dir / f"{SHARED}_branches.txt"
    data = bytearray(path.read_bytes())
    data[100] ^= 1
    path.write_bytes(bytes(data))
    with pytest.raises(ParameterError, match=r"MFN_DATA_DIR = .*_branches\.txt.*sha256"):
        mfn.datasets.load(f"podospora_anserina/{SHARED}")


def test_a_missing_copy_names_the_variable(copy_dir):
    (copy_dir / f"{SHARED}_coordinates.txt").unlink()
    with pytest.raises(ParameterError, match=r"MFN_DATA_DIR = .*does not exist"):
        mfn.datasets.load(f"podospora_anserina/{SHARED}")


def test_without_copies_or_network_one_line_names_the_variable(tmp_path, monkeypatch):
    monkeypatch.delenv("MFN_DATA_DIR", raising=False)
    monkeypatch.setenv("XDG_CACHE_HOME", str(tmp_path))  # an empty user cache
    closed = registry.Dataset(
        **{**vars(registry.DATASETS[f"podospora_anserina/{SHARED}"]), "url": "http://127.0.0.1:9/"}
    )
    monkeypatch.setitem(registry.DATASETS, closed.name, closed)
    with pytest.raises(ParameterError) as info:
        mfn.datasets.local_files(closed.name)
    message = str(info.value)
    assert "\n" not in message and "MFN_DATA_DIR" in message and "could not fetch http://127.0.0.1:9/" in message
