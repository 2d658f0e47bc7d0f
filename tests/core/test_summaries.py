"""Summary sets: choosing summaries by name or with your own, and reading their values."""

import math

import pytest
import xarray as xr

from mfn import ParameterError
from mfn.core.summaries import Summary, SummarySet, summary_values


def _mean(measures):
    return float(measures["u"].mean())


def _infinite(measures):
    return math.inf


SET = SummarySet(
    measure=lambda run: run,
    observe=lambda data: data,
    summaries=(Summary("mean", "1", "mean of u", _mean), Summary("inf", "1", "always infinite", _infinite)),
    default=("mean",),
)


def test_names_and_own_summaries_are_chosen_in_order():
    own = Summary("twice", "1", "twice the mean", lambda m: 2 * _mean(m))
    assert [s.name for s in SET.select(None)] == ["mean"]
    assert [s.name for s in SET.select(["inf", own, "mean"])] == ["inf", "twice", "mean"]


@pytest.mark.parametrize(
    ("chosen", "fragment"),
    [([], "non-empty"), ("mean", "non-empty"), (["colour"], "one of mean, inf"), (["mean", "mean"], "distinct")],
)
def test_bad_choices_are_refused(chosen, fragment):
    with pytest.raises(ParameterError, match="summaries") as err:
        SET.select(chosen)
    assert fragment in str(err.value)


def test_a_0d_variable_of_that_name_is_taken_as_it_is_and_inf_becomes_nan():
    measures = xr.Dataset({"u": ("x", [1.0, 3.0])})
    assert summary_values(SET.summaries, measures) == {"mean": 2.0, "inf": pytest.approx(math.nan, nan_ok=True)}
    assert summary_values(SET.select(["mean"]), xr.Dataset({"mean": 5.0}))["mean"] == 5.0


def test_a_default_that_is_not_offered_is_refused():
    with pytest.raises(ParameterError, match="one of mean"):
        SummarySet(SET.measure, SET.observe, SET.summaries, default=("median",))
