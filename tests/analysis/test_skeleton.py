"""Skeleton measures of occupancy masks whose answers are known."""

import math

import numpy as np
import pytest

from mfn.analysis.skeleton import skeleton_measures, skeleton_points


def test_skeleton_of_a_plus_sign():
    plus = np.zeros((21, 21), bool)
    plus[10, 2:19] = True
    plus[2:19, 10] = True
    m = skeleton_measures(plus)
    assert m["endpoints"] == 4 and m["branch_points"] == 1
    assert m["hyphal_length"] == pytest.approx(32.0)
    diagonal = np.eye(12, dtype=bool)
    assert skeleton_measures(diagonal)["hyphal_length"] == pytest.approx(11 * math.sqrt(2.0))


def test_skeleton_points_of_a_plus_sign_are_where_the_measures_count_them():
    plus = np.zeros((21, 21), bool)
    plus[10, 2:19] = True
    plus[2:19, 10] = True
    points = skeleton_points(plus)
    ends = sorted(zip(*points["endpoints"], strict=True))
    assert ends == [(2, 10), (10, 2), (10, 18), (18, 10)]
    assert (10, 10) in set(zip(*points["branch_cells"], strict=True)) and points["skeleton"].sum() == 33
