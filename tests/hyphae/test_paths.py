"""Hyphae as paths from base to tip (mfn/hyphae/paths.py)."""

import numpy as np
import pytest

from mfn.hyphae.network import HyphalNetwork
from mfn.hyphae.paths import hypha_paths


def test_arc_lengths_run_from_the_base(planted):
    paths = hypha_paths(planted)
    assert paths.n_paths == 4
    np.testing.assert_allclose(np.sort(paths.length), [200 * np.sin(np.pi / 3), 300.0, 400.0, 1000.0])
    main = np.argmax(paths.length)
    assert planted.x[paths.node[paths.start[main]]] == 0.0  # the spore end, not the tip
    assert np.all(np.diff(paths.s[paths.start[main] : paths.stop[main]]) > 0)


def test_a_fusing_hypha_starts_where_it_grew_from_not_at_the_older_node_it_met(planted):
    paths = hypha_paths(planted)
    fusing = int(np.argmin(paths.length))
    base = paths.node[paths.start[fusing]]
    assert planted.y[base] == pytest.approx(200 * np.sin(np.pi / 3))  # on branch 1, not on the main hypha


def test_points_at_arc_lengths_are_interpolated_and_clipped(planted):
    paths = hypha_paths(planted)
    main = int(np.argmax(paths.length))
    x, y = paths.point_at(np.array([main] * 3), np.array([-5.0, 123.4, 5000.0]), planted)
    np.testing.assert_allclose(x, [0.0, 123.4, 1000.0])
    np.testing.assert_allclose(y, [0.0, 0.0, 0.0], atol=1e-12)


def test_without_times_a_branch_starts_on_its_parent():
    # an image: every node at time 0; the branch's junction end is its base
    net = HyphalNetwork(
        [0, 10, 20, 10, 10], [0, 0, 0, 10, 20], [0.0] * 5, [[0, 1], [1, 2], [1, 3], [3, 4]], [0, 0, 1, 1]
    )
    paths = hypha_paths(net)
    branch = int(np.nonzero(paths.hypha == 1)[0][0])
    assert paths.node[paths.start[branch]] == 1


def test_one_hypha_id_in_two_pieces_gives_two_paths():
    net = HyphalNetwork([0, 1, 5, 6], [0, 0, 0, 0], [0.0, 1.0, 0.0, 1.0], [[0, 1], [2, 3]], [3, 3])
    paths = hypha_paths(net)
    assert paths.n_paths == 2 and list(paths.hypha) == [3, 3]
