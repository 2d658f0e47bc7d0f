"""Colony measures of grown colonies: a run's pictures frame by frame, the network's counts beside them."""

import numpy as np
import pytest
import xarray as xr

from mfn import MyceliumParams, ParameterError, colony_metrics
from mfn.analysis.colony import final_colony_attrs
from mfn.models.mycelium.stepper import MyceliumStepper


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
