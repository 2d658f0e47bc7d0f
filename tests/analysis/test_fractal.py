import math

import numpy as np
import pytest

from mfn.analysis.fractal import box_dimension, box_fit, box_sizes, ifs, ifs_maps, iterate_ifs
from mfn.core.errors import ParameterError


def _digits(n: int, base: int, k: int) -> np.ndarray:
    """Base-``base`` digits (k of them, least significant first) of 0..n-1, shape (k, n)."""
    idx = np.arange(n)
    return np.stack([(idx // base**d) % base for d in range(k)])


def sierpinski_triangle(k: int) -> np.ndarray:
    """Pascal's triangle mod 2 on a 2^k grid: cell (y, x) is set when x & y == x."""
    n = 2**k
    y, x = np.indices((n, n))
    return (x & y) == x


def _base3_fractal(k: int, allowed: set[tuple[int, int]]) -> np.ndarray:
    """Cells of a 3^k grid whose base-3 digit pairs (dy, dx) are all in ``allowed``."""
    n = 3**k
    d = _digits(n, 3, k)
    ok = np.ones((n, n), bool)
    for level in range(k):
        dy, dx = d[level][:, None], d[level][None, :]
        keep = np.zeros((n, n), bool)
        for ay, ax in allowed:
            keep |= (dy == ay) & (dx == ax)
        ok &= keep
    return ok


CARPET = {(a, b) for a in range(3) for b in range(3)} - {(1, 1)}
VICSEK = {(1, 1), (0, 1), (1, 0), (2, 1), (1, 2)}
CANTOR_DUST = {(0, 0), (0, 2), (2, 0), (2, 2)}


def _line(n: int) -> np.ndarray:
    m = np.zeros((n, n), bool)
    m[n // 3, :] = True
    return m


# (name, image, min_box, max_box, num_scales, exact dimension): the settings the docstring recommends.
EXACT_FRACTALS = [
    ("sierpinski triangle", sierpinski_triangle(9), 2, 256, 8, math.log(3) / math.log(2)),
    ("sierpinski carpet", _base3_fractal(6, CARPET), 3, 243, 5, math.log(8) / math.log(3)),
    ("vicsek", _base3_fractal(6, VICSEK), 3, 243, 5, math.log(5) / math.log(3)),
    ("cantor dust", _base3_fractal(6, CANTOR_DUST), 3, 243, 5, math.log(4) / math.log(3)),
    ("line", _line(512), 2, 256, 8, 1.0),
    ("filled square", np.ones((512, 512), bool), 2, 256, 8, 2.0),
]


@pytest.mark.parametrize(
    ("name", "image", "lo", "hi", "n", "exact"), EXACT_FRACTALS, ids=[f[0] for f in EXACT_FRACTALS]
)
def test_exact_fractals_within_0_05_and_r2_above_0_99(name, image, lo, hi, n, exact):
    d, r2 = box_dimension(image, min_box=lo, max_box=hi, num_scales=n)
    assert abs(d - exact) < 0.05, (name, d, exact)
    assert r2 > 0.99


@pytest.mark.parametrize("image", [sierpinski_triangle(8), np.ones((100, 60), bool)])
def test_default_settings_are_close_on_power_of_two_and_non_square_images(image):
    d, r2 = box_dimension(image)
    exact = math.log(3) / math.log(2) if image.shape == (256, 256) else 2.0
    assert abs(d - exact) < 0.1 and r2 > 0.98


@pytest.mark.parametrize(
    "mask",
    [np.zeros((32, 32), bool), np.zeros((7, 50), int), np.eye(1, 32, dtype=bool).reshape(1, 32)[:, :1].repeat(4, 0)],
    ids=["empty", "empty int", "tiny"],
)
def test_empty_and_degenerate_masks_give_zero(mask):
    assert box_dimension(mask) == (0.0, 0.0)


def test_single_cell_has_zero_dimension_and_zero_r2():
    m = np.zeros((64, 64), bool)
    m[10, 20] = True
    assert box_dimension(m) == (0.0, 0.0)


def test_mask_of_0_1_numbers_equals_boolean_mask():
    m = sierpinski_triangle(6)
    assert box_dimension(m.astype(float)) == box_dimension(m)


def test_box_sizes_are_geometric_and_distinct():
    assert box_sizes((64, 64)).tolist() == [2, 4, 8, 16, 32]
    assert box_sizes((100, 100)).tolist() == [2, 4, 10, 22, 50]
    assert box_sizes((6, 6)).tolist() == [2, 3]
    assert box_sizes((5, 5)).tolist() == [2]
    assert box_sizes((512, 512), 2, 256, 8).tolist() == [2, 4, 8, 16, 32, 64, 128, 256]
    assert box_sizes((64, 100), 1, 64, 7).tolist() == [1, 2, 4, 8, 16, 32, 64]


@pytest.mark.parametrize(
    ("mask", "kwargs", "parameter"),
    [
        (np.ones((4, 4, 4), bool), {}, "mask"),
        (np.ones(16, bool), {}, "mask"),
        (np.full((8, 8), 0.5), {}, "mask"),
        (np.full((8, 8), np.nan), {}, "mask"),
        (np.array([["a", "b"], ["c", "d"]]), {}, "mask"),
        (np.ones((32, 32), bool), {"num_scales": 2}, "num_scales"),
        (np.ones((32, 32), bool), {"num_scales": 11}, "num_scales"),
        (np.ones((32, 32), bool), {"min_box": 0}, "min_box"),
        (np.ones((32, 32), bool), {"max_box": 33}, "max_box"),
        (np.ones((32, 32), bool), {"min_box": 8, "max_box": 4}, "max_box"),
        (np.ones((32, 32), bool), {"min_box": 2.0}, "min_box"),
    ],
)
def test_bad_input_names_the_argument(mask, kwargs, parameter):
    with pytest.raises(ParameterError, match=parameter) as info:
        box_dimension(mask, **kwargs)
    assert info.value.parameter == parameter


def test_ifs_lyapunov_mean_over_seeds_is_near_the_expectation():
    values = [ifs(n_points=10_000, seed=s).lyapunov for s in range(40)]
    assert all(v < 0 for v in values)
    # E[2 ln s] for s ~ U(0.2, 0.5) is -2.1645; the spread across seeds comes from the 4 scales drawn.
    assert abs(np.mean(values) - (-2.1645)) < 0.1


def test_ifs_points_are_bounded_and_reproducible():
    a = ifs(n_points=5000, n_transforms=8, seed=3)
    b = ifs(n_points=5000, n_transforms=8, rng=np.random.default_rng(3))
    assert a.points.shape == (5000, 2) and np.all(np.abs(a.points) < 2 * math.sqrt(2))
    np.testing.assert_array_equal(a.points, b.points)
    assert a.lyapunov == b.lyapunov


def test_ifs_attractor_has_a_fractional_dimension():
    points, _ = ifs(n_points=50_000, n_transforms=3, seed=2)
    ij = np.floor((points - points.min(0)) / np.ptp(points, 0).max() * 255).astype(int)
    mask = np.zeros((256, 256), bool)
    mask[ij[:, 0], ij[:, 1]] = True
    d, _ = box_dimension(mask)
    assert 0.0 < d < 2.0


@pytest.mark.parametrize(
    ("kwargs", "parameter"),
    [
        ({"n_points": 999}, "n_points"),
        ({"n_points": 100_001}, "n_points"),
        ({"n_transforms": 1}, "n_transforms"),
        ({"n_transforms": 9}, "n_transforms"),
        ({"seed": -1}, "seed"),
        ({"rng": 3}, "rng"),
    ],
)
def test_ifs_bad_sizes_name_the_argument(kwargs, parameter):
    with pytest.raises(ParameterError, match=parameter):
        ifs(**kwargs)


@pytest.mark.parametrize("shape", [(10, 19), (100, 60), (37, 37), (5, 64)])
def test_full_rectangles_are_exactly_two_dimensional_at_any_box_sizes(shape):
    d, r2 = box_dimension(np.ones(shape, bool), min_box=1, num_scales=7)
    assert d == pytest.approx(2.0, abs=1e-12) and r2 == pytest.approx(1.0, abs=1e-12)


def test_box_fit_reports_the_raw_slope_and_flags_the_clip():
    mask = np.zeros((7, 16), bool)
    mask[1, 15] = True  # one cell in the sliver of boxes sticking out of the mask
    fit = box_fit(mask, num_scales=3)
    assert list(fit.sizes) == [2, 3] and fit.counts[1] == pytest.approx(1 / 3)
    assert fit.raw_slope == pytest.approx(math.log(3) / math.log(1.5)) and fit.raw_slope > 2.7
    assert fit.clipped and fit.dimension == 2.0 and box_dimension(mask, num_scales=3) == (2.0, fit.r2)
    full = box_fit(np.ones((64, 64), bool), min_box=2, max_box=32)
    assert full.dimension == 2.0 and not full.clipped  # a round-off above 2 is not a clip


def test_ifs_maps_give_the_points_the_exponent_and_the_bounds():
    maps = ifs_maps(n_points=5000, n_transforms=3, seed=4)
    result = ifs(n_points=5000, n_transforms=3, seed=4)
    np.testing.assert_array_equal(iterate_ifs(maps), result.points)
    assert maps.lyapunov == result.lyapunov == pytest.approx(np.mean(2 * np.log(maps.scales[maps.choice])))
    extent = np.hypot(*result.points.T).max()
    assert np.hypot(*maps.fixed_points.T).max() * 0.9 <= extent <= maps.radius
    z = complex(*maps.fixed_points[0])  # a fixed point of map 0 is mapped onto itself
    f = maps.scales[0] * np.exp(1j * maps.angles[0])
    assert f * z + complex(*maps.shifts[0]) == pytest.approx(z)
    assert maps._replace(scales=np.array([0.5, 1.0, 0.3])).radius == math.inf
