"""mfn.network_metrics and its summaries (mfn/hyphae/metrics.py): layout, units, known answers, real data."""

import numpy as np
import pytest

import mfn
from mfn import ParameterError, network_metrics, network_summaries
from mfn.bench.networks import counts_per_frame


@pytest.fixture(scope="module")
def planted_metrics(planted):
    return network_metrics(planted)


def test_every_variable_has_units_and_a_long_name(planted_metrics):
    for name, var in {**planted_metrics.data_vars, **planted_metrics.coords}.items():
        assert var.attrs.get("units") and var.attrs.get("long_name"), name
    assert planted_metrics.total_length.attrs["units"] == "mm"
    assert planted_metrics.apex_speed.attrs["units"] == "µm/min"
    assert planted_metrics.length_rate.attrs["window_h"] == [8.5 / 3, 8.5]


def test_planted_answers(planted_metrics):
    last = planted_metrics.isel(time=-1)
    assert float(last.total_length) == pytest.approx((1000 + 400 + 300 + 200 * np.sin(np.pi / 3)) / 1000, abs=1e-12)
    assert (int(last.free_ends), int(last.branch_points), int(last.anastomoses)) == (4, 4, 1)
    assert float(last.growth_unit) == pytest.approx(float(last.total_length) * 1000 / 4)
    np.testing.assert_allclose(np.sort(planted_metrics.branching_angle.values), [60.0, 90.0, 150.0], atol=1e-9)
    summary = network_summaries(planted_metrics)
    assert summary["angle_q50"] == pytest.approx(90.0) and summary["speed_q50"] == pytest.approx(2.0)
    assert set(summary) >= {"length_rate", "free_end_rate", "growth_unit", "mass_dimension", "box_dimension"}


def test_chosen_times_and_window(planted):
    ds = network_metrics(planted, times=[4.0, 2.0, 3.0], window=(2.0, 4.0))
    np.testing.assert_array_equal(ds.time, [2.0, 3.0, 4.0])
    assert float(ds.total_length[0]) == pytest.approx(0.24)
    assert ds.length_rate.attrs["points"] == 3
    # distributions describe the network at the last time asked for: one branch by 4 h
    np.testing.assert_allclose(ds.branching_angle.values, [60.0], atol=1e-9)
    assert float(ds.apex_speed_time.max()) <= 4.0


@pytest.mark.parametrize(
    ("kwargs", "name"),
    [
        ({"times": []}, "times"),
        ({"times": [np.nan]}, "times"),
        ({"window": (5.0, 1.0)}, "window"),
        ({"angle_length": 0.0}, "angle_length"),
        ({"radial_bin": -5.0}, "radial_bin"),
        ({"radius_fraction": 1.5}, "radius_fraction"),
        ({"box_sizes": [10.0, 5.0]}, "box_sizes"),
        ({"centre": (1.0,)}, "centre"),
    ],
)
def test_bad_settings_name_themselves(planted, kwargs, name):
    with pytest.raises(ParameterError, match=name):
        network_metrics(planted, **kwargs)


def test_not_a_network():
    with pytest.raises(ParameterError, match="network"):
        network_metrics("M2WT_200610")
    with pytest.raises(ParameterError, match="at least one link"):
        network_metrics(mfn.HyphalNetwork([0.0], [0.0], [0.0], [], []))


@pytest.fixture(scope="module")
def measured(podospora):
    return {name: network_metrics(net) for name, net in podospora.items()}


@pytest.mark.parametrize("name", ["M2WT_200610", "M2WT_200616", "M2WT_210304"])
def test_the_shared_experiments_grow_as_published(measured, name):
    s = network_summaries(measured[name])
    ds = measured[name]
    # L and N grow exponentially at about 0.3-0.36 /h, nearly the same rate (data README, MODELS.md 5)
    assert 0.28 < s["length_rate"] < 0.40 and 0.26 < s["free_end_rate"] < 0.40
    assert float(ds.length_rate_low) < s["length_rate"] < float(ds.length_rate_high)
    assert abs(s["length_rate"] - s["free_end_rate"]) < 0.05
    assert 400.0 < s["growth_unit"] < 500.0  # µm
    assert 1.5 < s["speed_q50"] < 2.5  # µm/min
    assert 75.0 < s["angle_q50"] < 95.0 and ds.branching_angle.size > 1000
    assert 1.6 < s["box_dimension"] < 1.95 and 1.6 < s["mass_dimension"] < 2.0
    assert int(ds.anastomoses[-1]) > 500 and int(ds.components[-1]) == 1


def test_vectorised_counts_equal_a_per_frame_recount_on_real_data(podospora):
    net = podospora["M2WT_200616"]
    times = net.times[::6]
    fast = network_metrics(net, times=times)
    slow = counts_per_frame(net, times)
    np.testing.assert_allclose(fast.total_length.values * 1000, slow["total_length"], rtol=1e-12)
    for name in ("free_ends", "branch_points", "anastomoses", "components"):
        np.testing.assert_array_equal(fast[name].values, slow[name], err_msg=name)
