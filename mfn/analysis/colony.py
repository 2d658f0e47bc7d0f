"""Colony measures as mycologists take them, gathered for a run: size, front speed, fractal dimensions, skeleton.

Everything here reads occupancy masks (2-D, 0/1) and, where given, the step at which each
cell was occupied (``born``, -1 where never), so it works for any run that records an
``occupied(time, y, x)`` variable. Two fractal dimensions, stated by estimator:

- box counting of one mask (:func:`mfn.analysis.fractal.box_dimension`, boxes 2 .. half the
  plate, 5 sizes) — what image analysis of a colony photograph gives; biased low on
  1-cell-wide lattice structures (a plain on-lattice DLA gives 1.35–1.49);
- mass dimension from the growth history: the least-squares slope of ``ln(mass)`` against
  ``ln(radius of gyration)`` over the frames (:func:`mass_dimension`); a plain on-lattice DLA
  gives 1.68–1.75.

The measures themselves live beside this module: the growth history and its fits
(:mod:`mfn.analysis.colony_growth`), the mask's shape (:mod:`mfn.analysis.colony_shape`) and its
skeleton (:mod:`mfn.analysis.skeleton`, which needs scikit-image: ``pip install 'mfn[colony]'``).
Here they are gathered: a final colony's attributes (:func:`final_colony_attrs`) and a run's
pictures measured frame by frame (:func:`lattice_metrics`).
"""

from __future__ import annotations

import math
from typing import TYPE_CHECKING, Any

import numpy as np

from mfn.analysis.colony_growth import growth_history, mass_dimension, radial_fit
from mfn.analysis.colony_shape import LACUNARITY_BOX, colony_radius, edge_distance, lacunarity, occupancy_mask
from mfn.analysis.fractal import box_dimension
from mfn.analysis.skeleton import skeleton_measures
from mfn.core.errors import ParameterError

if TYPE_CHECKING:
    import xarray as xr

__all__ = ["final_colony_attrs", "lattice_metrics"]


def final_colony_attrs(mask: Any, born: Any | None = None, skeleton: bool = True) -> dict[str, float]:
    """The final colony's measures, for a run's attributes (skeleton ones only with scikit-image).

    Keys: ``biomass`` (cells), ``box_dimension`` and ``box_dimension_r2`` (box counting),
    ``mass_dimension`` and ``mass_dimension_r2`` (from ``born``, when given),
    ``lacunarity`` with its ``lacunarity_box`` (:data:`LACUNARITY_BOX`, or the mask's shorter
    side when smaller), and with ``skeleton`` (and scikit-image) ``endpoints``,
    ``branch_points``, ``hyphal_length``. Cost: box counting and the skeleton of an ``M x N``
    mask, O(M N log(M N)).
    """
    m = occupancy_mask("mask", mask)
    d, r2 = box_dimension(m)
    box = min(LACUNARITY_BOX, min(m.shape))
    attrs = {"biomass": float(m.sum()), "box_dimension": d, "box_dimension_r2": r2, "lacunarity": lacunarity(m, box)}
    attrs["lacunarity_box"] = box
    if born is not None:
        _, mass, rg = growth_history(born)
        attrs["mass_dimension"], attrs["mass_dimension_r2"] = mass_dimension(mass, rg)
    if skeleton:
        try:
            attrs.update(skeleton_measures(m))
        except ImportError:
            pass
    return attrs


def lattice_metrics(run: xr.Dataset, skeleton: bool = True) -> xr.Dataset:
    """Colony measures of a run's occupancy pictures, frame by frame, final values as attributes.

    :func:`mfn.colony_metrics` adds the network's counts to them when the run has a network.

    Parameters
    ----------
    run : xarray.Dataset
        A run holding ``occupied(time, y, x)`` (0/1; the first frame holds the inocula);
        counters ``tips``, ``growth_events``, ``branchings``, ``anastomoses``, ``spikes`` are
        copied when present.

    Returns
    -------
    xarray.Dataset
        Over ``time`` (h when the run has ``time_h``, else steps): ``biomass`` (cells),
        ``colony_radius`` (µm when the run has ``x_um``, else cells; from the first frame's
        centroid), ``front_speed`` (d radius/dt), ``box_dimension`` and its
        ``box_dimension_r2``, ``lacunarity``, ``radius_of_gyration`` (µm or cells), with
        ``skeleton`` the picture's skeleton's ``endpoints``, ``branch_points`` and
        ``hyphal_length`` (µm or cells; the skeleton merges hyphae closer than a lattice cell
        and counts crossings as junctions), and the run's counters.
        Attributes: ``mass_dimension`` and ``mass_dimension_r2`` (ln mass against ln radius
        of gyration over the frames), ``radial_speed`` and ``radial_r2`` (linear fit of the
        radius after the lag, :func:`radial_fit`), and the final frame's values; the run's
        ``spike_speed`` (cells/step) and ``spikes_total`` when it has them.

    Raises
    ------
    ParameterError
        If ``run`` has no ``occupied(time, y, x)``.
    ImportError
        Naming scikit-image, when it is missing.
    """
    import xarray as xr

    if "occupied" not in getattr(run, "data_vars", {}) or run["occupied"].ndim != 3:
        raise ParameterError("run", "a Dataset without occupied(time, y, x)", "a run with an occupancy history")
    occ = run["occupied"].transpose("time", ...).values != 0
    time = run["time"].values.astype(float) if "time" in run.coords else np.arange(occ.shape[0], dtype=float)
    # a run with physical units (a cell of x_um[1] - x_um[0] µm, time_h in hours) is measured in them
    scale, length_unit, time_unit = 1.0, "cells", "step"
    if "x_um" in run.coords and run.sizes.get("x", 0) > 1:
        scale, length_unit = float(run["x_um"].values[1] - run["x_um"].values[0]), "µm"
    if "time_h" in run.coords:
        time, time_unit = run["time_h"].values.astype(float), "h"
    ys, xs = np.nonzero(occ[0])
    centre = (float(ys.mean()), float(xs.mean())) if ys.size else ((occ.shape[1] - 1) / 2, (occ.shape[2] - 1) / 2)
    cols: dict[str, list[float]] = {k: [] for k in ("biomass", "colony_radius", "radius_of_gyration")}
    cols.update({k: [] for k in ("box_dimension", "box_dimension_r2", "lacunarity")})
    if skeleton:
        cols.update({k: [] for k in ("endpoints", "branch_points", "hyphal_length")})
    for frame in occ:
        fy, fx = np.nonzero(frame)
        cols["biomass"].append(float(fy.size))
        cols["colony_radius"].append(colony_radius(frame, centre))
        rg = math.sqrt(fy.var() + fx.var()) if fy.size else 0.0
        cols["radius_of_gyration"].append(rg)
        d, r2 = box_dimension(frame)
        cols["box_dimension"].append(d)
        cols["box_dimension_r2"].append(r2)
        cols["lacunarity"].append(lacunarity(frame, min(LACUNARITY_BOX, min(frame.shape))))
        if skeleton:
            for k, v in skeleton_measures(frame).items():
                cols[k].append(v)
    cells_radius = np.array(cols["colony_radius"])
    for k in ("colony_radius", "radius_of_gyration", "hyphal_length"):
        if k in cols:
            cols[k] = [v * scale for v in cols[k]]
    radius = np.array(cols["colony_radius"])
    speed = np.gradient(radius, time) if time.size > 1 else np.zeros_like(radius)
    units = {"biomass": "cells", "colony_radius": length_unit, "radius_of_gyration": length_unit}
    units["hyphal_length"] = length_unit
    data = {
        k: ("time", np.array(v), {"units": units.get(k, "1"), "long_name": k.replace("_", " ")})
        for k, v in cols.items()
    }
    data["front_speed"] = ("time", speed, {"units": f"{length_unit}/{time_unit}", "long_name": "front speed"})
    counters = ("tips", "growth_events", "branchings", "lateral_branchings", "apical_branchings", "anastomoses")
    for name in (*counters, "crossings", "edge_stops", "spikes"):
        if name in run.data_vars and run[name].dims == ("time",):
            data[name] = ("time", run[name].values, dict(run[name].attrs))
    out = xr.Dataset(data, coords={"time": ("time", time, {"units": time_unit, "long_name": "time"})})
    md, md_r2 = mass_dimension(cols["biomass"], cols["radius_of_gyration"])
    vs, vr2, _ = radial_fit(time, cells_radius, edge_distance(occ.shape[1:], centre))
    vs *= scale
    out.attrs.update({k: float(v[-1]) for k, v in cols.items()})
    out.attrs.update(
        {"mass_dimension": md, "mass_dimension_r2": md_r2, "radial_speed": vs, "radial_r2": vr2, "front_speed": vs}
    )
    for key in ("spike_speed", "spikes_total"):
        if key in run.attrs:
            out.attrs[key] = float(run.attrs[key])
    return out
