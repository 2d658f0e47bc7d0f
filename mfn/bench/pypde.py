"""The activator–inhibitor equations written for py-pde: the third-party row of ``mfn bench``.

The two-species part of a step of :func:`mfn.models.classic.kernels.numpy_step` (Turing on, periodic,
dt = 1) as a py-pde equation on a periodic unit grid (cell size 1)::

    a_new = a + Da*lap(a) + ra*(a*(1 - a) - i)
    i_new = i + Di*lap(i) + ri*(a_new - i)
    then a, i clipped to [0, 1]

Our step updates ``i`` with the *updated* ``a``. With explicit Euler at dt = 1 that is the
rate ``ri*((a + rate_a) - i)`` for ``i``, so the py-pde right-hand side uses that rate (for
dt = 1 only), and the clip is py-pde's post-step hook. py-pde's explicit Euler solver with
the numba backend then does, per step, what our kernel does for ``a`` and ``i``; its
Laplacian sums the terms in another order and it compiles with some fastmath flags, so the
fields agree to rounding (about 1e-16 per step), not bit for bit. The potential ``V`` is
not part of it: ``a`` and ``i`` do not depend on ``V``.

py-pde (the optional extra ``mfn[bench]``) is imported inside the functions here, once
:func:`pypde_missing` says py-pde works: :func:`pypde_rows` (the row ``py-pde 64x64``) is
empty without it.
"""

from __future__ import annotations

import functools
import time
from collections.abc import Callable
from dataclasses import dataclass
from typing import Any

import numpy as np

from mfn.bench.row import Row, measure
from mfn.core.params import STEPS_MAX
from mfn.models.classic.params import FieldParams

__all__ = ["PypdeStepper", "pypde_missing", "pypde_rows", "pypde_stepper"]


def pypde_missing() -> str | None:
    """Why the py-pde row cannot run (py-pde does not import), or None when it can."""
    try:
        import pde  # noqa: F401
    except ImportError as err:
        return f"py-pde row skipped: py-pde is not importable ({err}); pip install 'mfn[bench]' to compare"
    return None


@dataclass
class PypdeStepper:
    """py-pde's compiled explicit-Euler stepper (dt = 1) for ``a`` and ``i``, and its state.

    Attributes
    ----------
    state : pde.FieldCollection
        The fields ``a`` and ``i``; ``state.data`` is a (2, M, N) float64 array.
    stepper : callable
        py-pde's stepper, ``stepper(state, t_start, t_end)``.
    setup_s : float
        CPU time (s, this process) of building the stepper and taking its first step:
        py-pde's numba compilation, paid once per stepper.
    version : str
        py-pde's version.
    """

    state: Any
    stepper: Callable[[Any, float, float], float]
    setup_s: float
    version: str

    def set(self, a: np.ndarray, i: np.ndarray) -> None:
        """Copy (M, N) arrays into the activator and the inhibitor."""
        self.state.data[0] = a
        self.state.data[1] = i

    @property
    def a(self) -> np.ndarray:
        """The activator, (M, N) (a view)."""
        return self.state.data[0]

    @property
    def i(self) -> np.ndarray:
        """The inhibitor, (M, N) (a view)."""
        return self.state.data[1]

    def advance(self, n: int) -> None:
        """Take ``n`` steps (one call of the compiled loop)."""
        self.stepper(self.state, 0.0, float(n))


def pypde_stepper(params: FieldParams, backend: str = "numba") -> PypdeStepper:
    """py-pde's explicit Euler stepper for the activator–inhibitor part of ``params``' model.

    Built once per process for each grid shape, coefficient set and backend (later calls
    return the same stepper, and its state, with the ``setup_s`` of the first build):
    py-pde compiles a new stepper for every solve, which takes seconds.

    Parameters
    ----------
    params : FieldParams
        Grid shape and ``Da``, ``Di``, ``ra``, ``ri``; the grid is periodic whatever
        ``params.boundary`` says, and ``turing`` is taken as on.
    backend : {"numba", "numpy"}
        py-pde's backend: compiled, or its field-level numpy evaluation.

    Returns
    -------
    PypdeStepper
        With ``a`` and ``i`` zero until :meth:`PypdeStepper.set`.
    """
    return _cached_stepper(params.shape, params.Da, params.Di, params.ra, params.ri, backend)


@functools.lru_cache(maxsize=8)
def _cached_stepper(shape: tuple[int, int], Da: float, Di: float, ra: float, ri: float, backend: str) -> PypdeStepper:
    import pde
    from pde.solvers import EulerSolver

    start = time.process_time()
    grid = pde.UnitGrid(list(shape), periodic=True)
    state = pde.FieldCollection([pde.ScalarField(grid), pde.ScalarField(grid)])
    equation = _equation_class()(Da, Di, ra, ri)
    # single thread, like our kernel (py-pde would use threads from 256x256 up)
    with pde.config({"backend.numba.multithreading": "never"}):
        stepper = EulerSolver(equation, backend=backend).make_stepper(state, dt=1.0)
        stepper(state, 0.0, 1.0)
    return PypdeStepper(state, stepper, time.process_time() - start, pde.__version__)


@functools.cache
def _equation_class() -> type:
    """The py-pde equation class (defined on first use: its base class comes from py-pde)."""
    import pde

    class ActivatorInhibitorPDE(pde.PDEBase):
        """``da/dt = Da ∇²a + ra (a(1-a) - i)``, ``di/dt = Di ∇²i + ri (a + da/dt - i)``; clip to [0, 1].

        The ``a + da/dt`` in the inhibitor's rate is the activator after the step when
        dt = 1 (the only step this class is for), as in :func:`mfn.models.classic.kernels.numpy_step`.
        """

        def __init__(self, Da: float, Di: float, ra: float, ri: float) -> None:
            super().__init__()
            self.Da, self.Di, self.ra, self.ri = Da, Di, ra, ri

        def evolution_rate(self, state, t: float = 0):
            a, i = state
            rate_a = self.Da * a.laplace("periodic") + self.ra * (a * (1.0 - a) - i)
            rate_i = self.Di * i.laplace("periodic") + self.ri * ((a + rate_a) - i)
            return pde.FieldCollection([rate_a, rate_i])

        def make_evolution_rate(self, state, backend):
            Da, Di, ra, ri = self.Da, self.Di, self.ra, self.ri
            laplace = state.grid.make_operator("laplace", bc="periodic", backend=backend)

            def rate(data, t=0.0):
                a, i = data[0], data[1]
                out = np.empty_like(data)
                out[0] = Da * laplace(a) + ra * (a * (1.0 - a) - i)
                out[1] = Di * laplace(i) + ri * ((a + out[0]) - i)
                return out

            return rate

        def make_post_step_hook(self, state, backend="numpy"):
            def clip(data, t, hook_data):
                np.clip(data, 0.0, 1.0, out=data)
                return data, hook_data

            return clip, 0.0

    return ActivatorInhibitorPDE


def pypde_rows(side: int, steps: int, repeats: int) -> list[Row]:
    """py-pde's compiled stepper against our numba kernel, ``steps`` steps on a side x side grid.

    What is timed, per repetition: py-pde's explicit Euler stepper (numba backend, dt = 1,
    no tracker, single thread) advancing ``a`` and ``i`` ``steps`` steps in one call of the
    stepper built by :func:`pypde_stepper` (its loop is compiled; the
    stepper is built once and reused, so no repetition recompiles); and
    :meth:`mfn.Simulation.step` with the numba kernel advancing the whole model ``steps``
    steps (default parameters, Turing on, periodic, twin and online features off) — the
    same ``a`` and ``i`` update plus the potential ``V``, the growth events, the Turing kick
    and the clamp, so ours does more work per step. Both start from the run's initial
    ``a`` and ``i``. The rates count grid cells times steps; the ratio is py-pde's time over
    ours. The build (py-pde's numba compilation, the first build in the process) is
    reported as ``setup_s``, outside the rates.

    Returns
    -------
    list of Row
        One row, or none when py-pde does not import.
    """
    if pypde_missing() is not None:
        return []
    from mfn.simulation.simulation import Simulation

    params = FieldParams(grid_size=side, steps=STEPS_MAX)
    ours = Simulation(params, backend="numba", lyapunov=False, online_features=False)
    theirs = pypde_stepper(params)
    start = ours.state
    theirs.set(start.a, start.i)
    row = Row(
        f"py-pde {side}x{side}",
        "cell-steps/s",
        side * side * steps,
        f"py-pde {theirs.version} Euler (numba)",
        "numba kernel",
        False,  # not gated: an absolute comparison with a library we do not control
        setup_s=theirs.setup_s,
    )
    return [measure(row, lambda: theirs.advance(steps), lambda: ours.step(steps), repeats)]
