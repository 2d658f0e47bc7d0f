"""A colony's growth history and its fits against growths whose answers are known."""

import math

import numpy as np
import pytest

from mfn.analysis.colony_growth import growth_history, mass_dimension, radial_fit


def _disk_born(size=129):
    """A disk grown ring by ring: born = integer distance from the centre."""
    yy, xx = np.mgrid[:size, :size]
    r = np.hypot(yy - size // 2, xx - size // 2)
    return np.where(r <= size // 2 - 1, np.floor(r), -1).astype(np.int64)


def _line_born(length=400):
    born = np.full((3, length), -1, np.int64)
    born[1] = np.arange(length)
    return born


def test_growth_history_counts_cells_and_their_radius_of_gyration():
    born = _line_born(10)
    steps, mass, rg = growth_history(born)
    assert steps.tolist() == list(range(10)) and mass.tolist() == list(range(1, 11))
    assert rg[-1] == pytest.approx(math.sqrt((10**2 - 1) / 12))  # a uniform line of n cells


@pytest.mark.parametrize(("born", "expected"), [(_disk_born(), 2.0), (_line_born(), 1.0)])
def test_mass_dimension_of_a_disk_is_2_and_of_a_line_is_1(born, expected):
    _, mass, rg = growth_history(born)
    d, r2 = mass_dimension(mass, rg)
    assert d == pytest.approx(expected, abs=0.03) and r2 > 0.99


def test_mass_dimension_is_0_without_enough_points():
    assert mass_dimension([1, 2], [1.0, 2.0]) == (0.0, 0.0)


def test_radial_fit_recovers_a_known_front_speed_and_skips_lag_and_edge():
    t = np.arange(100.0)
    r = np.where(t < 20, 5.0, 5.0 + 0.8 * (t - 20))
    speed, r2, frames = radial_fit(t, r, edge_distance=50.0)
    assert speed == pytest.approx(0.8) and r2 == pytest.approx(1.0)
    assert frames == int(((r > 10) & (r < 45)).sum())
