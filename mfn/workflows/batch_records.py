"""The records of a batch in its folder: ``runs.json``, ``batch.json``, and what a rerun resumes.

``DIR/runs.json`` holds one record per run (``run``, ``parameters``, ``status``, the executed
``notebook``, ``duration_s``, and ``result`` or ``error``); :class:`Book` rewrites it
(atomically) as each run finishes, with ``"pending"`` for the runs not finished yet, and
rebuilds the datacube (:func:`mfn.workflows.batch_grid.collect`) at most every
:data:`FLUSH_SECONDS` and when the batch ends. ``DIR/batch.json`` records the notebook and
grid, so that :func:`resume_state` refuses a different batch rather than mixing it in, and
takes over the runs recorded as ``ok`` whose result file is still there, and the failed ones.
"""

from __future__ import annotations

import json
import os
import time
from collections.abc import Mapping
from pathlib import Path
from typing import Any

from mfn.core.errors import ParameterError
from mfn.core.io import atomic_path
from mfn.workflows.batch_grid import collect, expand_grid

__all__ = [
    "FLUSH_SECONDS",
    "IDENTITY",
    "MANIFEST",
    "RESULTS_STORE",
    "Book",
    "identity",
    "make_record",
    "needs_run",
    "resume_state",
]

RESULTS_STORE = "results.zarr"
"""The batch's datacube in its folder."""
MANIFEST = "runs.json"
"""The records of every run, in its folder."""
IDENTITY = "batch.json"
"""The notebook and grid that made the folder's batch."""
FLUSH_SECONDS = 1.0
"""Longest time the datacube lags behind ``runs.json`` while a batch runs, s."""


def resume_state(notebook: str | os.PathLike, grid: Mapping[str, Any], out: str | os.PathLike) -> dict[str, dict]:
    """The record of every run of a batch as found in ``out``: run name -> record.

    Runs not recorded yet (or whose result file has gone) are ``"pending"``.

    Raises
    ------
    ParameterError
        If ``out`` holds a different batch (another notebook or grid), naming what differs.
    """
    source = Path(notebook).resolve()
    combos = expand_grid(grid)
    root = Path(out)
    names = [f"run_{k:04d}" for k in range(len(combos))]
    records = {
        name: make_record(name, params, root / "runs" / f"{name}.ipynb", "pending", 0.0)
        for name, params in zip(names, combos, strict=True)
    }
    how = "choose another --out folder, or remove that one to start over"
    identity_file = root / IDENTITY
    if identity_file.is_file():
        try:
            found = json.loads(identity_file.read_text(encoding="utf-8"))
        except ValueError:
            found = None
        expected = identity(source, grid)
        if found != expected:
            what = "grid" if isinstance(found, dict) and found.get("notebook") == expected["notebook"] else "notebook"
            raise ParameterError(
                "out",
                str(out),
                f"a new folder or one holding this batch (not a different batch: its {what} differs)",
                how,
            )
    manifest = root / MANIFEST
    if not manifest.is_file():
        return records
    try:
        previous = json.loads(manifest.read_text(encoding="utf-8"))
    except ValueError as err:
        raise ParameterError("out", str(out), f"a folder whose {MANIFEST} is readable JSON ({err})", how) from None
    for rec in previous if isinstance(previous, list) else []:
        name = rec.get("run") if isinstance(rec, dict) else None
        if name not in records or rec.get("parameters") != json.loads(json.dumps(records[name]["parameters"])):
            raise ParameterError(
                "out", str(out), "a new folder or one holding this batch (not a different batch: its runs differ)", how
            )
        if rec.get("status") == "failed" or (rec.get("status") == "ok" and Path(rec.get("result", "")).is_file()):
            records[name] = {**rec, "parameters": records[name]["parameters"]}
    return records


def identity(source: Path, grid: Mapping[str, Any]) -> dict[str, Any]:
    """What ``batch.json`` holds for the batch of ``source`` over ``grid`` (as it reads back from JSON)."""
    return json.loads(json.dumps({"notebook": str(source), "grid": dict(grid)}, default=str))


def needs_run(record: dict[str, Any], retry_failed: bool) -> bool:
    """Whether a run of this record runs (again): pending, or failed with ``retry_failed``."""
    return record["status"] == "pending" or (retry_failed and record["status"] == "failed")


class Book:
    """The records of a batch, written to ``runs.json`` at once and to the datacube every second or so."""

    def __init__(self, root: Path, grid: dict[str, Any], order: list[str], records: dict[str, dict]) -> None:
        self.root, self.grid, self.order, self.records = root, grid, order, records
        self.last_results = time.monotonic()

    def runs(self) -> list[dict[str, Any]]:
        return [self.records[name] for name in self.order]

    def add(self, record: dict[str, Any]) -> None:
        self.records[record["run"]] = record
        self.write_manifest()
        if time.monotonic() - self.last_results >= FLUSH_SECONDS:
            self.write_results()

    def write_manifest(self) -> None:
        with atomic_path(self.root / MANIFEST) as tmp:
            tmp.write_text(json.dumps(self.runs(), indent=2, default=str) + "\n", encoding="utf-8")

    def write_results(self) -> None:
        collect(self.runs(), self.grid, self.root / RESULTS_STORE)
        self.last_results = time.monotonic()


def make_record(name: str, params: dict[str, Any], executed: Path, status: str, duration: float) -> dict[str, Any]:
    """A run's record (``runs.json``'s entry) before its ``result`` or ``error`` is known."""
    return {"run": name, "parameters": params, "status": status, "notebook": str(executed), "duration_s": duration}
