"""Any valid mycelium run stays finite, bounded and conserves its nutrient."""

import numpy as np
from hypothesis import HealthCheck, given, settings
from hypothesis import strategies as st

from mfn import MyceliumParams
from mfn.models.mycelium.stepper import MyceliumStepper

valid_params = st.builds(
    MyceliumParams,
    grid_size=st.one_of(st.integers(8, 24), st.tuples(st.integers(8, 24), st.integers(8, 24))),
    steps=st.integers(1, 25),
    seed=st.integers(0, 2**40),
    regime=st.sampled_from(["nutrient", "rich", "diffusion_limited"]),
    nutrient=st.floats(0.0, 100.0),
    medium=st.sampled_from(["uniform", "patchy", "gradient"]),
    patch_size=st.integers(1, 8),
    branching=st.floats(0.0, 1.0),
    turn_sd=st.floats(0.0, 90.0),
    branch_angle=st.floats(0.0, 180.0),
    branch_angle_sd=st.floats(0.0, 90.0),
    chemotropism=st.floats(0.0, 1.0),
    extension_cost=st.floats(1e-3, 100.0),
    uptake=st.floats(0.0, 1.0),
    nutrient_diffusion=st.floats(0.0, 0.25, exclude_max=True),
    translocation=st.floats(0.0, 0.125),
    tip_flux=st.floats(0.0, 1.0),
    n_inocula=st.integers(1, 6),
    initial_tips=st.integers(1, 8),
    inoculum_substrate=st.floats(0.0, 1000.0),
    coupling=st.floats(1e-4, 0.125),
    membrane_substeps=st.integers(1, 5),
    fhn_rate=st.floats(1e-4, 0.5),
    fhn_threshold=st.floats(0.01, 0.49),
    fhn_recovery=st.floats(1e-5, 0.1),
    spike_rate=st.floats(0.0, 1.0),
)


@settings(max_examples=60, deadline=None, suppress_health_check=[HealthCheck.too_slow])
@given(valid_params)
def test_any_valid_run_is_finite_bounded_and_conserved(params):
    s = MyceliumStepper(params, "numpy")
    s.advance(params.steps)
    st_ = s.state
    for name in ("nutrient", "substrate", "u", "w"):
        assert np.all(np.isfinite(getattr(st_, name))), name
    assert np.isin(st_.occ, (0, 1)).all() and st_.n_cells == int(st_.occ.sum())
    assert st_.nutrient.min() >= 0.0 and st_.substrate.min() >= 0.0
    assert np.all(st_.u[st_.occ == 0] == 0.0)
    assert -1.0 <= st_.u.min() and st_.u.max() <= 1.5  # excitation between rest and peak, with overshoot
    assert abs(s.nutrient_total() - s.initial_total) <= 1e-9 * max(s.initial_total, 1e-300) + 1e-12
    tips = s.tips()
    assert np.all(st_.occ[tips[:, 0], tips[:, 1]] == 1)
    metrics = s.frame_metrics()
    assert all(np.isfinite(v) for v in metrics.values())
