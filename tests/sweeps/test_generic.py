"""Sweeps over any registered model: axes from the model's parameter specs, counters' totals recorded."""

import json

import numpy as np
import pytest

import mfn
from mfn import ParameterError
from mfn.analysis.features import FeatureParams
from mfn.core.model import get_model
from mfn.sweeps.driver import sweep
from mfn.sweeps.grid import SweepGrid, sweep_names
from mfn.sweeps.provenance import identity_attrs
from mfn.sweeps.record import metric_vars, record_vars, run_record
from mfn.sweeps.store import load_cube

CLASSIC_RECORD = [
    *mfn.FEATURE_NAMES,
    "threshold_low",
    "threshold_med",
    "threshold_high",
    "growth_events_total",
    "turing_activations_total",
    "clamped_cells_total",
    "lyapunov",
    "fractal_dimension",
    "duration_s",
    "status",
    "error",
    "created",
]


def test_axes_come_from_the_parameter_specs_of_the_model_of_base():
    names = sweep_names(mfn.FieldParams)
    assert names == tuple(n for n, s in mfn.FieldParams.specs().items() if s.sweep and n != "seed")
    assert "seed" not in names and "alpha" in names
    with pytest.raises(ParameterError, match=r"a FieldParams parameter: one of grid_size, steps, alpha"):
        SweepGrid.build({"alpah": [0.1]}, [0])


@pytest.mark.parametrize(
    "how",
    [
        {"base": mfn.FieldParams(grid_size=8, steps=3)},
        {"base": {"grid_size": 8, "steps": 3}, "model": "classic"},
        {"base": {"grid_size": 8, "steps": 3}},
    ],
)
def test_a_params_instance_or_a_mapping_and_a_model_name_pick_the_model(how):
    grid = SweepGrid.build({"alpha": [0.1, 0.2]}, [0], **how)
    assert grid.model == "classic" and type(grid.base) is mfn.FieldParams and grid.base.grid_size == 8


def test_an_unknown_model_or_base_is_refused():
    with pytest.raises(ParameterError, match="model"):
        SweepGrid.build({"alpha": [0.1]}, [0], {"grid_size": 8}, model="no-such-model")
    with pytest.raises(ParameterError, match="base"):
        SweepGrid.build({"alpha": [0.1]}, [0], base=[("grid_size", 8)])


def test_a_classic_sweep_keeps_todays_variables_and_identity(tmp_path):
    assert list(record_vars("classic")) == CLASSIC_RECORD
    assert list(metric_vars("classic")) == [f"{c.name}_total" for c in get_model("classic").counters] + [
        "lyapunov",
        "fractal_dimension",
        "duration_s",
    ]
    cube = sweep({"alpha": [0.1]}, [0], base={"grid_size": 8, "steps": 3}, store=tmp_path / "s.zarr",
                 client="synchronous", progress=False)  # fmt: skip
    assert sorted(cube.data_vars) == sorted(["run_id", *CLASSIC_RECORD])
    grid = SweepGrid.build({"alpha": [0.1]}, [0], {"grid_size": 8, "steps": 3})
    described = json.loads(identity_attrs(grid, FeatureParams())["mfn_sweep"])
    assert set(described) == {"grid", "base"}  # no model name: stores made before still resume
    assert load_cube(tmp_path / "s.zarr").attrs["mfn_sweep"] == identity_attrs(grid, FeatureParams())["mfn_sweep"]


def test_the_record_holds_each_counters_total_from_the_simulation():
    values = {**mfn.FieldParams(grid_size=12, steps=40, seed=5, spike_probability=0.5).to_dict()}
    record = run_record(values, model="classic")
    run = mfn.simulate(mfn.FieldParams.from_dict(values), record_every=None)
    for counter in get_model("classic").counters:
        assert record[f"{counter.name}_total"] == float(run.attrs[f"{counter.name}_total"]), counter.name
    assert record["growth_events_total"] > 0 and np.isfinite(record["lyapunov"])
