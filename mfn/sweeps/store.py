"""The zarr store of a sweep's datacube: created once, filled run by run, recognised on resume.

The store is made in full at the start (every run ``status="pending"``, values NaN), written
to a temporary folder beside the target and renamed, so a store that exists is complete and
readable. Records are then written in place as runs finish (zarr writes each chunk to a
temporary file and renames it, so a crash never leaves a half-written chunk). A store is
recognised by its identity attributes; a path holding anything else is refused, never
overwritten.

One writer at a time: the sweep holds :func:`mfn.sweeps.lock.lock_store` while it writes.
Before a resume, :meth:`SweepStore.verify` reads every chunk and checks that every chunk
holding a finished run exists: a deleted or corrupted chunk (a checksum mismatch included,
:mod:`mfn.sweeps.integrity`) is named with the fix (``repair=True`` / ``mfn sweep --repair``
marks the runs it held as pending, so they run again). :func:`load_cube` says whether a store
checks its chunks (``store_checksums``), and ``mfn sweep`` prints a note for one that does not.
"""

from __future__ import annotations

import contextlib
import os
import warnings
from collections.abc import Mapping, Sequence
from pathlib import Path
from typing import TYPE_CHECKING, Any

import numpy as np

from mfn.core.errors import ParameterError
from mfn.sweeps.cube import chunk_shape, count_inactive
from mfn.sweeps.integrity import REPAIR_HINT, compressors, damaged_chunks, first_damage, has_checksums, regions, runs_of
from mfn.sweeps.record import TEXT_VARS, numeric_vars, record_vars

if TYPE_CHECKING:
    import xarray as xr

    from mfn.core.model import Model

__all__ = ["SweepStore", "load_cube"]


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
        encoding = {name: {"compressors": compressors()} for name in cube.coords}
        encoding.update({name: {"chunks": chunks, "compressors": compressors()} for name in cube.data_vars})
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

    def verify(self, repair: bool = False) -> list[int]:
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
            # chunks whose values all equal the fill value are not stored (NaN of failed runs, "" errors)
            needed = ok if name in self.required_vars else done if name in ("status", "created", "run_id") else None
            for key, region, problem in damaged_chunks(self._array(name), self.path / name, needed):
                if not repair:
                    raise ParameterError(
                        "store",
                        str(self.path),
                        "a store whose finished runs are all readable",
                        f"chunk {name}/{key} ({runs_of(status.shape, region)}) is {problem}; {REPAIR_HINT}",
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
            for region in regions(arr):
                with contextlib.suppress(Exception):
                    out[region] = np.asarray(arr[region]).astype(object)
            return out

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
            damage = first_damage(path)
        if damage is not None:
            intact = "a sweep store whose chunks are intact"
            raise ParameterError("path", str(path), intact, f"{damage}; {REPAIR_HINT}") from None
        raise ParameterError("path", str(path), "a sweep datacube store (zarr)", f"cannot read it: {err}") from None
    text = {name: var.astype(object) for name, var in cube.variables.items() if var.dtype.kind == "T"}
    cube = cube.assign(text)  # numpy StringDType -> plain Python strings, as pandas expects
    cube.attrs["store_checksums"] = "crc32c" if has_checksums(path) else "none"
    return count_inactive(cube)
