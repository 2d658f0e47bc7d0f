"""Shape measures of occupancy masks against shapes whose answers are known."""

import numpy as np
import pytest

from mfn.analysis.colony_shape import colony_radius, edge_distance, lacunarity, occupancy_mask, reach, roundness
from mfn.core.errors import ParameterError


def test_roundness_of_a_disk_a_half_disk_and_an_off_centre_disk():
    yy, xx = np.mgrid[:101, :101]
    r = np.hypot(yy - 50, xx - 50)
    assert roundness(r <= 40, (50, 50)) > 0.97
    assert roundness((r <= 40) & (xx >= 50), (50, 50)) == 0.0  # the -x sectors are empty
    # a disk of radius 40 centred 20 cells to +x: sector radii from ~20 (-x) to ~60 (+x)
    shifted = np.hypot(yy - 50, xx - 70) <= 40
    assert 0.3 < roundness(shifted, (50, 50)) < 0.5
    assert roundness(np.zeros((8, 8)), (4, 4)) == 0.0


def test_lacunarity_is_1_for_a_full_plate_and_larger_for_a_sparse_one():
    assert lacunarity(np.ones((32, 32)), 8) == pytest.approx(1.0)
    sparse = np.zeros((32, 32))
    sparse[::8, ::8] = 1
    assert lacunarity(sparse, 4) > 3.0
    assert lacunarity(np.zeros((8, 8)), 4) == 0.0
    with pytest.raises(ParameterError, match="box"):
        lacunarity(np.ones((8, 8)), 9)


def test_reach_radius_and_edge_distance_of_a_disk_on_a_plate():
    yy, xx = np.mgrid[:64, :48]
    colony = np.hypot(yy - 20, xx - 30) <= 10
    colony[20, 45] = True  # one stray cell 15 cells out
    assert colony_radius(colony, (20, 30)) == pytest.approx(15.0)  # the farthest cell, stray or not
    assert reach(colony, (20, 30)) == pytest.approx(10.0)  # the 99th percentile: the disk's edge
    assert reach(np.zeros((8, 8)), (4, 4)) == colony_radius(np.zeros((8, 8), bool), (4, 4)) == 0.0
    assert edge_distance((64, 48), (20, 30)) == 17.0  # to column 47


def test_a_mask_that_is_not_2d_is_refused_by_name():
    with pytest.raises(ParameterError, match=r"mask = 'array of shape \(4,\)' is invalid; valid: a 2-D"):
        occupancy_mask("mask", np.ones(4))
    assert occupancy_mask("mask", [[0, 2], [1, 0]]).tolist() == [[False, True], [True, False]]
