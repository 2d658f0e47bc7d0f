"""A simulated run's hyphae: its network (:func:`hyphal_network`) and its colony measures
(:func:`colony_metrics`: the lattice pictures' and, when the run has one, the network's)."""

from __future__ import annotations

from typing import Any

from mfn.core.errors import ParameterError
from mfn.hyphae.network import NETWORK_VARIABLES, HyphalNetwork

__all__ = ["FRAME_H", "NETWORK_COUNTS", "colony_metrics", "hyphal_network", "imaged_network"]

FRAME_H = 0.3
"""Hours between the frames of the shared *P. anserina* time lapses (18 min)."""

NETWORK_COUNTS = ("total_length", "free_ends", "cut_ends", "branch_points", "anastomoses", "growth_unit")
"""What :func:`colony_metrics` takes from :func:`mfn.network_metrics` for a run with a network."""


def hyphal_network(run: Any, time: float | None = None) -> HyphalNetwork:
    """The hyphal network a run recorded (a ``mycelium`` run: ``mfn.simulate(mfn.MyceliumParams())``).

    Parameters
    ----------
    run : xarray.Dataset
        A run holding the network variables (``node_x``, ``node_y``, ``node_t``, ``node_cut``,
        ``edge_u``, ``edge_v``, ``edge_hypha``; :data:`~mfn.hyphae.network.NETWORK_VARIABLES`).
    time : float, optional
        The network as it stood at this time, h (:meth:`HyphalNetwork.at`); default the end.

    Returns
    -------
    HyphalNetwork
        Nodes in µm with the hour each appeared, links with hypha ids, ends stopped at the
        field edge marked ``cut``; the field is the run's (``field_um``).

    Raises
    ------
    ParameterError
        If ``run`` holds no network (a run of another model, or not a Dataset).

    Examples
    --------
    >>> import mfn
    >>> run = mfn.simulate(mfn.MyceliumParams(grid_size=64, steps=120), record_every=None)
    >>> net = mfn.hyphal_network(run)
    >>> net.n_edges > 10, net.field
    (True, (0.0, 0.0, 1600.0, 1600.0))
    """
    names = getattr(run, "data_vars", None)
    if names is None or any(name not in run for name in NETWORK_VARIABLES):
        model = getattr(run, "attrs", {}).get("model", "?")
        raise ParameterError("run", f"a run of the {model!r} model without a hyphal network", "a mycelium run")
    net = HyphalNetwork.from_xarray(run[list(NETWORK_VARIABLES)].assign_attrs(field_um=run.attrs.get("field_um")))
    return net if time is None else net.at(time)


def imaged_network(run: Any) -> HyphalNetwork:
    """A run's network as a time lapse every :data:`FRAME_H` h sees it (the shared experiments' frames).

    Each node appears at the first frame at or after the time it grew, so a simulated colony
    and a recorded one are measured at the same hours (the mycelium's calibration summaries,
    :func:`mfn.hyphae.summaries.network_summary_set`, read networks made so).
    """
    import numpy as np

    net = hyphal_network(run)
    frames = np.ceil(np.round(net.t / FRAME_H, 9)) * FRAME_H
    return HyphalNetwork(net.x, net.y, frames, net.edges, net.hypha, cut=net.cut, field=net.field, attrs=net.attrs)


def colony_metrics(run: Any) -> Any:
    """Colony measures of a run, frame by frame, with the final values in the attributes.

    The lattice pictures' measures (:func:`mfn.analysis.colony.lattice_metrics`: biomass,
    colony radius and front speed, box-counting dimension, lacunarity, radius of gyration,
    the run's counters). A run with a hyphal network (the mycelium) adds, at each frame's hour,
    the network's counts by :func:`mfn.network_metrics` (the function that measures real
    networks): :data:`NETWORK_COUNTS` (``total_length`` mm, ``growth_unit`` µm), with the
    exponential rates ``length_rate`` and ``free_end_rate`` (1/h, over the last two thirds of
    the frames) in the attributes; the picture's skeleton, which merges hyphae closer than a
    lattice cell and counts crossings as junctions, is then left out. Without a network the
    skeleton's ``endpoints``, ``branch_points`` and ``hyphal_length`` are there instead.

    Raises
    ------
    ParameterError
        If ``run`` has no ``occupied(time, y, x)``.
    ImportError
        Naming scikit-image, when a run without a network needs the skeleton.

    Examples
    --------
    >>> import mfn
    >>> cm = mfn.colony_metrics(mfn.simulate(mfn.MyceliumParams(grid_size=64, steps=240), record_every=60))
    >>> cm.time.values.tolist(), cm.total_length.attrs["units"], cm.colony_radius.attrs["units"]
    ([0.0, 2.0, 4.0, 6.0, 8.0], 'mm', 'µm')
    """
    import numpy as np

    from mfn.analysis.colony import lattice_metrics
    from mfn.hyphae.metrics import network_metrics

    has_network = all(name in getattr(run, "data_vars", {}) for name in NETWORK_VARIABLES)
    out = lattice_metrics(run, skeleton=not has_network)
    if not has_network:
        return out
    times = out.time.values.astype(float)
    later = times[times > 0] if np.any(times > 0) else times  # at 0 h nothing has grown yet
    measured = network_metrics(hyphal_network(run), times=later)
    counts = measured[list(NETWORK_COUNTS)].reindex(time=times)
    out = out.assign({name: counts[name] for name in NETWORK_COUNTS})
    out.attrs.update({key: float(measured[key]) for key in ("length_rate", "free_end_rate")})
    out.attrs.update({name: float(out[name].values[-1]) for name in NETWORK_COUNTS})
    return out
