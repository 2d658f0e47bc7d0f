"""A finished colony as data: its hyphal network and its run measures.

:func:`colony_network` turns the colony's nodes into a :class:`~mfn.hyphae.network.HyphalNetwork`
(x, y in µm, the hour each node appeared, links with hypha ids, ``cut`` for ends stopped at
the field edge and for a plug's roots); :func:`run_measures` gives the attributes a run
records at its end, each with a bounded cost.
"""

from __future__ import annotations

from typing import Any

import numpy as np

from mfn.models.mycelium.state import C_ANA, C_NODES, N_CUT, N_HYPHA, N_PREV, N_STEP, World

__all__ = ["colony_network", "run_measures"]


def colony_network(w: World, p) -> Any:
    """The colony's hyphal network: one link per segment (hypha of its newer node) and one per
    anastomosis (hypha of the fusing tip); node times ``step * time_step / 60`` h."""
    from mfn.hyphae.network import HyphalNetwork

    k = int(w.cnt[C_NODES])
    prev = w.nint[:k, N_PREV]
    child = np.flatnonzero(prev >= 0)
    g = int(w.cnt[C_ANA])
    edges = np.concatenate([np.stack([prev[child], child], axis=1), w.ana[:g]]).reshape(-1, 2)
    hypha = np.concatenate([w.nint[child, N_HYPHA], w.nint[w.ana[:g, 0], N_HYPHA]])
    return HyphalNetwork(
        w.nxy[:k, 0],
        w.nxy[:k, 1],
        w.nint[:k, N_STEP] * (p.time_step / 60.0),
        edges,
        hypha,
        cut=w.nint[:k, N_CUT] != 0,
        field=(0.0, 0.0, p.field_um, p.height_um),
        attrs={"source": "mfn mycelium model", "seed": int(p.seed)},
    )


def run_measures(stepper) -> dict[str, Any]:
    """Attributes of a finished run (each cost bounded: see the functions named).

    ``nutrient_balance_error`` (relative), ``E_rest_mV`` and ``E_K_mV``
    (:func:`mfn.physics.pump_leak.resting_potential`, at most 520 evaluations), ``spike_speed``
    (mm/s, :func:`~mfn.models.mycelium.membrane.spike_front_speed`, at most
    :data:`~mfn.models.mycelium.membrane.MAX_SUBSTEPS` substeps on a line of
    :data:`~mfn.models.mycelium.membrane.LINE_CELLS` cells or more), ``field_um`` (the field,
    for :meth:`~mfn.hyphae.network.HyphalNetwork.from_xarray`), and the final lattice
    picture's box counting, mass dimension and lacunarity
    (:func:`mfn.analysis.colony.final_colony_attrs` without the skeleton: the model's measures
    count the network itself; O(M N log(M N)) for an ``M x N`` lattice).
    """
    from mfn.analysis.colony import final_colony_attrs
    from mfn.models.mycelium.membrane import spike_front_speed

    p = stepper.params
    w = stepper.world
    attrs = final_colony_attrs(w.occ == 1, w.born, skeleton=False)  # the network gives the hyphae exactly
    total = stepper.nutrient_total()
    attrs["nutrient_balance_error"] = abs(total - stepper.initial_total) / max(abs(stepper.initial_total), 1e-300)
    attrs["E_rest_mV"] = float(stepper.consts.rest[0])
    attrs["E_K_mV"] = float(p.e_k)
    attrs["spike_speed"] = spike_front_speed(p)
    attrs["field_um"] = [0.0, 0.0, float(p.field_um), float(p.height_um)]
    return attrs
