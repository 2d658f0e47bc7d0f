"""The benchmark: it runs (tiny sizes), its numpy features baseline is right, and --check decides correctly.

No timing is asserted here: speed is shown by the benchmark's printed ratios.
"""

import json

import numpy as np
import pytest

from mfn import FieldParams, simulate
from mfn.analysis.features import FEATURE_NAMES, feature_vector
from mfn.bench.runner import BASELINE_PATH, CHECK_MARGIN, check_ratios, draws_and_steps, features_baseline, main
from mfn.cli import main as cli_main
from mfn.core.errors import ParameterError
from mfn.models.classic.stepper import MV_PER_V
from mfn.simulation.ensemble import Ensemble


@pytest.mark.parametrize(
    ("measured", "baseline", "failing"),
    [
        ({"a": 10.0, "b": 5.0}, {"a": 10.0, "b": 5.0}, []),
        ({"a": 7.01}, {"a": 10.0}, []),  # 29.9 % below: within the 30 % margin
        ({"a": 6.99}, {"a": 10.0}, ["a"]),  # just beyond it
        ({"a": 20.0}, {"a": 10.0}, []),  # faster is never a failure
        ({}, {"a": 10.0}, ["a"]),  # a baseline row that was not measured fails
        ({"a": float("nan")}, {"a": 10.0}, ["a"]),
        ({"a": 10.0, "extra": 0.1}, {"a": 10.0}, []),  # rows without a baseline are not gated
    ],
)
def test_check_ratios(measured, baseline, failing):
    messages = check_ratios(measured, baseline, 0.30)
    assert [m.split(":")[0] for m in messages] == failing


def test_stored_baseline_gates_every_row_but_py_pde_and_the_ceiling_with_the_stated_margin():
    stored = json.loads(BASELINE_PATH.read_text())
    assert stored["margin"] == CHECK_MARGIN == 0.30
    assert set(stored["ratios"]) == {
        "field 64x64",
        "field 256x256",
        "ensemble 256x32x32x32",
        "ensemble 256x32x32x32 (stepping only)",
        "features 64x64x100",
        "reaction-diffusion 256x256",
        "colony 9x9 mm, 12 h (numpy vs numba)",
        "network counts M2WT_200610 (65 frames)",
    }
    assert all(r > 1 for r in stored["ratios"].values())
    # the new models' targets are at least 5x: their baselines sit at or above it
    assert stored["ratios"]["reaction-diffusion 256x256"] >= 5
    assert stored["ratios"]["colony 9x9 mm, 12 h (numpy vs numba)"] * (1 - CHECK_MARGIN) >= 5


@pytest.mark.parametrize(
    "params",
    [
        FieldParams(grid_size=24, steps=30, seed=1),
        FieldParams(grid_size=(20, 28), steps=30, seed=2, ra=0.1, ri=0.001, spike_probability=1.0, jitter_var=0.0005),
    ],
)
def test_features_baseline_matches_the_package(params):
    history = simulate(params, lyapunov=False).V.values
    got, expected = features_baseline(history), feature_vector(history)
    for name, g, e in zip(FEATURE_NAMES, got, expected, strict=True):
        if name in ("D_box", "D_r2"):  # the baseline counts whole boxes only
            assert np.isfinite(g) and 0 <= e <= 2
        else:
            assert g == pytest.approx(e, rel=1e-9, abs=1e-9), name


@pytest.mark.slow
def test_quick_bench_runs_writes_json_and_checks(tmp_path, capsys, podospora):
    out = tmp_path / "bench.json"
    lenient = tmp_path / "lenient.json"
    strict = tmp_path / "strict.json"
    lenient.write_text(json.dumps({"margin": 0.3, "ratios": {"field 8x8": 1e-3}}))
    strict.write_text(json.dumps({"margin": 0.3, "ratios": {"field 8x8": 1e6}}))

    assert (
        cli_main(["bench", "--quick", "--repeats", "1", "--json", str(out), "--check", "--baseline", str(lenient)]) == 0
    )
    printed = capsys.readouterr().out
    assert "| field 8x8 |" in printed and "bench check passed" in printed
    rows = json.loads(out.read_text())["rows"]
    # py-pde is part of the test install (the extra mfn[bench]): its row must be there
    assert [r["name"] for r in rows] == [
        "field 8x8",
        "ensemble 4x8x8x8",
        "ensemble 4x8x8x8 (stepping only)",
        "ensemble 4x8x8x8 (ceiling)",
        "features 16x16x12",
        "colony 1.6x1.6 mm, 1 h (numpy vs numba)",
        "network counts M2WT_200610 (5 frames)",  # the shared data is part of the tests (MFN_DATA_DIR)
        "read + measure M2WT_200610 (5 frames)",
        "py-pde 8x8",
    ]
    for r in rows:
        assert r["reference_rate"] > 0 and r["fast_rate"] > 0 and np.isfinite(r["ratio"])
    pypde = rows[-1]
    assert pypde["gated"] is False and pypde["reference"].startswith("py-pde 0.")
    assert pypde["setup_s"] > 0  # py-pde's compilation, outside the rates
    assert all(r["setup_s"] is None for r in rows[:-1])
    assert "| py-pde 8x8 |" in printed and "py-pde row skipped" not in printed
    assert [r["gated"] for r in rows if "M2WT" in r["name"]] == [True, False]

    assert main(["--quick", "--repeats", "1", "--check", "--baseline", str(strict)]) == 1
    assert "bench check FAILED: field 8x8" in capsys.readouterr().err


def test_the_ensemble_ceiling_does_the_work_of_the_ensemble():
    params = [FieldParams(grid_size=(8, 12), steps=40, seed=s, spike_probability=0.6) for s in range(3)]
    work, V = draws_and_steps(params)
    work()
    ensemble = Ensemble(params, backend="numba", lyapunov=False)
    ensemble.step(40)
    np.testing.assert_array_equal(V, ensemble._batch.V)
    np.testing.assert_array_equal(V[1] * MV_PER_V, simulate(params[1], lyapunov=False).V.isel(time=-1).values)


def test_bad_repeats_is_a_parameter_error():
    from mfn.bench.runner import run_benchmarks

    with pytest.raises(ParameterError) as info:
        run_benchmarks(repeats=0)
    assert info.value.parameter == "repeats"


def test_the_reaction_diffusion_row_measures_both_steps_on_the_same_work():
    from mfn.bench.runner import _rd_row

    d = _rd_row(16, 16, 1).as_dict()
    assert d["name"] == "reaction-diffusion 16x16" and d["gated"] is True
    assert d["reference_rate"] > 0 and d["fast_rate"] > 0 and np.isfinite(d["ratio"])
