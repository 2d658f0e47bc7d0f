"""The flat table of a sweep: one row per run, every parameter a column."""

import pandas as pd
import pytest
import xarray as xr

from mfn import ParameterError
from mfn.analysis.features import FEATURE_NAMES
from mfn.sweeps.driver import sweep
from mfn.sweeps.table import to_parquet, to_table


@pytest.fixture(scope="module")
def cube():
    return sweep(
        {"steps": [3, 5], "boundary": ["neumann", "dirichlet"]},
        [1, 0],
        base={"grid_size": (6, 9)},
        client="synchronous",
        progress=False,
    )


def test_one_row_per_run_with_every_parameter(cube):
    table = to_table(cube)
    assert len(table) == 8 and table.run_id.tolist() == list(range(8))
    assert table.columns[:4].tolist() == ["run_id", "seed", "steps", "boundary"]
    assert {"alpha", "turing", "jitter_var", "mfn_version", "lyapunov", *FEATURE_NAMES} <= set(table.columns)
    assert table.grid_size.unique().tolist() == ["[6, 9]"]  # a non-square base grid, as text
    first = table.iloc[0]
    assert (first.steps, first.boundary, first.seed) == (3, "neumann", 1)  # seeds keep the order given
    assert float(first.D_box) == float(cube.D_box.sel(steps=3, boundary="neumann", seed=1))


def test_parquet_round_trip(cube, tmp_path):
    path = to_parquet(cube, tmp_path / "sub" / "t.parquet")
    back = pd.read_parquet(path)
    pd.testing.assert_frame_equal(back, to_table(cube), check_dtype=False)


def test_only_sweep_cubes():
    with pytest.raises(ParameterError, match="cube = 'Dataset' is invalid; valid: a sweep datacube"):
        to_table(xr.Dataset({"x": ("t", [1.0])}))
