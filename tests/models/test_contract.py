"""The model protocol's contract: every registered model passes it by being registered.

Each test is parametrised over :func:`mfn.core.model.models`, so a new model is held to the
same rules as the classic one: a Dataset with units and long names, the same bits for the
same seed, numpy and numba agreeing, bad parameters named, and every layer (features,
ensembles, the CLI, sweeps on a real Dask cluster, the live view) working with it.
"""

from __future__ import annotations

import math

import numpy as np
import pytest

import mfn
from mfn.core.errors import ParameterError
from mfn.core.model import models

MODELS = sorted(models())
SMALL = {"grid_size": 16, "steps": 6}


def small(name: str, **changes):
    """Small parameters of a model: a 16x16 grid, a few steps."""
    params_class = models()[name].params_class
    return params_class().replace(**{**SMALL, **changes})


@pytest.fixture(params=MODELS)
def model(request):
    return models()[request.param]


def test_the_params_class_knows_its_model_and_every_field_has_a_spec(model):
    params_class = model.params_class
    assert params_class.model == model.name
    specs = params_class.specs()
    assert {"grid_size", "steps", "seed"} <= set(specs)
    for name, spec in specs.items():
        assert spec.doc, f"{model.name}.{name} has no doc"
    assert model.primary in [v.name for v in model.variables]


def test_simulate_returns_a_dataset_with_units_and_long_names(model):
    run = mfn.simulate(small(model.name))
    assert run.attrs["model"] == model.name and run.attrs["primary"] == model.primary
    assert run[model.primary].dims == ("time", "y", "x") and run.sizes["time"] == SMALL["steps"] + 1
    for name, var in {**run.data_vars, **run.coords}.items():
        assert "units" in var.attrs and "long_name" in var.attrs, name
    for counter in model.counters:
        assert f"{counter.name}_total" in run.attrs
    for key in ("lyapunov", "fractal_dimension", "duration_s", "mfn_version", "backend", "created"):
        assert key in run.attrs
    assert math.isfinite(run.attrs["fractal_dimension"])


def test_the_models_measures_land_in_the_runs_attributes(model):
    assert model.measures, f"{model.name} reports no measures of its own"
    run = mfn.simulate(small(model.name), record_every=None)
    for measure in model.measures:
        assert measure.units and measure.long_name, measure.name
        assert isinstance(run.attrs[measure.name], float), measure.name


def test_the_same_seed_gives_the_same_bits(model):
    params = small(model.name, seed=3)
    a, b = mfn.simulate(params, variables="all"), mfn.simulate(params, variables="all")
    for name in a.data_vars:
        np.testing.assert_array_equal(a[name].values, b[name].values, err_msg=name)


@pytest.mark.parametrize("seed", [0, 7])
def test_numpy_and_numba_agree(model, seed):
    if "numba" not in model.backends:
        pytest.skip(f"{model.name} has no numba step")
    params = small(model.name, seed=seed)
    ref = mfn.simulate(params, variables="all", backend="numpy")
    fast = mfn.simulate(params, variables="all", backend="numba")
    assert fast.attrs["backend"] == "numba"
    for name in ref.data_vars:
        np.testing.assert_allclose(fast[name].values, ref[name].values, rtol=1e-12, atol=1e-12, err_msg=name)


def _bad_values(spec):
    if spec.kind == "grid":
        return [3, (4, 2000)]
    if spec.kind == "bool":
        return ["yes"]
    if spec.kind == "choice":
        return ["no-such-choice"]
    bad = ["text", float("nan")]
    if spec.hi is not None:
        bad.append(spec.hi + (1 if spec.kind == "int" else abs(spec.hi) + 1.0))
    if spec.lo is not None:
        bad.append(spec.lo - (1 if spec.kind == "int" else abs(spec.lo) + 1.0))
    return bad


def test_bad_parameters_raise_parameter_error_naming_the_field(model):
    for name, spec in model.params_class.specs().items():
        for value in _bad_values(spec):
            with pytest.raises(ParameterError) as info:
                model.params_class(**{name: value})
            assert info.value.parameter == name, (name, value, str(info.value))


def test_unknown_names_are_refused(model):
    with pytest.raises(ParameterError, match="no_such_parameter"):
        model.params_class.from_dict({"no_such_parameter": 1})


def test_attrs_round_trip_to_the_same_params(model):
    params = small(model.name, seed=5)
    run = mfn.simulate(params, record_every=None)
    assert model.params_class.from_attrs(run.attrs) == params


def test_features_of_the_primary_variable_are_finite(model):
    run = mfn.simulate(small(model.name))
    vector = mfn.feature_vector(run)
    assert vector.shape == (18,) and np.isfinite(vector).all()


def test_online_features_equal_offline(model):
    params = small(model.name)
    sim = mfn.Simulation(params)
    sim.step(params.steps)
    online = sim.features()
    offline = mfn.features(mfn.simulate(params))
    for name in mfn.FEATURE_NAMES:
        assert float(online[name]) == pytest.approx(float(offline[name]), rel=1e-9, abs=1e-9), name


def test_ensemble_members_equal_their_runs(model):
    params = [small(model.name, seed=s) for s in (1, 2)]
    cube = mfn.simulate_ensemble(params)
    for k, p in enumerate(params):
        run = mfn.simulate(p)
        np.testing.assert_array_equal(cube[model.primary].isel(member=k).values, run[model.primary].values)


def test_the_cli_runs_the_model(model, tmp_path, capsys):
    from mfn.cli import main

    out = tmp_path / "run.nc"
    assert main(["simulate", "--model", model.name, "--grid-size", "16", "--steps", "3", "--out", str(out)]) == 0
    assert mfn.load_run(out).attrs["model"] == model.name
    assert f"model {model.name}" in capsys.readouterr().out


def test_the_cli_refuses_options_of_other_models(model, capsys):
    from mfn.cli import main

    others = {n for m in models().values() for n in m.params_class.specs()} - set(model.params_class.specs())
    for name in sorted(others):
        spec = next(m.params_class.specs()[name] for m in models().values() if name in m.params_class.specs())
        value = [] if spec.kind == "bool" else ["1"]
        shown = spec.display.name if spec.display is not None else name
        flag = "--" + shown.replace("_", "-")
        assert main(["simulate", "--model", model.name, flag, *value]) == 2
        assert f"an option of the {model.name} model" in capsys.readouterr().err


def test_the_live_view_grows_the_model_without_a_server(model):
    pytest.importorskip("panel", reason="needs the viz extra")
    from mfn.viz import GrowthExplorer

    explorer = GrowthExplorer(small(model.name), steps_per_frame=2)
    explorer.advance(2)
    assert explorer.simulation.t == 4 and explorer.simulation.model is model
    curves = explorer.curves
    assert list(curves["step"]) == [0, 2, 4]
    for counter in model.counters:
        assert counter.name in curves
    for variable in model.variables:
        explorer.variable = variable.name
        assert explorer._display.figures.image_figure.title.text.startswith(variable.name)
    explorer.__panel__()


@pytest.mark.slow
def test_a_two_by_two_sweep_runs_on_a_real_dask_cluster(model):
    pytest.importorskip("distributed", reason="needs the sweep extra")
    from distributed import Client, LocalCluster

    params = small(model.name)
    axis, values = _sweep_axis(params)
    with LocalCluster(n_workers=1, threads_per_worker=1, processes=True, dashboard_address="127.0.0.1:0") as cluster:
        with Client(cluster) as client:
            cube = mfn.sweep({axis: values}, seeds=[0, 1], base=params, client=client)
    assert cube.sizes[axis] == 2 and cube.sizes["seed"] == 2
    assert (cube.status == "ok").all(), cube.error.values
    assert np.isfinite(cube.D_box.values).all()
    for measure in model.measures:  # computed on the worker, from the model the grid carries
        assert cube[measure.name].attrs == {"units": measure.units, "long_name": measure.long_name}


def _sweep_axis(params):
    """A float parameter and two valid values of it (its default and a value inside its range)."""
    for name, spec in type(params).specs().items():
        if spec.kind == "float" and spec.sweep and spec.lo is not None and spec.hi is not None:
            default = getattr(params, name)
            other = (spec.lo + spec.hi) / 2 if default != (spec.lo + spec.hi) / 2 else (default + spec.hi) / 2
            try:
                params.replace(**{name: other})
            except ParameterError:
                continue
            return name, [default, other]
    raise AssertionError(f"{type(params).__name__} has no bounded float parameter to sweep")
