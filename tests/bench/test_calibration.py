"""The calibration row of mfn bench: the same calibration on 1 and 2 Dask workers."""

import math

import pytest

from mfn import ParameterError
from mfn.bench.calibration import calibration_row, calibration_times


@pytest.mark.slow
def test_the_calibration_row_measures_both_clusters_on_simulations():
    times = calibration_times(population=10, generations=1, repeats=1)
    row = calibration_row(times, 10, 1)
    assert row.name == "calibration 10x1 (48x48 RD)"
    assert row.reference == "1 Dask worker" and row.fast == "2 Dask workers" and not row.gated
    assert row.work >= 20  # the sample from the prior and one generation, at least 10 each
    assert row.reference_s > 0 and row.fast_s > 0 and math.isfinite(row.ratio) and row.ratio > 0
    assert row.ratio == pytest.approx(row.reference_s / row.fast_s)
    assert row.as_dict()["fast_rate"] == pytest.approx(times.simulations / times.two_workers_s)


def test_the_calibration_rows_know_their_models_only():
    with pytest.raises(ParameterError, match="reaction_diffusion, mycelium"):
        calibration_times(population=10, generations=1, repeats=1, model="classic")
