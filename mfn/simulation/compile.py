"""Compile every model's numba kernels into numba's on-disk cache, once, before they are needed.

The kernels are compiled with ``cache=True``: the first process that calls one compiles it
(about 20 s for all of them, 17 s of it the mycelium's) and writes the machine code next to
the source, in ``__pycache__``; every later process loads it in well under a second. A fresh
checkout starts with that cache empty, so every process that starts before it is written
(parallel test workers, notebook kernels, Dask workers, ``mfn`` commands) compiles the same
kernels again. ``make install`` runs this module once, so none of them has to::

    python -m mfn.simulation.compile

Without numba nothing is compiled (the numpy kernels need none).
"""

from __future__ import annotations

import time
from typing import Any

from mfn.analysis.features import features
from mfn.core.backends import numba_available
from mfn.core.model import models
from mfn.simulation.ensemble import simulate_ensemble
from mfn.simulation.simulation import Simulation, simulate

SMALL_RUN: dict[str, Any] = {"grid_size": 16, "steps": 5}
"""The run each model compiles its kernels in: numba compiles a whole function for the types of a
call, whichever branches the run takes, so the smallest run reaches every kernel."""


def compile_kernels() -> dict[str, float]:
    """Run every registered model once, small, with its numba kernels (and the classic run's features).

    Returns
    -------
    dict
        Model name -> seconds its run took (compiling, or loading from the cache); empty when
        numba is not installed.
    """
    if not numba_available():
        return {}
    seconds = {}
    for name, model in models().items():
        start = time.perf_counter()
        params = model.params_class(**SMALL_RUN)
        run = simulate(params, record_every=1)
        if name == "classic":  # its other entry points: the online and offline temporal sums, the ensemble
            Simulation(params, online_features=True).advance(2)
            features(run)
            simulate_ensemble([params, params.replace(seed=params.seed + 1)], record_every=None)
        seconds[name] = time.perf_counter() - start
    return seconds


def main() -> None:
    """Compile the kernels and say how long each model took."""
    seconds = compile_kernels()
    if not seconds:
        print("numba is not installed: nothing to compile")
    for name, took in seconds.items():
        print(f"numba kernels of {name}: {took:.1f} s")


if __name__ == "__main__":
    main()
