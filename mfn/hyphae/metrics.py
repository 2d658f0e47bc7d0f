"""``mfn.network_metrics``: every measure of a hyphal network in one xarray Dataset.

The same function measures a published reconstruction, a segmented photograph and a
simulated colony (each a :class:`~mfn.hyphae.network.HyphalNetwork`). docs/networks.md says
what each variable means, its estimator and its range; the pieces live in
:mod:`mfn.hyphae.growth` (counts and rates), :mod:`mfn.hyphae.morphology` (angles,
internodes, tortuosity, apex speeds), :mod:`mfn.hyphae.radial` (radius, radial density,
mass dimension) and :mod:`mfn.hyphae.boxes` (box counting). :func:`network_summaries` reads
the scalars a calibration compares.
"""

from __future__ import annotations

from typing import TYPE_CHECKING, Any

import numpy as np

from mfn.core.checks import check_array, check_real
from mfn.core.errors import ParameterError
from mfn.hyphae import boxes, growth, morphology, radial
from mfn.hyphae.network import HyphalNetwork
from mfn.hyphae.paths import hypha_paths

if TYPE_CHECKING:
    import xarray as xr

__all__ = ["BOX_RANGE_UM", "BOX_SIZES_UM", "RADIAL_BIN_UM", "network_metrics", "network_summaries"]

RADIAL_BIN_UM = 50.0
"""Default width of the annuli of the radial profile, µm."""
RADIUS_FRACTION = 0.95
"""Default fraction of the hyphal length inside the colony radius."""
BOX_SIZES_UM = np.geomspace(10.0, 2560.0, 17)
"""Default box sides of the box counting, µm: 10 µm to 2.56 mm, two per doubling."""
BOX_RANGE_UM = (160.0, 1280.0)
"""Default range of box sides of the fitted box dimension, µm."""
MASS_RANGE = (0.1, 0.5)
"""Default range of radii of the fitted mass dimension, as fractions of the colony radius."""
SPEED_GAP_STEPS = 3
"""Default longest interval of an apex-speed sample, in the network's median time step."""


def network_metrics(
    network: HyphalNetwork,
    times: Any = None,
    *,
    window: tuple[float, float] | None = None,
    angle_length: float = morphology.ANGLE_LENGTH_UM,
    max_gap: float | None = None,
    centre: tuple[float, float] | None = None,
    radial_bin: float = RADIAL_BIN_UM,
    radius_fraction: float = RADIUS_FRACTION,
    box_sizes: Any = None,
    box_range: tuple[float, float] = BOX_RANGE_UM,
    mass_range: tuple[float, float] | None = None,
) -> xr.Dataset:
    """Measure a hyphal network over time (docs/networks.md).

    Parameters
    ----------
    network : HyphalNetwork
    times : (k,) float array, optional
        Times to measure at, h; by default the network's own times (its distinct node times).
    window : (t0, t1), optional
        Hours over which the exponential rates are fitted; by default the last two thirds of
        ``times`` (after germination).
    angle_length : float, default 40
        Length over which branch and parent directions are measured, µm (> 0).
    max_gap : float, optional
        Longest interval of an apex-speed sample, h; by default 3 median time steps.
    centre : (x, y), optional
        Colony centre, µm; by default the mean node position at the first time.
    radial_bin : float, default 50
        Width of the annuli of the radial profile, µm (> 0).
    radius_fraction : float, default 0.95
        Fraction of the hyphal length inside the colony radius, in (0, 1].
    box_sizes : (k,) float array, optional
        Box sides of the box counting, µm, increasing (default 10 µm .. 2.56 mm, 17 sizes).
    box_range : (lo, hi), default (160, 1280)
        Box sides over which the box dimension is fitted, µm.
    mass_range : (lo, hi), optional
        Radii over which the mass dimension is fitted, µm; by default 0.1 to 0.5 of the
        final colony radius.

    Returns
    -------
    xarray.Dataset
        Over ``time``: ``total_length`` (mm), ``nodes``, ``links``, ``free_ends``,
        ``cut_ends``, ``branch_points``, ``anastomoses``, ``components``, ``growth_unit``
        (µm), ``colony_radius`` (µm); over ``(time, radius)``: ``radial_density`` (mm/mm²);
        the rates ``length_rate`` and ``free_end_rate`` (1/h) with ``_low``/``_high``
        bounds; the distributions ``branching_angle`` (degrees), ``internode_length`` (µm),
        ``tortuosity``, ``apex_speed`` (µm/min); ``box_count`` and ``box_slope`` over
        ``box`` (µm), ``mass`` and ``mass_slope`` over ``mass_radius``, with the fitted
        ``box_dimension`` and ``mass_dimension``. Distributions and dimensions describe
        the network as it stood at the last of ``times``. Every variable
        has units and a long name; the settings are in the attributes.

    Raises
    ------
    ParameterError
        If ``network`` is not a HyphalNetwork or has no link, or a setting is out of range.
    """
    import xarray as xr

    if not isinstance(network, HyphalNetwork):
        raise ParameterError("network", type(network).__name__, "a HyphalNetwork (mfn.read_network, ...)")
    if network.n_edges == 0:
        raise ParameterError("network", repr(network), "a network with at least one link")
    t = network.times if times is None else np.unique(check_array("times", times, ndim=1))
    if t.size == 0:
        raise ParameterError("times", times, "at least one time, h")
    window = growth.default_window(t) if window is None else _pair("window", window)
    angle_length = check_real("angle_length", angle_length, 0.0, lo_open=True)
    step = float(np.median(np.diff(network.times))) if network.times.size > 1 else 0.0
    max_gap = SPEED_GAP_STEPS * step if max_gap is None else check_real("max_gap", max_gap, 0.0)
    centre = radial.colony_centre(network) if centre is None else _pair("centre", centre, ordered=False)
    radial_bin = check_real("radial_bin", radial_bin, 0.0, lo_open=True)
    radius_fraction = check_real("radius_fraction", radius_fraction, 0.0, 1.0, lo_open=True)
    sizes = BOX_SIZES_UM if box_sizes is None else check_array("box_sizes", box_sizes, ndim=1)
    if sizes.size < 2 or np.any(sizes <= 0) or np.any(np.diff(sizes) <= 0):
        raise ParameterError("box_sizes", box_sizes, "at least two increasing box sides > 0, µm")
    box_range = _pair("box_range", box_range)

    counts = growth.growth_counts(network, t)
    length_fit = growth.exponential_rate(t, counts.total_length, window)
    end_fit = growth.exponential_rate(t, counts.free_ends, window)
    # distributions and dimensions describe the network as it stood at the last time measured
    final = network if t[-1] >= network.t.max() else network.at(t[-1])
    paths = hypha_paths(final)
    branch = morphology.branchings(final, paths, angle_length)
    speed, speed_t = morphology.apex_speeds(final, paths, max_gap)
    profile = radial.radial_profile(network, t, centre, radial_bin)
    radius = radial.colony_radius(profile, radius_fraction)
    mass_range = (0.1 * radius[-1], 0.5 * radius[-1]) if mass_range is None else _pair("mass_range", mass_range)
    radii = np.geomspace(max(radial_bin, 1.0), max(profile.edges[-1], 2 * radial_bin), 16)
    mass = radial.mass_scaling(profile, radii, mass_range)
    box = boxes.box_counts(final, sizes, box_range)
    with np.errstate(divide="ignore", invalid="ignore"):
        unit = np.where(counts.free_ends > 0, counts.total_length / counts.free_ends, np.nan)

    def var(dims, values, units, long_name, **attrs):
        return xr.Variable(dims, np.asarray(values), {"units": units, "long_name": long_name, **attrs})

    rate_attrs = {"window_h": list(window), "interval": "95 %, random walk with drift (Student t on the increments)"}
    data = {
        "total_length": var("time", counts.total_length / 1000.0, "mm", "total hyphal length L"),
        "nodes": var("time", counts.nodes, "1", "nodes present"),
        "links": var("time", counts.links, "1", "links present"),
        "free_ends": var("time", counts.free_ends, "1", "free ends N (degree 1, not cut)"),
        "cut_ends": var("time", counts.cut_ends, "1", "ends cut by the field or plate edge"),
        "branch_points": var("time", counts.branch_points, "1", "junctions (degree >= 3)"),
        "anastomoses": var("time", counts.anastomoses, "1", "links closing a cycle (E - V + C)"),
        "components": var("time", counts.components, "1", "connected components"),
        "growth_unit": var("time", unit, "µm", "hyphal growth unit G = L / N"),
        "colony_radius": var(
            "time", radius, "µm", f"radius holding {radius_fraction:g} of the length", centre_um=list(centre)
        ),
        "radial_density": var(("time", "radius"), profile.density, "mm/mm²", "hyphal length per area of annulus"),
        **_rate("length_rate", length_fit, "exponential rate of L", rate_attrs),
        **_rate("free_end_rate", end_fit, "exponential rate of N", rate_attrs),
        "branching_angle": var(
            "branching", branch.angle, "degree", "angle between branch and parent", length_um=angle_length
        ),
        "branching_time": var("branching", branch.time, "h", "time the branch appeared"),
        "internode_length": var("internode", morphology.internodes(final, paths), "µm", "length between junctions"),
        "tortuosity": var(
            "hypha_path", morphology.tortuosity(final, paths), "1", "arc length over end-to-end distance"
        ),
        "apex_speed": var("speed", speed, "µm/min", "apex speed", max_gap_h=max_gap),
        "apex_speed_time": var("speed", speed_t, "h", "end of the apex-speed interval"),
        "box_count": var("box", box.count, "1", "occupied boxes N(eps)"),
        "box_slope": var("box_mid", box.slope, "1", "local box dimension -dlnN/dln(eps)"),
        "box_dimension": var(
            (), box.dimension, "1", "box-counting dimension", range_um=list(box.fit_range), time_h=float(t[-1])
        ),
        "mass": var("mass_radius", mass.mass / 1000.0, "mm", "hyphal length within radius r"),
        "mass_slope": var("mass_mid", mass.slope, "1", "local mass dimension dlnM/dlnr"),
        "mass_dimension": var(
            (), mass.dimension, "1", "mass dimension about the centre", range_um=list(mass.fit_range)
        ),
    }
    coords = {
        "time": ("time", t, {"units": "h", "long_name": "time"}),
        "radius": ("radius", 0.5 * (profile.edges[1:] + profile.edges[:-1]), {"units": "µm", "long_name": "radius"}),
        "box": ("box", box.size, {"units": "µm", "long_name": "box side"}),
        "box_mid": ("box_mid", box.slope_size, {"units": "µm", "long_name": "box side (geometric midpoint)"}),
        "mass_radius": ("mass_radius", mass.radius, {"units": "µm", "long_name": "radius"}),
        "mass_mid": ("mass_mid", mass.slope_radius, {"units": "µm", "long_name": "radius (geometric midpoint)"}),
    }
    ds = xr.Dataset(data, coords=coords)
    ds.attrs.update(
        {k: v for k, v in network.attrs.items() if isinstance(v, (str, int, float))},
        network=repr(network),
        angle_length_um=angle_length,
        radial_bin_um=radial_bin,
        edge_margin_um=float(network.attrs.get("edge_margin_um", 0.0)),
    )
    return ds


def _rate(name: str, fit: growth.RateFit, long_name: str, attrs: dict) -> dict[str, Any]:
    import xarray as xr

    attrs = {"units": "1/h", **attrs, "points": fit.points}
    return {
        name: xr.Variable((), fit.rate, {**attrs, "long_name": long_name}),
        f"{name}_low": xr.Variable((), fit.low, {**attrs, "long_name": f"{long_name}, lower 95 % bound"}),
        f"{name}_high": xr.Variable((), fit.high, {**attrs, "long_name": f"{long_name}, upper 95 % bound"}),
    }


def _pair(name: str, value: Any, ordered: bool = True) -> tuple[float, float]:
    arr = check_array(name, value, ndim=1)
    if arr.size != 2 or (ordered and arr[0] > arr[1]):
        raise ParameterError(name, value, "two numbers" + (" (lo, hi) with lo <= hi" if ordered else " (x, y)"))
    return float(arr[0]), float(arr[1])


SUMMARY_QUANTILES = (0.25, 0.5, 0.75)
"""Quantiles of the angle and speed distributions in :func:`network_summaries`."""


def network_summaries(metrics: xr.Dataset) -> dict[str, float]:
    """The scalars a calibration compares, from a :func:`network_metrics` Dataset.

    Returns
    -------
    dict of str to float
        ``length_rate``, ``free_end_rate`` (1/h), ``growth_unit`` (µm, at the last time),
        ``angle_q25/q50/q75`` (degrees), ``speed_q25/q50/q75`` (µm/min), ``mass_dimension``,
        ``box_dimension``; NaN where a measure has no sample (e.g. speeds of a network with
        a single time).
    """
    out = {
        "length_rate": float(metrics["length_rate"]),
        "free_end_rate": float(metrics["free_end_rate"]),
        "growth_unit": float(metrics["growth_unit"][-1]),
    }
    for key, name in (("angle", "branching_angle"), ("speed", "apex_speed")):
        values = metrics[name].values
        for q in SUMMARY_QUANTILES:
            out[f"{key}_q{round(q * 100)}"] = float(np.quantile(values, q)) if values.size else float("nan")
    out["mass_dimension"] = float(metrics["mass_dimension"])
    out["box_dimension"] = float(metrics["box_dimension"])
    return out
