"""Every notebook and tutorial: its conventions, and a real papermill run on small parameters.

The small parameters and the run, shared with the offline-report test of the same notebook,
are ``SMALL_NOTEBOOKS`` and the ``notebook_run`` fixture of tests/conftest.py.
The tutorials are also executed on their defaults and compared output by output by
``pytest --nbval tutorials`` (part of ``make test``).
"""

from pathlib import Path

import nbformat
import pytest
import xarray as xr

from mfn.workflows.notebook import execute, notebook_parameters, result_path
from tests.conftest import SMALL_NOTEBOOKS

ROOT = Path(__file__).parents[2]
NOTEBOOKS = sorted((ROOT / "notebooks").glob("*.ipynb"))
TUTORIALS = sorted((ROOT / "tutorials").glob("*.ipynb"))


def _code_cells(path):
    return [c for c in nbformat.read(path, as_version=4).cells if c.cell_type == "code"]


@pytest.mark.parametrize("path", NOTEBOOKS + TUTORIALS, ids=lambda p: f"{p.parent.name}/{p.stem}")
def test_parameters_cell_then_validation_cell(path):
    first, second = _code_cells(path)[:2]
    assert first.metadata.get("tags") == ["parameters"]
    declared = notebook_parameters(path)
    assert "output_dir" in declared
    for name, info in declared.items():
        assert info["inferred_type_name"] != "None", f"{name} has no type annotation"
        assert info["help"], f"{name} has no comment saying what it is"
    assert "mfn" in second.source and ("check_" in second.source or "Params(" in second.source)


@pytest.mark.parametrize("path", NOTEBOOKS, ids=lambda p: p.stem)
def test_experiment_notebooks_are_stored_without_outputs(path):
    assert all(not c.outputs and c.execution_count is None for c in _code_cells(path))


@pytest.mark.parametrize("path", TUTORIALS, ids=lambda p: p.stem)
def test_tutorials_are_stored_executed_in_order(path):
    counts = [c.execution_count for c in _code_cells(path)]
    assert counts == list(range(1, len(counts) + 1))


def test_every_notebook_has_small_parameters_for_its_test():
    assert sorted(SMALL_NOTEBOOKS) == [p.stem for p in NOTEBOOKS]


@pytest.mark.slow
@pytest.mark.parametrize(
    "path", [pytest.param(p, id=p.stem, marks=pytest.mark.xdist_group(f"notebook-{p.stem}")) for p in NOTEBOOKS]
)
def test_notebook_runs_on_small_parameters(path, notebook_run):
    _, files = SMALL_NOTEBOOKS[path.stem]
    done = notebook_run(path.stem)
    out = Path(done.parameters["output_dir"])
    executed = nbformat.read(done.output, as_version=4)
    assert not [o for c in executed.cells if c.cell_type == "code" for o in c.outputs if o.output_type == "error"]
    for name in files:
        assert (out / name).exists(), name
    if "result.nc" in files:
        assert xr.load_dataset(result_path(out), engine="h5netcdf").data_vars


@pytest.mark.slow
@pytest.mark.parametrize(
    ("model", "model_params", "primary"),
    [("reaction_diffusion", {"kinetics": "brusselator"}, "V"), ("mycelium", {"nutrient": 3.0}, "occupied")],
)
def test_field_simulation_runs_any_model(tmp_path, model, model_params, primary):
    path = ROOT / "notebooks" / "field_simulation.ipynb"
    out = tmp_path / "out"
    params = {"model": model, "model_params": model_params, "grid_size": 32, "steps": 20, "record_every": 5}
    execute(path, tmp_path / "run.ipynb", {**params, "n_frames": 3, "output_dir": str(out)})
    result = xr.load_dataset(result_path(out), engine="h5netcdf")
    assert f"{primary}_final" in result and (out / "frames.png").exists()
    assert xr.load_dataset(out / "run.nc", engine="h5netcdf").attrs["model"] == model


def test_a_classic_parameter_with_another_model_is_refused():
    from mfn.core.errors import ParameterError
    from mfn.workflows.notebook import model_params_for

    with pytest.raises(ParameterError, match=r"alpha = 0\.2 is invalid; valid: its default 0\.18 with model") as info:
        model_params_for("mycelium", {"grid_size": 32}, {"alpha": 0.2}, {})
    assert "model_params" in str(info.value)
    with pytest.raises(ParameterError, match="kinetics"):
        model_params_for("mycelium", {"grid_size": 32}, {"alpha": 0.18}, {"kinetics": "brusselator"})
