"""The benchmark: it runs (tiny sizes), writes its JSON and --check decides on the stored ratios.

No timing is asserted here: speed is shown by the benchmark's printed ratios.
"""

import json

import numpy as np
import pytest

from mfn.bench.runner import main, run_benchmarks
from mfn.cli import main as cli_main
from mfn.core.errors import ParameterError


@pytest.mark.slow
@pytest.mark.xdist_group("pypde")  # its py-pde row reuses the compiled 8x8 stepper of tests/bench/test_pypde.py
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


def test_bad_repeats_is_a_parameter_error():
    with pytest.raises(ParameterError) as info:
        run_benchmarks(repeats=0)
    assert info.value.parameter == "repeats"
