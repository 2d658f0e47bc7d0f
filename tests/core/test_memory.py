"""The memory one request may use: a fraction of this machine's memory, and the refusals that use it.

Each refusal is checked against the limit as measured on the machine running the test (a
request just above it is refused, in well under a second, with the numbers and the fix);
nothing is mocked, and nothing near the limit is ever allocated.
"""

import os
import time

import numpy as np
import pytest

from mfn.core.errors import ParameterError
from mfn.core.memory import MEMORY_FRACTION, check_memory, machine_memory, memory_limit
from mfn.models.classic.params import FieldParams


def test_the_limit_is_a_stated_fraction_of_this_machines_memory():
    physical = os.sysconf("SC_PAGE_SIZE") * os.sysconf("SC_PHYS_PAGES")
    assert 0 < machine_memory() <= physical
    assert memory_limit() == int(MEMORY_FRACTION * machine_memory())
    check_memory("x", 1, memory_limit(), "exactly the limit", "nothing")  # at the limit: allowed
    with pytest.raises(ParameterError, match=r"x = 1 is invalid.*25% of this machine's.*needs about .*: ask less"):
        check_memory("x", 1, memory_limit() + 1, "one byte more", "ask less")


def _refused_quickly(call, *patterns):
    start = time.perf_counter()
    with pytest.raises(ParameterError) as info:
        call()
    assert time.perf_counter() - start < 2.0
    message = str(info.value)
    for pattern in ("needs about", "GiB", *patterns):
        assert pattern in message, message
    return message


def test_a_history_just_above_the_limit_is_refused_up_front():
    from mfn.simulation.simulation import simulate

    frame = 1024 * 1024 * 8  # bytes of one recorded frame of V
    steps = memory_limit() // frame  # steps + 2 frames: just above the limit
    _refused_quickly(lambda: simulate(FieldParams(grid_size=1024, steps=steps)), "record_every", "fewer")


def test_an_ensemble_too_big_for_memory_is_refused_before_its_members_are_made():
    from mfn.simulation.ensemble import simulate_ensemble

    members = [FieldParams(grid_size=512, seed=s) for s in range(2000)]
    message = _refused_quickly(lambda: simulate_ensemble(members, record_every=None), "2000 members")
    assert "fewer members" in message


def test_a_training_set_too_big_for_memory_is_refused_before_simulating():
    from mfn.workflows.training import train_validation

    _refused_quickly(lambda: train_validation("small", n_fields=10**6), "n_fields", "1000000 fields")


def test_a_sweep_grid_too_big_for_memory_is_refused_when_built():
    from mfn.sweeps.grid import SweepGrid

    axes = {"alpha": np.linspace(0.01, 0.24, 1000).tolist(), "spike_probability": np.linspace(0, 1, 1000).tolist()}
    message = _refused_quickly(lambda: SweepGrid.build(axes, seeds=list(range(200))), "200000000 runs")
    assert "split" in message


def test_a_sweep_grid_is_refused_by_its_size_before_any_value_is_checked():
    """A reaction-diffusion value costs a stability check (ms each): 2e8 runs are refused on their
    size first, so the one bad value among 20,000 is never reached."""
    from mfn.sweeps.grid import SweepGrid

    dv = [0.5 + 1e-6 * i for i in range(19_999)] + [-1.0]
    axes = {"Dv": dv, "Du": [1.0 + 1e-6 * i for i in range(10_000)]}
    message = _refused_quickly(lambda: SweepGrid.build(axes, [0], model="reaction_diffusion"), "20000 x 10000 x 1")
    assert "Dv" not in message
