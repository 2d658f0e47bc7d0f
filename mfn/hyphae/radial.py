"""Where the hyphae are: colony centre, radius, radial density and the mass dimension.

Hyphal length is placed at each link's midpoint. The **centre** is the mean position of the
nodes present at the network's first time (the inoculum or spore), unless given.

- ``radial_profile``: the hyphal length in annuli of width ``bin_um`` about the centre at
  every time, accumulated over links sorted by time (no loop over times).
- **Colony radius**: the radius of the disc about the centre holding ``fraction`` of the
  hyphal length, interpolated linearly inside an annulus (exact for length spread evenly
  in radius, such as a straight hypha from the centre).
- **Mass dimension** (:func:`mass_scaling`): the local slope ``d ln M / d ln r`` of the
  length ``M(r)`` within radius ``r`` at the last time, at log-spaced radii, and its
  least-squares fit over a stated range of radii. A network is a set of lines below the
  spacing of its hyphae, where the slope tends to 1, and a filled disc where they are dense,
  where it tends to 2.
"""

from __future__ import annotations

from dataclasses import dataclass

import numpy as np

from mfn.hyphae.network import HyphalNetwork

__all__ = [
    "MassScaling",
    "RadialProfile",
    "colony_centre",
    "colony_radius",
    "link_midpoints",
    "mass_scaling",
    "radial_profile",
]


def colony_centre(network: HyphalNetwork) -> tuple[float, float]:
    """Mean position (µm) of the nodes present at the network's first time."""
    first = network.t == network.t.min()
    return float(network.x[first].mean()), float(network.y[first].mean())


def link_midpoints(network: HyphalNetwork) -> tuple[np.ndarray, np.ndarray]:
    """Midpoint of each link, µm."""
    u, v = network.edges[:, 0], network.edges[:, 1]
    return 0.5 * (network.x[u] + network.x[v]), 0.5 * (network.y[u] + network.y[v])


@dataclass(frozen=True)
class RadialProfile:
    """Hyphal length (µm) by time and annulus: ``length[i, j]`` at ``times[i]`` in ``edges[j]..edges[j+1]``."""

    times: np.ndarray
    edges: np.ndarray
    length: np.ndarray

    @property
    def density(self) -> np.ndarray:
        """Length per area of each annulus, mm/mm² (µm/µm² x 1000)."""
        area = np.pi * (self.edges[1:] ** 2 - self.edges[:-1] ** 2)
        return self.length / area * 1000.0


def radial_profile(
    network: HyphalNetwork, times: np.ndarray, centre: tuple[float, float], bin_um: float
) -> RadialProfile:
    """The hyphal length in annuli of ``bin_um`` about ``centre`` at each of ``times`` (sorted)."""
    mx, my = link_midpoints(network)
    r = np.hypot(mx - centre[0], my - centre[1])
    n_bins = max(int(np.ceil((r.max() if r.size else 0.0) / bin_um)), 1) + 1
    edges = np.arange(n_bins + 1) * bin_um
    slot = np.searchsorted(times, network.edge_t, side="left")
    keep = slot < times.size
    counts = np.zeros((times.size, n_bins))
    np.add.at(counts, (slot[keep], np.minimum((r[keep] // bin_um).astype(np.int64), n_bins - 1)), network.lengths[keep])
    return RadialProfile(times, edges, np.cumsum(counts, axis=0))


def colony_radius(profile: RadialProfile, fraction: float) -> np.ndarray:
    """Radius (µm) of the disc holding ``fraction`` of the length at each time; 0 with no length."""
    cum = np.cumsum(profile.length, axis=1)
    total = cum[:, -1:]
    target = fraction * total
    j = np.argmax(cum >= target - 1e-12 * total, axis=1)
    before = np.where(j > 0, np.take_along_axis(cum, np.maximum(j - 1, 0)[:, None], axis=1)[:, 0], 0.0)
    inside = profile.length[np.arange(j.size), j]
    w = np.divide(target[:, 0] - before, inside, out=np.zeros(j.size), where=inside > 0)
    radius = profile.edges[j] + w * (profile.edges[j + 1] - profile.edges[j])
    return np.where(total[:, 0] > 0, radius, 0.0)


@dataclass(frozen=True)
class MassScaling:
    """Length within radius ``r`` (µm), its local slopes at the midpoints and a fit over ``fit_range`` (µm)."""

    radius: np.ndarray
    mass: np.ndarray
    slope_radius: np.ndarray
    slope: np.ndarray
    dimension: float
    fit_range: tuple[float, float]


def mass_scaling(profile: RadialProfile, radii: np.ndarray, fit_range: tuple[float, float]) -> MassScaling:
    """``M(r)`` at ``radii`` from the last time of ``profile`` and its local slopes (module docstring)."""
    cum = np.r_[0.0, np.cumsum(profile.length[-1])]
    mass = np.interp(radii, profile.edges, cum)
    lr, lm = np.log(radii), np.log(np.where(mass > 0, mass, np.nan))
    slope = np.diff(lm) / np.diff(lr)
    mid = np.sqrt(radii[1:] * radii[:-1])
    return MassScaling(radii, mass, mid, slope, fit_slope(radii, mass, fit_range), fit_range)


def fit_slope(x: np.ndarray, y: np.ndarray, fit_range: tuple[float, float]) -> float:
    """Least-squares slope of ``ln y`` against ``ln x`` over ``fit_range`` of ``x``; NaN below 2 points."""
    keep = (x >= fit_range[0] * (1 - 1e-9)) & (x <= fit_range[1] * (1 + 1e-9)) & (y > 0)
    if keep.sum() < 2:
        return float("nan")
    return float(np.polyfit(np.log(x[keep]), np.log(y[keep]), 1)[0])
