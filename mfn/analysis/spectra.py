"""Spatial spectra of 2-D fields: the dominant wavelength of a pattern.

:func:`dominant_wavelength` removes the mean, takes the 2-D power spectrum (periodic FFT, no
window), averages it over rings of integer radius in frequency units of the shorter side,
and reports the ring of largest power: wavelength = side / ring (cells), times ``dx`` in µm
when a spacing is given. On an ``N x N`` grid the rings are exactly the allowed radial mode
numbers, so a planted single-wavelength field ``cos(2π m x / N)`` is recovered at ``N / m``.
"""

from __future__ import annotations

from typing import TYPE_CHECKING

import numpy as np

from mfn.core.checks import check_array, check_real
from mfn.core.errors import ParameterError

if TYPE_CHECKING:  # xarray is imported when a result is built, keeping `import mfn` light
    import xarray as xr

__all__ = ["dominant_wavelength", "radial_spectrum"]


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
    x = check_array("field", field)
    if x.ndim != 2 or min(x.shape) < 4:
        raise ParameterError("field", f"array of shape {x.shape}", "a 2-D array with both sides >= 4")
    m, n = x.shape
    side = min(m, n)
    power = np.abs(np.fft.fft2(x - x.mean())) ** 2
    fy = np.fft.fftfreq(m) * side
    fx = np.fft.fftfreq(n) * side
    radius = np.hypot(fy[:, None], fx[None, :])
    ring = np.rint(radius).astype(int).ravel()
    top = side // 2
    sums = np.bincount(ring, weights=power.ravel(), minlength=top + 1)[: top + 1]
    counts = np.bincount(ring, minlength=top + 1)[: top + 1]
    modes = np.arange(1, top + 1)
    mean = sums[1:] / np.maximum(counts[1:], 1)
    import xarray as xr

    return xr.DataArray(
        mean,
        dims="mode",
        coords={"mode": modes, "k": ("mode", 2 * np.pi * modes / side), "wavelength": ("mode", side / modes)},
        name="power",
        attrs={"long_name": "radially averaged power", "units": "field units² (FFT, unnormalised)"},
    )


def dominant_wavelength(field, dx: float | None = None) -> xr.DataArray:
    """Dominant wavelength of a 2-D pattern: the peak of its radially averaged power spectrum.

    Parameters
    ----------
    field : (M, N) array_like
        The pattern (for example ``run.u`` of a reaction–diffusion run); the mean is removed.
    dx : float, optional
        Grid spacing in µm; adds ``wavelength_um`` to the attributes.

    Returns
    -------
    xarray.DataArray
        The spectrum (:func:`radial_spectrum`) with attrs ``wavelength`` (cells), ``mode``
        (the peak ring), ``k`` (rad/cell) and, with ``dx``, ``wavelength_um``. A constant
        field has no pattern: ``wavelength`` is NaN.

    Examples
    --------
    >>> x = np.arange(64)
    >>> field = np.cos(2 * np.pi * 8 * x / 64)[None, :] * np.ones((64, 1))
    >>> float(dominant_wavelength(field).attrs["wavelength"])
    8.0
    """
    spec = radial_spectrum(field)
    if dx is not None:
        dx = check_real("dx", dx, 0.0, lo_open=True, hint="grid spacing in µm")
    values = spec.values
    if not np.any(values > 0):
        attrs = {"wavelength": float("nan"), "mode": 0, "k": float("nan")}
    else:
        i = int(np.argmax(values))
        attrs = {"wavelength": float(spec.wavelength[i]), "mode": int(spec.mode[i]), "k": float(spec.k[i])}
    if dx is not None:
        attrs["wavelength_um"] = attrs["wavelength"] * dx
    spec.attrs.update(attrs)
    return spec
