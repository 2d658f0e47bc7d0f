"""The hyphal network of a simulated run: :func:`hyphal_network`."""

from __future__ import annotations

from typing import Any

from mfn.core.errors import ParameterError
from mfn.hyphae.network import NETWORK_VARIABLES, HyphalNetwork

__all__ = ["hyphal_network"]


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
