"""The fused numba kernel against the numpy reference: bit for bit, across every code path."""

import sys
import warnings

import numpy as np
import pytest

from mfn.core import backends
from mfn.core.errors import ParameterError
from mfn.models.classic.draws import DrawStream
from mfn.models.classic.kernels import KernelConstants, numpy_step
from mfn.models.classic.kernels_numba import numba_step
from mfn.models.classic.params import BOUNDARIES, FieldParams
from mfn.models.classic.stepper import step_kernel
from mfn.simulation.simulation import Simulation, simulate

SHAPES = [(4, 4), (5, 7), (16, 9), (33, 32)]


def _bits(u):
    return u.view(np.uint64)


def _lively_state(params, seed):
    """A state where the Turing coupling fires and V gets clamped: every branch of the kernel runs."""
    rng = np.random.default_rng(seed)
    V = rng.uniform(-0.3, 0.2, params.shape)
    a = rng.uniform(0.3, 1.0, params.shape)
    i = rng.uniform(0.0, 0.3, params.shape)
    return V, a, i


@pytest.mark.parametrize("boundary", BOUNDARIES)
@pytest.mark.parametrize("turing", [True, False])
@pytest.mark.parametrize("jitter_var", [0.0, 0.01])
@pytest.mark.parametrize("shape", SHAPES)
def test_fused_step_is_bit_identical_to_the_reference(boundary, turing, jitter_var, shape):
    params = FieldParams(
        grid_size=shape, boundary=boundary, turing=turing, jitter_var=jitter_var, ra=0.1, ri=0.001, seed=3
    )
    c = KernelConstants.from_params(params)
    ref = _lively_state(params, 1)
    fast = tuple(u.copy() for u in ref)
    draws = DrawStream(params)
    totals = np.zeros(2, dtype=np.int64)
    for _ in range(40):
        cell, amplitude, noise = draws.next_draws()
        expected = numpy_step(*ref, cell, amplitude, noise, c)
        got = numba_step(*fast, cell, amplitude, noise, c)
        assert got == expected
        for u_ref, u_fast in zip(ref, fast, strict=True):
            assert np.array_equal(_bits(u_ref), _bits(u_fast))
        totals += expected
    # the test exercised the Turing kick and the clamp, not only the diffusion
    assert (totals[0] > 0) == turing
    assert totals[1] > 0


@pytest.mark.parametrize("boundary", BOUNDARIES)
@pytest.mark.parametrize("shape", [(4, 4), (6, 11)])
def test_simulate_with_numba_equals_numpy(boundary, shape):
    params = FieldParams(grid_size=shape, steps=50, boundary=boundary, ra=0.1, ri=0.001, jitter_var=0.0005, seed=5)
    ref = simulate(params, variables="all", backend="numpy")
    fast = simulate(params, variables="all", backend="numba")
    assert (ref.attrs["backend"], fast.attrs["backend"]) == ("numpy", "numba")
    for name in ref.data_vars:
        assert np.array_equal(ref[name].values, fast[name].values), name
    for key in ("growth_events_total", "turing_activations_total", "clamped_cells_total"):
        assert ref.attrs[key] == fast.attrs[key]


def test_step_results_agree_step_by_step():
    params = FieldParams(grid_size=12, spike_probability=0.5, ra=0.1, ri=0.001, seed=2)
    ref, fast = Simulation(params, backend="numpy"), Simulation(params, backend="numba")
    for n in (1, 3, 7, 1024, 5):  # crosses a growth-event block boundary
        assert ref.step(n) == fast.step(n)
    assert ref.events == fast.events


def test_auto_picks_numba_when_installed():
    assert backends.resolve_backend("auto") == "numba"
    assert step_kernel("numba") is numba_step
    assert Simulation(FieldParams(grid_size=8)).backend == "numba"


def test_without_numba_auto_falls_back_with_one_notice(monkeypatch):
    monkeypatch.setitem(sys.modules, "numba", None)  # makes numba unimportable, as when it is absent
    monkeypatch.setattr(backends, "_notice_given", False)
    with pytest.warns(UserWarning, match=r"numba is not installed.*mfn\[fast\]"):
        assert backends.resolve_backend("auto") == "numpy"
    assert step_kernel("numpy") is numpy_step
    with warnings.catch_warnings():
        warnings.simplefilter("error")
        assert backends.resolve_backend("auto") == "numpy"  # the notice is given once
    with pytest.raises(ParameterError, match="numba is not installed") as info:
        backends.resolve_backend("numba")
    assert info.value.parameter == "backend"
