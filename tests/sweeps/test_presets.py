import pytest

from mfn import ParameterError
from mfn.sweeps.presets import sweep_preset


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
