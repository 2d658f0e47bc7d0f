"""The sweep's zarr store: resume, interruption, and refusing what is not this sweep's store."""

import numpy as np
import pytest
import xarray as xr

from mfn import ParameterError
from mfn.analysis.features import FeatureParams
from mfn.sweeps.driver import sweep
from mfn.sweeps.grid import SweepGrid
from mfn.sweeps.provenance import identity_attrs
from mfn.sweeps.record import failed_record
from mfn.sweeps.store import SweepStore, load_cube

GRID = {"alpha": [0.1, 0.2], "boundary": ["periodic", "dirichlet"]}
SEEDS = [0, 1]
BASE = {"grid_size": 10, "steps": 6}
RUN_DEPENDENT = ["duration_s", "created"]


def run(store=None, **kwargs):
    return sweep(GRID, SEEDS, base=BASE, store=store, client="synchronous", progress=False, **kwargs)


@pytest.fixture(scope="module")
def reference():
    return run()


class Interrupt:
    """Raises KeyboardInterrupt, as Ctrl-C would, after ``n`` finished runs."""

    def __init__(self, n):
        self.n = n
        self.seen = []

    def __call__(self, record):
        self.seen.append(record["run_id"])
        if len(self.seen) == self.n:
            raise KeyboardInterrupt


def test_store_round_trip_equals_the_returned_cube(tmp_path, reference):
    cube = run(tmp_path / "s.zarr")
    assert set(cube.status.values.ravel()) == {"ok"}
    xr.testing.assert_equal(cube.drop_vars(RUN_DEPENDENT), reference.drop_vars(RUN_DEPENDENT))
    xr.testing.assert_identical(load_cube(tmp_path / "s.zarr"), cube)
    assert cube.boundary.values.tolist() == ["periodic", "dirichlet"]


def test_interrupted_sweep_keeps_what_finished_and_resumes_the_rest(tmp_path, reference):
    store = tmp_path / "s.zarr"
    with pytest.raises(KeyboardInterrupt):
        run(store, on_result=Interrupt(3))
    partial = load_cube(store)
    assert (partial.status.values == "ok").sum() == 3 and (partial.status.values == "pending").sum() == 5
    assert np.isnan(partial.growth_events_total.where(partial.status == "pending")).all()

    rest = Interrupt(n=0)
    cube = run(store, on_result=rest)
    assert sorted(rest.seen) == sorted(partial.run_id.values[partial.status.values == "pending"].tolist())
    finished_before = partial.status == "ok"
    for name in RUN_DEPENDENT:  # runs that finished before were not run again
        assert (cube[name].where(finished_before) == partial[name].where(finished_before)).sum() == 3
    xr.testing.assert_equal(cube.drop_vars(RUN_DEPENDENT), reference.drop_vars(RUN_DEPENDENT))


def test_rerunning_a_complete_store_runs_nothing(tmp_path):
    store = tmp_path / "s.zarr"
    first = run(store)
    again = Interrupt(n=0)
    second = run(store, on_result=again)
    assert again.seen == []
    xr.testing.assert_identical(first, second)


def test_failed_runs_are_kept_unless_retried(tmp_path):
    store = tmp_path / "s.zarr"
    run(store)
    grid = SweepGrid.build(GRID, SEEDS, BASE)
    SweepStore.open(store, identity_attrs(grid, FeatureParams()), grid.shape, grid.model).write(
        [(1, 0, 1)], [failed_record("earlier failure", grid.model)]
    )
    seen = Interrupt(n=0)
    kept = run(store, on_result=seen)
    assert seen.seen == [] and kept.status.values[1, 0, 1] == "failed"
    assert kept.error.values[1, 0, 1] == "earlier failure" and np.isnan(kept.growth_events_total.values[1, 0, 1])
    retried = run(store, on_result=seen, retry_failed=True)
    assert seen.seen == [int(retried.run_id.values[1, 0, 1])] and retried.status.values[1, 0, 1] == "ok"


def _snapshot(path):
    return {p.relative_to(path): p.read_bytes() for p in sorted(path.rglob("*")) if p.is_file()}


def test_a_store_made_by_a_different_grid_is_refused_untouched(tmp_path):
    store = tmp_path / "s.zarr"
    run(store)
    before = _snapshot(store)
    with pytest.raises(ParameterError, match=r"store = .* a store made by the same sweep .*mfn_sweep"):
        sweep({"alpha": [0.1, 0.15]}, SEEDS, base=BASE, store=store, client="synchronous", progress=False)
    with pytest.raises(ParameterError, match="mfn_sweep"):
        sweep(GRID, [0, 1, 2], base=BASE, store=store, client="synchronous", progress=False)
    with pytest.raises(ParameterError, match="mfn_sweep"):
        sweep(GRID, SEEDS, base={**BASE, "steps": 7}, store=store, client="synchronous", progress=False)
    with pytest.raises(ParameterError, match="mfn_feature_params"):
        run(store, feature_params=FeatureParams(threshold_mode="adaptive"))
    assert _snapshot(store) == before


@pytest.mark.parametrize(
    ("make", "match"),
    [
        (lambda p: (p.mkdir(), (p / "notes.txt").write_text("mine")), "holds something else|cannot read"),
        (lambda p: p.write_text("a file"), "cannot read"),
        (lambda p: xr.Dataset({"x": ("t", [1.0])}).to_zarr(p, consolidated=False), "holds something else"),
    ],
    ids=["folder-with-files", "plain-file", "foreign-zarr"],
)
def test_foreign_paths_are_refused_and_never_overwritten(tmp_path, make, match):
    path = tmp_path / "thing"
    make(path)
    before = _snapshot(path) if path.is_dir() else path.read_bytes()
    with pytest.raises(ParameterError, match=match):
        run(path)
    assert (_snapshot(path) if path.is_dir() else path.read_bytes()) == before


def test_a_corrupt_store_is_refused(tmp_path):
    store = tmp_path / "s.zarr"
    run(store)
    (store / "zarr.json").write_text("{ not json")
    with pytest.raises(ParameterError, match="cannot read it"):
        run(store)
    assert (store / "zarr.json").read_text() == "{ not json"


def test_an_empty_folder_becomes_the_store(tmp_path):
    store = tmp_path / "empty.zarr"
    store.mkdir()
    assert set(run(store).status.values.ravel()) == {"ok"}


def test_load_cube_of_a_missing_path(tmp_path):
    with pytest.raises(ParameterError, match=r"path = .*missing"):
        load_cube(tmp_path / "missing.zarr")
