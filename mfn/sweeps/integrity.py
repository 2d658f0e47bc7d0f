"""Whether a sweep store's chunks are intact: checksums, damaged chunks found, the fix named.

Every chunk of a store carries a CRC-32C checksum (zarr's ``crc32c`` codec after zstd,
:func:`compressors`), checked whenever it is read: a flipped byte that would still decode
(zstd at level 0 keeps float64 chunks almost verbatim) is refused on resume, on repair and by
:func:`mfn.sweeps.store.load_cube`, naming the chunk and its runs. A store made before
checksums (such as ``data/base.zarr``) resumes as before, with chunks checked for presence and
decoding only; :func:`has_checksums` says which kind a store is.

:func:`store_checksum` is another thing: the SHA-256 of a whole store folder, with which
``data/README.md`` pins the shipped store.
"""

from __future__ import annotations

import os
from collections.abc import Iterator
from pathlib import Path

import numpy as np

from mfn.core.errors import ParameterError

__all__ = [
    "REPAIR_HINT",
    "compressors",
    "damaged_chunks",
    "first_damage",
    "has_checksums",
    "read_problem",
    "regions",
    "runs_of",
    "store_checksum",
]

CHECKSUM_MISMATCH = "Stored and computed checksum do not match"
"""What zarr's crc32c codec says of a damaged chunk."""

REPAIR_HINT = (
    "rerun with repair (mfn sweep --repair, or sweep(..., repair=True)) to run those runs again, "
    "or move the store away and start a new one"
)
"""The fix named with every damaged chunk."""


def compressors() -> list:
    """zstd (level 0, zarr's default) followed by a CRC-32C checksum of the compressed bytes."""
    from zarr.codecs import Crc32cCodec, ZstdCodec

    return [ZstdCodec(level=0), Crc32cCodec()]


def has_checksums(path: str | os.PathLike) -> bool:
    """Whether every array of the zarr store at ``path`` checks a CRC-32C per chunk."""
    import zarr
    from zarr.codecs import Crc32cCodec

    group = zarr.open_group(str(path), mode="r")
    return all(any(isinstance(c, Crc32cCodec) for c in arr.metadata.codecs) for _, arr in group.arrays())


def regions(arr) -> list[tuple[slice, ...]]:
    """The index region of every chunk of a zarr array, in chunk-grid C order."""
    return [
        tuple(slice(b * c, min((b + 1) * c, n)) for b, c, n in zip(block, arr.chunks, arr.shape, strict=True))
        for block in np.ndindex(*arr.cdata_shape)
    ]


def read_problem(arr, region: tuple[slice, ...]) -> str | None:
    """Why the chunk of ``arr`` at ``region`` cannot be read (None when it can)."""
    try:
        arr[region]
    except Exception as err:  # a corrupted chunk: a checksum mismatch or any decoding error
        if CHECKSUM_MISMATCH in str(err):
            return "corrupted (checksum mismatch)"
        return f"corrupted ({type(err).__name__}: {err})"
    return None


def runs_of(shape: tuple[int, ...], region: tuple[slice, ...]) -> str:
    """The runs (C-order ids) of a chunk region, as ``"runs 0..3"``.

    Examples
    --------
    >>> runs_of((2, 4), (slice(1, 2), slice(0, 4)))
    'runs 4..7'
    """
    ids = np.arange(int(np.prod(shape))).reshape(shape)[region].ravel()
    return f"runs {ids[0]}..{ids[-1]}" if ids.size > 1 else f"run {ids[0]}"


def damaged_chunks(arr, folder: Path, needed: np.ndarray | None) -> Iterator[tuple[str, tuple, str]]:
    """``(chunk key, region, problem)`` of each chunk of the zarr array ``arr`` that is unreadable or missing.

    Parameters
    ----------
    arr : zarr.Array
        One variable of a store.
    folder : pathlib.Path
        The folder holding that variable's chunk files.
    needed : bool ndarray or None
        Runs whose chunk must exist (zarr stores no chunk whose values all equal the fill
        value, so a missing chunk is damage only where it held one of them); None: none.
    """
    for block, region in zip(np.ndindex(*arr.cdata_shape), regions(arr), strict=True):
        key = arr.metadata.encode_chunk_key(block)
        if not (folder / key).is_file():
            if needed is not None and needed[region].any():
                yield key, region, "missing"
            continue
        problem = read_problem(arr, region)
        if problem is not None:
            yield key, region, problem


def first_damage(path: str | os.PathLike) -> str | None:
    """``"chunk NAME/KEY (runs a..b) is corrupted (...)"`` for the first unreadable chunk of a store."""
    import zarr

    group = zarr.open_group(str(path), mode="r")
    for name, arr in group.arrays():
        for block, region in zip(np.ndindex(*arr.cdata_shape), regions(arr), strict=True):
            problem = read_problem(arr, region)
            if problem is not None:
                runs = f" ({runs_of(arr.shape, region)})" if arr.ndim > 1 or name == "run_id" else ""
                return f"chunk {name}/{arr.metadata.encode_chunk_key(block)}{runs} is {problem}"
    return None


def store_checksum(path: str | os.PathLike) -> str:
    """SHA-256 of a store folder: every file's relative path, size and bytes, in sorted order.

    Examples
    --------
    >>> import pathlib, tempfile
    >>> folder = pathlib.Path(tempfile.mkdtemp())
    >>> _ = (folder / "a").write_bytes(b"x")
    >>> store_checksum(folder)[:12]
    '87898619c5d0'
    """
    import hashlib

    root = Path(path)
    if not root.is_dir():
        raise ParameterError("path", str(path), "an existing store folder")
    digest = hashlib.sha256()
    for file in sorted(p for p in root.rglob("*") if p.is_file()):
        data = file.read_bytes()
        digest.update(f"{file.relative_to(root).as_posix()}\0{len(data)}\0".encode())
        digest.update(data)
    return digest.hexdigest()
