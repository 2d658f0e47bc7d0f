"""mfn.calibrate: its result, its input checks, failures, reproducibility and resumption."""

import json

import numpy as np
import pytest
import xarray as xr

import mfn
from mfn import ParameterError
from mfn.core.summaries import Summary
from tests.conftest import CALIBRATION_BASE, CALIBRATION_PRIORS, CALIBRATION_TRUTH

BASE = mfn.ReactionDiffusionParams(**CALIBRATION_BASE)


def small(observed, **kwargs):
    options = {"population": 10, "generations": 1, "scheduler": "synchronous", "progress": False}
    return mfn.calibrate(BASE, kwargs.pop("priors", CALIBRATION_PRIORS), observed, **{**options, **kwargs})


def _never(measures):
    return float("nan")


def test_the_result_holds_the_posterior_the_generations_and_the_provenance(rd_calibration):
    store, result = rd_calibration
    assert dict(result.sizes) == {"sample": 10, "generation": 2, "summary": 4, "parameter": 2, "y": 32, "x": 32}
    assert result.weight.sum() == pytest.approx(1.0) and (result.weight > 0).all()
    for name, (lo, hi) in CALIBRATION_PRIORS.items():
        assert ((result[name] >= lo) & (result[name] <= hi)).all()
        assert result[name].attrs["units"] == BASE.specs()[name].unit
    assert result.truth.values.tolist() == [CALIBRATION_TRUTH["Dv"], CALIBRATION_TRUTH["b"]]
    assert result.prior.values.tolist() == ["uniform(10, 60)", "uniform(0.7, 1.1)"]
    assert result.summary.values.tolist() == ["wavelength", "spot_density", "amplitude", "level"]
    assert np.isfinite(result.simulated).all() and np.isfinite(result.observed).all()
    # the generations: simulations and acceptance agree, the threshold shrinks from the first
    assert (result.acceptance_rate == 10 / result.simulations).all()
    assert (result.ess > 1).all() and (result.ess <= 10 + 1e-9).all()
    assert result.attrs["simulations"] == int(result.simulations.sum()) + 10  # + the sample from the prior
    assert result.seed.dtype == np.int64 and len(set(result.seed.values.tolist())) == 10
    assert json.loads(result.attrs["base"])["grid_size"] == 32 and result.attrs["store"] == str(store.resolve())
    assert result.observed_u.dims == ("y", "x")


def test_the_observed_summaries_are_those_of_the_observed_run(rd_calibration, rd_observed):
    _, result = rd_calibration
    u = rd_observed.u.isel(time=-1).values
    assert float(result.observed.sel(summary="amplitude")) == pytest.approx(u.std())
    assert float(result.observed.sel(summary="level")) == pytest.approx(u.mean())


def test_a_particle_is_its_own_simulation(rd_calibration):
    """The sample's seed and values repeat the simulation whose summaries the result holds."""
    _, result = rd_calibration
    params = BASE.replace(Dv=float(result.Dv[0]), b=float(result.b[0]), seed=int(result.seed[0]))
    u = mfn.simulate(params, record_every=None).u.isel(time=-1).values
    assert float(result.simulated.sel(summary="amplitude")[0]) == pytest.approx(u.std(), rel=1e-12)


def test_the_result_survives_a_netcdf_round_trip(rd_calibration, tmp_path):
    _, result = rd_calibration
    mfn.save_dataset(result, tmp_path / "result.nc")
    back = mfn.load_dataset(tmp_path / "result.nc")
    xr.testing.assert_identical(back, result)


def test_a_calibration_in_this_process_is_reproducible_from_its_seed(rd_observed, rd_calibration):
    first, second = (small(rd_observed, seed=5) for _ in range(2))
    xr.testing.assert_equal(first.drop_vars("wall_time"), second.drop_vars("wall_time"))
    assert first.epsilon.values[0] != rd_calibration[1].epsilon.values[0]  # seed 0 drew otherwise


def test_a_finished_store_returns_at_once_and_more_generations_continue_it(rd_calibration, rd_observed):
    store, done = rd_calibration
    again = mfn.calibrate(
        BASE,
        CALIBRATION_PRIORS,
        rd_observed,
        population=10,
        generations=2,
        scheduler="tcp://127.0.0.1:9",
        store=store,
        progress=False,
    )  # nothing to run, so no scheduler is contacted
    assert again.attrs["resumed"] == 1 and again.attrs["simulations"] == done.attrs["simulations"]
    xr.testing.assert_equal(again.Dv, done.Dv)
    copy = store.with_name("more.db")
    copy.write_bytes(store.read_bytes())
    more = mfn.calibrate(
        BASE,
        CALIBRATION_PRIORS,
        rd_observed,
        population=10,
        generations=3,
        scheduler="synchronous",
        store=copy,
        progress=False,
    )
    assert more.generation.values.tolist() == [0, 1, 2]
    np.testing.assert_array_equal(more.epsilon.values[:2], done.epsilon.values)
    np.testing.assert_array_equal(more.simulations.values[:2], done.simulations.values)


def test_failed_simulations_are_recorded_by_reason_and_never_accepted(rd_observed):
    result = small(rd_observed, priors={"Dv": (10.0, 100.0)})  # dt 0.004 is unstable above Dv 62.5
    failures = json.loads(result.attrs["failures"])
    (reason,) = failures
    assert reason.startswith("ParameterError: dt = … is invalid") and failures[reason] > 0
    assert "dt = 0.004 is invalid" in json.loads(result.attrs["failure_examples"])[reason]
    assert (result.Dv < 62.5).all()


def test_the_progress_bar_shows_generation_epsilon_and_simulations(rd_observed, capsys):
    small(rd_observed, progress=True)
    err = capsys.readouterr().err
    assert "calibrate: 100%" in err and "1/1" in err and "epsilon=" in err and "simulations=" in err


def test_summaries_no_simulation_can_compute_stop_after_the_sample_from_the_prior(rd_observed, tmp_path):
    own = Summary("never", "1", "undefined for every simulation", _never)
    observed = xr.Dataset({"never": 1.0, "amplitude": 0.03})
    with pytest.raises(ParameterError, match="all 10 simulations failed: 10 x summaries not finite: never") as err:
        small(observed, summaries=["amplitude", own], store=tmp_path / "abc.db")
    assert err.value.parameter == "summaries"
    assert (tmp_path / "abc.db").exists()


@pytest.mark.parametrize(
    ("change", "name", "fragment"),
    [
        ({"population": 9}, "population", "10 <= population"),
        ({"generations": 0}, "generations", "1 <= generations"),
        ({"priors": {"Dw": (1, 2)}}, "Dw", "a ReactionDiffusionParams parameter"),
        ({"summaries": ["colour"]}, "summaries", "one of wavelength"),
        ({"summaries": []}, "summaries", "non-empty"),
        ({"seed": -1}, "seed", "0 <= seed"),
    ],
)
def test_bad_options_are_refused_before_any_simulation(rd_observed, change, name, fragment):
    with pytest.raises(ParameterError) as err:
        small(rd_observed, **change)
    assert err.value.parameter == name and fragment in str(err.value)


@pytest.mark.parametrize(
    ("observed", "fragment"),
    [
        (None, "a run, a network or a Dataset"),
        (np.zeros((0, 0)), "a finite 2-D pattern"),
        (np.ones((16, 16)), "wavelength is undefined"),
        (xr.Dataset(), "a Dataset with u(y, x) or 0-d variables"),
        (np.full((16, 16), np.nan), "a finite 2-D pattern"),
        ("run.nc", "a reaction-diffusion run"),
    ],
)
def test_empty_or_undefined_observed_data_is_refused(observed, fragment):
    with pytest.raises(ParameterError) as err:
        small(observed)
    assert err.value.parameter == "observed" and fragment in str(err.value)


def test_a_run_of_another_model_or_a_model_without_summaries_is_refused(rd_observed):
    classic = xr.Dataset({"V": (("y", "x"), np.zeros((8, 8)))}, attrs={"model": "classic"})
    with pytest.raises(ParameterError, match="a run of the classic model"):
        small(classic)
    with pytest.raises(ParameterError, match="offers summaries") as err:
        mfn.calibrate(mfn.FieldParams(), {"alpha": (0.1, 0.2)}, classic, scheduler="synchronous")
    assert err.value.parameter == "base"
    with pytest.raises(ParameterError, match="parameters of a registered model"):
        mfn.calibrate({"Dv": 1}, {"Dv": (1, 2)}, rd_observed)


def test_a_store_that_cannot_be_written_or_holds_something_else_is_refused(rd_observed, tmp_path):
    blocker = tmp_path / "file"
    blocker.write_text("x")
    with pytest.raises(ParameterError, match="a path whose parent is a folder"):
        small(rd_observed, store=blocker / "abc.db")
    other = tmp_path / "other.db"
    small(rd_observed, store=other, seed=1)
    with pytest.raises(ParameterError, match="differs in seed"):
        small(rd_observed, store=other, seed=2)


def test_simulations_run_on_a_dask_local_cluster(rd_observed):
    result = small(rd_observed, scheduler=None, workers=2, priors={"Dv": (10.0, 100.0)})
    assert result.attrs["scheduler"] == "dask, 2 workers, 2 threads"
    assert result.sizes["sample"] == 10 and (result.Dv < 62.5).all()
    assert sum(json.loads(result.attrs["failures"]).values()) > 0
