"""HyphalNetwork: construction checks, the network at a time, and its round trips."""

import numpy as np
import pytest

from mfn import ParameterError
from mfn.hyphae.network import HyphalNetwork, load_network


@pytest.fixture
def branched():
    """A hypha along x (nodes 0-1-2 at 0, 1, 2 h) and a branch from node 1 up y at 3 h."""
    return HyphalNetwork(
        x=[0.0, 100.0, 200.0, 100.0],
        y=[0.0, 0.0, 0.0, 50.0],
        t=[0.0, 1.0, 2.0, 3.0],
        edges=[[0, 1], [1, 2], [1, 3]],
        hypha=[0, 0, 1],
        cut=[False, False, True, False],
        field=(0.0, 0.0, 200.0, 200.0),
        attrs={"source": "test"},
    )


def test_lengths_degrees_and_link_times(branched):
    np.testing.assert_allclose(branched.lengths, [100.0, 100.0, 50.0])
    np.testing.assert_array_equal(branched.degree(), [1, 3, 1, 1])
    np.testing.assert_array_equal(branched.edge_t, [1.0, 2.0, 3.0])
    np.testing.assert_array_equal(branched.times, [0.0, 1.0, 2.0, 3.0])


@pytest.mark.parametrize(
    ("time", "nodes", "links", "length"),
    [(-1, 0, 0, 0.0), (0.5, 1, 0, 0.0), (2.0, 3, 2, 200.0), (2.99, 3, 2, 200.0), (3.0, 4, 3, 250.0)],
)
def test_the_network_at_a_time(branched, time, nodes, links, length):
    net = branched.at(time)
    assert (net.n_nodes, net.n_edges) == (nodes, links)
    assert net.lengths.sum() == pytest.approx(length)
    assert net.field == branched.field and net.attrs == branched.attrs


def test_at_renumbers_links_onto_the_kept_nodes():
    net = HyphalNetwork([0, 9, 1], [0, 9, 0], [0.0, 5.0, 1.0], [[0, 2], [2, 1]], [7, 7]).at(1.0)
    np.testing.assert_array_equal(net.edges, [[0, 1]])
    np.testing.assert_array_equal(net.x, [0.0, 1.0])
    assert list(net.hypha) == [7]


def test_networkx_round_trip(branched):
    g = branched.to_networkx()
    assert g.nodes[3] == {"x": 100.0, "y": 50.0, "t": 3.0, "cut": False}
    assert g.edges[1, 3]["hypha"] == 1 and g.graph["field"] == (0.0, 0.0, 200.0, 200.0)
    back = HyphalNetwork.from_networkx(g)
    np.testing.assert_array_equal(back.x, branched.x)
    np.testing.assert_array_equal(back.cut, branched.cut)
    assert sorted(map(tuple, back.edges)) == sorted(map(tuple, branched.edges))
    assert back.attrs == {"source": "test"}


@pytest.mark.parametrize("suffix", [".nc", ".zarr"])
def test_save_and_load(branched, tmp_path, suffix):
    ds = branched.to_xarray()
    assert ds.node_x.attrs["units"] == "µm" and ds.node_t.attrs["units"] == "h"
    assert all("long_name" in ds[v].attrs for v in ds.data_vars)
    back = load_network(branched.save(tmp_path / f"net{suffix}"))
    for name in ("x", "y", "t", "edges", "hypha", "cut"):
        np.testing.assert_array_equal(getattr(back, name), getattr(branched, name))
    assert back.field == branched.field and back.attrs["source"] == "test"


@pytest.mark.parametrize(
    ("kwargs", "parameter"),
    [
        ({"edges": [[0, 5]]}, "edges"),
        ({"edges": [[1, 1]]}, "edges"),
        ({"edges": [[0, 1, 2]]}, "edges"),
        ({"t": [0.0, np.nan]}, "node_t"),
        ({"y": [0.0]}, "node_y"),
        ({"hypha": [0, 1]}, "edge_hypha"),
        ({"hypha": [0.5]}, "edge_hypha"),
        ({"field": (10, 0, 0, 10)}, "field"),
    ],
)
def test_bad_input_names_the_parameter(kwargs, parameter):
    base = {"x": [0.0, 1.0], "y": [0.0, 0.0], "t": [0.0, 1.0], "edges": [[0, 1]], "hypha": [0]}
    with pytest.raises(ParameterError, match=parameter):
        HyphalNetwork(**{**base, **kwargs})


def test_bad_save_path(branched, tmp_path):
    with pytest.raises(ParameterError, match="path"):
        branched.save(tmp_path / "net.txt")


def test_a_run_holding_a_network_reads_as_one(branched):
    import xarray as xr

    run = branched.to_xarray().assign(V=(("time", "y", "x"), np.zeros((2, 3, 3))))
    run.attrs.update(model="mycelium", steps=10)
    net = HyphalNetwork.from_xarray(run)
    np.testing.assert_array_equal(net.edges, branched.edges)
    assert net.attrs["model"] == "mycelium" and isinstance(run, xr.Dataset)


def test_from_field_marks_ends_near_the_border(branched):
    net = HyphalNetwork.from_field(
        branched.x, branched.y, branched.t, branched.edges, branched.hypha, field=(0.0, -10.0, 205.0, 60.0), margin=8.0
    )
    # ends: node 0 at x = 0 (on the border), node 2 at x = 200 (5 µm in), node 3 at y = 50 (10 µm in)
    np.testing.assert_array_equal(net.cut, [True, False, True, False])
    assert net.attrs["edge_margin_um"] == 8.0
