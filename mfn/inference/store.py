"""The store of a calibration: one SQLite file, written as each generation finishes.

pyabc keeps its history there (every finished generation: particles, weights, distances,
summaries, epsilon, simulations; its writes are transactions, so a process killed in the middle
of one leaves the generations before it intact). Beside it this module keeps two tables of
its own:

- ``mfn_calibration``: the calibration's identity (model, base parameters, priors,
  summaries, observed summaries, population, seed) as JSON, written before anything else;
  a store is resumed only by the calibration that made it;
- ``mfn_failures``: per generation, how many simulations failed and why (``-1`` is the
  sample from the prior that calibrates the distance). Reasons are grouped with their numbers
  left out (:func:`reason_kind`), one full message kept as an example.

Nothing is unpickled: pyabc stores arrays with ``numpy.save(allow_pickle=False)``.
"""

from __future__ import annotations

import json
import os
import re
import sqlite3
from collections import Counter
from collections.abc import Mapping
from contextlib import closing
from pathlib import Path
from typing import Any

from mfn.core.errors import ParameterError

__all__ = ["CalibrationStore", "reason_kind"]

_NUMBER = re.compile(r"[-+]?(?:\d+\.?\d*|\.\d+)(?:[eE][-+]?\d+)?")

_SCHEMA = (
    "CREATE TABLE IF NOT EXISTS mfn_calibration (key TEXT PRIMARY KEY, value TEXT NOT NULL)",
    "CREATE TABLE IF NOT EXISTS mfn_failures (generation INTEGER NOT NULL, reason TEXT NOT NULL, "
    "count INTEGER NOT NULL, example TEXT NOT NULL, PRIMARY KEY (generation, reason))",
)


class CalibrationStore:
    """A calibration's SQLite file (see the module docstring); open it with :meth:`open`."""

    def __init__(self, path: Path, resumed: bool) -> None:
        self.path = path
        self.resumed = resumed

    @property
    def url(self) -> str:
        """The SQLAlchemy address pyabc opens."""
        return f"sqlite:///{self.path}"

    @classmethod
    def open(cls, path: str | os.PathLike, identity: Mapping[str, Any]) -> CalibrationStore:
        """Create the store at ``path``, or open it to resume when it holds this calibration.

        Raises
        ------
        ParameterError
            If the file is not a calibration store, or holds another calibration.
        """
        target = Path(path).resolve()
        text = json.dumps(identity, sort_keys=True)
        existed = target.exists() and target.stat().st_size > 0
        if not existed:
            from pyabc.storage import History

            History(f"sqlite:///{target}")  # pyabc makes the file and stamps its format version
        try:
            with closing(sqlite3.connect(target)) as db, db:
                tables = {row[0] for row in db.execute("SELECT name FROM sqlite_master WHERE type = 'table'")}
                if "mfn_calibration" in tables:
                    row = db.execute("SELECT value FROM mfn_calibration WHERE key = 'identity'").fetchone()
                    if row is None or row[0] != text:
                        stored = json.loads(row[0]) if row else {}
                        differ = sorted(k for k in {*identity, *stored} if stored.get(k) != json.loads(text).get(k))
                        raise ParameterError(
                            "store",
                            str(path),
                            "a store made by this calibration, or a new path",
                            f"it holds a calibration that differs in {', '.join(differ) or 'its identity'}",
                        )
                elif "version" in tables and not _runs(db, tables):  # made by pyabc here, identity not yet written
                    for statement in _SCHEMA:
                        db.execute(statement)
                    db.execute("INSERT INTO mfn_calibration (key, value) VALUES ('identity', ?)", (text,))
                else:
                    raise ParameterError(
                        "store", str(path), "a calibration store or a new path", "this file holds something else"
                    )
        except sqlite3.DatabaseError as err:
            raise ParameterError("store", str(path), "a calibration store (SQLite) or a new path", str(err)) from None
        return cls(target, existed)

    def has_history(self) -> bool:
        """Whether pyabc has started its history here (it then resumes instead of starting anew)."""
        with closing(sqlite3.connect(self.path)) as db:
            tables = {row[0] for row in db.execute("SELECT name FROM sqlite_master WHERE type = 'table'")}
            return _runs(db, tables) > 0

    def generations(self) -> int:
        """How many generations the store holds finished."""
        if not self.has_history():
            return 0
        with closing(sqlite3.connect(self.path)) as db:
            (max_t,) = db.execute("SELECT MAX(t) FROM populations").fetchone()
        return 0 if max_t is None else max(int(max_t) + 1, 0)

    def record_failures(self, generation: int, messages: list[str]) -> None:
        """Keep the failures of ``generation`` (replacing those of an earlier, unfinished try)."""
        kinds = Counter(reason_kind(m) for m in messages)
        examples = {reason_kind(m): m for m in messages}
        with closing(sqlite3.connect(self.path)) as db, db:
            db.execute("DELETE FROM mfn_failures WHERE generation = ?", (generation,))
            db.executemany(
                "INSERT INTO mfn_failures (generation, reason, count, example) VALUES (?, ?, ?, ?)",
                [(generation, kind, count, examples[kind]) for kind, count in kinds.items()],
            )

    def failures(self) -> dict[int, Counter]:
        """``{generation: Counter(reason -> count)}`` of every generation recorded."""
        out: dict[int, Counter] = {}
        with closing(sqlite3.connect(self.path)) as db:
            for generation, reason, count in db.execute("SELECT generation, reason, count FROM mfn_failures"):
                out.setdefault(int(generation), Counter())[reason] = int(count)
        return out

    def failure_examples(self) -> dict[str, str]:
        """``{reason: one full message}`` over every generation."""
        with closing(sqlite3.connect(self.path)) as db:
            return dict(db.execute("SELECT reason, example FROM mfn_failures"))


def reason_kind(message: str) -> str:
    """A failure's reason with its numbers left out, so that failures of one kind count together.

    Examples
    --------
    >>> reason_kind("ParameterError: dt = 0.004 is invalid; valid: dt < 0.00303717 (Dv = 82.2)")
    'ParameterError: dt = … is invalid; valid: dt < … (Dv = …)'
    """
    return _NUMBER.sub("…", message)


def _runs(db: sqlite3.Connection, tables: set[str]) -> int:
    """ABC-SMC runs pyabc has started in ``db``."""
    return db.execute("SELECT COUNT(*) FROM abc_smc").fetchone()[0] if "abc_smc" in tables else 0
