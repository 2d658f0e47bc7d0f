"""The lattice does not show, and measures converge with resolution (ADR 0017)."""

import numpy as np
import pytest
from scipy import stats

from mfn import MyceliumParams
from mfn.hyphae.growth import growth_counts
from mfn.models.mycelium.colony_measures import hypha_directions
from mfn.models.mycelium.stepper import MyceliumStepper

SEEDS = range(20)


def _grow(**kw):
    p = MyceliumParams(**kw)
    s = MyceliumStepper(p, "numba")
    s.advance(p.steps)
    return s.network()


@pytest.fixture(scope="module")
def colonies():
    return [_grow(seed=seed) for seed in SEEDS]


def test_hyphae_grow_in_every_direction(colonies):
    """One direction per hypha (chord), pooled over 20 default colonies: chi² over 12 bins."""
    angles = np.concatenate([hypha_directions(net) for net in colonies])
    counts, _ = np.histogram(np.mod(angles, 2 * np.pi), bins=12, range=(0.0, 2 * np.pi))
    result = stats.chisquare(counts)
    assert angles.size > 1000 and result.pvalue > 0.01, (counts, result)


def test_no_excess_of_hypha_along_the_lattice_axes(colonies):
    """Hypha length within 7.5 degrees of the lattice's axes (1/6 of the directions): 0.165 measured."""
    share = []
    for net in colonies:
        u, v = net.edges[:, 0], net.edges[:, 1]
        folded = np.mod(np.arctan2(net.y[v] - net.y[u], net.x[v] - net.x[u]), np.pi / 2)
        near = (folded < np.radians(7.5)) | (folded > np.radians(82.5))
        share.append((net.lengths[near].sum(), net.lengths.sum()))
    got = sum(a for a, _ in share) / sum(b for _, b in share)
    assert abs(got - 1 / 6) < 0.01, got


def _means(changes, seeds, times):
    counts = [growth_counts(_grow(seed=seed, **changes), times) for seed in seeds]
    length = np.mean([c.total_length for c in counts], axis=0)
    ends = np.mean([c.free_ends for c in counts], axis=0)
    return length, ends, length / ends


@pytest.mark.slow
def test_halving_the_spacing_changes_length_ends_and_growth_unit_by_less_than_10_percent():
    """24 default colonies at 25 µm (nutrient cells 200 µm) and at 12.5 µm (100 µm), 10 and 12 h."""
    times = np.array([10.0, 12.0])
    coarse = _means({}, range(24), times)
    fine = _means({"spacing": 12.5, "grid_size": 512}, range(24), times)
    for name, a, b in zip(("L", "N", "G"), coarse, fine, strict=True):
        assert np.all(np.abs(b / a - 1.0) < 0.10), (name, a, b)


def test_the_lattice_alone_does_not_change_the_colony():
    """Halving only the lattice (nutrient cells kept at 200 µm): hyphae are polylines, the lattice
    only their buckets and picture, so length and ends barely move (< 1 %)."""
    times = np.array([10.0, 12.0])
    coarse = _means({}, range(6), times)
    fine = _means({"spacing": 12.5, "grid_size": 512, "field_cell": 16}, range(6), times)
    for a, b in zip(coarse[:2], fine[:2], strict=True):
        assert np.all(np.abs(b / a - 1.0) < 0.01), (a, b)
