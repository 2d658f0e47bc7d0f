"""mfn.workflows.parameters: a notebook's declared parameters, unknown ones refused, the output folder checked."""

from pathlib import Path

import pytest

from mfn.core.errors import ParameterError
from mfn.workflows.parameters import check_output_dir, check_parameters, notebook_parameters

DATA = Path(__file__).parents[1] / "data"
PROBE = DATA / "probe.ipynb"


def test_check_parameters_names_every_unknown_one():
    with pytest.raises(ParameterError) as info:
        check_parameters({"steps": 3, "sed": 1, "gridsize": 8}, ["steps", "seed", "grid_size"])
    assert info.value.parameter == "sed"
    assert "unknown parameters: sed, gridsize" in str(info.value)
    assert "one of steps, seed, grid_size" in str(info.value)


@pytest.mark.parametrize("bad", ["", "   ", 3, None])
def test_check_output_dir_refuses_non_paths(bad):
    with pytest.raises(ParameterError, match="output_dir"):
        check_output_dir(bad)


def test_check_output_dir_refuses_a_file_and_creates_folders(tmp_path):
    (tmp_path / "f").write_text("x")
    with pytest.raises(ParameterError, match="not an existing file"):
        check_output_dir(tmp_path / "f")
    assert check_output_dir(tmp_path / "a" / "b").is_dir()


def test_notebook_parameters_reads_the_annotated_defaults():
    found = notebook_parameters(PROBE)
    assert list(found) == ["steps", "seed", "limit", "output_dir"]
    assert found["steps"]["inferred_type_name"] == "int" and found["steps"]["default"] == "8"


@pytest.mark.parametrize("bad", ["missing.ipynb", "probe.txt"])
def test_notebook_parameters_refuses_missing_files(bad):
    with pytest.raises(ParameterError, match=r"an existing \.ipynb file"):
        notebook_parameters(DATA / bad)
