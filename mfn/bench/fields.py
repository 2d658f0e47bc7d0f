"""The lattice models' rows of ``mfn bench``: the classic field, its ensembles, and reaction–diffusion.

- ``field 64x64``, ``field 256x256``: :meth:`mfn.Simulation.step` of MFN classic (Turing
  on, periodic, default parameters) with the numpy reference kernel and with the fused
  numba kernel, the twin trajectory and online features off (bare stepping); cell-steps/s.
- ``ensemble 256x32x32x32``: 256 runs of 32x32 for 32 steps, built and stepped one after
  another with the numba kernel, and built and stepped as one :class:`mfn.simulation.ensemble.Ensemble`;
  cell-steps/s. Building a run (seeding its generator, drawing its initial state) is the
  same work both ways and is included: this is what a user waits for.
- ``ensemble 256x32x32x32 (stepping only)``: the same runs built ahead, untimed; only the
  stepping (which draws each run's growth events) is compared.
- ``ensemble 256x32x32x32 (ceiling)``: the same runs one after another, against only the
  work no batched implementation can avoid while each member equals its single run
  (:func:`draws_and_steps`). Its ratio is the most batching could gain here. Not gated.
- ``reaction-diffusion 256x256``: the reaction–diffusion model (Schnakenberg defaults,
  periodic) stepped by its numpy reference and by its fused numba step
  (:class:`mfn.models.reaction_diffusion.stepper.RDStepper`, one Euler step per model step);
  cell-steps/s. Gated (the target is at least 5x; 5.6x measured on an idle 2-core machine, where
  numpy's vectorised reference reaches 7.6e7 cell-steps/s).

The numpy references are slow: they run an eighth of the fast path's steps and their time is
scaled up to the same work (:func:`mfn.bench.row.scale_reference`).
"""

from __future__ import annotations

from collections.abc import Callable

import numpy as np

from mfn.bench.row import Row, measure, scale_reference
from mfn.core.params import STEPS_MAX
from mfn.models.classic.params import FieldParams

__all__ = ["ENSEMBLE_ROWS", "draws_and_steps", "ensemble_row", "field_row", "rd_row"]


def field_row(side: int, steps_fast: int, repeats: int) -> Row:
    """The classic model stepped by the numpy and the numba kernel on a ``side`` x ``side`` grid."""
    from mfn.simulation.simulation import Simulation

    params = FieldParams(grid_size=side, steps=STEPS_MAX)
    sims = {b: Simulation(params, backend=b, lyapunov=False, online_features=False) for b in ("numpy", "numba")}
    steps_ref = max(steps_fast // 8, 2)
    row = Row(f"field {side}x{side}", "cell-steps/s", side * side * steps_fast, "numpy kernel", "numba kernel", True)
    measure(row, lambda: sims["numpy"].step(steps_ref), lambda: sims["numba"].step(steps_fast), repeats)
    return scale_reference(row, steps_fast / steps_ref)


ENSEMBLE_ROWS = {"end to end": "", "stepping only": " (stepping only)", "ceiling": " (ceiling)"}
"""The kinds of ensemble row and the suffix of each one's name."""


def ensemble_row(runs: int, side: int, steps: int, repeats: int, kind: str = "end to end") -> Row:
    """The runs one after another against an Ensemble of them (``kind``: see :data:`ENSEMBLE_ROWS`)."""
    from mfn.simulation.ensemble import Ensemble
    from mfn.simulation.simulation import Simulation

    params = [FieldParams(grid_size=side, steps=steps, seed=s) for s in range(runs)]

    def members():
        return [Simulation(p, backend="numba", lyapunov=False, online_features=False) for p in params]

    def ensemble():
        return Ensemble(params, backend="numba", lyapunov=False)

    fast_name = "Ensemble (numba)"
    if kind == "stepping only":  # the runs are built ahead, untimed: only their stepping is compared
        member_sets = iter([members() for _ in range(repeats + 1)])
        ensembles = iter([ensemble() for _ in range(repeats + 1)])

        def one_after_another():
            for sim in next(member_sets):
                sim.step(steps)

        def together():
            next(ensembles).step(steps)
    else:

        def one_after_another():
            for sim in members():
                sim.step(steps)

        if kind == "ceiling":
            together, fast_name = draws_and_steps(params)[0], "draws + compiled steps only"
        else:

            def together():
                ensemble().step(steps)

    row = Row(
        f"ensemble {runs}x{side}x{side}x{steps}{ENSEMBLE_ROWS[kind]}",
        "cell-steps/s",
        runs * side * side * steps,
        "one after another (numba)",
        fast_name,
        kind != "ceiling",
    )
    return measure(row, one_after_another, together, repeats)


def draws_and_steps(params: list[FieldParams]) -> tuple[Callable[[], None], np.ndarray]:
    """The unavoidable work of a batched ensemble of ``params`` (one shape and length, no noise).

    Returns a function that draws every member's random numbers (:class:`mfn.models.classic.draws.DrawStream`:
    seeding, initial state, growth events) into stacked arrays and advances them all
    ``steps`` steps in one :func:`~mfn.models.classic.kernels_numba.run_batch` call, and the ``(B, M, N)``
    array of V (volts) it leaves the final states in.
    """
    from mfn.models.classic.draws import DrawStream
    from mfn.models.classic.kernels import KernelConstants
    from mfn.models.classic.kernels_numba import BatchConstants, run_batch

    runs, steps, shape = len(params), params[0].steps, params[0].shape
    constants = BatchConstants([KernelConstants.from_params(p) for p in params], [False] * runs)
    V, a, i = (np.empty((runs, *shape)) for _ in range(3))
    cells, amplitudes = np.empty((runs, steps), dtype=np.int64), np.empty((runs, steps))

    def work() -> None:
        for b, p in enumerate(params):
            stream = DrawStream(p)
            V[b], a[b], i[b] = stream.initial_state()
            cells[b], amplitudes[b], _ = stream.draw_steps(steps)
        run_batch(V, a, i, cells, amplitudes, None, constants)

    return work, V


def rd_row(side: int, steps_fast: int, repeats: int) -> Row:
    """The reaction–diffusion step: numpy reference against the fused numba step (Schnakenberg)."""
    from mfn.models.reaction_diffusion.params import ReactionDiffusionParams
    from mfn.models.reaction_diffusion.stepper import RDStepper

    params = ReactionDiffusionParams(kinetics="schnakenberg", grid_size=side, substeps=1, steps=STEPS_MAX)
    steppers = {b: RDStepper(params, b) for b in ("numpy", "numba")}
    steps_ref = max(steps_fast // 8, 2)
    row = Row(
        f"reaction-diffusion {side}x{side}",
        "cell-steps/s",
        side * side * steps_fast,
        "numpy reference step",
        "fused numba step",
        True,
    )
    measure(row, lambda: steppers["numpy"].advance(steps_ref), lambda: steppers["numba"].advance(steps_fast), repeats)
    return scale_reference(row, steps_fast / steps_ref)
