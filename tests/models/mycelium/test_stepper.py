"""MyceliumStepper.growth_ended: when a colony can grow no more, and why."""

import pytest

from mfn import MyceliumParams
from mfn.models.mycelium.stepper import MyceliumStepper


@pytest.mark.parametrize(("regime", "why"), [("nutrient", "no hyphal tip"), ("rich", "no hyphal tip"),
                                             ("diffusion_limited", "edge zone")])  # fmt: skip
def test_a_colony_on_a_small_plate_ends_and_says_why(regime, why):
    stepper = MyceliumStepper(MyceliumParams(grid_size=24, regime=regime, seed=1))
    assert stepper.growth_ended() is None
    for _ in range(400):
        stepper.advance(5)
        if stepper.growth_ended():
            break
    assert why in stepper.growth_ended()
    cells = stepper.state.n_cells
    stepper.advance(20)
    assert stepper.state.n_cells == cells  # it really grows no more


def test_a_growing_colony_has_not_ended():
    stepper = MyceliumStepper(MyceliumParams(grid_size=128, seed=1))
    stepper.advance(10)
    assert stepper.state.n_tips > 0 and stepper.growth_ended() is None
