"""Live-view settings generated from the parameter specs."""

import pytest

pytest.importorskip("panel", reason="needs the viz extra")

from mfn import FieldParams
from mfn.core.model import models
from mfn.viz import GrowthExplorer
from mfn.viz.settings import LIVE_GRID_RANGE, from_settings, settings_class, to_settings, widget_name


@pytest.mark.parametrize("name", sorted(models()))
def test_every_live_parameter_gets_a_widget_with_the_spec_bounds(name):
    params_class = models()[name].params_class
    settings = settings_class(params_class)()
    for pname, spec in params_class.specs().items():
        if pname == "steps":
            assert not hasattr(settings, "steps")
            continue
        p = settings.param[widget_name(spec)]
        if spec.kind == "grid":
            assert p.softbounds == LIVE_GRID_RANGE and p.bounds == (1, None)  # the explorer clamps, and says so
        elif spec.kind in ("int", "float") and spec.display is None:
            assert p.bounds == (spec.lo, spec.hi), pname
        elif spec.kind == "choice":
            assert p.objects == list(spec.choices)
    back = params_class(**from_settings(settings, params_class))
    assert back.replace(grid_size=params_class().grid_size) == params_class()


def test_noise_is_a_standard_deviation_in_mv_in_the_live_view():
    settings = settings_class(FieldParams)()
    assert not hasattr(settings, "jitter_var")
    assert settings.param["noise_sd"].bounds == (0.0, 100.0)
    values = to_settings(FieldParams(grid_size=32, jitter_var=2.5e-5))
    assert values["noise_sd"] == pytest.approx(5.0)
    explorer = GrowthExplorer(FieldParams(grid_size=32), noise_sd=5.0)
    assert explorer.simulation.params.jitter_var == pytest.approx(2.5e-5)
    explorer.settings.noise_sd = 8.0
    assert explorer.unapplied == ("noise_sd",)
    explorer.reset()
    assert explorer.simulation.params.jitter_var == pytest.approx(6.4e-5) and explorer.unapplied == ()
