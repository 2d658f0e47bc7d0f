import pytest

from mfn import ParameterError
from mfn.models.classic.presets import SIZE_PRESETS, size_preset, sweep_preset


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


@pytest.mark.parametrize(("name", "runs"), [("base", 72), ("extended", 2880)])
def test_sweep_presets(name, runs):
    preset = sweep_preset(name)
    grid = preset.sweep_grid()
    assert preset.n_runs == grid.n_runs == runs
    assert grid.dims[-1] == "seed"


def test_base_sweep_is_the_original():
    grid = sweep_preset("base").sweep_grid()
    assert grid.coords() == {
        "grid_size": [32, 64],
        "steps": [50, 100],
        "alpha": [0.10, 0.15, 0.20],
        "turing": [True, False],
        "seed": [0, 1, 2],
    }


def test_sweep_preset_with_other_seeds_and_unknown_name():
    assert sweep_preset("base").sweep_grid(seeds=[7]).n_runs == 24
    with pytest.raises(ParameterError, match="'base', 'extended'"):
        sweep_preset("huge")
