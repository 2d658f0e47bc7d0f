"""Sweeps over any registered model: axes from the model's parameter specs, counters' totals recorded."""

import json
from dataclasses import dataclass

import numpy as np
import pytest

import mfn
from mfn import ParameterError
from mfn.analysis.features import FeatureParams
from mfn.core.model import get_model
from mfn.core.params import SEED_MAX, STEPS_MAX, ModelParams, parameter
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
    "V_mean_rise",
    "activated_fraction",
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
    assert grid.model is get_model("classic") and type(grid.base) is mfn.FieldParams and grid.base.grid_size == 8


def test_an_unknown_model_or_base_is_refused():
    with pytest.raises(ParameterError, match="model"):
        SweepGrid.build({"alpha": [0.1]}, [0], {"grid_size": 8}, model="no-such-model")
    with pytest.raises(ParameterError, match="base"):
        SweepGrid.build({"alpha": [0.1]}, [0], base=[("grid_size", 8)])


def test_a_classic_sweep_keeps_todays_variables_and_identity(tmp_path):
    classic = get_model("classic")
    assert list(record_vars(classic)) == CLASSIC_RECORD
    assert list(metric_vars(classic)) == [f"{c.name}_total" for c in classic.counters] + [
        "lyapunov",
        "fractal_dimension",
        *(m.name for m in classic.measures),
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
    record = run_record(values, get_model("classic"))
    run = mfn.simulate(mfn.FieldParams.from_dict(values), record_every=None)
    for counter in get_model("classic").counters:
        assert record[f"{counter.name}_total"] == float(run.attrs[f"{counter.name}_total"]), counter.name
    assert record["growth_events_total"] > 0 and np.isfinite(record["lyapunov"])


# A second, small model registered only for the tests below: a potential relaxing towards -70 mV
# with seeded kicks (a real model through the protocol, not a mock of one).
@dataclass(frozen=True)
class RelaxParams(ModelParams):
    grid_size: int = parameter(8, "grid", unit="cells", doc="lattice side")
    steps: int = parameter(20, "int", lo=1, hi=STEPS_MAX, unit="steps", doc="time steps of a run")
    rate: float = parameter(0.1, "float", lo=0.0, hi=1.0, unit="1/step", doc="relaxation rate")
    seed: int = parameter(0, "int", lo=0, hi=SEED_MAX, doc="seed", sweep=False)


class RelaxStepper:
    def __init__(self, params, backend, *, lyapunov=False, record_events=True):
        self.params, self.backend, self.t = params, backend, 0
        self.rng = np.random.default_rng(params.seed)
        side = params.grid_size if isinstance(params.grid_size, int) else params.grid_size[0]
        self.V = self.rng.normal(-70.0, 5.0, (side, side))
        self.kicks, self._last = 0, {"kicks": 0}

    def advance(self, n):
        for _ in range(n):
            kick = int(self.rng.random() < 0.5)
            if kick:
                self.V[self.rng.integers(self.V.shape[0]), self.rng.integers(self.V.shape[1])] += 30.0
            self.V += self.params.rate * (-70.0 - self.V)
            self.kicks += kick
            self._last = {"kicks": kick}
            self.t += 1

    def variable(self, name):
        return self.V.copy()

    def primary_raw(self):
        return self.V, 1.0

    def totals(self):
        return {"kicks": self.kicks}

    def last_step(self):
        return dict(self._last)

    def frame_metrics(self):
        return {"V_mean": float(self.V.mean())}

    def events(self):
        return {}

    def run_attrs(self):
        return {}

    @property
    def lyapunov(self):
        return float("nan")


@pytest.fixture
def relax_model():
    from mfn.core import model as registry

    found = registry.register(
        registry.Model(
            name="relax-test",
            title="relaxation",
            description="a potential relaxing towards -70 mV with seeded kicks (tests only)",
            params_class=RelaxParams,
            variables=(registry.Variable("V", "mV", "potential"),),
            primary="V",
            counters=(registry.Quantity("kicks", "1", "kicks", cumulative=True),),
            metrics=(registry.Quantity("V_mean", "mV", "mean potential"),),
            stepper=RelaxStepper,
        )
    )
    yield found
    registry._REGISTRY.pop(found.name)


def test_a_sweep_of_another_model_takes_its_axes_and_records_its_counters(tmp_path, relax_model):
    with pytest.raises(ParameterError, match="a RelaxParams parameter: one of grid_size, steps, rate"):
        SweepGrid.build({"alpha": [0.1]}, [0], RelaxParams())
    store = tmp_path / "relax.zarr"
    seen = []
    cube = sweep({"rate": [0.1, 0.3]}, [0, 1], base=RelaxParams(steps=15), store=store, client="synchronous",
                 progress=False, on_result=seen.append)  # fmt: skip
    assert cube.status.dims == ("rate", "seed") and set(cube.status.values.ravel()) == {"ok"}
    assert "kicks_total" in cube and "growth_events_total" not in cube
    for rate in (0.1, 0.3):
        for seed in (0, 1):
            stepper = RelaxStepper(RelaxParams(steps=15, rate=rate, seed=seed), "numpy")
            stepper.advance(15)
            assert float(cube.kicks_total.sel(rate=rate, seed=seed)) == stepper.kicks
    assert json.loads(cube.attrs["mfn_sweep"])["model"] == "relax-test"
    again = []
    sweep({"rate": [0.1, 0.3]}, [0, 1], base={"steps": 15}, model="relax-test", store=store, client="synchronous",
          progress=False, on_result=again.append)  # fmt: skip
    assert len(seen) == 4 and again == []  # the same sweep, given as a mapping and a model name, resumes: nothing to do


def test_a_mycelium_cube_speaks_of_the_colony_and_holds_its_measures():
    """Issue 23: D was described as "box-counting dimension of V > -60 mV", V_mean as the "mean
    potential" (it is the occupied fraction) and V_max as a potential (it is 1.0)."""
    base = mfn.MyceliumParams(grid_size=48, steps=180)
    cube = sweep({"lateral_branching": [2.5, 6.0]}, [0], base=base, client="synchronous", progress=False)
    assert set(cube.status.values.ravel()) == {"ok"}
    assert cube.V_mean.attrs == {"units": "1", "long_name": "mean of occupied (hyphal occupancy)"}
    assert cube.V_max.attrs["long_name"] == "maximum of occupied (hyphal occupancy)" and (cube.V_max == 1.0).all()
    dimension = cube.fractal_dimension.attrs["long_name"]
    assert "occupied (hyphal occupancy) > 0.25" in dimension and "mV" not in dimension
    assert cube.threshold_low.attrs["units"] == "1" and cube.E_trend.attrs["units"] == "(1)^2/step"
    for name, units in {
        "live_tips": "1",
        "free_ends": "1",
        "branch_points": "1",
        "hyphal_length": "mm",
        "growth_unit": "µm",
    }.items():
        assert cube[name].attrs["units"] == units, name
    run = mfn.simulate(base.replace(lateral_branching=6.0), record_every=None)
    got = cube.sel(lateral_branching=6.0, seed=0)
    assert float(got.V_mean) == pytest.approx(float(run.occupied.mean()))  # the occupied fraction
    assert float(got.live_tips) == run.attrs["live_tips"] == float(run.tips.isel(time=-1)) > 0
    assert float(got.branch_points) == run.attrs["branch_points"] > 0
    assert float(got.growth_unit) == pytest.approx(1000.0 * run.attrs["hyphal_length"] / run.attrs["free_ends"])


def test_a_reaction_diffusion_cube_holds_the_wavelength_and_whether_the_pattern_settled():
    base = mfn.ReactionDiffusionParams(kinetics="fitzhugh_nagumo", grid_size=32, steps=100)
    cube = sweep({"Dv": [2.0, 20.0]}, [0], base=base, client="synchronous", progress=False)
    assert cube.wavelength_measured.attrs["units"] == "cells" and "settled" in cube and "settle_change" in cube
    assert cube.V_mean.attrs == {"units": "mV", "long_name": "mean of V (membrane potential)"}
    assert "above its 50th percentile" in cube.fractal_dimension.attrs["long_name"]
    no_pattern, pattern = cube.sel(seed=0).wavelength_measured.values  # Dv = 2 is below the Turing threshold
    assert np.isnan(no_pattern) and 8 < pattern < 14
    assert list(cube.pattern_formed.values.ravel()) == [0.0, 1.0] and set(cube.settled.values.ravel()) <= {0.0, 1.0}


def test_a_grid_carries_its_model_so_a_sweep_never_looks_it_up_again(relax_model, monkeypatch, tmp_path):
    """The model is resolved once, when the grid is built; driver, store and records take it from the grid."""
    from mfn.core import model as registry
    from mfn.sweeps import grid as grid_module

    grid = SweepGrid.build({"rate": [0.1, 0.3]}, [0], RelaxParams(steps=5))
    assert grid.model is relax_model
    lookups = []

    def counted(name):
        lookups.append(name)
        return registry._REGISTRY[name]

    monkeypatch.setattr(registry, "get_model", counted)
    monkeypatch.setattr(grid_module, "get_model", counted)
    cube = sweep(grid, client="synchronous", progress=False, store=tmp_path / "r.zarr")
    assert set(cube.status.values.ravel()) == {"ok"} and "kicks_total" in cube
    assert lookups == []
