"""The stored baseline of mfn bench and the check of measured ratios against it."""

import json

import pytest

from mfn.bench.baseline import BASELINE_PATH, CHECK_MARGIN, check_ratios, read_baseline
from mfn.core.errors import ParameterError


@pytest.mark.parametrize(
    ("measured", "baseline", "failing"),
    [
        ({"a": 10.0, "b": 5.0}, {"a": 10.0, "b": 5.0}, []),
        ({"a": 7.01}, {"a": 10.0}, []),  # 29.9 % below: within the 30 % margin
        ({"a": 6.99}, {"a": 10.0}, ["a"]),  # just beyond it
        ({"a": 20.0}, {"a": 10.0}, []),  # faster is never a failure
        ({}, {"a": 10.0}, ["a"]),  # a baseline row that was not measured fails
        ({"a": float("nan")}, {"a": 10.0}, ["a"]),
        ({"a": 10.0, "extra": 0.1}, {"a": 10.0}, []),  # rows without a baseline are not gated
    ],
)
def test_check_ratios(measured, baseline, failing):
    messages = check_ratios(measured, baseline, 0.30)
    assert [m.split(":")[0] for m in messages] == failing


def test_stored_baseline_gates_every_row_but_py_pde_and_the_ceiling_with_the_stated_margin():
    stored = json.loads(BASELINE_PATH.read_text())
    assert stored["margin"] == CHECK_MARGIN == 0.30
    assert set(stored["ratios"]) == {
        "field 64x64",
        "field 256x256",
        "ensemble 256x32x32x32",
        "ensemble 256x32x32x32 (stepping only)",
        "features 64x64x100",
        "reaction-diffusion 256x256",
        "colony 9x9 mm, 12 h (numpy vs numba)",
        "network counts M2WT_200610 (65 frames)",
    }
    assert all(r > 1 for r in stored["ratios"].values())
    # the new models' targets are at least 5x: their baselines sit at or above it
    assert stored["ratios"]["reaction-diffusion 256x256"] >= 5
    assert stored["ratios"]["colony 9x9 mm, 12 h (numpy vs numba)"] * (1 - CHECK_MARGIN) >= 5


@pytest.mark.parametrize("text", ["not json", '{"ratios": {"a": "fast"}}', '{"margin": 0.3}'])
def test_a_file_that_is_no_baseline_is_refused_with_the_fix(tmp_path, text):
    path = tmp_path / "baseline.json"
    path.write_text(text)
    with pytest.raises(ParameterError, match="--baseline") as info:
        read_baseline(path)
    assert "--update-baseline" in str(info.value) or "JSON" in str(info.value)
