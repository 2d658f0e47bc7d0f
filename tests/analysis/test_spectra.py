"""dominant_wavelength: a planted wavelength to a fraction of a mode; NaN for a field without a pattern."""

import math

import numpy as np
import pytest

import mfn
from mfn import ParameterError, dominant_wavelength
from mfn.analysis.spectra import MIN_PEAK_CONTRAST, radial_spectrum


def planted(n: int, a: int, b: int, noise: float = 0.1, seed: int = 0) -> np.ndarray:
    """A periodic wave with ``a`` cycles down the rows and ``b`` across, on 5.0, plus white noise."""
    y, x = np.mgrid[0:n, 0:n]
    rng = np.random.default_rng(seed)
    return 5.0 + np.cos(2 * math.pi * (a * y + b * x) / n) + noise * rng.standard_normal((n, n))


@pytest.mark.parametrize(("a", "b"), [(0, 3), (0, 8), (3, 10), (5, 7), (6, 8), (2, 19), (11, 11)])
def test_a_planted_mode_is_recovered_to_a_thousandth_of_its_radius(a, b):
    n = 128
    got = dominant_wavelength(planted(n, a, b))
    radius = math.hypot(a, b)
    assert got.attrs["mode"] == pytest.approx(radius, rel=1e-3)
    assert got.attrs["wavelength"] == pytest.approx(n / radius, rel=1e-3)
    assert got.attrs["ring"] == round(radius) and got.attrs["verdict"] == ""


def test_between_two_rings_the_estimate_is_not_stuck_on_either():
    """Radius 10.44 (mode (3, 10)): the integer ring alone says 12.8 cells; the truth is 12.26."""
    got = dominant_wavelength(planted(128, 3, 10))
    assert got.attrs["ring"] == 10 and 128 / got.attrs["ring"] == 12.8
    assert abs(got.attrs["wavelength"] - 128 / math.hypot(3, 10)) < 0.01


@pytest.mark.parametrize("mode", [3, 8, 9, 20])
@pytest.mark.parametrize("angle", [0.5, 1.1])
def test_a_wave_at_any_angle_comes_back_within_one_mode(mode, angle):
    """A wave not periodic on the box leaks into its neighbours; the peak still lies within a mode."""
    n = 128
    y, x = np.mgrid[0:n, 0:n]
    k = 2 * math.pi * mode / n
    rng = np.random.default_rng(0)
    field = 5.0 + np.cos(k * (x * math.cos(angle) + y * math.sin(angle))) + 0.1 * rng.standard_normal((n, n))
    assert abs(dominant_wavelength(field).attrs["mode"] - mode) <= 1


def test_micrometres_with_a_spacing_and_spectrum_coords():
    n = 64
    field = np.cos(2 * math.pi * 4 * np.arange(n) / n)[None, :] * np.ones((n, 1))
    got = dominant_wavelength(field, dx=2.5)
    assert got.attrs["wavelength_um"] == pytest.approx(16 * 2.5)
    assert got.dims == ("mode",) and got.sizes["mode"] == 32
    np.testing.assert_allclose(got.wavelength * got.k, 2 * math.pi)


def test_constant_field_has_no_wavelength():
    got = dominant_wavelength(np.ones((8, 8)))
    assert math.isnan(got.attrs["wavelength"]) and math.isnan(got.attrs["k"]) and "no pattern" in got.attrs["verdict"]


def test_a_constant_field_with_round_off_noise_has_no_wavelength():
    """Issue 23: 1 + 1e-12 noise gave 21.3 cells (the ring white noise happened to peak at)."""
    field = np.ones((128, 128)) + 1e-12 * np.random.default_rng(0).standard_normal((128, 128))
    ring = int(radial_spectrum(field).values.argmax()) + 1
    assert 128 / ring == pytest.approx(21.33, abs=0.01)  # what the peak ring said before
    assert math.isnan(dominant_wavelength(field).attrs["wavelength"])


def test_white_noise_of_any_size_has_no_wavelength():
    field = np.random.default_rng(3).standard_normal((128, 128))
    got = dominant_wavelength(field)
    assert math.isnan(got.attrs["wavelength"]) and f"below {MIN_PEAK_CONTRAST:g}" in got.attrs["verdict"]


@pytest.fixture(scope="module")
def decayed():
    """Final u of runs on 96x96 whose initial noise decays (numba step, about 1 s together)."""
    cases = {
        "schnakenberg_equal_diffusion": {"kinetics": "schnakenberg", "Dv": 1.0},  # issue 23: gave 96.0
        "brusselator_below_threshold": {"kinetics": "brusselator", "Dv": 8.0},  # issue 23: gave 8.73
        "fitzhugh_nagumo_below_threshold": {"kinetics": "fitzhugh_nagumo", "Dv": 6.0},  # gave 8.73 too
        "classic": {"kinetics": "classic"},
    }
    out = {}
    for name, changes in cases.items():
        params = mfn.ReactionDiffusionParams(grid_size=96, **changes)
        assert not mfn.turing_analysis(params).attrs["turing_unstable"]
        run = mfn.simulate(params, record_every=None, lyapunov=False)
        out[name] = (params, run.u.isel(time=-1).values)
    return out


@pytest.mark.parametrize(
    ("case", "old"),
    [("schnakenberg_equal_diffusion", 96.0), ("brusselator_below_threshold", 8.73), ("classic", 96.0)],
)
def test_decayed_fields_have_no_wavelength(decayed, case, old):
    params, u = decayed[case]
    ring = int(radial_spectrum(u).values.argmax()) + 1
    assert 96 / ring == pytest.approx(old, abs=0.01)  # what the peak ring said before
    assert u.std() < params.noise  # the noise decayed
    got = dominant_wavelength(u)
    assert math.isnan(got.attrs["wavelength"]), got.attrs


def test_a_decayed_field_near_zero_needs_its_floor(decayed):
    """u* = 0: the field (std 2e-11) has no scale of its own; the run's floor (3 x its noise) judges it."""
    params, u = decayed["fitzhugh_nagumo_below_threshold"]
    assert u.std() < 1e-9 and np.abs(u).max() < 1e-9
    assert math.isfinite(dominant_wavelength(u).attrs["wavelength"])  # a clean peak, at no scale
    assert math.isnan(dominant_wavelength(u, floor=3 * params.noise).attrs["wavelength"])


def test_bad_input():
    with pytest.raises(ParameterError, match="field"):
        radial_spectrum(np.ones(10))
    with pytest.raises(ParameterError, match="field"):
        dominant_wavelength(np.full((8, 8), np.nan))
    with pytest.raises(ParameterError, match="dx"):
        dominant_wavelength(np.ones((8, 8)), dx=0.0)
    with pytest.raises(ParameterError, match="floor"):
        dominant_wavelength(np.ones((8, 8)), floor=-1.0)
