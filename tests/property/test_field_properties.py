import numpy as np
import pytest
from hypothesis import HealthCheck, given, settings
from hypothesis import strategies as st

from mfn import FieldParams, simulate
from mfn.validation.probe import probe

valid_params = st.builds(
    FieldParams,
    grid_size=st.one_of(st.integers(4, 12), st.tuples(st.integers(4, 12), st.integers(4, 12))),
    steps=st.integers(1, 30),
    alpha=st.floats(1e-6, 0.25, exclude_max=True),
    spike_probability=st.floats(0, 1),
    turing=st.booleans(),
    Da=st.floats(0.01, 0.25, exclude_max=True),
    Di=st.floats(0.01, 0.25, exclude_max=True),
    ra=st.floats(0.001, 0.1),
    ri=st.floats(0.001, 0.1),
    turing_threshold=st.floats(0.5, 0.95),
    jitter_var=st.floats(0, 0.01),
    boundary=st.sampled_from(["periodic", "neumann", "dirichlet"]),
    seed=st.integers(0, 2**32),
)


@pytest.mark.filterwarnings("ignore::mfn.core.errors.ClampWarning")  # strong noise is drawn on purpose
@settings(max_examples=60, deadline=None, suppress_health_check=[HealthCheck.too_slow])
@given(valid_params, st.one_of(st.none(), st.integers(1, 7)))
def test_any_valid_run_is_finite_keeps_the_maximum_principle_and_is_well_shaped(params, record_every):
    run = simulate(params, record_every=record_every, variables="all")
    rows, cols = params.shape
    assert run.V.shape[1:] == (rows, cols) and run.a.shape == run.V.shape
    assert int(run.time[-1]) == params.steps
    for name in ("V", "a", "i", "V_mean"):
        assert np.all(np.isfinite(run[name].values))
    # What the step computed, before the clamp: never beyond the bound of the explicit scheme
    # (alpha < 1/4), the clamp counted exactly when it was reached, and the mean's bookkeeping closed.
    seen = probe(params)
    assert np.array_equal(seen.V, run.V[-1].values) and seen.excess <= 1e-9
    assert seen.clamped == run.attrs["clamped_cells_total"] and (seen.clamped > 0) == (seen.out_of_range_steps > 0)
    if params.boundary != "dirichlet":
        assert abs(seen.bookkeeping_error) <= 1e-9 * max(1.0, *map(abs, seen.sources))
    assert run.a.min() >= 0.0 and run.a.max() <= 1.0
    assert run.attrs["growth_events_total"] <= params.steps
