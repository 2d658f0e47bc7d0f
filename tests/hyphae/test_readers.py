"""The published binary format (mfn/hyphae/readers.py): the three shared experiments and bad files."""

import numpy as np
import pytest

import mfn
from mfn import ParameterError, read_network
from mfn.hyphae.readers import BRANCH_RECORD, COORDINATE_RECORD


def write(tmp_path, nodes, links, name="x"):
    coords = np.array(nodes, dtype=COORDINATE_RECORD)
    branches = np.array(links, dtype=BRANCH_RECORD)
    c, b = tmp_path / f"{name}_coordinates.txt", tmp_path / f"{name}_branches.txt"
    coords.tofile(c)
    branches.tofile(b)
    return c, b


NODES = [(7, 10.0, 20.0, 1), (-3, 13.0, 24.0, 2), (5, 13.0, 30.0, 3)]
LINKS = [(4, 7, -3), (4, -3, 5)]


def test_a_small_file_in_calibrated_units(tmp_path):
    c, _ = write(tmp_path, NODES, LINKS)
    net = read_network(c, px_um=2.0, frame_h=0.5)  # branches found beside the coordinates
    np.testing.assert_array_equal(net.x, [20.0, 26.0, 26.0])
    np.testing.assert_array_equal(net.t, [0.5, 1.0, 1.5])
    np.testing.assert_array_equal(net.edges, [[0, 1], [1, 2]])
    np.testing.assert_array_equal(net.hypha, [4, 4])
    assert net.lengths.sum() == pytest.approx(2.0 * (5.0 + 6.0))
    assert net.field == (0.0, 0.0, 26.0, 60.0) and net.attrs["first_frame"] == 1


@pytest.mark.parametrize(
    ("fault", "match"),
    [
        ("truncated coordinates", r"coordinates = .*x_coordinates\.txt.*not a whole number of records"),
        ("truncated branches", r"branches = .*x_branches\.txt.*not a whole number of records"),
        ("empty", r"coordinates = .*empty"),
        ("missing node", r"branches = .*missing nodes, e\.g\. node 99"),
        ("negative frame", r"coordinates = .*frame -2"),
        ("float frame", r"coordinates = .*float64"),
        ("repeated id", r"coordinates = .*node id 7 is repeated"),
        ("self link", r"branches = .*node 7 links to itself"),
        ("nan position", r"coordinates = .*NaN"),
    ],
)
def test_bad_files_name_the_file_and_the_fault(tmp_path, fault, match):
    nodes, links = list(NODES), list(LINKS)
    if fault == "missing node":
        links[1] = (4, -3, 99)
    elif fault == "negative frame":
        nodes[0] = (7, 10.0, 20.0, -2)
    elif fault == "float frame":
        nodes[0] = (7, 10.0, 20.0, np.array(3.0).view(np.int64))  # t written as float64
    elif fault == "repeated id":
        nodes[1] = (7, 13.0, 24.0, 2)
    elif fault == "self link":
        links[0] = (4, 7, 7)
    elif fault == "nan position":
        nodes[2] = (5, np.nan, 30.0, 3)
    c, b = write(tmp_path, nodes, links)
    if fault == "truncated coordinates":
        c.write_bytes(c.read_bytes()[:-5])
    elif fault == "truncated branches":
        b.write_bytes(b.read_bytes() + b"\0")
    elif fault == "empty":
        c.write_bytes(b"")
    with pytest.raises(ParameterError, match=match):
        read_network(c, b)


@pytest.mark.parametrize(
    ("kwargs", "name"),
    [({"px_um": 0.0}, "px_um"), ({"px_um": -1.6}, "px_um"), ({"frame_h": 0}, "frame_h"), ({"margin": -1.0}, "margin")],
)
def test_bad_calibration(tmp_path, kwargs, name):
    c, b = write(tmp_path, NODES, LINKS)
    with pytest.raises(ParameterError, match=name):
        read_network(c, b, **kwargs)


def test_missing_files(tmp_path):
    with pytest.raises(ParameterError, match=r"coordinates.*no such file"):
        read_network(tmp_path / "none_coordinates.txt")
    c, b = write(tmp_path, NODES, LINKS)
    b.unlink()
    with pytest.raises(ParameterError, match=r"branches.*no such file"):
        read_network(c)


EXPECTED = {  # nodes, links, hyphae, first and last frame (the data's README)
    "M2WT_200610": (119_308, 120_608, 2_793, 1, 65),
    "M2WT_200616": (77_848, 78_605, 1_713, 1, 55),
    "M2WT_210304": (89_011, 90_364, 2_568, 5, 60),
}


@pytest.mark.parametrize("name", sorted(EXPECTED))
def test_the_three_shared_experiments(podospora, name):
    net = podospora[name]
    nodes, links, hyphae, first, last = EXPECTED[name]
    assert (net.n_nodes, net.n_edges, np.unique(net.hypha).size) == (nodes, links, hyphae)
    assert net.t.min() == pytest.approx(first * 0.3) and net.t.max() == pytest.approx(last * 0.3)
    assert 6_000 < net.field[2] < 10_000 and 6_000 < net.field[3] < 10_000  # about 7-9 mm
    assert net.cut.sum() <= 5  # the farthest tips; no row of ends lines a side of the field


def test_length_over_time_agrees_with_plain_numpy(podospora):
    import os

    path = os.path.join(os.environ["MFN_DATA_DIR"], "podospora_anserina", "M2WT_200616_")
    c = np.fromfile(path + "coordinates.txt", dtype=[("n", "<i8"), ("x", "<f8"), ("y", "<f8"), ("t", "<i8")])
    b = np.fromfile(path + "branches.txt", dtype="<i8").reshape(-1, 3)
    where = {n: i for i, n in enumerate(c["n"])}
    u, v = np.array([where[n] for n in b[:, 1]]), np.array([where[n] for n in b[:, 2]])
    length = np.hypot(c["x"][u] - c["x"][v], c["y"][u] - c["y"][v]) * 1.6
    frame = np.maximum(c["t"][u], c["t"][v])
    expected = np.array([length[frame <= f].sum() for f in range(1, 56)]) / 1000.0
    measured = mfn.network_metrics(podospora["M2WT_200616"]).total_length.values
    np.testing.assert_allclose(measured, expected, rtol=0, atol=1e-9)
