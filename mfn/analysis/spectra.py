"""Spatial spectra of 2-D fields: the dominant wavelength of a pattern, to a fraction of a mode.

:func:`radial_spectrum` removes the mean, takes the 2-D power spectrum (periodic FFT, no
window) and averages it over rings of integer radius in frequency units of the shorter side.
:func:`dominant_wavelength` finds the ring of largest power and then the peak's centre to a
fraction of a ring: the power-weighted mean radius of the modes within
:data:`PEAK_HALF_WIDTH` rings of that centre, iterated to its fixed point from the ring
(a mean shift). Wavelength = side / radius (cells), times ``dx`` in µm when a spacing is
given. A single mode at ``(a, b)`` cycles per box is recovered at ``sqrt(a² + b²)`` exactly,
whether or not that radius is an integer; the integer rings alone could only give ``N / m``,
values 7–10 % apart near the wavelengths Turing patterns take on a 128-cell box.

A field without a pattern gives NaN (:func:`pattern_verdict` says why): its spread is at or
below :data:`MIN_RELATIVE_AMPLITUDE` of its largest value (or a ``floor`` the caller gives;
never below :data:`ROUNDOFF` of it), its peak ring does not stand :data:`MIN_PEAK_CONTRAST`
times above the median ring (white noise), or its peak is the first ring (a spectrum falling
from the box size, as decayed noise leaves it: no peak to resolve).
"""

from __future__ import annotations

from typing import TYPE_CHECKING

import numpy as np

from mfn.core.checks import check_array, check_real
from mfn.core.errors import ParameterError

if TYPE_CHECKING:  # xarray is imported when a result is built, keeping `import mfn` light
    import xarray as xr

__all__ = [
    "MIN_PEAK_CONTRAST",
    "MIN_RELATIVE_AMPLITUDE",
    "PEAK_HALF_WIDTH",
    "ROUNDOFF",
    "dominant_wavelength",
    "pattern_verdict",
    "peak_wavelength",
    "radial_spectrum",
]

PEAK_HALF_WIDTH = 1.5
"""Half-width of the window (in rings, i.e. modes per shorter side) whose power-weighted mean radius is the peak."""
MIN_RELATIVE_AMPLITUDE = 1e-3
"""A pattern's standard deviation must exceed this fraction of the field's largest absolute value."""
ROUNDOFF = 1e-12
"""Spread, relative to the field's largest absolute value, that float64 arithmetic can leave behind (about 4500 eps)."""
MIN_PEAK_CONTRAST = 10.0
"""The peak ring's mean power must exceed this many times the median ring's (white noise stays near 1)."""
_MEAN_SHIFT_ITERATIONS = 50


def _power(field) -> tuple[np.ndarray, np.ndarray, int, np.ndarray]:
    """``(power, radius, side, x)``: 2-D power spectrum of the mean-removed field, each mode's radius in rings."""
    x = check_array("field", field)
    if x.ndim != 2 or min(x.shape) < 4:
        raise ParameterError("field", f"array of shape {x.shape}", "a 2-D array with both sides >= 4")
    m, n = x.shape
    side = min(m, n)
    power = np.abs(np.fft.fft2(x - x.mean())) ** 2
    fy = np.fft.fftfreq(m) * side
    fx = np.fft.fftfreq(n) * side
    return power, np.hypot(fy[:, None], fx[None, :]), side, x


def _rings(power: np.ndarray, radius: np.ndarray, side: int) -> np.ndarray:
    """Mean power in each ring of integer radius 1 .. side // 2."""
    ring = np.rint(radius).astype(int).ravel()
    top = side // 2
    sums = np.bincount(ring, weights=power.ravel(), minlength=top + 1)[: top + 1]
    counts = np.bincount(ring, minlength=top + 1)[: top + 1]
    return sums[1:] / np.maximum(counts[1:], 1)


def radial_spectrum(field) -> xr.DataArray:
    """Radially averaged power spectrum of a 2-D field (mean removed).

    Parameters
    ----------
    field : (M, N) array_like
        Finite values.

    Returns
    -------
    xarray.DataArray
        Power against ``mode`` (ring radius, cycles per shorter side, 1 .. min(M, N) // 2),
        with coordinates ``k`` (rad/cell) and ``wavelength`` (cells).
    """
    power, radius, side, _ = _power(field)
    return _spectrum(_rings(power, radius, side), side)


def _spectrum(mean: np.ndarray, side: int) -> xr.DataArray:
    import xarray as xr

    modes = np.arange(1, mean.size + 1)
    return xr.DataArray(
        mean,
        dims="mode",
        coords={"mode": modes, "k": ("mode", 2 * np.pi * modes / side), "wavelength": ("mode", side / modes)},
        name="power",
        attrs={"long_name": "radially averaged power", "units": "field units² (FFT, unnormalised)"},
    )


def pattern_verdict(x: np.ndarray, rings: np.ndarray, floor: float | None = None) -> str:
    """Why a field has no pattern to measure (``""`` when it has one).

    Parameters
    ----------
    x : (M, N) ndarray
        The field.
    rings : ndarray
        Its radially averaged power (:func:`radial_spectrum` values).
    floor : float, optional
        Smallest standard deviation counted as a pattern, in field units; default
        :data:`MIN_RELATIVE_AMPLITUDE` times ``max|x|``. Never below :data:`ROUNDOFF` times ``max|x|``.
    """
    scale = float(np.max(np.abs(x)))
    threshold = MIN_RELATIVE_AMPLITUDE * scale if floor is None else float(floor)
    threshold = max(threshold, ROUNDOFF * scale)
    spread = float(x.std())
    if not spread > threshold:
        return f"no pattern: std {spread:.3g} at or below {threshold:.3g} (amplitude and round-off floor)"
    peak = int(np.argmax(rings))
    contrast = float(rings[peak] / max(np.median(rings), np.finfo(float).tiny))
    if contrast < MIN_PEAK_CONTRAST:
        return f"no pattern: peak ring only {contrast:.3g} x the median ring (below {MIN_PEAK_CONTRAST:g}: noise)"
    if peak == 0:
        return "no pattern: the spectrum peaks at the first ring (the box size), so there is no peak to resolve"
    return ""


def _peak_radius(power: np.ndarray, radius: np.ndarray, start: float) -> float:
    """Power-weighted mean radius within :data:`PEAK_HALF_WIDTH` of itself, iterated from ``start``.

    The modes within ``2 * PEAK_HALF_WIDTH`` of ``start`` are gathered once; the iteration uses
    them while its window stays inside them, and every mode otherwise.
    """
    reach = 2 * PEAK_HALF_WIDTH
    near_start = np.abs(radius - start) <= reach
    local_p, local_r = power[near_start], radius[near_start]
    centre = start
    for _ in range(_MEAN_SHIFT_ITERATIONS):
        p, r = (local_p, local_r) if abs(centre - start) <= reach - PEAK_HALF_WIDTH else (power, radius)
        near = np.abs(r - centre) <= PEAK_HALF_WIDTH
        new = float(np.sum(p[near] * r[near]) / np.sum(p[near]))
        if abs(new - centre) < 1e-12 * centre:
            return new
        centre = new
    return centre


def dominant_wavelength(field, dx: float | None = None, *, floor: float | None = None) -> xr.DataArray:
    """Dominant wavelength of a 2-D pattern: the centre of the peak of its power spectrum.

    Parameters
    ----------
    field : (M, N) array_like
        The pattern (for example ``run.u`` of a reaction–diffusion run); the mean is removed.
    dx : float, optional
        Grid spacing in µm; adds ``wavelength_um`` to the attributes.
    floor : float, optional
        Smallest standard deviation of the field counted as a pattern, in its units (for a
        reaction–diffusion run, three times its initial noise). The default,
        :data:`MIN_RELATIVE_AMPLITUDE` times the field's largest absolute value, cannot judge a
        field that is near 0 everywhere (it has no scale of its own): give ``floor`` then.

    Returns
    -------
    xarray.DataArray
        The radially averaged spectrum (:func:`radial_spectrum`) with attrs ``wavelength``
        (cells), ``mode`` (the peak's radius in modes per shorter side, to a fraction of a
        mode), ``ring`` (the integer ring of largest power), ``k`` (rad/cell), ``verdict``
        (``""``, or why there is no pattern) and, with ``dx``, ``wavelength_um``. A field with
        no pattern (see the module docstring) has ``wavelength``, ``mode`` and ``k`` NaN.

    Examples
    --------
    >>> x = np.arange(64)
    >>> field = np.cos(2 * np.pi * 8 * x / 64)[None, :] * np.ones((64, 1))
    >>> float(dominant_wavelength(field).attrs["wavelength"])
    8.0
    >>> y = np.arange(128)[:, None]
    >>> tilted = np.cos(2 * np.pi * (3 * y + 10 * np.arange(128)) / 128)  # mode (3, 10): radius 10.44
    >>> round(float(dominant_wavelength(tilted).attrs["wavelength"]), 4), round(float(128 / np.hypot(3, 10)), 4)
    (12.2602, 12.2602)
    >>> bool(np.isnan(dominant_wavelength(1.0 + 1e-12 * np.sin(np.arange(4096.0)).reshape(64, 64)).attrs["wavelength"]))
    True
    """
    if dx is not None:
        dx = check_real("dx", dx, 0.0, lo_open=True, hint="grid spacing in µm")
    rings, side, attrs = _measure(field, floor)
    spec = _spectrum(rings, side)
    if dx is not None:
        attrs["wavelength_um"] = attrs["wavelength"] * dx
    spec.attrs.update(attrs)
    return spec


def peak_wavelength(field, *, floor: float | None = None) -> float:
    """The ``wavelength`` attribute of :func:`dominant_wavelength` (cells; NaN without a pattern),
    without building the spectrum: for code that measures many fields (a run's settling checks)."""
    return _measure(field, floor)[2]["wavelength"]


def _measure(field, floor: float | None) -> tuple[np.ndarray, int, dict]:
    """``(ring powers, side, attrs)`` of :func:`dominant_wavelength` (without ``wavelength_um``)."""
    if floor is not None:
        floor = check_real("floor", floor, 0.0, hint="smallest pattern std, field units")
    power, radius, side, x = _power(field)
    rings = _rings(power, radius, side)
    verdict = pattern_verdict(x, rings, floor)
    ring = int(np.argmax(rings)) + 1
    if verdict:
        attrs = {"wavelength": float("nan"), "mode": float("nan"), "ring": ring, "k": float("nan")}
    else:
        centre = _peak_radius(power, radius, float(ring))
        attrs = {"wavelength": side / centre, "mode": centre, "ring": ring, "k": 2 * np.pi * centre / side}
    attrs["verdict"] = verdict
    return rings, side, attrs
