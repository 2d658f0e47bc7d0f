"""Fractal geometry: box-counting dimension of a mask and a random IFS attractor (docs/features.md).

:func:`box_dimension` measures how the number of occupied boxes grows as the boxes shrink;
:func:`ifs` draws a random iterated function system of similarity maps and returns its
attractor with the system's Lyapunov exponent.
"""

from __future__ import annotations

import math
from typing import Any, NamedTuple

import numpy as np

from mfn.core.checks import check_int
from mfn.core.errors import ParameterError

__all__ = [
    "IFS_POINTS_RANGE",
    "IFS_TRANSFORMS_RANGE",
    "NUM_SCALES_RANGE",
    "BoxFit",
    "IFSMaps",
    "IFSResult",
    "box_dimension",
    "box_fit",
    "box_sizes",
    "ifs",
    "ifs_maps",
    "iterate_ifs",
]

NUM_SCALES_RANGE = (3, 10)
"""Smallest and largest number of box sizes of a box-counting fit."""
IFS_POINTS_RANGE = (1000, 100_000)
"""Smallest and largest number of IFS iterations."""
IFS_TRANSFORMS_RANGE = (2, 8)
"""Smallest and largest number of IFS maps."""
CLIP_TOLERANCE = 1e-9
"""How far outside [0, 2] a raw box-counting slope may fall by round-off without counting as clipped."""
IFS_SCALE_RANGE = (0.2, 0.5)
"""Contraction factor of each IFS map, drawn uniformly from this interval."""


def box_dimension(mask: Any, min_box: int = 2, max_box: int | None = None, num_scales: int = 5) -> tuple[float, float]:
    """Box-counting dimension of a 2-D binary mask and the R^2 of its fit.

    Box sides ``eps`` are ``num_scales`` integers geometrically spaced from ``min_box`` to
    ``max_box`` (rounded; repeated sizes are counted once). The mask is tiled from its
    top-left corner by ``eps x eps`` boxes; ``N(eps)`` is the number of boxes holding at
    least one True cell, and the dimension is the least-squares slope of ``ln N(eps)``
    against ``ln(1/eps)``. When ``eps`` does not divide a side, the last row or column of
    boxes sticks out of the mask and each such box counts by the fraction of its area
    inside the mask (so a full rectangle has dimension exactly 2 at any box sizes). The
    slope is reported within [0, 2], the range for a subset of the plane: on tiny masks
    discretisation can push the raw least-squares slope outside it. :func:`box_fit` gives
    the raw slope and whether it was clipped; judge a fit from those.

    Parameters
    ----------
    mask : (M, N) bool ndarray
        The set to measure. Integer or float arrays are accepted when every value is 0 or 1.
    min_box : int, default 2
        Smallest box side, cells; >= 1.
    max_box : int, optional
        Largest box side, cells; in [min_box, min(M, N)]. Defaults to half the shorter side.
    num_scales : int, default 5
        Number of box sizes, in [3, 10].

    Returns
    -------
    dimension : float
        The slope, in [0, 2] (0 for a single occupied box).
    r2 : float
        Coefficient of determination of the fit, in [0, 1].

    Both are 0.0 when the fit is degenerate: an empty mask, fewer than two distinct box
    sizes (a mask smaller than ``2 * min_box`` with the default ``max_box``), or the same
    box count at every size (one occupied box). Never NaN.

    Raises
    ------
    ParameterError
        If ``mask`` is not 2-D, holds values other than 0/1, or a box setting is out of range.

    Notes
    -----
    Box counting is exact for a self-similar image only when every box size is a power of
    the image's scale factor ``b`` and the image side is one too: then each box holds whole
    copies of the pattern. Recommended settings for an image of side ``b**k``:
    ``min_box=b``, ``max_box=b**(k-1)`` and ``num_scales=k-1`` (so the geometric spacing
    lands on ``b, b**2, ..., b**(k-1)``). For example a Sierpinski triangle drawn at
    512 x 512 with ``min_box=2, max_box=256, num_scales=8`` gives ln 3/ln 2 exactly, a
    Sierpinski carpet at 729 x 729 with ``min_box=3, max_box=243, num_scales=5`` gives
    ln 8/ln 3. For fields with no scale factor (the lattice model) the defaults are fine.

    Examples
    --------
    >>> square = np.ones((64, 64), bool)
    >>> d, r2 = box_dimension(square, min_box=2, max_box=32, num_scales=5)
    >>> round(d, 6), round(r2, 6)
    (2.0, 1.0)
    >>> box_dimension(np.zeros((8, 8), bool))
    (0.0, 0.0)
    """
    fit = box_fit(mask, min_box, max_box, num_scales)
    return fit.dimension, fit.r2


class BoxFit(NamedTuple):
    """A box-counting fit, with the raw slope behind the reported dimension.

    Attributes
    ----------
    dimension : float
        The user-facing dimension: ``raw_slope`` clipped to [0, 2] (0 when degenerate).
    r2 : float
        Coefficient of determination of the fit, in [0, 1] (0 when degenerate).
    raw_slope : float
        The least-squares slope of ``ln N(eps)`` against ``ln(1/eps)`` before clipping
        (0 when degenerate). A raw slope outside [0, 2] says the fit is not measuring a
        dimension of a plane set (too few boxes, edge effects): judge a fit from it.
    clipped : bool
        Whether the raw slope was outside [0, 2] by more than round-off (:data:`CLIP_TOLERANCE`;
        a full square gives 2.0000000000000004, which is not a clipped fit).
    sizes : (K,) int ndarray
        Box sides used, cells.
    counts : (K,) float ndarray
        Occupied boxes at each side (empty when degenerate).
    """

    dimension: float
    r2: float
    raw_slope: float
    clipped: bool
    sizes: np.ndarray
    counts: np.ndarray


def box_fit(mask: Any, min_box: int = 2, max_box: int | None = None, num_scales: int = 5) -> BoxFit:
    """The box-counting fit of :func:`box_dimension`, with its raw slope and a clipping flag.

    Same arguments, checks and counting as :func:`box_dimension`, which returns
    ``(fit.dimension, fit.r2)`` of this fit.

    Examples
    --------
    >>> fit = box_fit(np.eye(64, dtype=bool), min_box=2, max_box=32)
    >>> round(fit.raw_slope, 6), fit.clipped
    (1.0, False)
    """
    m = _check_mask(mask)
    sizes = box_sizes(m.shape, min_box, max_box, num_scales)
    if sizes.size < 2 or not m.any():
        return BoxFit(0.0, 0.0, 0.0, False, sizes, np.empty(0))
    counts = np.array([_count_boxes(m, int(s)) for s in sizes], dtype=np.float64)
    slope, r2 = _fit_dimension(sizes, counts)
    dimension = min(max(slope, 0.0), 2.0)
    return BoxFit(dimension, r2, slope, abs(dimension - slope) > CLIP_TOLERANCE, sizes, counts)


DEFAULT_MIN_BOX = 2
"""The default smallest box side, cells; a lattice too small for two sizes above it gives D = 0."""


def box_sizes(shape: tuple[int, int], min_box: int = 2, max_box: int | None = None, num_scales: int = 5) -> np.ndarray:
    """The distinct box sides :func:`box_dimension` uses for a mask of ``shape``.

    Validates the settings (see :func:`box_dimension`) and returns an increasing int array;
    it has fewer than two entries only when the default ``max_box`` is smaller than
    ``min_box`` or equal to it.
    """
    num_scales = check_int("num_scales", num_scales, *NUM_SCALES_RANGE)
    side = min(shape)
    min_box = check_int("min_box", min_box, 1, hint="the smallest box side, in cells")
    if max_box is None:
        max_box = side // 2
        if max_box <= min_box:
            if min_box > DEFAULT_MIN_BOX:  # a setting that leaves one box size would give D = 0 silently
                raise ParameterError(
                    "min_box",
                    min_box,
                    f"an integer with 1 <= min_box < {max_box} for a {shape[0]}x{shape[1]} mask "
                    f"(the default max_box is half its shorter side, {max_box})",
                    "lower min_box, or give max_box: one box size cannot fit a slope",
                )
            return np.array([min_box], dtype=np.int64)
    else:
        max_box = check_int(
            "max_box", max_box, min_box, side, hint=f"between min_box and the shorter side of the mask ({side})"
        )
    if min_box > side:
        raise ParameterError("min_box", min_box, f"an integer with 1 <= min_box <= {side} (the shorter side)")
    sizes = np.rint(np.geomspace(min_box, max_box, num_scales)).astype(np.int64)
    return np.unique(sizes)


def _check_mask(mask: Any) -> np.ndarray:
    try:
        arr = np.asarray(mask)
    except (TypeError, ValueError):
        raise ParameterError("mask", mask, "a 2-D boolean array") from None
    if arr.ndim != 2:
        raise ParameterError("mask", f"array of shape {arr.shape}", "a 2-D boolean array")
    if arr.dtype == bool:
        return arr
    if arr.dtype.kind not in "iuf":
        raise ParameterError("mask", f"array of dtype {arr.dtype}", "a 2-D boolean array (or 0/1 numbers)")
    if not np.all((arr == 0) | (arr == 1)):
        bad = arr[(arr != 0) & (arr != 1)].flat[0]
        raise ParameterError(
            "mask",
            f"array holding {bad!r}",
            "a 2-D boolean array, or numbers that are all 0 or 1",
            "threshold it first",
        )
    return arr != 0


def _count_boxes(mask: np.ndarray, size: int) -> float:
    """Occupied ``size x size`` boxes, tiled from the top-left corner.

    A box that sticks out of the mask counts by the fraction of its area inside it, so a
    full rectangle gives exactly ``rows * cols / size**2`` whatever the size.
    """
    rows, cols = mask.shape
    nr, nc = -(-rows // size), -(-cols // size)
    if nr * size == rows and nc * size == cols:
        return float(np.count_nonzero(mask.reshape(nr, size, nc, size).any(axis=(1, 3))))
    padded = np.zeros((nr * size, nc * size), dtype=bool)
    padded[:rows, :cols] = mask
    occupied = padded.reshape(nr, size, nc, size).any(axis=(1, 3))
    heights = np.full(nr, float(size))
    heights[-1] = rows - (nr - 1) * size
    widths = np.full(nc, float(size))
    widths[-1] = cols - (nc - 1) * size
    return float(heights @ occupied @ widths) / (size * size)


def _fit_dimension(sizes: np.ndarray, counts: np.ndarray) -> tuple[float, float]:
    """Raw slope of ``ln counts`` against ``ln(1/sizes)`` and its R^2 (in [0, 1]); (0, 0) when degenerate."""
    x = -np.log(sizes.astype(np.float64))
    y = np.log(counts)
    dx, dy = x - x.mean(), y - y.mean()
    ss_y = float(dy @ dy)
    if ss_y <= 1e-24 * max(1.0, float(y @ y)):
        return 0.0, 0.0
    slope = float(dx @ dy) / float(dx @ dx)
    residual = dy - slope * dx
    r2 = 1.0 - float(residual @ residual) / ss_y
    return slope, min(max(r2, 0.0), 1.0)


class IFSResult(NamedTuple):
    """Attractor of a random iterated function system.

    Attributes
    ----------
    points : (n_points, 2) float ndarray
        The iterates, in the maps' (dimensionless) coordinates.
    lyapunov : float
        Mean of ``ln |det J_k| = 2 ln s_k`` over the maps applied, per iteration; < 0.
    """

    points: np.ndarray
    lyapunov: float


class IFSMaps(NamedTuple):
    """A random IFS of similarity maps ``z -> s_k exp(i theta_k) z + t_k`` and the maps chosen.

    Attributes
    ----------
    scales : (K,) float ndarray
        Contraction factors ``s_k``.
    angles : (K,) float ndarray
        Rotation angles ``theta_k``, rad.
    shifts : (K, 2) float ndarray
        Translations ``t_k`` (x, y).
    choice : (n_points,) int ndarray
        The map applied at each iteration.
    """

    scales: np.ndarray
    angles: np.ndarray
    shifts: np.ndarray
    choice: np.ndarray

    @property
    def lyapunov(self) -> float:
        """Mean of ``ln |det J_k| = 2 ln s_k`` over the maps applied, per iteration."""
        return float(np.mean(2.0 * np.log(self.scales[self.choice])))

    @property
    def radius(self) -> float:
        """``max |t_k| / (1 - max s_k)``: every iterate from the origin lies within it (inf unless every ``s_k < 1``).

        From ``|z_{n+1}| <= s |z_n| + |t|`` by induction; the attractor lies within it too.
        """
        s = float(self.scales.max())
        return float(np.hypot(*self.shifts.T).max()) / (1.0 - s) if s < 1.0 else math.inf

    @property
    def fixed_points(self) -> np.ndarray:
        """The fixed point ``t_k / (1 - s_k exp(i theta_k))`` of each map, as (K, 2) coordinates.

        They lie on the attractor, so its extent is at least ``max |fixed point|``.
        """
        z = (self.shifts[:, 0] + 1j * self.shifts[:, 1]) / (1.0 - self.scales * np.exp(1j * self.angles))
        return np.column_stack([z.real, z.imag])


def ifs_maps(
    n_points: int = 10_000, n_transforms: int = 4, seed: int = 0, *, rng: np.random.Generator | None = None
) -> IFSMaps:
    """Draw the maps and map choices of :func:`ifs` (same arguments, same draws, in the same order).

    Examples
    --------
    >>> maps = ifs_maps(n_points=2000, seed=1)
    >>> bool(np.abs(iterate_ifs(maps)).max() <= maps.radius)
    True
    """
    n_points = check_int("n_points", n_points, *IFS_POINTS_RANGE)
    n_transforms = check_int("n_transforms", n_transforms, *IFS_TRANSFORMS_RANGE)
    if rng is None:
        rng = np.random.default_rng(check_int("seed", seed, 0))
    elif not isinstance(rng, np.random.Generator):
        raise ParameterError("rng", rng, "a numpy.random.Generator or None")
    scales = rng.uniform(*IFS_SCALE_RANGE, n_transforms)
    angles = rng.uniform(0.0, 2.0 * math.pi, n_transforms)
    shifts = rng.uniform(-1.0, 1.0, (n_transforms, 2))
    choice = rng.integers(0, n_transforms, n_points)
    return IFSMaps(scales, angles, shifts, choice)


def iterate_ifs(maps: IFSMaps, start: complex = 0j) -> np.ndarray:
    """The iterates of ``maps`` from ``start`` (the origin by default), as (n_points, 2) coordinates."""
    # A similarity map is multiplication by a complex number plus a complex shift.
    factors = (maps.scales * np.exp(1j * maps.angles)).tolist()
    offsets = (maps.shifts[:, 0] + 1j * maps.shifts[:, 1]).tolist()
    z = complex(start)
    out = []
    append = out.append
    for k in maps.choice.tolist():
        z = factors[k] * z + offsets[k]
        append(z)
    zs = np.array(out, dtype=np.complex128)
    return np.column_stack([zs.real, zs.imag])


def ifs(
    n_points: int = 10_000, n_transforms: int = 4, seed: int = 0, *, rng: np.random.Generator | None = None
) -> IFSResult:
    """Iterate a random IFS of similarity maps from the origin (docs/features.md).

    Map ``k`` is ``x -> s_k R(theta_k) x + t_k`` with ``s_k ~ U(0.2, 0.5)``,
    ``theta_k ~ U(0, 2 pi)`` and ``t_k ~ U(-1, 1)`` per axis, drawn in that order
    (all scales, then all angles, then all translations); then the ``n_points`` map choices,
    uniform over the maps (:func:`ifs_maps`), iterated by :func:`iterate_ifs`. The points stay
    within ``max |t_k| / (1 - max s_k)`` of the origin (:attr:`IFSMaps.radius`), at most
    ``2 * sqrt(2)`` for these scales and translations.

    Parameters
    ----------
    n_points : int, default 10000
        Number of iterations (points returned), in [1000, 100000].
    n_transforms : int, default 4
        Number of maps, in [2, 8].
    seed : int, default 0
        Seed of the generator, >= 0; ignored when ``rng`` is given.
    rng : numpy.random.Generator, optional
        Generator to draw from instead of one made from ``seed``.

    Returns
    -------
    IFSResult
        ``(points, lyapunov)``. The expected Lyapunov exponent for this scale law is
        ``2 E[ln s] = -2.1645``.

    Examples
    --------
    >>> points, lyap = ifs(n_points=2000, seed=1)
    >>> points.shape, bool(lyap < 0), bool(np.abs(points).max() < 3)
    ((2000, 2), True, True)
    """
    maps = ifs_maps(n_points, n_transforms, seed, rng=rng)
    return IFSResult(iterate_ifs(maps), maps.lyapunov)
