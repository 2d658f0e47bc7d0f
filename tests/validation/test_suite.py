import ast
from pathlib import Path

import numpy as np
import pandas as pd
import pytest

from mfn.cli import main
from mfn.core.errors import ParameterError
from mfn.core.model import models
from mfn.core.rows import GROUPS, ValidationRow
from mfn.validation import classic, general
from mfn.validation.suite import COLUMNS, GENERAL_GROUPS, QUICK_GROUPS, ROWS, select, validate

TESTS = Path(__file__).resolve().parents[1]


def mutated_rows() -> dict[str, list[str]]:
    """Row name -> the tests under ``tests/`` marked ``@pytest.mark.mutation(row)`` (read from the source)."""
    found: dict[str, list[str]] = {}
    for path in TESTS.rglob("test_*.py"):
        for node in ast.walk(ast.parse(path.read_text(), str(path))):
            if not isinstance(node, ast.FunctionDef):
                continue
            for deco in node.decorator_list:
                if (
                    isinstance(deco, ast.Call)
                    and isinstance(deco.func, ast.Attribute)
                    and deco.func.attr == "mutation"
                    and deco.args
                    and isinstance(deco.args[0], ast.Constant)
                ):
                    found.setdefault(deco.args[0].value, []).append(f"{path.relative_to(TESTS)}::{node.name}")
    return found


@pytest.fixture
def table(validation_table):
    """The whole suite's table, run once per session (tests/conftest.py)."""
    return validation_table


@pytest.mark.slow
@pytest.mark.xdist_group("validation")
def test_every_row_passes(table):
    assert tuple(table.columns) == COLUMNS == ("group", "name", "claim", "measured", "limit", "passed")
    assert table["passed"].dtype == bool
    assert table["name"].is_unique
    failed = table.loc[~table.passed, ["name", "measured", "limit"]]
    assert failed.empty, failed.to_string()


@pytest.mark.slow
@pytest.mark.xdist_group("validation")
def test_general_rows_follow_spec_section_7_and_models_follow(table):
    general_rows = table.iloc[: len(ROWS)]
    assert general_rows.group.value_counts().to_dict() == {
        "control": 6,
        "invariant": 5,
        "falsification": 4,
        "finding": 2,
    }
    assert list(general_rows.name) == [row.__name__ for row in ROWS]
    assert list(general_rows.group) == [group for group, rows in GENERAL_GROUPS.items() for _ in rows]
    expected_models = [name for name, model in models().items() for _ in model.checks]
    assert list(table.group.iloc[len(ROWS) :]) == expected_models
    assert not set(expected_models) & set(GROUPS)


@pytest.mark.slow
@pytest.mark.xdist_group("validation")
def test_every_row_is_falsified_by_a_marked_test(table):
    marked = mutated_rows()
    missing = sorted(set(table.name) - set(marked))
    assert not missing, f"rows without a mutation test (@pytest.mark.mutation(row)): {missing}"
    for tests in marked.values():
        assert all("mutation" in t.rsplit("::", 1)[1] for t in tests), tests
    assert not sorted(set(marked) - set(table.name)), "mutation tests name rows that do not exist"


def test_every_general_row_is_falsified_by_a_marked_test():
    """The fast form of the check above, for the general rows (named after their functions)."""
    marked = mutated_rows()
    assert sorted(row.__name__ for row in ROWS if row.__name__ not in marked) == []
    for tests in marked.values():
        assert all("mutation" in t.rsplit("::", 1)[1] for t in tests), tests


def test_fast_rows_return_a_passing_validation_row():
    for fn in (general.nernst_matches_literature, general.nernst_sign, general.box_dimension_known_answers):
        row = fn()
        assert isinstance(row, ValidationRow) and row.name == fn.__name__ and row.group in GROUPS
        assert row.passed is True, row.measured


def test_turing_row_states_the_default_kinetics_honestly():
    row = classic.turing_on_differs_from_off()
    assert row.passed and "default kinetics: 0 activations, mean |V_on - V_off| = 0 mV" in row.measured
    assert "never fires" in row.claim


def test_threshold_row_checks_the_all_zero_result_against_a_white_noise_control():
    row = classic.threshold_sensitivity()
    assert row.passed and "structural features all 0: True" in row.measured and "shuffled fields" in row.measured


def test_stability_rows_see_before_the_clamp():
    row = classic.thousand_steps_are_stable()
    assert row.passed and "0 clamped cell-steps" in row.measured and "excess 0 mV" in row.measured
    noise = classic.noise_run_is_sound()
    assert noise.passed and "of which the clamp +" in noise.measured  # the clamp's upward push is stated


def test_mfn_validate_quick_prints_the_general_rows_and_writes_csv(tmp_path, capsys):
    """``--quick``: the controls, invariants, falsification attempts and findings, no model's own rows."""
    out = tmp_path / "validation.csv"
    assert main(["validate", "--quick", "--csv", str(out)]) == 0
    text = capsys.readouterr().out
    assert f"{len(ROWS)}/{len(ROWS)} passed" in text and "PASS  finding: threshold_sensitivity" in text
    assert "limit: " in text and "claim: " in text and "reaction_diffusion:" not in text
    saved = pd.read_csv(out)
    assert (
        saved.passed.all() and list(saved.columns) == list(COLUMNS) and list(saved.name) == [r.__name__ for r in ROWS]
    )
    assert set(saved.group) == set(QUICK_GROUPS)


def test_groups_select_rows_in_the_suites_order():
    assert select(["finding", "control"]) == [*GENERAL_GROUPS["control"], *GENERAL_GROUPS["finding"]]
    assert select(["reaction_diffusion"]) == list(models()["reaction_diffusion"].checks)
    assert select() == [*ROWS, *(check for model in models().values() for check in model.checks)]
    table = validate(["falsification"])
    assert list(table.name) == [row.__name__ for row in GENERAL_GROUPS["falsification"]]
    assert set(table.group) == {"falsification"} and table.passed.all()


def test_an_unknown_group_is_refused_before_any_row_runs(capsys, monkeypatch):
    from mfn.validation import suite

    ran = []
    monkeypatch.setattr(suite, "GENERAL_GROUPS", {**GENERAL_GROUPS, "control": (lambda: ran.append(1),)})
    with pytest.raises(ParameterError, match="group = 'fast' is invalid; valid: one of control, invariant"):
        validate(["control", "fast"])
    assert main(["validate", "--group", "classic"]) == 2
    err = capsys.readouterr().err
    assert err.count("\n") == 1 and "group = 'classic' is invalid" in err and "reaction_diffusion" in err
    assert ran == []


def test_model_rows_join_the_table_after_the_general_ones(monkeypatch):
    from types import SimpleNamespace

    from mfn.core import model as model_module
    from mfn.validation import suite

    def grows():
        return ValidationRow("toy", "toy_grows", "it grows", "2 cells", ">= 1 cell", np.bool_(True))

    monkeypatch.setattr(suite, "ROWS", (general.nernst_sign,))
    monkeypatch.setattr(model_module, "models", lambda: {"toy": SimpleNamespace(checks=(grows,))})
    table = validate()
    assert list(table.group) == ["falsification", "toy"] and list(table.name) == ["nernst_sign", "toy_grows"]
    assert table.passed.dtype == bool and table.passed.all()
    monkeypatch.setattr(model_module, "models", lambda: {"toy": SimpleNamespace(checks=(grows, grows))})
    with pytest.raises(ValueError, match="share names"):
        validate()
    monkeypatch.setattr(model_module, "models", lambda: {"toy": SimpleNamespace(checks=(lambda: ("a", True),))})
    with pytest.raises(TypeError, match="returned tuple"):
        validate()


@pytest.mark.parametrize(("field", "value"), [("name", "has space"), ("claim", ""), ("passed", "yes"), ("group", None)])
def test_a_validation_row_refuses_what_is_not_a_row(field, value):
    good = {"group": "control", "name": "x", "claim": "c", "measured": "m", "limit": "l", "passed": True}
    with pytest.raises(ParameterError, match=field):
        ValidationRow(**{**good, field: value})
