"""Options generated from the parameter specs: ``mfn simulate --model NAME``, ``mfn models``."""

import pytest

from mfn.cli import main
from mfn.core.model import models


def test_models_lists_every_registered_model_with_its_parameters(capsys):
    assert main(["models"]) == 0
    out = capsys.readouterr().out
    for name, model in models().items():
        assert f"{name}: {model.description}" in out
        for pname, spec in model.params_class.specs().items():
            shown = spec.display.name if spec.display is not None else pname
            assert "--" + shown.replace("_", "-") in out


def test_models_names_one_model_or_refuses_an_unknown_one(capsys):
    assert main(["models", "classic"]) == 0
    assert "--turing-threshold" in capsys.readouterr().out
    assert main(["models", "nosuch"]) == 2
    assert "model = 'nosuch' is invalid; valid: one of 'classic'" in capsys.readouterr().err


@pytest.mark.parametrize(
    ("argv", "message"),
    [
        (["--steps", "abc"], "steps = 'abc' is invalid; valid: an integer with 1 <= steps <= 10000000"),
        (["--alpha", "nan"], "alpha = 'nan' is invalid"),
        (["--grid-size", "8", "x"], "grid_size = ['8', 'x'] is invalid"),
        (["--boundary", "open"], "boundary = 'open' is invalid; valid: one of 'periodic', 'neumann', 'dirichlet'"),
        (["--model", "nosuch"], "model = 'nosuch' is invalid"),
    ],
)
def test_bad_values_exit_2_with_one_line_naming_them(argv, message, tmp_path, capsys):
    assert main(["simulate", *argv, "--out", str(tmp_path / "r.nc")]) == 2
    err = capsys.readouterr().err
    assert message in err and err.count("\n") == 1
    assert not (tmp_path / "r.nc").exists()


def test_simulate_with_model_records_its_name(tmp_path, capsys):
    from mfn import load_run

    out = tmp_path / "r.nc"
    assert main(["simulate", "--model", "classic", "--grid-size", "8", "--steps", "4", "--out", str(out)]) == 0
    assert load_run(out).attrs["model"] == "classic"
    assert "model classic, grid 8x8, 4 steps" in capsys.readouterr().out


def test_noise_is_set_in_mv_and_stored_as_a_variance(tmp_path, capsys):
    from mfn import load_run

    out = tmp_path / "r.nc"
    assert main(["simulate", "--noise-sd", "5", "--grid-size", "8", "--steps", "2", "--out", str(out)]) == 0
    assert load_run(out).attrs["jitter_var"] == pytest.approx(2.5e-5, rel=1e-12)
    assert main(["simulate", "--noise-sd", "101", "--out", str(out)]) == 2
    assert (
        "noise_sd = 101.0 is invalid; valid: a finite real number with 0 <= noise_sd <= 100" in capsys.readouterr().err
    )


def test_models_shows_the_defaults_each_kinetics_really_uses(capsys):
    """Issue 23: `mfn models` showed the Schnakenberg defaults for every kinetics."""
    assert main(["models", "reaction_diffusion"]) == 0
    out = capsys.readouterr().out
    rows = {line.split()[0]: line for line in out.splitlines() if line.startswith("  --")}
    for name in ("--Du", "--Dv", "--dt", "--a", "--b", "--substeps"):
        assert rows[name].split()[1:3] == ["per", "kinetics"], rows[name]
    assert "gierer_meinhardt: a=0.1, b=1, kappa=0, Du=0.5, Dv=10, dt=0.02, substeps=50" in out
    assert "schnakenberg: a=0.1, b=0.9, Du=1, Dv=40, dt=0.005, substeps=100" in out
    assert "brusselator: A=2, B=4, Du=2, Dv=16, dt=0.01" in out
    assert "measures: wavelength_measured [cells]" in out
    assert main(["models", "classic"]) == 0
    assert "defaults per" not in capsys.readouterr().out  # one set of defaults: nothing to split


def test_dt_auto_on_the_command_line(tmp_path, capsys):
    from mfn import load_run

    out = tmp_path / "r.nc"
    argv = ["simulate", "--model", "reaction_diffusion", "--kinetics", "gierer_meinhardt", "--Dv", "20", "--dt", "auto"]
    assert main([*argv, "--grid-size", "8", "--steps", "2", "--out", str(out)]) == 0
    attrs = load_run(out).attrs
    assert attrs["dt_auto"] == 1 and attrs["dt"] <= 0.8 * attrs["dt_limit"] and attrs["Dv"] == 20
    assert main([*argv[:-1], "quick", "--out", str(out)]) == 2
    assert "dt = 'quick' is invalid" in capsys.readouterr().err
