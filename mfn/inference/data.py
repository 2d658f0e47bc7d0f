"""Observed data for a calibration, named the way a person names it on the command line.

:func:`load_observed` takes a path or the name of a published dataset: a netCDF or zarr
file holding a hyphal network (:meth:`mfn.hyphae.network.HyphalNetwork.save`) becomes that
network; any other netCDF file is a run or a Dataset of measures; a name that is not a file
is a published dataset of :mod:`mfn.datasets` (``"podospora_anserina/M2WT_200610"``).
"""

from __future__ import annotations

import os
from pathlib import Path
from typing import Any

from mfn.core.errors import ParameterError

__all__ = ["load_observed"]


def load_observed(source: str | os.PathLike, name: str = "data") -> Any:
    """The observed data at ``source`` (see the module docstring); ``ParameterError`` naming ``name`` otherwise."""
    from mfn.core.netcdf import load_dataset
    from mfn.hyphae.network import NETWORK_VARIABLES, HyphalNetwork, load_network

    path = Path(source)
    if path.suffix == ".zarr" and path.is_dir():
        return load_network(path)
    if path.is_file():
        ds = load_dataset(path)
        if all(v in ds for v in NETWORK_VARIABLES):
            return HyphalNetwork.from_xarray(ds)
        return ds
    from mfn import datasets

    if str(source) not in datasets.list():
        raise ParameterError(
            name,
            str(source),
            "an existing netCDF file (a run, a network or a Dataset of measures) or a dataset: "
            + ", ".join(datasets.list()),
        )
    return datasets.load(str(source))
