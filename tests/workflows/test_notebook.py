"""mfn.workflows.notebook: papermill execution on a real python3 kernel, a bad parameter stopped in its cell."""

from pathlib import Path

import papermill
import pytest
import xarray as xr
from papermill.exceptions import PapermillExecutionError

import mfn
from mfn.core.errors import ParameterError
from mfn.workflows.html_export import export_html
from mfn.workflows.notebook import NotebookFailed, execute, result_path

DATA = Path(__file__).parents[1] / "data"
PROBE = DATA / "probe.ipynb"
ROOT = Path(__file__).parents[2]


def test_unknown_parameter_is_refused_before_any_kernel_starts(tmp_path):
    with pytest.raises(ParameterError, match="unknown parameters: step"):
        execute(PROBE, tmp_path / "out.ipynb", {"step": 4})
    assert not (tmp_path / "out.ipynb").exists()


def test_execute_runs_the_notebook_and_writes_its_result(tmp_path):
    done = execute(PROBE, tmp_path / "run.ipynb", {"steps": 30, "seed": 2, "output_dir": str(tmp_path / "o")}, ipc=True)
    expected = mfn.simulate(mfn.FieldParams(grid_size=8, steps=30, seed=2), record_every=None)
    result = xr.load_dataset(result_path(tmp_path / "o"), engine="h5netcdf")
    assert int(result.growth_events) == expected.attrs["growth_events_total"]
    assert float(result.V_mean) == pytest.approx(float(expected.V_mean[-1]), abs=1e-12)
    assert done.parameters["steps"] == 30 and done.duration_s > 0
    html = export_html(done.output)
    assert html.suffix == ".html" and f"growth events {expected.attrs['growth_events_total']}" in html.read_text()


def test_bad_parameter_stops_in_the_validation_cell(tmp_path):
    with pytest.raises(NotebookFailed) as info:
        execute(PROBE, tmp_path / "bad.ipynb", {"steps": 500, "output_dir": str(tmp_path / "o")})
    err = info.value
    # cell 3 of the executed copy: markdown, parameters, injected parameters, validation
    assert err.ename == "ParameterError" and err.cell_index == 3
    assert "steps = 500 is invalid; valid: an integer with 1 <= steps <= 100" in err.evalue
    assert "check_int" in err.source
    assert (tmp_path / "bad.ipynb").is_file() and not result_path(tmp_path / "o").exists()


def test_papermill_reports_the_parameter_error_of_a_real_notebook(tmp_path):
    with pytest.raises(PapermillExecutionError) as info:
        papermill.execute_notebook(
            str(ROOT / "notebooks" / "field_simulation.ipynb"),
            str(tmp_path / "out.ipynb"),
            parameters={"alpha": 0.3, "output_dir": str(tmp_path / "o")},
            kernel_name="python3",
            cwd=str(ROOT / "notebooks"),
            progress_bar=False,
        )
    assert info.value.ename == "ParameterError"
    assert "alpha = 0.3 is invalid; valid: a finite real number with 0 < alpha < 0.25" in str(info.value)
