"""Parameters of the growing mycelium (docs/models.md): one frozen dataclass with specs.

Every field carries its valid range, unit and one-line doc (:func:`mfn.core.params.parameter`),
so validation, CLI options, sweep axes and live-view widgets come from this one place.
Nutrient and substrate are in arbitrary amount units per lattice cell ("a.u."); one
growth step is the time unit; distances are in cells.
"""

from __future__ import annotations

from dataclasses import dataclass

from mfn.core.errors import ParameterError
from mfn.core.params import SEED_MAX, STEPS_MAX, ModelParams, parameter
from mfn.physics.membrane import GHKRestingPotential, ion_parameter

__all__ = ["MEDIA", "REGIMES", "MyceliumParams"]

REGIMES = ("nutrient", "diffusion_limited", "rich")
"""Growth regimes: nutrient-driven tips; diffusion-limited aggregation (DLA); non-limiting tips."""
MEDIA = ("uniform", "patchy", "gradient")
"""Initial nutrient media: the same everywhere; random square patches; a linear ramp along x."""
MAX_TURN_COUPLING = 0.125
"""Largest coupling of the 8-neighbour lattice operators (explicit Euler stays monotone)."""


@dataclass(frozen=True)
class MyceliumParams(GHKRestingPotential, ModelParams):
    """Parameters of a hyphal colony growing on a nutrient medium, with a membrane potential.

    Defaults grow, on a 256 x 256 plate, a colony from one central inoculum that reaches the
    plate edge: over seeds 0-9 the 99th percentile of its hyphal cells' distance from the
    inoculum is 140-151 cells at step 150 (90 % of the centre-to-edge distance is 114.3).
    Each tip carries a continuous heading: a correlated random walk (``turn_sd`` 4 degrees
    per extension, a heading correlated over ~2/sd^2 = 400 cells) turned up the nutrient
    sensed ahead of it (``chemotropism``), so hyphae run straight at any angle and leading
    hyphae radiate from the inoculum (8 of them, ``initial_tips``); branches leave at
    ``branch_angle`` 60 +- 15 degrees. The margin advances at 1.04 +- 0.03 cells/step (5
    seeds at nutrient 3), within a tip's 1 (axial) to 1.41 (diagonal) cells/step, and the
    colony is round (smallest over largest of 8 sectors' 95th-percentile radius 0.85 +- 0.05
    over seeds 0-9). ``branching`` 0.07 and ``extension_cost`` 0.12 keep the colony as sparse
    as measured mycelia at low nutrient (box-counting D 1.45 +- 0.05 at nutrient 0.8, 1.77 +-
    0.01 at nutrient 6; 5 seeds, 200 steps; docs/models.md). ``inoculum_substrate`` 30 feeds
    the early branches that fill the sectors between the leading hyphae; ``fhn_threshold``
    0.07 lets a spike that arrives along one hypha fire the dense hub the 8 first tips leave
    at the inoculum (at 0.1 it stops there: too few excited cells feed too many). See
    :mod:`mfn.models.mycelium.kernels` for the equations and the order of the random draws.

    Raises
    ------
    ParameterError
        If any value is out of its range (each field's spec), or ``n_inocula`` exceeds the
        number of cells, or ``patch_size`` exceeds the shorter side of the plate.

    Examples
    --------
    >>> p = MyceliumParams(grid_size=64, nutrient=2.0)
    >>> p.regime, p.shape
    ('nutrient', (64, 64))
    """

    grid_size: int | tuple[int, int] = parameter(
        256, "grid", unit="cells", doc="side of the square plate, or (rows, cols)"
    )
    steps: int = parameter(150, "int", lo=1, hi=STEPS_MAX, unit="steps", doc="growth steps of a run")
    seed: int = parameter(0, "int", lo=0, hi=SEED_MAX, sweep=False, doc="seed of the run's single random generator")
    regime: str = parameter(
        "nutrient",
        "choice",
        choices=REGIMES,
        doc="nutrient-driven tips; diffusion-limited aggregation (one walker per step); non-limiting tips",
    )
    nutrient: float = parameter(
        1.0, "float", lo=0.0, hi=100.0, unit="a.u./cell", doc="initial external nutrient per cell (mean)"
    )
    medium: str = parameter(
        "uniform", "choice", choices=MEDIA, doc="initial nutrient layout: uniform, patchy, gradient"
    )
    patch_size: int = parameter(16, "int", lo=1, hi=1024, unit="cells", doc="side of a nutrient patch (patchy medium)")
    branching: float = parameter(
        0.07, "float", lo=0.0, hi=1.0, unit="1/extension", doc="largest branching probability per tip extension"
    )
    turn_sd: float = parameter(
        4.0,
        "float",
        lo=0.0,
        hi=90.0,
        unit="degrees",
        doc="standard deviation of a tip's random turn per extension (heading correlated over ~2/sd^2 cells)",
    )
    branch_angle: float = parameter(
        60.0, "float", lo=0.0, hi=180.0, unit="degrees", doc="mean angle between a branch and its parent hypha"
    )
    branch_angle_sd: float = parameter(
        15.0, "float", lo=0.0, hi=90.0, unit="degrees", doc="standard deviation of the branching angle"
    )
    chemotropism: float = parameter(
        0.5, "float", lo=0.0, hi=1.0, doc="bias of a tip's turn up the relative nutrient gradient"
    )
    extension_cost: float = parameter(
        0.12,
        "float",
        lo=0.0,
        hi=100.0,
        lo_open=True,
        unit="a.u./cell",
        doc="substrate converted into one new hyphal cell",
    )
    uptake: float = parameter(
        0.2,
        "float",
        lo=0.0,
        hi=1.0,
        unit="1/step",
        doc="fraction of a hyphal cell's external nutrient taken up per step",
    )
    nutrient_diffusion: float = parameter(
        0.2,
        "float",
        lo=0.0,
        hi=0.25,
        hi_open=True,
        unit="cells^2/step",
        doc="diffusion coefficient of the external nutrient",
        hint="0.25 is the stability limit of explicit 2-D diffusion",
    )
    translocation: float = parameter(
        0.1,
        "float",
        lo=0.0,
        hi=MAX_TURN_COUPLING,
        unit="cells^2/step",
        doc="diffusion of internal substrate between neighbouring hyphal cells",
        hint="8 neighbours: 0.125 keeps explicit Euler monotone",
    )
    tip_flux: float = parameter(
        0.5,
        "float",
        lo=0.0,
        hi=1.0,
        doc="fraction of a tip cell's substrate carried into the new tip cell (active flux)",
    )
    n_inocula: int = parameter(1, "int", lo=1, hi=1024 * 1024, doc="number of inoculation points (one at the centre)")
    initial_tips: int = parameter(8, "int", lo=1, hi=8, doc="hyphal tips leaving each inoculum")
    inoculum_substrate: float = parameter(
        30.0, "float", lo=0.0, hi=1000.0, unit="a.u.", doc="internal substrate of each inoculum cell at the start"
    )
    coupling: float = parameter(
        0.1,
        "float",
        lo=0.0,
        hi=MAX_TURN_COUPLING,
        lo_open=True,
        unit="cells^2/substep",
        doc="electrical coupling between neighbouring hyphal cells",
        hint="8 neighbours: 0.125 keeps explicit Euler monotone",
    )
    membrane_substeps: int = parameter(
        20, "int", lo=1, hi=500, doc="membrane (FitzHugh-Nagumo) substeps per growth step"
    )
    fhn_rate: float = parameter(
        0.1, "float", lo=0.0, hi=0.5, lo_open=True, unit="1/substep", doc="rate of the excitable (cubic) kinetics"
    )
    fhn_threshold: float = parameter(
        0.07, "float", lo=0.0, hi=0.5, lo_open=True, hi_open=True, doc="excitation threshold, fraction of the amplitude"
    )
    fhn_recovery: float = parameter(
        0.0002,
        "float",
        lo=0.0,
        hi=0.1,
        lo_open=True,
        unit="1/substep",
        doc="rate of the recovery variable (keep << fhn_rate)",
    )
    spike_amplitude: float = parameter(
        100.0, "float", lo=1.0, hi=200.0, unit="mV", doc="height of a spike above the resting potential"
    )
    spike_rate: float = parameter(
        0.002, "float", lo=0.0, hi=1.0, unit="1/extension", doc="probability that a growth event starts a spike"
    )
    k_in: float = ion_parameter("k_in")
    k_out: float = ion_parameter("k_out")
    na_in: float = ion_parameter("na_in")
    na_out: float = ion_parameter("na_out")
    cl_in: float = ion_parameter("cl_in")
    cl_out: float = ion_parameter("cl_out")
    p_na: float = ion_parameter("p_na")
    p_cl: float = ion_parameter("p_cl")
    temperature: float = ion_parameter("temperature")

    def check(self) -> None:
        """Constraints between fields (see the class docstring)."""
        if self.n_inocula > self.n_cells:
            raise ParameterError(
                "n_inocula", self.n_inocula, f"1 <= n_inocula <= {self.n_cells}, the number of cells of the plate"
            )
        if self.medium == "patchy" and self.patch_size > min(self.shape):
            raise ParameterError(
                "patch_size", self.patch_size, f"1 <= patch_size <= {min(self.shape)}, the shorter side of the plate"
            )
