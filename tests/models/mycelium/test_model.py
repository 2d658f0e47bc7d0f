"""The mycelium's measures: tips, branch points, hyphal length and the growth unit of a finished run."""

import math

import numpy as np
import pytest

import mfn
from mfn.analysis import colony


@pytest.fixture(scope="module")
def run():
    return mfn.simulate(mfn.MyceliumParams(grid_size=64, steps=40, seed=2), record_every=None)


def test_the_measures_are_the_final_colonys(run):
    skeleton = colony.skeleton_measures(run.occupied.isel(time=-1).values == 1)
    assert run.attrs["live_tips"] == float(run.tips.isel(time=-1)) > 0
    assert run.attrs["branch_points"] == skeleton["branch_points"] > 0
    assert run.attrs["hyphal_length"] == skeleton["hyphal_length"] > run.attrs["live_tips"]
    assert run.attrs["growth_unit"] == pytest.approx(skeleton["hyphal_length"] / run.attrs["live_tips"])


def test_without_a_live_tip_the_growth_unit_is_nan():
    from mfn.models.mycelium.model import MEASURES
    from mfn.models.mycelium.stepper import MyceliumStepper

    stepper = MyceliumStepper(mfn.MyceliumParams(grid_size=16, steps=5))
    stepper.state.n_tips = 0
    growth_unit = next(m for m in MEASURES if m.name == "growth_unit")
    assert math.isnan(growth_unit.compute(stepper))


def test_without_scikit_image_the_skeleton_measures_are_nan_and_a_warning_says_why(monkeypatch):
    def missing(mask):
        raise ImportError("skeleton measures need scikit-image: pip install 'mfn[colony]'")

    monkeypatch.setattr(colony, "skeleton_measures", missing)
    monkeypatch.setattr(colony, "final_colony_attrs", lambda mask, born=None: {})
    with pytest.warns(UserWarning, match=r"growth_unit are NaN: .*mfn\[colony\]"):
        run = mfn.simulate(mfn.MyceliumParams(grid_size=16, steps=5), record_every=None)
    assert np.isnan([run.attrs[n] for n in ("branch_points", "hyphal_length", "growth_unit")]).all()
    assert run.attrs["live_tips"] >= 1
