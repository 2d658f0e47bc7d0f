"""Parameters of the MFN classic lattice field model (``docs/models.md``).

:class:`FieldParams` is frozen and checked on construction, so a ``FieldParams`` that exists is
valid. Every field carries its :class:`~mfn.core.params.ParamSpec` (range, unit, doc), from
which the CLI options, sweep axes and live-view widgets are generated.
"""

from __future__ import annotations

import math
import warnings
from dataclasses import dataclass

from mfn.core.errors import ClampWarning
from mfn.core.params import SEED_MAX, STEPS_MAX, Display, ModelParams, parameter

__all__ = ["BOUNDARIES", "CFL_LIMIT", "NOISE_SD", "FieldParams", "clamped_fraction_per_step"]

BOUNDARIES = ("periodic", "neumann", "dirichlet")
"""Boundary conditions: wrap-around, zero flux, or edges held at the resting potential."""
CFL_LIMIT = 0.25
"""Stability limit of explicit Euler with the 5-point Laplacian in 2-D."""
REST_TO_CLAMP_MV = 25.0
"""Distance from the resting potential (-70 mV) to the lower clamp (-95 mV), mV."""
CLAMP_WARNING_FRACTION = 0.01
"""Noise that pushes more than this fraction of resting cells past the clamp per step is warned about."""

NOISE_SD = Display(
    "noise_sd",
    "mV",
    "standard deviation of the per-step noise (jitter_var = (noise_sd / 1000)^2 V^2)",
    to_display=lambda var: 1e3 * math.sqrt(var),
    from_display=lambda sd: (sd / 1e3) ** 2,
)
"""The noise as a person sets it: a standard deviation in mV (CLI ``--noise-sd``, live view ``noise_sd``)."""


def clamped_fraction_per_step(jitter_var: float) -> float:
    """Fraction of cells at rest (-70 mV) that one step of noise pushes past the -95 mV clamp.

    ``P(N(0, sd) < -25 mV)`` with ``sd = 1000 sqrt(jitter_var)`` mV; diffusion and growth events
    aside, this is how often the clamp, not the model, sets a cell's value.

    Examples
    --------
    >>> round(clamped_fraction_per_step(0.0005), 3)  # the original's noise: 22.4 mV per step
    0.132
    """
    if jitter_var <= 0:
        return 0.0
    sd = 1e3 * math.sqrt(jitter_var)
    return 0.5 * math.erfc(REST_TO_CLAMP_MV / sd / math.sqrt(2))


@dataclass(frozen=True)
class FieldParams(ModelParams):
    """Parameters of the MFN classic lattice field model.

    Parameters
    ----------
    grid_size : int or (int, int), default 64
        Side of the square lattice, or ``(rows, cols)``; each side in [4, 1024] cells.
    steps : int, default 64
        Number of time steps, in [1, 10**7].
    alpha : float, default 0.18
        Diffusion coefficient of the potential per step (dimensionless, in lattice units);
        ``0 < alpha < 0.25``, the CFL limit of explicit 2-D Euler.
    spike_probability : float, default 0.25
        Probability per step of one growth event, in [0, 1].
    turing : bool, default True
        Whether the activator-inhibitor coupling runs.
    Da, Di : float, default 0.1, 0.05
        Diffusion coefficients of activator and inhibitor, in [0.01, 0.25).
    ra, ri : float, default 0.01, 0.02
        Reaction rates of activator and inhibitor per step, in [0.001, 0.1].
    turing_threshold : float, default 0.75
        Activator level above which a cell's potential is raised by 5 mV, in [0.5, 0.95].
    jitter_var : float, default 0.0
        Variance of the Gaussian noise added to every cell each step, V^2, in [0, 0.01];
        0 switches noise off. A person sets it as a standard deviation in mV (``noise_sd``,
        ``--noise-sd``: ``jitter_var = (noise_sd / 1000)^2``). The original's "quantum jitter"
        used 0.0005, 22.4 mV per step, which pushes about 13 % of resting cells past the
        -95 mV clamp every step; values that push more than 1 % (above 10.7 mV, 1.15e-4 V^2)
        raise a :class:`~mfn.core.errors.ClampWarning`.
    boundary : {"periodic", "neumann", "dirichlet"}, default "periodic"
        Wrap-around; zero flux; or cells outside the lattice held at -70 mV (and the
        activator and inhibitor at 0).
    seed : int, default 0
        Seed of the run's single random generator, in [0, 2**63 - 1].

    Raises
    ------
    ParameterError
        If any value is of the wrong type or outside its valid range.

    Examples
    --------
    >>> p = FieldParams(alpha=0.2)
    >>> p.replace(seed=3).seed
    3
    """

    grid_size: int | tuple[int, int] = parameter(64, "grid", unit="cells", doc="lattice side, or (rows, cols)")
    steps: int = parameter(64, "int", lo=1, hi=STEPS_MAX, unit="steps", doc="time steps of a run", sweep=True)
    alpha: float = parameter(
        0.18,
        "float",
        lo=0.0,
        hi=CFL_LIMIT,
        lo_open=True,
        hi_open=True,
        doc="diffusion of the potential per step",
        hint="0.25 is the CFL stability limit of explicit 2-D diffusion",
    )
    spike_probability: float = parameter(0.25, "float", lo=0, hi=1, doc="probability of a growth event per step")
    turing: bool = parameter(True, "bool", doc="activator-inhibitor coupling on")
    Da: float = parameter(0.1, "float", lo=0.01, hi=0.25, hi_open=True, doc="activator diffusion per step")
    Di: float = parameter(0.05, "float", lo=0.01, hi=0.25, hi_open=True, doc="inhibitor diffusion per step")
    ra: float = parameter(0.01, "float", lo=0.001, hi=0.1, doc="activator reaction rate per step")
    ri: float = parameter(0.02, "float", lo=0.001, hi=0.1, doc="inhibitor reaction rate per step")
    turing_threshold: float = parameter(0.75, "float", lo=0.5, hi=0.95, doc="activator level above which V gains 5 mV")
    jitter_var: float = parameter(
        0.0,
        "float",
        lo=0.0,
        hi=0.01,
        unit="V^2",
        doc="variance of the per-step noise (0: off)",
        hint="V^2",
        display=NOISE_SD,
    )
    boundary: str = parameter("periodic", "choice", choices=BOUNDARIES, doc="lattice edges")
    seed: int = parameter(0, "int", lo=0, hi=SEED_MAX, doc="seed of the run's random generator", sweep=False)

    def check(self) -> None:
        fraction = clamped_fraction_per_step(self.jitter_var)
        if fraction > CLAMP_WARNING_FRACTION:
            sd = NOISE_SD.to_display(self.jitter_var)
            warnings.warn(
                ClampWarning(
                    f"jitter_var = {self.jitter_var:g} V^2 is noise of {sd:.1f} mV per step: about "
                    f"{100 * fraction:.0f} % of resting cells are pushed past the -95 mV clamp every step, so "
                    "the clamp, not the model, sets their value; noise_sd <= 10.7 mV (jitter_var <= 1.15e-4) "
                    "keeps it under 1 %"
                ),
                stacklevel=4,
            )
