"""Priors are checked against the parameter specs before anything runs."""

import math
from dataclasses import dataclass

import pytest
from scipy import stats

from mfn import ParameterError, ReactionDiffusionParams
from mfn.core.params import ModelParams, parameter
from mfn.inference.priors import resolve_priors


def test_a_pair_is_a_uniform_prior_on_it():
    (prior,) = resolve_priors(ReactionDiffusionParams, {"Dv": (10, 60)}).values()
    assert (prior.lo, prior.hi, prior.units, prior.integer) == (10.0, 60.0, "cells²/time", False)
    assert prior.dist.cdf(35) == pytest.approx(0.5)
    assert prior.description == "uniform(10, 60)"


def test_a_frozen_distribution_is_used_as_it_is():
    dist = stats.truncnorm(-2, 2, loc=30, scale=5)
    (prior,) = resolve_priors(ReactionDiffusionParams, {"Dv": dist}).values()
    assert prior.dist is dist
    assert (prior.lo, prior.hi) == (20.0, 40.0)
    assert prior.description == "truncnorm(-2, 2, loc=30, scale=5)"


def test_none_takes_the_valid_range_of_the_spec():
    spec = ReactionDiffusionParams.specs()["noise"]
    (prior,) = resolve_priors(ReactionDiffusionParams, {"noise": None}).values()
    assert (prior.lo, prior.hi) == (spec.lo, spec.hi) == (0.0, 1.0)


def test_an_integer_parameter_is_rounded():
    (prior,) = resolve_priors(ReactionDiffusionParams, {"substeps": (10, 20)}).values()
    assert prior.integer and prior.value(12.6) == 13 and isinstance(prior.value(12.6), int)


@pytest.mark.parametrize(
    ("priors", "name", "fragment"),
    [
        ({}, "priors", "non-empty mapping"),
        ({"Dx": (1, 2)}, "Dx", "a ReactionDiffusionParams parameter"),
        ({"kinetics": (1, 2)}, "kinetics", "a number parameter to fit"),
        ({"grid_size": (8, 16)}, "grid_size", "a number parameter to fit"),
        ({"seed": (0, 10)}, "seed", "a number parameter to fit"),
        ({"Dv": (60, 10)}, "Dv", "lo < hi"),
        ({"Dv": (10, 10)}, "Dv", "lo < hi"),
        ({"Dv": (10, math.nan)}, "Dv", "finite bounds"),
        ({"Dv": (10, 2000)}, "Dv", "inside the valid range of Dv"),
        ({"Dv": (-1, 20)}, "Dv", "inside the valid range of Dv"),
        ({"Dv": stats.norm(30, 5)}, "Dv", "inside the valid range of Dv"),
        ({"Dv": "wide"}, "Dv", "(lo, hi) for a uniform prior"),
        ({"Dv": ("a", "b")}, "Dv", "a pair of numbers"),
    ],
)
def test_bad_priors_are_refused_naming_the_parameter(priors, name, fragment):
    with pytest.raises(ParameterError, match="valid") as err:
        resolve_priors(ReactionDiffusionParams, priors)
    assert err.value.parameter == name
    assert fragment in str(err.value)


@dataclass(frozen=True)
class Unbounded(ModelParams):
    rate: float = parameter(1.0, "float", lo=0.0, doc="a rate with no upper bound")
    grid_size: int = parameter(8, "grid")
    steps: int = parameter(1, "int", lo=1)
    seed: int = parameter(0, "int", lo=0)


def test_a_parameter_without_a_finite_range_needs_a_prior():
    with pytest.raises(ParameterError, match="rate has no finite valid range"):
        resolve_priors(Unbounded, {"rate": None})
    assert resolve_priors(Unbounded, {"rate": stats.expon(scale=2)})["rate"].hi == math.inf
