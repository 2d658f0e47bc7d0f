"""dominant_wavelength: a planted wavelength comes back to one grid mode."""

import math

import numpy as np
import pytest

from mfn import ParameterError, dominant_wavelength
from mfn.analysis.spectra import radial_spectrum


@pytest.mark.parametrize("mode", [3, 8, 9, 20])
@pytest.mark.parametrize("angle", [0.0, 0.5, 1.1])
def test_planted_wavelength_recovered_to_one_grid_mode(mode, angle):
    n = 128
    y, x = np.mgrid[0:n, 0:n]
    k = 2 * math.pi * mode / n
    rng = np.random.default_rng(0)
    field = 5.0 + np.cos(k * (x * math.cos(angle) + y * math.sin(angle))) + 0.1 * rng.standard_normal((n, n))
    got = dominant_wavelength(field)
    assert abs(got.attrs["mode"] - mode) <= 1
    if angle == 0.0:
        assert got.attrs["wavelength"] == pytest.approx(n / mode)


def test_micrometres_with_a_spacing_and_spectrum_coords():
    n = 64
    field = np.cos(2 * math.pi * 4 * np.arange(n) / n)[None, :] * np.ones((n, 1))
    got = dominant_wavelength(field, dx=2.5)
    assert got.attrs["wavelength_um"] == pytest.approx(16 * 2.5)
    assert got.dims == ("mode",) and got.sizes["mode"] == 32
    np.testing.assert_allclose(got.wavelength * got.k, 2 * math.pi)


def test_constant_field_has_no_wavelength():
    assert math.isnan(dominant_wavelength(np.ones((8, 8))).attrs["wavelength"])


def test_bad_input():
    with pytest.raises(ParameterError, match="field"):
        radial_spectrum(np.ones(10))
    with pytest.raises(ParameterError, match="field"):
        dominant_wavelength(np.full((8, 8), np.nan))
    with pytest.raises(ParameterError, match="dx"):
        dominant_wavelength(np.ones((8, 8)), dx=0.0)
