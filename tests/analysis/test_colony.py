"""Colony measures against shapes whose answers are known."""

import math

import numpy as np
import pytest
import xarray as xr

from mfn import MyceliumParams, ParameterError, colony_metrics
from mfn.analysis.colony import (
    final_colony_attrs,
    growth_history,
    lacunarity,
    mass_dimension,
    radial_fit,
    roundness,
    skeleton_measures,
)
from mfn.models.mycelium.stepper import MyceliumStepper


def _disk_born(size=129):
    """A disk grown ring by ring: born = integer distance from the centre."""
    yy, xx = np.mgrid[:size, :size]
    r = np.hypot(yy - size // 2, xx - size // 2)
    return np.where(r <= size // 2 - 1, np.floor(r), -1).astype(np.int64)


def _line_born(length=400):
    born = np.full((3, length), -1, np.int64)
    born[1] = np.arange(length)
    return born


def test_growth_history_counts_cells_and_their_radius_of_gyration():
    born = _line_born(10)
    steps, mass, rg = growth_history(born)
    assert steps.tolist() == list(range(10)) and mass.tolist() == list(range(1, 11))
    assert rg[-1] == pytest.approx(math.sqrt((10**2 - 1) / 12))  # a uniform line of n cells


@pytest.mark.parametrize(("born", "expected"), [(_disk_born(), 2.0), (_line_born(), 1.0)])
def test_mass_dimension_of_a_disk_is_2_and_of_a_line_is_1(born, expected):
    _, mass, rg = growth_history(born)
    d, r2 = mass_dimension(mass, rg)
    assert d == pytest.approx(expected, abs=0.03) and r2 > 0.99


def test_mass_dimension_is_0_without_enough_points():
    assert mass_dimension([1, 2], [1.0, 2.0]) == (0.0, 0.0)


def test_radial_fit_recovers_a_known_front_speed_and_skips_lag_and_edge():
    t = np.arange(100.0)
    r = np.where(t < 20, 5.0, 5.0 + 0.8 * (t - 20))
    speed, r2, frames = radial_fit(t, r, edge_distance=50.0)
    assert speed == pytest.approx(0.8) and r2 == pytest.approx(1.0)
    assert frames == int(((r > 10) & (r < 45)).sum())


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


def test_skeleton_of_a_plus_sign():
    plus = np.zeros((21, 21), bool)
    plus[10, 2:19] = True
    plus[2:19, 10] = True
    m = skeleton_measures(plus)
    assert m["endpoints"] == 4 and m["branch_points"] == 1
    assert m["hyphal_length"] == pytest.approx(32.0)
    diagonal = np.eye(12, dtype=bool)
    assert skeleton_measures(diagonal)["hyphal_length"] == pytest.approx(11 * math.sqrt(2.0))


def test_colony_metrics_of_a_grown_colony():
    import mfn

    p = MyceliumParams(grid_size=96, steps=240, seed=2)
    run = mfn.simulate(p, record_every=20)
    out = colony_metrics(run)
    s = MyceliumStepper(p, run.attrs["backend"])
    s.advance(p.steps)
    assert out.biomass.values[-1] == int(s.world.occ.sum()) and out.biomass.values[0] == 1
    assert np.all(np.diff(out.biomass.values) >= 0)
    assert out.time.values[-1] == 8.0 and out.time.attrs["units"] == "h"
    assert out.colony_radius.attrs["units"] == "µm" and out.front_speed.attrs["units"] == "µm/h"
    # the picture's farthest occupied cell centre lies within a cell's diagonal of the farthest node
    assert abs(out.colony_radius.values[-1] - s.colony_radius()) <= 25.0 * 1.5
    assert out.lateral_branchings.values[-1] == s.totals()["lateral_branchings"]
    assert 1.0 < out.attrs["box_dimension"] < 2.0 and out.attrs["radial_speed"] > 60.0  # µm/h
    final = final_colony_attrs(s.world.occ, s.world.born)
    assert out.attrs["box_dimension"] == pytest.approx(final["box_dimension"])
    # the network's counts, by the function that measures real networks, replace the skeleton's
    assert "endpoints" not in out and out.total_length.attrs["units"] == "mm"
    assert out.free_ends.values[-1] == run.attrs["free_ends"] and out.attrs["growth_unit"] == pytest.approx(
        run.attrs["growth_unit"]
    )
    assert out.attrs["length_rate"] > 0.2


def test_colony_metrics_of_occupancy_alone_measure_the_skeleton():
    import mfn

    run = mfn.simulate(MyceliumParams(grid_size=64, steps=120, seed=2), record_every=30)
    pictures = xr.Dataset({"occupied": (("time", "y", "x"), run.occupied.values)}, coords={"time": run.time.values})
    out = colony_metrics(pictures)
    assert out.time.attrs["units"] == "step" and out.colony_radius.attrs["units"] == "cells"
    assert out.endpoints.values[-1] > 0 and "free_ends" not in out


def test_colony_metrics_refuses_a_run_without_occupancy():
    with pytest.raises(ParameterError, match="run"):
        colony_metrics(xr.Dataset({"V": (("time", "y", "x"), np.zeros((2, 4, 4)))}))
