"""The mycelium's measures: tips, free ends, branch points, hyphal length and the growth unit of a
finished run, counted on its network by the functions mfn.network_metrics uses."""

import math

import numpy as np
import pytest

import mfn


@pytest.fixture(scope="module")
def run():
    return mfn.simulate(mfn.MyceliumParams(grid_size=96, steps=300, seed=2), record_every=None)


def test_the_measures_are_the_final_networks(run):
    net = mfn.hyphal_network(run)
    end = float(net.t.max())
    metrics = mfn.network_metrics(net, times=[end])
    last = metrics.isel(time=-1)
    assert run.attrs["live_tips"] == float(run.tips.isel(time=-1)) > 0
    assert run.attrs["free_ends"] == float(last.free_ends) > 0
    assert run.attrs["branch_points"] == float(last.branch_points) > 0
    assert run.attrs["hyphal_length"] == pytest.approx(float(last.total_length), rel=1e-12)  # mm
    assert run.attrs["growth_unit"] == pytest.approx(float(last.growth_unit), rel=1e-12)  # µm
    assert 100.0 < run.attrs["growth_unit"] < 2000.0


def test_the_measures_carry_units():
    from mfn.core.model import get_model

    units = {m.name: m.units for m in get_model("mycelium").measures}
    assert units == {
        "live_tips": "1",
        "free_ends": "1",
        "branch_points": "1",
        "hyphal_length": "mm",
        "growth_unit": "µm",
    }


def test_without_a_free_end_the_growth_unit_is_nan():
    from mfn.models.mycelium.model import MEASURES
    from mfn.models.mycelium.stepper import MyceliumStepper

    stepper = MyceliumStepper(mfn.MyceliumParams(grid_size=16, steps=5))  # germ tubes not yet grown
    growth_unit = next(m for m in MEASURES if m.name == "growth_unit")
    assert math.isnan(growth_unit.compute(stepper))
    assert np.isfinite(next(m for m in MEASURES if m.name == "live_tips").compute(stepper))


def test_the_calibration_summaries_read_the_network_imaged_every_18_minutes(run, podospora):
    from mfn.core.model import get_model
    from mfn.core.summaries import summary_values
    from mfn.hyphae.simulated import imaged_network

    summaries = get_model("mycelium").summaries
    chosen = summaries.select(None)
    measured = summaries.measure(run)
    assert np.allclose(np.unique(imaged_network(run).t) / 0.3, np.round(np.unique(imaged_network(run).t) / 0.3))
    values = summary_values(chosen, measured)
    expected = mfn.network_summaries(mfn.network_metrics(imaged_network(run)))
    assert values == {k: pytest.approx(expected[k], nan_ok=True) for k in values}
    observed = summary_values(chosen, summaries.observe(podospora["M2WT_200610"]))
    assert 0.3 < observed["length_rate"] < 0.4 and set(observed) == set(values)
