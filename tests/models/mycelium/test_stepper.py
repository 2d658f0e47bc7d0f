"""MyceliumStepper.growth_ended: when a colony can grow no more, and why."""

import pytest

from mfn import MyceliumParams
from mfn.models.mycelium.state import C_NODES, C_TIPS
from mfn.models.mycelium.stepper import MyceliumStepper


@pytest.mark.parametrize(
    ("regime", "changes", "why"),
    [
        ("nutrient", {"lateral_branching": 0.0, "apical_branching": 1.0, "fusion_probability": 1.0}, "no hyphal tip"),
        ("rich", {"lateral_branching": 0.0}, "no hyphal tip"),
        ("diffusion_limited", {}, "edge zone"),
    ],
)
def test_a_colony_on_a_small_field_ends_and_says_why(regime, changes, why):
    stepper = MyceliumStepper(MyceliumParams(grid_size=24, regime=regime, seed=1, **changes), "numba")
    assert stepper.growth_ended() is None
    for _ in range(2000):
        stepper.advance(5)
        if stepper.growth_ended():
            break
    assert why in stepper.growth_ended()
    nodes = stepper.world.cnt[C_NODES]
    stepper.advance(20)
    assert stepper.world.cnt[C_NODES] == nodes  # it really grows no more


def test_a_growing_colony_has_not_ended():
    stepper = MyceliumStepper(MyceliumParams(grid_size=128, seed=1))
    stepper.advance(10)
    assert stepper.world.cnt[1] > 0 and stepper.growth_ended() is None


def test_hyphae_that_can_still_branch_have_not_ended():
    """No tip left is no end while hyphae keep the substrate to branch: new tips come."""
    stepper = MyceliumStepper(MyceliumParams(grid_size=64, seed=1), "numba")
    stepper.advance(150)
    stepper.world.cnt[C_TIPS] = 0  # every tip gone (as if fused or cut), the colony far from the edges
    assert stepper.growth_ended() is None  # lateral branches keep coming from the hyphae's substrate
    stepper.advance(20)
    assert stepper.world.cnt[C_TIPS] > 0


def test_a_colony_that_reaches_the_field_edge_all_round_has_ended():
    """A plate colonised: the margin touches the field's edge on all four sides (the live view pauses)."""
    stepper = MyceliumStepper(MyceliumParams(grid_size=32, seed=1), "numba")
    steps = 0
    while steps < 400 and not stepper.growth_ended():
        stepper.advance(1)
        steps += 1
    assert "field's edge on every side" in stepper.growth_ended()
    occ = stepper.world.occ
    assert occ[0].any() and occ[-1].any() and occ[:, 0].any() and occ[:, -1].any()
    assert steps < 400  # 0.4 mm from the spore to each edge: about 12 h of 2 min steps (349 steps)
