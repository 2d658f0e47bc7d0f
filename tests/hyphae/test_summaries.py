"""Network summaries for calibration: a real fungus and a run holding a network are measured alike."""

import dataclasses
import math

import pytest
import xarray as xr

from mfn import ParameterError, network_metrics, network_summaries
from mfn.core.model import get_model
from mfn.hyphae.network import HyphalNetwork
from mfn.hyphae.summaries import DEFAULT_SUMMARIES, network_summary_set
from mfn.inference.calibration import observed_summaries


def network_in(run):
    """The network a Dataset carries (node_*/edge_* variables)."""
    return HyphalNetwork.from_xarray(run)


SUMMARIES = network_summary_set(network_in)


@pytest.fixture(scope="module")
def fungus(podospora):
    network = podospora["M2WT_200610"]
    return network, network_summaries(network_metrics(network))


def test_a_real_fungus_gives_every_default_summary(fungus):
    network, expected = fungus
    measures = SUMMARIES.observe(network)
    values = {s.name: s.value(measures) for s in SUMMARIES.select(None)}
    assert list(values) == list(DEFAULT_SUMMARIES)
    assert all(math.isfinite(v) for v in values.values()), values
    assert values == {name: expected[name] for name in DEFAULT_SUMMARIES}
    assert 0.2 < values["length_rate"] < 0.5 and 200 < values["growth_unit"] < 800  # the data's README


def test_a_network_dataset_a_run_holding_one_and_a_summary_dataset_read_alike(fungus):
    network, expected = fungus
    as_dataset = network.to_xarray()
    for observed in (as_dataset, as_dataset.assign_attrs(model="mycelium")):
        measures = SUMMARIES.observe(observed)
        assert SUMMARIES.select(["growth_unit"])[0].value(measures) == expected["growth_unit"]
    assert SUMMARIES.measure(as_dataset)["length_rate"] == network_metrics(network)["length_rate"]
    hours = network_summary_set(network_in, times=[2.0, 4.0, 6.0]).measure(as_dataset)
    assert hours.time.values.tolist() == [2.0, 4.0, 6.0]
    given = xr.Dataset({"length_rate": 0.33, "growth_unit": 450.0})
    assert SUMMARIES.select(["length_rate"])[0].value(SUMMARIES.observe(given)) == 0.33


def test_calibration_reads_a_real_network_as_observed_data(fungus):
    network, expected = fungus
    model = dataclasses.replace(get_model("mycelium"), summaries=SUMMARIES)
    measures, x0, truth = observed_summaries(model, SUMMARIES.select(None), network, {})
    assert x0 == {name: expected[name] for name in DEFAULT_SUMMARIES} and truth == {}
    assert measures.total_length.dims == ("time",)


@pytest.mark.parametrize(
    ("observed", "fragment"),
    [
        (HyphalNetwork([0.0], [0.0], [0.0], [[0, 0]][:0], []), "at least one link"),
        (xr.Dataset({"colour": 1.0}), "a HyphalNetwork"),
        ("a photograph", "a HyphalNetwork"),
    ],
)
def test_data_that_is_no_network_is_refused(observed, fragment):
    with pytest.raises(ParameterError, match="observed") as err:
        SUMMARIES.observe(observed)
    assert fragment in str(err.value)
