"""Colony centre, radius, radial density and mass dimension (mfn/hyphae/radial.py)."""

import numpy as np
import pytest

from mfn.hyphae.radial import colony_centre, colony_radius, mass_scaling, radial_profile


@pytest.fixture
def star(build):
    """Six straight hyphae of 1000 µm from a spore at (100, 200), at 60-degree steps."""
    return build([{"start": (100.0, 200.0), "angle": 60.0 * k, "length": 1000.0, "birth": 0.0} for k in range(6)])


def test_centre_is_where_the_colony_started(star):
    assert colony_centre(star) == pytest.approx((100.0, 200.0))


def test_radius_holding_a_fraction_of_the_length_of_straight_hyphae(star):
    profile = radial_profile(star, np.array([star.t.max()]), colony_centre(star), 50.0)
    # length is spread evenly in radius: the disc holding 95 % of it has radius 950 µm
    assert colony_radius(profile, 0.95)[0] == pytest.approx(950.0, abs=1e-6)
    assert colony_radius(profile, 0.5)[0] == pytest.approx(500.0, abs=1e-6)


def test_radius_and_density_follow_growth(star):
    times = np.array([2.0, 4.0, 8.5])  # 240, 480 and 1000 µm grown
    profile = radial_profile(star, times, colony_centre(star), 40.0)
    np.testing.assert_allclose(profile.length.sum(axis=1), 6 * np.array([240.0, 480.0, 1000.0]))
    np.testing.assert_allclose(colony_radius(profile, 1.0), [240.0, 480.0, 1000.0])
    # six lines: length per annulus area falls as 1/r
    density = profile.density[-1, :20]
    r = 0.5 * (profile.edges[1:21] + profile.edges[:20])
    np.testing.assert_allclose(density[5:], 6 / (2 * np.pi * r[5:]) * 1000.0, rtol=1e-9)


def test_the_mass_dimension_of_lines_is_one(star):
    profile = radial_profile(star, np.array([star.t.max()]), colony_centre(star), 10.0)
    m = mass_scaling(profile, np.geomspace(20.0, 900.0, 12), (50.0, 800.0))
    assert m.dimension == pytest.approx(1.0, abs=1e-9)
    np.testing.assert_allclose(m.slope, 1.0, atol=1e-9)


def test_the_mass_dimension_of_a_dense_mesh_is_two_above_its_spacing(build):
    # parallel hyphae 10 µm apart over a 2 x 2 mm square, centred at the origin
    lines = [
        {"start": (-1000.0, y), "angle": 0.0, "length": 2000.0, "birth": 0.0} for y in np.arange(-1000, 1001, 10.0)
    ]
    net = build(lines)
    profile = radial_profile(net, np.array([net.t.max()]), (0.0, 0.0), 10.0)
    m = mass_scaling(profile, np.geomspace(50.0, 900.0, 10), (100.0, 800.0))
    assert m.dimension == pytest.approx(2.0, abs=0.02)
