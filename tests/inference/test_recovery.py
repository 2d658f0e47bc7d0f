"""A calibration recovers known parameters: Dv and the kinetic rate b from a synthetic pattern."""

import pytest

import mfn


@pytest.mark.slow
def test_dv_and_b_are_recovered_inside_their_90_percent_intervals():
    base = mfn.ReactionDiffusionParams(grid_size=32, steps=30, substeps=100, dt=0.004)
    truth = {"Dv": 35.0, "b": 0.9}
    observed = mfn.simulate(base.replace(**truth, seed=4242), record_every=None)
    priors = {"Dv": (15.0, 60.0), "b": (0.75, 1.05)}
    result = mfn.calibrate(
        base, priors, observed, population=40, generations=3, scheduler="synchronous", seed=1, progress=False
    )
    ci = mfn.inference.credible_intervals(result, 0.9)
    assert ci.inside.values.tolist() == [1, 1], ci.to_dataframe()
    # and the data narrowed both priors (the prior's own 90 % interval spans 90 % of it): on this
    # budget each posterior interval spans under 60 % of its prior (Dv about 45 %, b about 50 %)
    for name, (lo, hi) in priors.items():
        row = ci.sel(parameter=name)
        assert float(row.hi - row.lo) < 0.6 * (hi - lo), (name, float(row.lo), float(row.hi))
