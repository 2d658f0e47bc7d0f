"""Any valid mycelium run stays finite, inside its field, and conserves its nutrient."""

import numpy as np
from hypothesis import HealthCheck, given, settings
from hypothesis import strategies as st

from mfn import MyceliumParams, ParameterError
from mfn.models.mycelium.state import C_NODES, C_TIPS
from mfn.models.mycelium.stepper import MyceliumStepper


@st.composite
def valid_params(draw):
    kw = {
        "grid_size": draw(st.one_of(st.integers(4, 24), st.tuples(st.integers(4, 24), st.integers(4, 24)))),
        "steps": draw(st.integers(1, 25)),
        "seed": draw(st.integers(0, 2**40)),
        "regime": draw(st.sampled_from(["nutrient", "rich", "diffusion_limited"])),
        "nutrient": draw(st.floats(0.0, 1000.0)),
        "medium": draw(st.sampled_from(["uniform", "patchy", "gradient"])),
        "patch_size": draw(st.floats(1.0, 100.0)),
        "spacing": draw(st.floats(5.0, 100.0)),
        "field_cell": draw(st.integers(1, 8)),
        "time_step": draw(st.floats(0.1, 5.0)),
        "tip_speed": draw(st.floats(0.1, 20.0)),
        "turn_sd": draw(st.floats(0.0, 180.0)),
        "autotropism": draw(st.floats(0.0, 500.0)),
        "chemotropism": draw(st.floats(0.0, 500.0)),
        "fusion_probability": draw(st.floats(0.0, 1.0)),
        "lateral_branching": draw(st.floats(0.0, 50.0)),
        "apical_branching": draw(st.floats(0.0, 10.0)),
        "branch_angle": draw(st.floats(0.0, 180.0)),
        "translocation_diffusion": draw(st.floats(0.0, 1e5)),
        "translocation_speed": draw(st.floats(0.0, 1e3)),
        "inoculum": draw(st.sampled_from(["spore", "points", "plug"])),
        "n_inocula": draw(st.integers(1, 6)),
        "plug_radius": draw(st.floats(1.0, 40.0)),
        "spike_rate": draw(st.floats(0.0, 30.0)),
        "space_constant": draw(st.floats(10.0, 400.0)),
        "membrane_dt": draw(st.floats(0.05, 2.0)),
    }
    try:
        return MyceliumParams(**kw)
    except ParameterError:  # a step crossing too much of a nutrient cell, a plug or patch too large, too many substeps
        safe = {"time_step": 0.1, "tip_speed": 0.1, "field_cell": 8, "inoculum": "spore", "medium": "uniform"}
        return MyceliumParams(**{**kw, **safe})  # valid for any other value (checked: 1e5 µm²/s, 5 µm spacing)


@settings(max_examples=50, deadline=None, suppress_health_check=[HealthCheck.too_slow])
@given(valid_params())
def test_any_valid_run_is_finite_inside_its_field_and_conserved(params):
    s = MyceliumStepper(params, "numba")
    s.advance(params.steps)
    w = s.world
    for name in ("nut", "sub", "hlen", "V", "gh"):
        assert np.all(np.isfinite(getattr(w, name))), name
    assert w.nut.min() >= 0.0 and w.sub.min() >= -1e-9 * max(s.initial_total, 1.0)
    xy = w.nxy[: w.cnt[C_NODES]]
    assert np.all((xy[:, 0] >= 0) & (xy[:, 0] <= params.field_um) & (xy[:, 1] >= 0) & (xy[:, 1] <= params.height_um))
    assert np.isin(w.occ, (0, 1)).all() and w.cnt[C_TIPS] >= 0
    assert abs(s.nutrient_total() - s.initial_total) <= 1e-12 * max(s.initial_total, 1e-300) + 1e-12
    assert all(np.isfinite(v) for v in s.frame_metrics().values())
    net = s.network()
    assert net.n_nodes == w.cnt[C_NODES]
