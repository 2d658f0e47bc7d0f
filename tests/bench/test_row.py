"""A benchmark row is measured alternately, after one warm-up call each, and reports medians."""

import math

import pytest

from mfn.bench.row import Row, measure, scale_reference


def test_measure_alternates_after_one_warm_up_each_and_reports_medians():
    calls = []
    row = Row("r", "runs/s", 3, "ref", "fast", True)
    measure(row, lambda: calls.append("ref"), lambda: calls.append("fast"), 4)
    assert calls == ["ref", "fast"] * 5  # the warm-up pair, then 4 timed pairs
    assert row.reference_s >= 0 and row.fast_s >= 0
    d = row.as_dict()
    assert d["setup_s"] is None and d["gated"] is True and d["name"] == "r"


def test_measure_ratio_is_the_median_of_per_repetition_ratios():
    def burn(n):
        return lambda: sum(i * i for i in range(n))

    row = measure(Row("r", "runs/s", 1, "ref", "fast", False), burn(400_000), burn(50_000), 3)
    assert math.isfinite(row.ratio) and row.ratio > 1  # the reference does 8 times the work
    assert row.as_dict()["fast_rate"] == pytest.approx(1 / row.fast_s)


def test_scale_reference_scales_the_reference_time_and_the_ratio():
    row = Row("r", "cell-steps/s", 100, "ref", "fast", True, reference_s=2.0, fast_s=1.0, ratio=2.0)
    scale_reference(row, 8)
    assert (row.reference_s, row.fast_s, row.ratio) == (16.0, 1.0, 16.0)
