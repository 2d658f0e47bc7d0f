import pytest

from mfn import ParameterError
from mfn.models.classic.presets import SIZE_PRESETS, size_preset


@pytest.mark.parametrize(
    ("name", "grid", "steps", "jitter", "hidden"),
    [("small", 32, 32, 0.0, 16), ("medium", 64, 64, 0.0005, 32), ("large", 128, 128, 0.0005, 64)],
)
def test_presets_match_spec(name, grid, steps, jitter, hidden):
    preset = size_preset(name)
    params = preset.field_params()
    assert (params.grid_size, params.steps, params.jitter_var, preset.hidden) == (grid, steps, jitter, hidden)


def test_overrides_are_validated():
    assert SIZE_PRESETS["small"].field_params(alpha=0.2).alpha == 0.2
    with pytest.raises(ParameterError, match="alpha"):
        SIZE_PRESETS["small"].field_params(alpha=0.3)


def test_unknown_preset():
    with pytest.raises(ParameterError, match="'small', 'medium', 'large'"):
        size_preset("huge")
