"""Ensembles: many runs of one model and lattice shape stepped together.

An :class:`Ensemble` holds one :class:`~mfn.simulation.simulation.Simulation` per parameter set.
When the model has the ``batch`` capability and the numba backend is used, the model steps
all members at once (for the classic model: one compiled call advances all ``B`` lattices by
many steps, see :mod:`mfn.models.classic.batch`); otherwise the members are stepped one after
another. Either way every member's run equals, bit for bit, the run :func:`mfn.simulate`
gives for its parameters. :func:`simulate_ensemble` returns the runs as one Dataset with a
``member`` dimension.
"""

from __future__ import annotations

from collections.abc import Sequence
from typing import TYPE_CHECKING, Any

import numpy as np

from mfn.core.checks import check_int
from mfn.core.errors import ParameterError
from mfn.core.memory import array_bytes, check_memory, format_bytes
from mfn.core.model import model_for
from mfn.simulation.recorder import run_recorded
from mfn.simulation.simulation import Simulation

if TYPE_CHECKING:
    import xarray as xr

__all__ = ["Ensemble", "simulate_ensemble"]


class Ensemble:
    """``B`` simulations of one model, lattice shape and length, advanced together.

    Parameters
    ----------
    params_list : sequence of ModelParams
        One parameter set per member (seeds and any parameter may differ), all of one model
        with the same ``grid_size`` and ``steps``.
    backend : {"auto", "numpy", "numba"}, default "auto"
        With ``"numba"`` (or ``"auto"`` when numba is installed) a model with batched stepping
        steps all members in one compiled call; otherwise they are stepped one after another.
    lyapunov : bool, default True
        Measure each member's field Lyapunov exponent with its twin trajectory, as
        :func:`mfn.simulate` does. For the classic model the twins need the run's state after
        every step, so the members then advance one step per compiled call. False records
        ``lyapunov`` as NaN.

    Raises
    ------
    ParameterError
        For parameters of different models, shapes or lengths, or members whose states would
        not fit in :func:`mfn.core.memory.memory_limit` (measured on the first member, before
        the others are made).

    Examples
    --------
    >>> from mfn import FieldParams
    >>> ens = Ensemble([FieldParams(grid_size=8, steps=5, seed=s) for s in range(3)])
    >>> ens.step(5)
    >>> [m.t for m in ens.members]
    [5, 5, 5]
    """

    def __init__(self, params_list: Sequence[Any], *, backend: str = "auto", lyapunov: bool = True) -> None:
        params_list = _check_params_list(params_list)
        self.model = model_for(params_list[0])
        first = Simulation(params_list[0], backend=backend, lyapunov=lyapunov, online_features=False)
        each = array_bytes(first)
        stacked = 2 if self.model.batch is not None and first.backend == "numba" else 1  # copied into one array
        rows, cols = first.params.shape
        check_memory(
            "params_list",
            f"{len(params_list)} members",
            each * len(params_list) * stacked,
            f"the state of {len(params_list)} members of {rows}x{cols} cells ({format_bytes(each)} each)",
            "fewer members per ensemble (run the rest in another), or smaller lattices",
        )
        self.members = [first] + [
            Simulation(p, backend=backend, lyapunov=lyapunov, online_features=False) for p in params_list[1:]
        ]
        self.backend = self.members[0].backend
        self._batch = None
        if self.model.batch is not None and self.backend == "numba":
            self._batch = self.model.batch([m.stepper for m in self.members])

    @property
    def t(self) -> int:
        """Steps taken so far (the same for every member)."""
        return self.members[0].t

    def step(self, n: int = 1) -> None:
        """Advance every member ``n`` steps.

        Raises
        ------
        ParameterError
            If ``n`` is not an integer >= 1.
        NumericalInstabilityError
            If a member's state stops being finite (never with valid parameters).
        """
        n = check_int("n", n, 1)
        if self._batch is not None:
            self._batch.advance(n)
            return
        for sim in self.members:
            sim.advance(n)

    def run(self, record_every: int | None = 1, *, variables: Any = None) -> list[xr.Dataset]:
        """Advance to ``steps`` and return each member's run, as :meth:`Simulation.run` would.

        Returns
        -------
        list of xarray.Dataset
            One per member, in order; ``duration_s`` is the time of the whole ensemble.
        """
        return run_recorded(self.members, self.step, record_every, variables)


def simulate_ensemble(
    params_list: Sequence[Any],
    record_every: int | None = 1,
    *,
    variables: Any = None,
    backend: str = "auto",
    lyapunov: bool = True,
) -> xr.Dataset:
    """Run many parameter sets of one model and lattice shape together, as one Dataset.

    Each member equals the run :func:`mfn.simulate` gives for its parameters.

    Parameters
    ----------
    params_list : sequence of ModelParams
        One model, the same ``grid_size`` and ``steps``; anything else may differ.
    record_every, variables, backend, lyapunov
        As in :func:`mfn.simulate`.

    Returns
    -------
    xarray.Dataset
        The members' runs stacked along a new ``member`` dimension (0, 1, ...). Attributes
        shared by every member stay attributes; those that differ (``seed``, ``lyapunov``,
        totals, ...) become variables over ``member``. Tables whose length differs between
        members (the classic model's events along ``event``, the mycelium's network along
        ``node`` and ``edge``) are padded to the longest member's (signed integers with -1,
        unsigned with 0, floats with NaN past a member's own rows) and ``<dim>_count(member)``
        (``event_count``, ``node_count``, ``edge_count``) says how many rows are real.

    Examples
    --------
    >>> from mfn import FieldParams
    >>> runs = simulate_ensemble([FieldParams(grid_size=8, steps=4, seed=s) for s in (1, 2)])
    >>> runs.V.dims, runs.seed.values.tolist()
    (('member', 'time', 'y', 'x'), [1, 2])
    """
    runs = Ensemble(params_list, backend=backend, lyapunov=lyapunov).run(record_every, variables=variables)
    return stack_members(runs)


def stack_members(runs: list[xr.Dataset]) -> xr.Dataset:
    """Stack runs of one model and shape along ``member`` (see :func:`simulate_ensemble`)."""
    import xarray as xr

    ragged = sorted({dim for run in runs for dim in run.dims} - {"time", "y", "x"})  # event, node, edge
    longest = {dim: max(run.sizes.get(dim, 0) for run in runs) for dim in ragged}
    padded = []
    for run in runs:
        for dim in ragged:
            size = run.sizes.get(dim, 0)
            run = run.assign({f"{dim}_count": ((), size, {"units": "1", "long_name": f"{dim}s of this member"})})
            missing = longest[dim] - size
            if not missing or dim not in run.dims:
                continue
            pads = []
            for name in [n for n in run.data_vars if run[n].dims == (dim,)]:
                var = run[name]
                if np.issubdtype(var.dtype, np.signedinteger):
                    pads.append(var.pad({dim: (0, missing)}, constant_values=-1).astype(var.dtype))
                elif np.issubdtype(var.dtype, np.unsignedinteger):
                    pads.append(var.pad({dim: (0, missing)}, constant_values=0).astype(var.dtype))
                else:
                    pads.append(var.pad({dim: (0, missing)}))
            run = run.drop_dims(dim).assign({v.name: v for v in pads})
        padded.append(run)
    keys = set().union(*(run.attrs for run in padded))
    varying = sorted(k for k in keys if len({repr(run.attrs.get(k)) for run in padded}) > 1)
    members = []
    for run in padded:
        per_member = {k: ((), run.attrs.get(k)) for k in varying}
        members.append(run.assign(per_member).assign_attrs({k: v for k, v in run.attrs.items() if k not in varying}))
    cube = xr.concat(members, dim="member", data_vars="all", coords="minimal", combine_attrs="drop_conflicts")
    return cube.assign_coords(member=np.arange(len(runs)))


def _check_params_list(params_list) -> list:
    if not isinstance(params_list, Sequence) or isinstance(params_list, str) or not params_list:
        raise ParameterError("params_list", params_list, "a non-empty sequence of model parameters (FieldParams, ...)")
    first = params_list[0]
    model = model_for(first)
    for p in params_list:
        if type(p) is not type(first):
            raise ParameterError("params_list", p, f"{type(first).__name__} instances only (one model: {model.name})")
    for p in params_list:
        if p.shape != first.shape or p.steps != first.steps:
            raise ParameterError(
                "params_list",
                f"grid {p.shape} with {p.steps} steps",
                f"the grid {first.shape} and {first.steps} steps of the first member",
                "run lattices of different shapes or lengths in separate ensembles",
            )
    return list(params_list)
