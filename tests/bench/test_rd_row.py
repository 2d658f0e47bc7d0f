"""The reaction-diffusion benchmark row measures both steps on the same work."""

import numpy as np

from mfn.bench.runner import _rd_row


def test_rd_row_small():
    row = _rd_row(16, 16, 1)
    d = row.as_dict()
    assert d["name"] == "reaction-diffusion 16x16" and d["gated"] is False
    assert d["reference_rate"] > 0 and d["fast_rate"] > 0 and np.isfinite(d["ratio"])
