"""Box counting of network geometry as local slopes (mfn/hyphae/boxes.py)."""

import numpy as np
import pytest

from mfn.hyphae.boxes import box_counts, sample_points

SIZES = 10.0 * 2.0 ** np.arange(7)  # 10 .. 640 µm: each divides the 2560 µm fields below


def test_points_along_links_are_at_most_the_spacing_apart(build):
    net = build([{"start": (0.0, 0.0), "angle": 30.0, "length": 100.0, "birth": 0.0}])
    x, y = sample_points(net, 2.5)
    r = np.sort(np.hypot(x, y))
    assert r[0] == 0.0 and r[-1] == pytest.approx(100.0)
    assert np.diff(r).max() <= 2.5 + 1e-9


def test_a_straight_hypha_has_dimension_one(build):
    net = build([{"start": (0.0, 0.0), "angle": 0.0, "length": 2550.0, "birth": 0.0}], field=(0.0, -5.0, 2560.0, 5.0))
    box = box_counts(net, SIZES, (10.0, 640.0))
    np.testing.assert_array_equal(box.count, 2560.0 / SIZES)
    assert box.dimension == pytest.approx(1.0, abs=1e-9)


def test_a_mesh_is_a_set_of_lines_below_its_spacing_and_fills_the_plane_above(build):
    lines = [{"start": (0.0, y), "angle": 0.0, "length": 2550.0, "birth": 0.0} for y in np.arange(0.5, 2560, 80.0)]
    net = build(lines, field=(0.0, 0.0, 2560.0, 2560.0))
    box = box_counts(net, SIZES, (160.0, 640.0))
    np.testing.assert_allclose(box.slope[box.slope_size < 80.0], 1.0, atol=1e-9)  # each box sees one line
    np.testing.assert_allclose(box.slope[box.slope_size > 160.0], 2.0, atol=1e-9)  # every box is occupied
    assert box.dimension == pytest.approx(2.0, abs=1e-9) and box.fit_range == (160.0, 640.0)
