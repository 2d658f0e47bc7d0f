"""The shipped data: data/base.zarr is the `base` sweep, unchanged and reproducible."""

import re
from pathlib import Path

import numpy as np
import pytest

from mfn.core.model import get_model
from mfn.sweeps.driver import sweep
from mfn.sweeps.integrity import store_checksum
from mfn.sweeps.presets import sweep_preset
from mfn.sweeps.store import load_cube

DATA = Path(__file__).resolve().parent.parent / "data"
RUN_DEPENDENT = ["duration_s", "created"]


@pytest.fixture(scope="module")
def shipped():
    return load_cube(DATA / "base.zarr")


def test_checksum_matches_the_readme():
    readme = (DATA / "README.md").read_text()
    documented = re.search(r"```\n([0-9a-f]{64})\n```", readme).group(1)
    assert store_checksum(DATA / "base.zarr") == documented


def test_it_is_the_complete_base_sweep(shipped):
    grid = sweep_preset("base").sweep_grid()
    assert dict(shipped.sizes) == dict(zip(grid.dims, grid.shape, strict=True))
    assert {k: shipped[k].values.tolist() for k in grid.dims} == grid.coords()
    assert set(shipped.status.values.ravel()) == {"ok"}
    assert shipped.attrs["mfn_sweep"] == grid.to_json()


@pytest.mark.parametrize("grid_size", [32, 64])
def test_a_regenerated_slice_equals_the_shipped_values(shipped, grid_size):
    grid = {"grid_size": [grid_size], "steps": [50], "alpha": [0.1, 0.2], "turing": [True, False]}
    again = sweep(grid, seeds=[2], client="synchronous", progress=False)
    expected = shipped.sel(grid_size=[grid_size], steps=[50], alpha=[0.1, 0.2], seed=[2])
    # measures the model declared after the store was made are the only variables it lacks
    assert set(again.data_vars) - set(expected.data_vars) == {m.name for m in get_model("classic").measures}
    for name in expected.data_vars:
        if name in RUN_DEPENDENT or name == "run_id":
            continue
        a, b = again[name].values, expected[name].values
        if a.dtype == object:
            assert a.tolist() == b.tolist(), name
        else:  # bit-identical on this machine; BLAS dot products may differ in the last bits elsewhere
            np.testing.assert_allclose(a, b, rtol=1e-9, atol=1e-12, err_msg=name)


def test_a_store_made_before_models_were_plug_ins_still_resumes(tmp_path, shipped):
    """data/base.zarr predates the model protocol; resuming it finds every run done and changes nothing."""
    import shutil

    store = tmp_path / "base.zarr"
    shutil.copytree(DATA / "base.zarr", store)
    resumed = sweep(sweep_preset("base").sweep_grid(), store=store, client="synchronous", progress=False)
    names = [n for n in shipped.data_vars if n not in RUN_DEPENDENT]
    for name in names:
        assert np.array_equal(resumed[name].values, shipped[name].values), name
    assert resumed.attrs["runs_ok"] == 72
    assert resumed.attrs["missing_measures"] == [m.name for m in get_model("classic").measures]
