import math

import numpy as np
import pytest

from mfn import FieldParams, ParameterError

SPEC_DEFAULTS = {
    "grid_size": 64,
    "steps": 64,
    "alpha": 0.18,
    "spike_probability": 0.25,
    "turing": True,
    "Da": 0.1,
    "Di": 0.05,
    "ra": 0.01,
    "ri": 0.02,
    "turing_threshold": 0.75,
    "jitter_var": 0.0,
    "boundary": "periodic",
    "seed": 0,
}


def test_defaults_are_the_spec_defaults():
    assert FieldParams().to_dict() == SPEC_DEFAULTS


@pytest.mark.parametrize(
    ("name", "value", "range_text"),
    [
        ("alpha", 0.25, "0 < alpha < 0.25"),
        ("alpha", 0.3, "0 < alpha < 0.25"),
        ("alpha", 0.0, "0 < alpha < 0.25"),
        ("alpha", -0.1, "0 < alpha < 0.25"),
        ("alpha", math.nan, "0 < alpha < 0.25"),
        ("alpha", "0.1", "0 < alpha < 0.25"),
        ("alpha", True, "0 < alpha < 0.25"),
        ("grid_size", 3, "4 <= grid_size <= 1024"),
        ("grid_size", 1025, "4 <= grid_size <= 1024"),
        ("grid_size", 64.0, "4 <= grid_size <= 1024"),
        ("grid_size", (64, 2), "4 <= grid_size <= 1024"),
        ("grid_size", (4, 4, 4), "rows, cols"),
        ("steps", 0, "1 <= steps <= 10000000"),
        ("steps", 2.5, "1 <= steps <= 10000000"),
        ("steps", 10**30, "1 <= steps <= 10000000"),
        ("spike_probability", 1.5, "0 <= spike_probability <= 1"),
        ("spike_probability", -0.01, "0 <= spike_probability <= 1"),
        ("turing", 1, "True or False"),
        ("turing", "yes", "True or False"),
        ("Da", 0.25, "0.01 <= Da < 0.25"),
        ("Di", 0.001, "0.01 <= Di < 0.25"),
        ("ra", 0.2, "0.001 <= ra <= 0.1"),
        ("ri", 0.0, "0.001 <= ri <= 0.1"),
        ("turing_threshold", 0.4, "0.5 <= turing_threshold <= 0.95"),
        ("jitter_var", 0.02, "0 <= jitter_var <= 0.01"),
        ("jitter_var", math.inf, "0 <= jitter_var <= 0.01"),
        ("boundary", "reflective", "'periodic', 'neumann', 'dirichlet'"),
        ("seed", -1, "0 <= seed <= 9223372036854775807"),
        ("seed", 2**63, "0 <= seed <= 9223372036854775807"),
    ],
)
def test_invalid_values_raise_parameter_error_naming_name_value_and_range(name, value, range_text):
    with pytest.raises(ParameterError) as info:
        FieldParams(**{name: value})
    message = str(info.value)
    assert info.value.parameter == name
    assert message.startswith(f"{name} = {value!r}")
    assert range_text in message
    assert isinstance(info.value, ValueError)


def test_alpha_message_explains_the_cfl_limit():
    with pytest.raises(ParameterError, match="CFL"):
        FieldParams(alpha=0.25)


def test_numpy_scalars_are_accepted_and_normalised():
    p = FieldParams(grid_size=np.int64(8), alpha=np.float32(0.1), steps=np.int32(3), turing=np.bool_(False))
    assert type(p.grid_size) is int and type(p.alpha) is float and p.turing is False


def test_non_square_grid_and_shape():
    assert FieldParams(grid_size=(8, 12)).shape == (8, 12)
    assert FieldParams(grid_size=[16, 16]).grid_size == 16
    assert FieldParams(grid_size=8).n_cells == 64


def test_frozen_and_replace_validates():
    p = FieldParams()
    with pytest.raises(AttributeError):
        p.alpha = 0.2  # type: ignore[misc]
    assert p.replace(alpha=0.2).alpha == 0.2 and p.alpha == 0.18
    with pytest.raises(ParameterError, match="alpha"):
        p.replace(alpha=0.5)
    with pytest.raises(ParameterError, match="one of grid_size"):
        p.replace(alfa=0.2)


@pytest.mark.parametrize("params", [FieldParams(), FieldParams(grid_size=(8, 12), turing=False, boundary="dirichlet")])
def test_attrs_round_trip(params):
    assert FieldParams.from_attrs(params.to_attrs()) == params
    assert all(not isinstance(v, bool) for v in params.to_attrs().values())


def test_from_dict_refuses_unknown_names():
    with pytest.raises(ParameterError, match="colour"):
        FieldParams.from_dict({"colour": "red"})


@pytest.mark.parametrize(("jitter_var", "warns"), [(0.0, False), (1e-4, False), (2e-4, True), (0.0005, True)])
def test_noise_that_pins_cells_at_the_clamp_is_warned_about(jitter_var, warns):
    import warnings

    from mfn.core.errors import ClampWarning
    from mfn.models.classic.params import clamped_fraction_per_step

    with warnings.catch_warnings(record=True) as caught:
        warnings.simplefilter("always")
        FieldParams(jitter_var=jitter_var)
    messages = [str(w.message) for w in caught if issubclass(w.category, ClampWarning)]
    assert bool(messages) == warns
    assert (clamped_fraction_per_step(jitter_var) > 0.01) == warns
    if warns:
        assert "past the -95 mV clamp every step" in messages[0]


def test_the_clamped_fraction_matches_a_simulation_of_noise_alone():
    """Noise of 22.4 mV on a resting field: the formula's 13 % of cells clamped per step, measured."""
    import numpy as np

    from mfn import simulate
    from mfn.models.classic.params import clamped_fraction_per_step

    params = FieldParams(grid_size=64, steps=1, jitter_var=0.0005, spike_probability=0.0, turing=False, alpha=1e-9)
    run = simulate(params, lyapunov=False)
    measured = int(run.clamped_cells.values[-1]) / params.n_cells
    # the initial field has sd 5 mV around -70: widen the noise by it
    expected = clamped_fraction_per_step(0.0005 + 0.005**2)
    assert measured == pytest.approx(expected, abs=0.02)
    assert np.isfinite(measured)
