import json

import numpy as np
import pytest

from mfn import ParameterError
from mfn.cli import main
from mfn.workflows.training import target, train_validation


@pytest.fixture(scope="module")
def medium():
    return train_validation("medium", seed=0)


@pytest.mark.slow
def test_medium_loss_falls_by_at_least_40_percent(medium):
    assert medium["loss_drop"] >= 0.40
    assert medium["loss_final"] <= 0.6 * medium["loss_start"]
    assert medium["loss_drop"] == pytest.approx(1 - medium["loss_final"] / medium["loss_start"])


@pytest.mark.slow
def test_medium_report(medium):
    assert (medium["preset"], medium["hidden"], medium["grid_size"], medium["steps"]) == ("medium", 32, 64, 64)
    lo, hi = medium["potential_range_mV"]
    assert -95.0 <= lo <= hi <= 40.0
    assert 0.0 <= medium["example_D"] <= 2.0 and 0.0 <= medium["example_D_r2"] <= 1.0
    assert medium["ifs_lyapunov"] < 0
    assert medium["E_K_mV"] == pytest.approx(-89.011, abs=0.01)
    assert medium["growth_events"] > 0  # p = 0.25: about 16 per 64-step field


def test_small_preset_is_reproducible():
    a = train_validation("small", seed=3, n_fields=4, epochs=30)
    b = train_validation("small", seed=3, n_fields=4, epochs=30)
    a.pop("duration_s"), b.pop("duration_s")
    assert a == b
    assert a["hidden"] == 16 and a["loss_final"] < a["loss_start"]


def test_target_is_the_originals_formula():
    x = np.array([[[0.0, 0.0, 0.0, 0.0], [1.5, -0.7, 0.05, -0.4]]])
    assert target(x)[0] == pytest.approx(0.5 * 1.5 + 0.2 * -0.7 - 0.1 * 0.05)


@pytest.mark.parametrize(
    ("kwargs", "name"),
    [
        ({"preset": "huge"}, "preset"),
        ({"seed": -1}, "seed"),
        ({"n_fields": 1}, "n_fields"),
        ({"preset": "small", "seq_len": 33}, "seq_len"),
        ({"epochs": 0}, "epochs"),
        ({"lr": 0.0}, "lr"),
        ({"threshold_mode": "otsu"}, "threshold_mode"),
    ],
)
def test_bad_input(kwargs, name):
    with pytest.raises(ParameterError, match=name):
        train_validation(**kwargs)


def test_cli_prints_the_report(capsys):
    assert main(["train-validation", "--preset", "small", "--n-fields", "3", "--epochs", "20"]) == 0
    out = capsys.readouterr().out
    for line in (
        "loss_start:",
        "loss_final:",
        "loss_drop:",
        "potential range:",
        "example D:",
        "IFS Lyapunov",
        "E_K: -89.011 mV",
    ):
        assert line in out
    assert main(["train-validation", "--preset", "small", "--n-fields", "3", "--epochs", "20", "--json"]) == 0
    assert json.loads(capsys.readouterr().out)["preset"] == "small"
    assert main(["train-validation", "--preset", "tiny"]) == 2
