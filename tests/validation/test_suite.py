import pandas as pd
import pytest

from mfn.cli import main
from mfn.validation.suite import EXPERIMENTS, nernst_matches_literature, nernst_sign, threshold_sensitivity, validate


@pytest.fixture(scope="module")
def table():
    return validate()


@pytest.mark.slow
def test_every_experiment_passes(table):
    assert list(table.columns) == ["name", "expectation", "measured", "passed"]
    assert table["passed"].dtype == bool
    assert len(table) == len(EXPERIMENTS) == 17
    failed = table.loc[~table.passed, ["name", "measured"]]
    assert failed.empty, failed.to_string()


@pytest.mark.slow
def test_groups_follow_spec_section_7(table):
    groups = table.name.str.split(":").str[0].value_counts().to_dict()
    assert groups == {"control": 6, "invariant": 5, "falsification": 4, "finding": 2}


@pytest.mark.slow
def test_turing_row_reports_the_default_kinetics_honestly(table):
    row = table.set_index("name").loc["control: Turing on differs from off"]
    assert "default kinetics: 0 activations" in row.measured
    assert "never fires" in row.expectation


def test_threshold_sensitivity_shows_both_modes():
    _, _, measured, passed = threshold_sensitivity()
    assert passed and "fixed: D_box 0.000, f_active 0.000, clusters 0" in measured and "adaptive" in measured


@pytest.mark.parametrize("experiment", [nernst_matches_literature, nernst_sign])
def test_fast_experiments_pass_on_their_own(experiment):
    assert experiment()[3] is True


@pytest.mark.slow
def test_mfn_validate_prints_the_table_and_writes_csv(tmp_path, capsys):
    out = tmp_path / "validation.csv"
    assert main(["validate", "--csv", str(out)]) == 0
    text = capsys.readouterr().out
    assert "17/17 passed" in text and "PASS  finding: threshold sensitivity" in text
    saved = pd.read_csv(out)
    assert saved.passed.all() and len(saved) == 17
