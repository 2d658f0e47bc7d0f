"""mfn.core.netcdf: runs and other Datasets round-trip exactly; a file that is not a run is refused as one."""

import pytest
import xarray as xr

from mfn import FieldParams, ParameterError, load_run, save_run, simulate


def test_round_trip_is_exact(tmp_path):
    run = simulate(FieldParams(grid_size=(8, 10), steps=20, seed=2, turing=False), variables="all")
    path = save_run(run, tmp_path / "sub" / "run.nc")
    back = load_run(path)
    xr.testing.assert_identical(back, run)
    assert FieldParams.from_attrs(back.attrs) == FieldParams(grid_size=(8, 10), steps=20, seed=2, turing=False)


def test_plain_to_netcdf_files_load_too(tmp_path):
    run = simulate(FieldParams(grid_size=8, steps=3, spike_probability=0.0))
    run.to_netcdf(tmp_path / "plain.nc")
    xr.testing.assert_identical(load_run(tmp_path / "plain.nc"), run)


def test_failed_write_leaves_no_partial_file(tmp_path):
    with pytest.raises(ParameterError):
        save_run({"not": "a dataset"}, tmp_path / "x.nc")
    assert list(tmp_path.iterdir()) == []


@pytest.mark.parametrize("content", [None, b"garbage", "foreign"])
def test_loading_something_else_is_refused(tmp_path, content):
    path = tmp_path / "f.nc"
    if content == "foreign":
        xr.Dataset({"T": ("x", [1.0, 2.0])}).to_netcdf(path)
    elif content is not None:
        path.write_bytes(content)
    with pytest.raises(ParameterError, match="path"):
        load_run(path)


def test_save_run_refuses_a_dataset_that_is_not_a_run_and_save_dataset_takes_it(tmp_path):
    import xarray as xr

    from mfn.core.netcdf import load_dataset, save_dataset

    table = xr.Dataset({"D": ("k", [1.2, 1.5])})
    with pytest.raises(ParameterError, match="an mfn run") as info:
        save_run(table, tmp_path / "t.nc")
    assert "save_dataset" in str(info.value) and not (tmp_path / "t.nc").exists()
    save_dataset(table, tmp_path / "t.nc")
    assert load_dataset(tmp_path / "t.nc").D.values.tolist() == [1.2, 1.5]
    with pytest.raises(ParameterError, match="an mfn run"):
        load_run(tmp_path / "t.nc")


@pytest.mark.parametrize("path", [None, 3])
def test_load_refuses_what_is_not_a_path(path):
    with pytest.raises(ParameterError, match="a path") as info:
        load_run(path)
    assert info.value.parameter == "path"
