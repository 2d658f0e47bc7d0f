"""Sweeps on a real Dask LocalCluster: same cube as in-process, surviving a worker that dies."""

import os
import signal
import sys

import cloudpickle
import dask
import numpy as np
import pytest
import xarray as xr
from distributed import Client, LocalCluster, WorkerPlugin

from mfn import FieldParams, ParameterError, simulate
from mfn.analysis.features import FEATURE_NAMES, FeatureParams, features
from mfn.sweeps.driver import sweep
from mfn.sweeps.store import load_cube

GRID = {"alpha": [0.1, 0.2], "turing": [True, False]}
SEEDS = [0, 1, 2]
BASE = {"grid_size": 12, "steps": 8}
ADAPTIVE = FeatureParams(threshold_mode="adaptive")  # fixed thresholds give all-zero structure here
RUN_DEPENDENT = ["duration_s", "created"]


def run(client="synchronous", **kwargs):
    return sweep(GRID, SEEDS, base=BASE, feature_params=ADAPTIVE, client=client, progress=False, **kwargs)


cloudpickle.register_pickle_by_value(sys.modules[__name__])  # workers cannot import this test module
pytestmark = pytest.mark.xdist_group("sweep-driver")  # one worker starts the module's LocalCluster once


def values(cube):
    """The cube without what legitimately differs between two runs of one sweep."""
    return cube.drop_vars(RUN_DEPENDENT)


@pytest.fixture(scope="module")
def client():
    # One death is survived, a second one of the same task is a KilledWorker; one task per worker
    # at a time, so a death only ever hits the run that caused it.
    config = {"distributed.scheduler.allowed-failures": 1, "distributed.scheduler.worker-saturation": 1.0}
    with (
        dask.config.set(config),
        LocalCluster(n_workers=2, threads_per_worker=1, processes=True, dashboard_address=":0") as cluster,
        Client(cluster) as c,
    ):
        yield c


@pytest.fixture(scope="module")
def reference():
    return run()


class KillWorker(WorkerPlugin):
    """Kills its worker process (SIGKILL) when the run ``run_id`` starts executing.

    With a ``marker`` path it does so once (the marker records that it happened); without,
    every time.
    """

    name = "kill-worker"

    def __init__(self, run_id, marker=None):
        self.prefix = f"mfn-run-{run_id}-"
        self.marker = marker

    def transition(self, key, start, finish, **kwargs):
        if finish != "executing" or not str(key).startswith(self.prefix):
            return
        if self.marker is not None:
            if os.path.exists(self.marker):
                return
            with open(self.marker, "w") as f:
                f.write(f"killed worker pid {os.getpid()}\n")
        os.kill(os.getpid(), signal.SIGKILL)


def test_cube_layout_and_selection(reference):
    assert reference.growth_events_total.dims == ("alpha", "turing", "seed")
    assert reference.sizes == {"alpha": 2, "turing": 2, "seed": 3}
    assert set(reference.status.values.ravel()) == {"ok"}
    assert set(reference.error.values.ravel()) == {""}
    assert reference.run_id.values.ravel().tolist() == list(range(12))
    mean = reference.growth_events_total.sel(alpha=0.2).mean("seed")
    assert mean.dims == ("turing",) and np.all(mean.values >= 0)
    # every run is the simulation of its own parameters: p = 0.25, 8 steps -> 0..8 events
    assert np.all((reference.growth_events_total >= 0) & (reference.growth_events_total <= 8))
    table = reference.to_dataframe()
    assert len(table) == 12 and {"growth_events_total", "status"} <= set(table.columns)


def test_same_grid_and_seeds_give_identical_values(reference):
    again = run()
    xr.testing.assert_identical(values(again).drop_attrs(), values(reference).drop_attrs())


def test_provenance_attrs(reference):
    attrs = reference.attrs
    assert attrs["mfn_version"] and attrs["base_seed"] == 0 and attrs["n_runs"] == 12
    assert attrs["host_count"] == 1 and attrs["created"].endswith("+00:00")
    assert '"alpha": [0.1, 0.2]' in attrs["grid"] and attrs["seeds"] == "[0, 1, 2]"
    assert '"distributed"' in attrs["package_versions"] and '"numpy"' in attrs["package_versions"]


def test_local_cluster_gives_the_same_cube(client, reference):
    cube = run(client)
    xr.testing.assert_equal(values(cube), values(reference))
    assert cube.attrs["host_count"] == 1


def test_a_scheduler_address_connects_to_that_cluster(client, reference):
    cube = run(client.scheduler.address)
    xr.testing.assert_equal(values(cube), values(reference))


@pytest.mark.slow
def test_without_a_client_a_local_cluster_is_started_and_closed(reference):
    cube = sweep(GRID, SEEDS, base=BASE, feature_params=ADAPTIVE, workers=1, progress=False)
    xr.testing.assert_equal(values(cube), values(reference))
    assert cube.attrs["host_count"] == 1


def test_runs_are_submitted_a_window_at_a_time(client, reference, monkeypatch):
    from mfn.sweeps import runs

    monkeypatch.setattr(runs, "SUBMIT_WINDOW", 2)
    held = set(client.futures)  # earlier tests' futures on this shared client, not yet released

    def submitted() -> int:
        return sum(1 for key in client.futures if key not in held and str(key).startswith("mfn-run-"))

    in_flight = []
    cube = run(client, on_result=lambda record: in_flight.append(submitted()))
    assert len(in_flight) == 12 and max(in_flight) <= 3  # the window and the run just finished
    xr.testing.assert_equal(values(cube), values(reference))


def test_an_interrupted_dask_sweep_keeps_what_finished_and_resumes(client, reference, tmp_path):
    seen = []

    def interrupt_after_three(record):
        seen.append(record["run_id"])
        if len(seen) == 3:
            raise KeyboardInterrupt

    store = tmp_path / "s.zarr"
    with pytest.raises(KeyboardInterrupt):
        run(client, store=store, on_result=interrupt_after_three)
    kept = load_cube(store)
    assert (kept.status.values == "ok").sum() == 3 and kept.run_id.values[
        kept.status.values == "ok"
    ].tolist() == sorted(seen)
    rest = []
    cube = run(client, store=store, on_result=lambda record: rest.append(record["run_id"]))
    assert sorted(seen + rest) == list(range(12))
    xr.testing.assert_equal(values(cube), values(reference))


@pytest.mark.parametrize(("alpha", "turing", "seed"), [(0.1, True, 0), (0.2, False, 2)])
def test_a_record_holds_the_features_and_metrics_of_its_run(reference, alpha, turing, seed):
    recorded = simulate(FieldParams(**BASE, alpha=alpha, turing=turing, seed=seed))
    offline = features(recorded, ADAPTIVE)
    record = reference.sel(alpha=alpha, turing=turing, seed=seed)
    for name in FEATURE_NAMES:  # online (the sweep) and offline computations agree
        assert float(record[name]) == pytest.approx(float(offline[name]), rel=1e-12, abs=1e-12), name
    for level in ("low", "med", "high"):
        assert float(record[f"threshold_{level}"]) == offline.attrs[f"threshold_{level}"]
    assert float(record.V_std) > 0 and float(record.N_clusters_low) >= 1
    for name in ("growth_events_total", "turing_activations_total", "clamped_cells_total", "fractal_dimension"):
        assert float(record[name]) == recorded.attrs[name], name
    assert float(record.lyapunov) == pytest.approx(recorded.attrs["lyapunov"], rel=1e-12, abs=1e-15)
    assert abs(float(record.lyapunov)) < 1e-6  # periodic boundaries: about 0 (docs/features.md)


def test_a_run_its_features_cannot_measure_is_recorded_failed_and_the_sweep_goes_on(client):
    cube = sweep(
        {"grid_size": [8, 24]},
        [0, 1],
        base={"steps": 4},
        feature_params=FeatureParams(max_box=12),
        client=client,
        progress=False,
    )
    small, large = cube.sel(grid_size=8), cube.sel(grid_size=24)
    assert small.status.values.tolist() == ["failed", "failed"]
    assert all(e.startswith("ParameterError: max_box = 12 is invalid") for e in small.error.values)
    assert np.isnan(small.D_box).all() and np.isnan(small.growth_events_total).all()
    assert large.status.values.tolist() == ["ok", "ok"] and not np.isnan(large.D_box).any()


@pytest.mark.slow
def test_a_worker_killed_mid_run_is_survived(client, reference, tmp_path):
    marker = tmp_path / "killed"
    before = set(client.scheduler_info(n_workers=-1)["workers"])
    client.register_plugin(KillWorker(run_id=5, marker=str(marker)))
    try:
        cube = run(client, store=tmp_path / "s.zarr")
    finally:
        client.unregister_worker_plugin(KillWorker.name)
    assert marker.read_text().startswith("killed worker pid")
    assert set(client.scheduler_info(n_workers=-1)["workers"]) != before  # a worker really died
    assert set(cube.status.values.ravel()) == {"ok"}
    xr.testing.assert_equal(values(cube), values(reference))


@pytest.mark.slow
def test_a_run_that_keeps_killing_workers_is_recorded_failed(client, reference):
    client.register_plugin(KillWorker(run_id=7))
    try:
        cube = run(client)
    finally:
        client.unregister_worker_plugin(KillWorker.name)
    failed = cube.status.values == "failed"
    assert failed.sum() == 1 and cube.run_id.values[failed].tolist() == [7]
    assert cube.error.values[failed][0].startswith("KilledWorker")
    assert np.isnan(cube.growth_events_total.values[failed]).all()
    ok = ~failed
    assert np.array_equal(cube.growth_events_total.values[ok], reference.growth_events_total.values[ok])


@pytest.mark.parametrize(
    ("kwargs", "match"),
    [
        ({"client": 3}, "client = 3 is invalid"),
        ({"client": "synchronous", "workers": 2}, "workers = 2 is invalid"),
        ({"workers": 0}, "workers = 0 is invalid"),
        ({"progress": "yes"}, "progress = 'yes' is invalid"),
        ({"on_result": 5}, "on_result = 5 is invalid"),
        ({"feature_params": {"threshold_mode": "adaptive"}}, "feature_params = .* is invalid"),
    ],
)
def test_bad_options_fail_before_any_work(kwargs, match, tmp_path):
    with pytest.raises(ParameterError, match=match):
        sweep(GRID, SEEDS, base=BASE, store=tmp_path / "s.zarr", **kwargs)
    assert not (tmp_path / "s.zarr").exists()


def test_missing_seeds():
    with pytest.raises(ParameterError, match="seeds = None"):
        sweep(GRID)
