import subprocess
import sys

import pytest

from mfn import load_run
from mfn.cli import COMMANDS, main


def test_version(capsys):
    with pytest.raises(SystemExit) as info:
        main(["--version"])
    assert info.value.code == 0
    assert capsys.readouterr().out.startswith("mfn ")


def test_simulate_writes_a_run_and_prints_a_summary(tmp_path, capsys):
    out = tmp_path / "run.nc"
    assert (
        main(["simulate", "--grid-size", "12", "16", "--steps", "30", "--no-turing", "--seed", "4", "--out", str(out)])
        == 0
    )
    text = capsys.readouterr().out
    assert "growth events:" in text and "final V range" in text and str(out) in text
    run = load_run(out)
    assert run.V.shape == (31, 12, 16) and run.attrs["turing"] == 0


def test_bad_parameter_exits_2_with_the_message(tmp_path, capsys):
    assert main(["simulate", "--alpha", "0.3", "--out", str(tmp_path / "x.nc")]) == 2
    assert "alpha = 0.3 is invalid" in capsys.readouterr().err
    assert not (tmp_path / "x.nc").exists()


def test_python_dash_m_mfn_runs():
    done = subprocess.run([sys.executable, "-m", "mfn", "--help"], capture_output=True, text=True, check=True)
    assert "simulate" in done.stdout


@pytest.mark.parametrize("command", [c.replace("_", "-") for c in COMMANDS])
def test_every_command_prints_its_help(command, capsys):
    with pytest.raises(SystemExit) as done:
        main([command, "--help"])
    assert done.value.code == 0
    assert capsys.readouterr().out.startswith(f"usage: mfn {command}")


def test_import_mfn_stays_light():
    # every command, notebook kernel and Dask worker imports mfn: scipy.stats alone took 0.5 s of its 1.3 s
    heavy = ("panel", "holoviews", "bokeh", "dask", "xarray", "numba", "scipy.stats", "scipy.ndimage", "scipy.optimize")
    code = f"import sys, mfn; print(sorted(m for m in {heavy!r} if m in sys.modules))"
    done = subprocess.run([sys.executable, "-c", code], capture_output=True, text=True, check=True)
    assert done.stdout.strip() == "[]"
