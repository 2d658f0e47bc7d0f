"""``mfn calibrate``: a small fit from the command line, resumed on rerun; bad input is one line, exit 2."""

import pytest

import mfn
from mfn.cli import main

OPTIONS = ["--grid-size", "32", "--steps", "20", "--substeps", "100", "--dt", "0.004", "--no-progress"]


def test_a_small_calibration_writes_its_result_and_resumes(rd_observed, tmp_path, capsys):
    data = tmp_path / "observed.nc"
    mfn.save_run(rd_observed, data)
    args = ["calibrate", "--data", str(data), "--prior", "Dv=10:60", "--prior", "b=0.7:1.1", "--population", "10"]
    args += ["--out", str(tmp_path / "fit.nc"), "--synchronous", *OPTIONS]
    assert main([*args, "--generations", "1"]) == 0
    out = capsys.readouterr().out
    assert "model reaction_diffusion: 1 generations of 10" in out and "truth 30" in out
    assert f"store {tmp_path / 'fit.db'}" in out and (tmp_path / "fit.db").exists()
    first = mfn.load_dataset(tmp_path / "fit.nc")
    assert main([*args, "--generations", "2"]) == 0  # the same command with one more generation resumes
    second = mfn.load_dataset(tmp_path / "fit.nc")
    assert second.simulations.values[0] == first.simulations.values[0] and second.sizes["generation"] == 2


@pytest.mark.parametrize(
    ("extra", "message"),
    [
        (["--prior", "Dv=10-60"], "expected NAME=LO:HI"),
        (["--prior", "Dv=10:6000"], "Dv = 'a prior on [10, 6000]' is invalid"),
        (["--prior", "Dv=10:60", "--population", "5"], "population = 5 is invalid"),
        (["--prior", "Dv=10:60", "--prior", "Dv=20:30"], "each parameter once"),
        (["--prior", "Dv=10:60", "--model", "nothing"], "model = 'nothing' is invalid"),
    ],
)
def test_bad_input_is_one_line_and_exit_2(rd_observed, tmp_path, capsys, extra, message):
    data = tmp_path / "observed.nc"
    mfn.save_run(rd_observed, data)
    try:
        code = main(["calibrate", "--data", str(data), "--out", str(tmp_path / "fit.nc"), *extra])
    except SystemExit as stop:  # a malformed option: argparse's one line
        code = stop.code
    err = capsys.readouterr().err.strip()
    assert code == 2 and len(err.splitlines()) == 1 and message in err


def test_missing_data_is_one_line(tmp_path, capsys):
    assert (
        main(["calibrate", "--data", str(tmp_path / "none.nc"), "--prior", "Dv", "--out", str(tmp_path / "f.nc")]) == 2
    )
    assert "--data" in capsys.readouterr().err
