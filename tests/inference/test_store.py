"""The calibration store: made once, resumed only by its own calibration, failures kept by kind."""

import sqlite3

import pytest

from mfn import ParameterError
from mfn.inference.store import CalibrationStore, reason_kind

IDENTITY = {"model": "reaction_diffusion", "priors": {"Dv": "uniform(10, 60)"}, "population": 10, "seed": 0}


def test_a_new_store_is_made_and_reopened_by_the_same_calibration(tmp_path):
    first = CalibrationStore.open(tmp_path / "abc.db", IDENTITY)
    assert not first.resumed and first.generations() == 0 and not first.has_history()
    again = CalibrationStore.open(tmp_path / "abc.db", dict(IDENTITY))
    assert again.resumed


def test_another_calibration_is_refused_naming_what_differs(tmp_path):
    CalibrationStore.open(tmp_path / "abc.db", IDENTITY)
    with pytest.raises(ParameterError, match="differs in population, seed") as err:
        CalibrationStore.open(tmp_path / "abc.db", {**IDENTITY, "population": 20, "seed": 1})
    assert err.value.parameter == "store"


def test_a_file_that_is_not_a_store_is_refused(tmp_path):
    text = tmp_path / "notes.db"
    text.write_text("not a database at all, just some words" * 20)
    with pytest.raises(ParameterError, match="a calibration store"):
        CalibrationStore.open(text, IDENTITY)
    other = tmp_path / "other.db"
    with sqlite3.connect(other) as db:
        db.execute("CREATE TABLE things (x INTEGER)")
    with pytest.raises(ParameterError, match="holds something else"):
        CalibrationStore.open(other, IDENTITY)


def test_failures_are_kept_by_kind_and_a_rerun_generation_replaces_its_own(tmp_path):
    store = CalibrationStore.open(tmp_path / "abc.db", IDENTITY)
    unstable = "ParameterError: dt = 0.004 is invalid; valid: dt < 0.0030 (Dv = 82.2)"
    store.record_failures(-1, [unstable, unstable.replace("82.2", "90.1"), "summaries not finite: wavelength"])
    store.record_failures(0, ["summaries not finite: wavelength"])
    store.record_failures(0, [unstable])  # generation 0 ran again after an interruption
    failures = store.failures()
    assert failures[-1][reason_kind(unstable)] == 2 and failures[-1]["summaries not finite: wavelength"] == 1
    assert dict(failures[0]) == {reason_kind(unstable): 1}
    assert store.failure_examples()[reason_kind(unstable)] in (unstable, unstable.replace("82.2", "90.1"))
