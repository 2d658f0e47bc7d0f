"""The reaction-diffusion summaries on planted patterns with known answers."""

import numpy as np
import pytest
import xarray as xr

from mfn import ParameterError
from mfn.models.reaction_diffusion.summaries import SUMMARIES, observe, spot_count


def test_spots_split_by_a_periodic_edge_count_once():
    u = np.zeros((16, 16))
    u[2:5, 2:5] = 1.0  # one spot inside
    u[7:9, 0:2] = 1.0  # one spot cut by the left/right edge
    u[7:9, 14:16] = 1.0
    u[0, 8:10] = 1.0  # one cut by the top/bottom edge
    u[15, 8:10] = 1.0
    assert spot_count(u, periodic=True) == 3
    assert spot_count(u, periodic=False) == 5


def test_summaries_of_a_planted_stripe_pattern():
    x = np.arange(64)
    u = 1.0 + 0.5 * np.cos(2 * np.pi * 8 * x / 64)[None, :] * np.ones((64, 1))
    values = {s.name: s.value(observe(u)) for s in SUMMARIES.summaries}
    assert values["wavelength"] == 8.0
    assert values["amplitude"] == pytest.approx(0.5 / np.sqrt(2))
    assert values["level"] == pytest.approx(1.0)
    # an image does not wrap: the stripe across x = 0 is two regions; on a periodic run's lattice it is one
    assert values["spot_density"] == pytest.approx(1000 * 9 / 64**2)
    run_like = xr.Dataset({"u": (("y", "x"), u)}, attrs={"model": "reaction_diffusion", "boundary": "periodic"})
    assert SUMMARIES.select(["spot_density"])[0].value(observe(run_like)) == pytest.approx(1000 * 8 / 64**2)


@pytest.mark.parametrize(
    "data",
    [
        lambda u: u,
        lambda u: xr.DataArray(u, dims=("y", "x")),
        lambda u: xr.DataArray(u[None], dims=("time", "y", "x")),
        lambda u: xr.Dataset({"u": (("y", "x"), u)}),
    ],
)
def test_a_pattern_may_be_given_as_an_array_a_dataarray_or_a_dataset(data):
    u = np.random.default_rng(0).random((8, 8))
    np.testing.assert_array_equal(observe(data(u)).u.values, u)


@pytest.mark.parametrize(
    ("data", "fragment"),
    [
        (np.zeros((3, 3, 3)), "a 2-D pattern"),
        (np.zeros((2, 8)), "at least 4 x 4"),
        (xr.Dataset({"v": ("x", [1.0])}), "0-d variables"),
        ([1, 2], "a reaction-diffusion run"),
    ],
)
def test_data_without_a_pattern_is_refused(data, fragment):
    with pytest.raises(ParameterError, match="observed") as err:
        observe(data)
    assert fragment in str(err.value)
