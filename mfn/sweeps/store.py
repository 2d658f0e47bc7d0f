"""The zarr store of a sweep's datacube: created once, filled run by run, recognised on resume.

The store is made in full at the start (every run ``status="pending"``, values NaN), written
to a temporary folder beside the target and renamed, so a store that exists is complete and
readable. Records are then written in place as runs finish (zarr writes each chunk to a
temporary file and renames it, so a crash never leaves a half-written chunk). A store is
recognised by its identity attributes; a path holding anything else is refused, never
overwritten.

One writer at a time: :func:`lock_store` takes an exclusive lock (``flock`` on a hidden
``.<name>.lock`` file beside the store, released by the kernel even when the process is
killed), so a second sweep on the same store refuses with a clear message instead of running
everything twice. Before a resume, :meth:`SweepStore.verify` reads every chunk and checks that
every chunk holding a finished run exists: a deleted or corrupted chunk is named with the fix
(``repair=True`` / ``mfn sweep --repair`` marks the runs it held as pending, so they run again).

Every chunk carries a CRC-32C checksum (zarr's ``crc32c`` codec after zstd), checked whenever
it is read: a flipped byte that would still decode (zstd at level 0 keeps float64 chunks
almost verbatim) is refused on resume, on repair and by :func:`load_cube`, naming the chunk
and its runs. A store made before checksums (such as ``data/base.zarr``) resumes as
before, with chunks checked for presence and decoding only; :func:`load_cube` says which kind
a store is (``store_checksums``), and ``mfn sweep`` prints a note for the older kind.
"""

from __future__ import annotations

import contextlib
import os
import warnings
from collections.abc import Iterator, Mapping, Sequence
from pathlib import Path
from typing import TYPE_CHECKING, Any

import numpy as np

from mfn.core.errors import ParameterError
from mfn.sweeps.record import TEXT_VARS, numeric_vars, record_vars

if TYPE_CHECKING:
    import xarray as xr

    from mfn.core.model import Model
    from mfn.sweeps.grid import SweepGrid

__all__ = ["MAX_CHUNK", "SweepStore", "has_checksums", "load_cube", "lock_store", "store_checksum", "template"]

MAX_CHUNK = 4096
"""Most runs in one zarr chunk of a variable."""

_CHECKSUM_MISMATCH = "Stored and computed checksum do not match"  # zarr's crc32c codec, on a damaged chunk


def _compressors() -> list:
    """zstd (level 0, zarr's default) followed by a CRC-32C checksum of the compressed bytes."""
    from zarr.codecs import Crc32cCodec, ZstdCodec

    return [ZstdCodec(level=0), Crc32cCodec()]


def template(grid: SweepGrid, attrs: Mapping[str, Any]) -> xr.Dataset:
    """The datacube of a sweep before any run: values NaN, ``status="pending"``.

    Parameters
    ----------
    grid : SweepGrid
        The runs.
    attrs : mapping
        Dataset attributes (provenance and identity), JSON-serialisable.

    Returns
    -------
    xarray.Dataset
        Dimensions ``grid.dims``; ``run_id`` (int64) and every variable of
        :func:`mfn.sweeps.record.record_vars` of the grid's model, with the units and long
        names the model gives them.
    """
    import xarray as xr

    dims, shape = grid.dims, grid.shape
    data_vars: dict[str, Any] = {
        "run_id": (dims, np.arange(grid.n_runs, dtype=np.int64).reshape(shape), {"long_name": "run id (C order)"})
    }
    for name, var_attrs in numeric_vars(grid.model).items():
        data_vars[name] = (dims, np.full(shape, np.nan), dict(var_attrs))
    fills = {"status": "pending", "error": "", "created": ""}
    for name, var_attrs in TEXT_VARS.items():
        data_vars[name] = (dims, np.full(shape, fills[name], dtype=object), dict(var_attrs))
    coords = {
        name: (
            name,
            np.asarray(values, dtype=object if isinstance(values[0], str) else None),
            _axis_attrs(grid.model, name),
        )
        for name, values in grid.coords().items()
    }
    return xr.Dataset(data_vars, coords, dict(attrs))


def _axis_attrs(model: Model, name: str) -> dict[str, str]:
    """Units and long name of a sweep axis, from the model's parameter spec (plots label themselves)."""
    if name == "seed":
        return {"units": "1", "long_name": "seed of the run's random generator"}
    spec = model.params_class.specs().get(name)
    if spec is None:
        return {}
    return {"units": spec.unit or "1", "long_name": spec.doc}


def chunk_shape(shape: Sequence[int], max_chunk: int = MAX_CHUNK) -> tuple[int, ...]:
    """Chunks covering whole trailing dimensions, halving leading ones until <= ``max_chunk`` runs.

    Examples
    --------
    >>> chunk_shape((3, 4, 5, 2, 8), max_chunk=100)
    (1, 1, 5, 2, 8)
    """
    chunks = list(shape)
    for axis in range(len(chunks)):
        while int(np.prod(chunks)) > max_chunk and chunks[axis] > 1:
            chunks[axis] = (chunks[axis] + 1) // 2
    return tuple(chunks)


class SweepStore:
    """A sweep's datacube in a zarr folder.

    Use :meth:`create` for a new store and :meth:`open` for an existing one.
    """

    def __init__(self, path: Path, model: Model) -> None:
        self.path = path
        self.model = model
        self.record_vars = record_vars(model)
        # variables an ok run always gives a number (so a chunk holding one must exist); the
        # Lyapunov exponent is NaN for a model without a twin, a measure may be NaN where it
        # does not apply (a wavelength without a pattern), and zarr omits all-NaN chunks
        nan_allowed = {m.name for m in model.measures} | (set() if model.twin else {"lyapunov"})
        self.required_vars = tuple(name for name in numeric_vars(model) if name not in nan_allowed)
        self.missing_measures: tuple[str, ...] = ()
        """Measures of the model this store was made without (see :meth:`open`)."""
        self._arrays: dict[str, Any] = {}

    @staticmethod
    def exists(path: str | os.PathLike) -> bool:
        """Whether ``path`` holds something (a non-empty folder or a file)."""
        p = Path(path)
        return p.is_file() or (p.is_dir() and any(p.iterdir()))

    @classmethod
    def create(cls, path: str | os.PathLike, cube: xr.Dataset, model: Model) -> SweepStore:
        """Write ``cube`` (from :func:`template`) as a new store at ``path``, atomically."""
        from mfn.core.io import atomic_dir

        target = Path(path)
        if cls.exists(target):
            raise ParameterError("store", str(path), "a new path or an existing sweep store")
        chunks = chunk_shape(tuple(cube.sizes[d] for d in cube.run_id.dims))
        encoding = {name: {"compressors": _compressors()} for name in cube.coords}
        encoding.update({name: {"chunks": chunks, "compressors": _compressors()} for name in cube.data_vars})
        with atomic_dir(target) as tmp, warnings.catch_warnings():  # an empty target folder is replaced too
            # consolidated metadata is zarr-python's, not yet the v3 spec's
            warnings.filterwarnings("ignore", "Consolidated metadata", category=UserWarning)
            cube.to_zarr(tmp, mode="w", encoding=encoding, consolidated=True)
        return cls(target, model)

    @classmethod
    def open(
        cls, path: str | os.PathLike, identity: Mapping[str, str], shape: tuple[int, ...], model: Model
    ) -> SweepStore:
        """Open an existing store made by the same sweep.

        Parameters
        ----------
        path : str or path-like
            The store folder.
        identity : mapping of str to str
            Attributes that must match (for example the grid's JSON and the mfn version).
        shape : tuple of int
            Expected datacube shape.
        model : Model
            The sweep's model (``SweepGrid.model``).

        Raises
        ------
        ParameterError
            If the path is not a readable zarr group, is not an mfn sweep store, was made by
            a different sweep (naming the attribute that differs), or lacks a variable.
        """
        import zarr

        store = cls(Path(path), model)
        how = "move it away or choose another path; it is never overwritten"
        try:
            group = zarr.open_group(str(path), mode="r")
            attrs = dict(group.attrs)
            arrays = {name: group[name] for name in ("run_id", *store.record_vars) if name in group}
        except Exception as err:  # any read failure means: not a store we can resume
            raise ParameterError(
                "store", str(path), "a readable mfn sweep store (zarr)", f"cannot read it: {err}; {how}"
            ) from None
        if not any(key in attrs for key in identity):
            raise ParameterError("store", str(path), "an mfn sweep store", f"it holds something else; {how}")
        for key, expected in identity.items():
            if attrs.get(key) != expected:
                raise ParameterError(
                    "store",
                    str(path),
                    f"a store made by the same sweep ({key} = {expected})",
                    f"it was made with {key} = {attrs.get(key)}; {how}",
                )
        # a store made before the model declared some of its measures resumes without them:
        # it keeps the variables it was made with (new runs write those only)
        measures = {m.name for m in model.measures}
        store.missing_measures = tuple(n for n in store.record_vars if n not in arrays and n in measures)
        store.record_vars = tuple(n for n in store.record_vars if n not in store.missing_measures)
        store.required_vars = tuple(n for n in store.required_vars if n not in store.missing_measures)
        for name in ("run_id", *store.record_vars):
            if name not in arrays or tuple(arrays[name].shape) != tuple(shape):
                raise ParameterError("store", str(path), f"a complete sweep store ({name} of shape {shape})", how)
        return store

    def verify(self, repair: bool = False) -> int:
        """Check that every chunk is readable and every chunk holding a finished run exists.

        Parameters
        ----------
        repair : bool, default False
            Instead of raising, delete each damaged chunk and mark the runs it held as
            ``"pending"`` so that the resume runs them again.

        Returns
        -------
        list of int
            Ids of the finished runs a repair marked pending, in order ([] without damage).

        Raises
        ------
        ParameterError
            Naming the first missing or unreadable chunk (a checksum mismatch included), the
            runs it holds and the fix.
        """
        status = self._read_status()
        done = (status == "ok") | (status == "failed")
        ok = status == "ok"
        damaged = []
        for name in ("run_id", *self.record_vars):
            for key, region, problem in self._damaged_chunks(name, done, ok):
                if not repair:
                    raise ParameterError(
                        "store",
                        str(self.path),
                        "a store whose finished runs are all readable",
                        f"chunk {name}/{key} ({_runs_of(status.shape, region)}) is {problem}; {REPAIR_HINT}",
                    )
                damaged.append((name, key, region))
        pending = np.zeros(status.shape, dtype=bool)
        for name, key, region in damaged:
            (self.path / name / key).unlink(missing_ok=True)
            pending[region] = True
        pending &= done
        if pending.any():
            where = tuple(np.asarray(axis) for axis in np.nonzero(pending))
            for name in self.record_vars:
                fill = {"status": "pending", "error": "", "created": ""}.get(name, np.nan)
                values = np.full(int(pending.sum()), fill, dtype=object if name in TEXT_VARS else np.float64)
                self._array(name).set_coordinate_selection(where, values)
        return np.flatnonzero(pending).tolist()  # C order: the run ids

    def _read_status(self) -> np.ndarray:
        try:
            return self.status()
        except Exception:  # a damaged status chunk: read chunk by chunk, damaged ones as "pending"
            arr = self._array("status")
            out = np.full(arr.shape, "pending", dtype=object)
            for region in _regions(arr):
                with contextlib.suppress(Exception):
                    out[region] = np.asarray(arr[region]).astype(object)
            return out

    def _damaged_chunks(self, name: str, done: np.ndarray, ok: np.ndarray) -> Iterator[tuple[str, tuple, str]]:
        """``(chunk key, region, problem)`` of each chunk of ``name`` that is unreadable or missing."""
        arr = self._array(name)
        # chunks whose values all equal the fill value are not stored (NaN of failed runs, "" errors)
        needed = ok if name in self.required_vars else done if name in ("status", "created", "run_id") else None
        for block, region in zip(np.ndindex(*arr.cdata_shape), _regions(arr), strict=True):
            key = arr.metadata.encode_chunk_key(block)
            if not (self.path / name / key).is_file():
                if needed is not None and needed[region].any():
                    yield key, region, "missing"
                continue
            problem = _read_problem(arr, region)
            if problem is not None:
                yield key, region, problem

    def _array(self, name: str):
        if name not in self._arrays:
            import zarr

            self._arrays[name] = zarr.open_array(store=str(self.path), path=name, mode="r+")
        return self._arrays[name]

    def status(self) -> np.ndarray:
        """The ``status`` of every run (``"pending"``, ``"ok"`` or ``"failed"``), as an object array."""
        return np.asarray(self._array("status")[...]).astype(object)

    def write(self, indices: Sequence[tuple[int, ...]], records: Sequence[Mapping[str, Any]]) -> None:
        """Write finished runs' records at their datacube indices, ``status`` last.

        A write that fails part way (a full disk) leaves those runs ``pending``, so a resume
        runs them again; runs written before are untouched (zarr replaces chunks atomically).

        Raises
        ------
        OutputError
            If the store cannot be written.
        """
        if not indices:
            return
        from mfn.core.io import output_error

        where = tuple(np.asarray(axis) for axis in zip(*indices, strict=True))
        try:
            for name in [*(n for n in self.record_vars if n != "status"), "status"]:
                dtype = object if name in TEXT_VARS else np.float64
                values = np.array([rec[name] for rec in records], dtype=dtype)
                self._array(name).set_coordinate_selection(where, values)
        except OSError as err:
            raise output_error(self.path, err) from None

    def load(self) -> xr.Dataset:
        """The whole datacube, in memory (text variables as Python strings)."""
        return load_cube(self.path)


REPAIR_HINT = (
    "rerun with repair (mfn sweep --repair, or sweep(..., repair=True)) to run those runs again, "
    "or move the store away and start a new one"
)


def _read_problem(arr, region: tuple[slice, ...]) -> str | None:
    """Why the chunk of ``arr`` at ``region`` cannot be read (None when it can)."""
    try:
        arr[region]
    except Exception as err:  # a corrupted chunk: a checksum mismatch or any decoding error
        if _CHECKSUM_MISMATCH in str(err):
            return "corrupted (checksum mismatch)"
        return f"corrupted ({type(err).__name__}: {err})"
    return None


def _runs_of(shape: tuple[int, ...], region: tuple[slice, ...]) -> str:
    """The runs (C-order ids) of a chunk region, as ``"runs 0..3"``."""
    ids = np.arange(int(np.prod(shape))).reshape(shape)[region].ravel()
    return f"runs {ids[0]}..{ids[-1]}" if ids.size > 1 else f"run {ids[0]}"


def has_checksums(path: str | os.PathLike) -> bool:
    """Whether every array of the zarr store at ``path`` checks a CRC-32C per chunk."""
    import zarr
    from zarr.codecs import Crc32cCodec

    group = zarr.open_group(str(path), mode="r")
    return all(any(isinstance(c, Crc32cCodec) for c in arr.metadata.codecs) for _, arr in group.arrays())


def _first_damage(path: str | os.PathLike) -> str | None:
    """``"chunk NAME/KEY (runs a..b) is corrupted (...)"`` for the first unreadable chunk of a store."""
    import zarr

    group = zarr.open_group(str(path), mode="r")
    for name, arr in group.arrays():
        for block, region in zip(np.ndindex(*arr.cdata_shape), _regions(arr), strict=True):
            problem = _read_problem(arr, region)
            if problem is not None:
                runs = f" ({_runs_of(arr.shape, region)})" if arr.ndim > 1 or name == "run_id" else ""
                return f"chunk {name}/{arr.metadata.encode_chunk_key(block)}{runs} is {problem}"
    return None


def _regions(arr) -> list[tuple[slice, ...]]:
    """The index region of every chunk of a zarr array, in chunk-grid C order."""
    return [
        tuple(slice(b * c, min((b + 1) * c, n)) for b, c, n in zip(block, arr.chunks, arr.shape, strict=True))
        for block in np.ndindex(*arr.cdata_shape)
    ]


@contextlib.contextmanager
def lock_store(path: str | os.PathLike) -> Iterator[Path]:
    """Hold an exclusive lock on the store at ``path`` for the ``with`` block.

    The lock is ``flock`` on ``.<name>.lock`` beside the store (the file holds the owner's
    pid); the kernel releases it when the process ends, however it ends. The file is made
    with exclusive creation and never through a symbolic link (``O_EXCL | O_NOFOLLOW``), so
    a link planted there cannot make a sweep write to its target. A lock file nobody holds
    (left by a killed sweep) is removed and made anew.

    Raises
    ------
    ParameterError
        If another process (or another sweep in this process) holds it, or the lock file is
        a symbolic link or not a regular file.
    """
    import fcntl
    import stat

    from mfn.core.io import make_folders, output_error, remove_folders

    target = Path(path).resolve()
    try:
        made = make_folders(target.parent)  # removed again at the end if the store was not made
    except OSError as err:
        raise output_error(target, err) from None
    lock = target.with_name(f".{target.name}.lock")
    flags = os.O_RDWR | os.O_NOFOLLOW | os.O_CLOEXEC
    while True:
        try:
            fd = os.open(lock, flags | os.O_CREAT | os.O_EXCL, 0o666)
            created = True
        except FileExistsError:
            try:
                fd = os.open(lock, flags)
            except FileNotFoundError:
                continue  # its owner just removed it
            except OSError as err:  # ELOOP: a symbolic link
                why = "a symbolic link" if os.path.islink(lock) else f"unreadable ({err.strerror})"
                raise ParameterError(
                    "store", str(path), "a store whose lock file is a regular file", f"{lock} is {why}; remove it"
                ) from None
            created = False
        except OSError as err:  # a read-only, forbidden or full place
            remove_folders(made)
            raise output_error(target, err) from None
        if not stat.S_ISREG(os.fstat(fd).st_mode):
            os.close(fd)
            raise ParameterError("store", str(path), "a store whose lock file is a regular file", f"remove {lock}")
        try:
            fcntl.flock(fd, fcntl.LOCK_EX | fcntl.LOCK_NB)
        except BlockingIOError:
            owner = os.pread(fd, 32, 0).decode(errors="replace").strip() or "?"
            os.close(fd)
            raise ParameterError(
                "store",
                str(path),
                "a store that no other sweep is writing",
                f"another process is writing it (pid {owner}); wait for it to finish or stop it, then rerun",
            ) from None
        in_place = os.path.lexists(lock) and os.lstat(lock).st_ino == os.fstat(fd).st_ino
        if in_place and created:
            break  # our own new file, still in place
        if in_place:  # a lock nobody holds, left by a killed sweep: only a holder may remove it
            lock.unlink()
        os.close(fd)
    try:
        try:
            os.pwrite(fd, f"{os.getpid()}\n".encode(), 0)
        except OSError:  # a full disk: the lock holds without the pid in it
            pass
        yield target
    finally:
        lock.unlink(missing_ok=True)
        os.close(fd)
        remove_folders(made)  # only folders still empty: not when the store is in them


def load_cube(path: str | os.PathLike) -> xr.Dataset:
    """Load a sweep datacube from its zarr store, fully into memory.

    Raises
    ------
    ParameterError
        If the path is not a readable zarr store.
    """
    import xarray as xr

    try:
        cube = xr.open_zarr(str(path)).load()
    except Exception as err:  # a missing or unreadable store
        damage = None
        with contextlib.suppress(Exception):
            damage = _first_damage(path)
        if damage is not None:
            intact = "a sweep store whose chunks are intact"
            raise ParameterError("path", str(path), intact, f"{damage}; {REPAIR_HINT}") from None
        raise ParameterError("path", str(path), "a sweep datacube store (zarr)", f"cannot read it: {err}") from None
    text = {name: var.astype(object) for name, var in cube.variables.items() if var.dtype.kind == "T"}
    cube = cube.assign(text)  # numpy StringDType -> plain Python strings, as pandas expects
    cube.attrs["store_checksums"] = "crc32c" if has_checksums(path) else "none"
    return count_inactive(cube)


def count_inactive(cube: xr.Dataset) -> xr.Dataset:
    """Say in the attrs how many successful runs had no active cell (every structural feature 0).

    At fixed thresholds a classic run rarely crosses -60 mV, so a structural-feature sweep can
    be all zeros; ``runs_without_active_cell`` of ``runs_ok`` makes that visible. Computed from
    the values whenever a cube is loaded or returned, never stored.
    """
    ok = np.asarray(cube.status.values == "ok")
    inactive = ok & (np.asarray(cube.f_active.values) == 0)
    return cube.assign_attrs(runs_ok=int(ok.sum()), runs_without_active_cell=int(inactive.sum()))


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
