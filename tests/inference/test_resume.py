"""A calibration killed mid-run resumes from its store, keeping every finished generation."""

import sqlite3
import subprocess
import sys
import textwrap
import time
from contextlib import closing

import numpy as np
import pytest

import mfn
from tests.conftest import CALIBRATION_BASE, CALIBRATION_PRIORS


def _generations(store) -> list[tuple[int, float, int]]:
    """``(t, epsilon, simulations)`` of every finished generation in the store (read only)."""
    if not store.exists():
        return []
    try:
        with closing(sqlite3.connect(f"file:{store}?mode=ro", uri=True, timeout=5)) as db:
            rows = db.execute("SELECT t, epsilon, nr_samples FROM populations WHERE t >= 0 ORDER BY t").fetchall()
    except sqlite3.OperationalError:  # tables not made yet, or the writer holds the lock
        return []
    return [(int(t), float(e), int(n)) for t, e, n in rows]


@pytest.mark.slow
def test_a_killed_calibration_resumes_without_losing_finished_generations(tmp_path, rd_observed):
    observed = tmp_path / "observed.nc"
    mfn.save_run(rd_observed, observed)
    store = tmp_path / "abc.db"
    script = textwrap.dedent(
        f"""
        import mfn
        base = mfn.ReactionDiffusionParams(**{CALIBRATION_BASE!r})
        mfn.calibrate(base, {CALIBRATION_PRIORS!r}, mfn.load_run({str(observed)!r}), population=10,
                      generations=50, scheduler="synchronous", store={str(store)!r}, progress=False)
        """
    )
    process = subprocess.Popen([sys.executable, "-c", script])
    try:
        deadline = time.monotonic() + 240
        while len(_generations(store)) < 2 and process.poll() is None and time.monotonic() < deadline:
            time.sleep(0.2)
        assert process.poll() is None, "the calibration ended before it could be killed"
        process.kill()  # SIGKILL: no clean-up, as when a machine goes down
        process.wait(timeout=30)
    finally:
        if process.poll() is None:
            process.kill()
    before = _generations(store)
    assert len(before) >= 2
    result = mfn.calibrate(
        mfn.ReactionDiffusionParams(**CALIBRATION_BASE),
        CALIBRATION_PRIORS,
        rd_observed,
        population=10,
        generations=len(before) + 1,
        scheduler="synchronous",
        store=store,
        progress=False,
    )
    assert result.attrs["resumed"] == 1
    assert result.generation.values.tolist() == list(range(len(before) + 1))
    np.testing.assert_array_equal(result.epsilon.values[: len(before)], [e for _, e, _ in before])
    np.testing.assert_array_equal(result.simulations.values[: len(before)], [n for _, _, n in before])
    assert _generations(store)[: len(before)] == before
