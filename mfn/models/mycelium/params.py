"""Parameters of the growing mycelium (docs/models.md), in physical units.

Every field carries its valid range, unit and one-line doc (:func:`mfn.core.params.parameter`),
so validation, CLI options, sweep axes and live-view widgets come from this one place.
Lengths are in µm, times in min (tips) or s (membrane), the medium's nutrient in mM
(glucose equivalent; 1 mM = 1 amol/µm³), internal substrate in fmol, potentials in mV,
membrane conductances in mS/cm² and currents in µA/cm².
"""

from __future__ import annotations

import math
from dataclasses import dataclass

from mfn.core.errors import ParameterError
from mfn.core.params import SEED_MAX, STEPS_MAX, ModelParams, parameter
from mfn.models.mycelium.presets import PRESETS

__all__ = ["INOCULA", "MEDIA", "REGIMES", "MyceliumParams"]

REGIMES = ("nutrient", "diffusion_limited", "rich")
"""Growth regimes: substrate-driven tips; diffusion-limited aggregation (DLA); non-limiting tips."""
MEDIA = ("uniform", "patchy", "gradient")
"""Initial nutrient media: the same everywhere; random square patches; a linear ramp along x."""
INOCULA = ("spore", "plug", "points")
"""Inocula: one spore at the centre; a plug of colonised agar; spores at random points."""
MAX_FIELD_SUBSTEPS = 2_000
"""Most explicit substeps of the medium or of translocation in one step (the defaults need 9 and 8)."""
MAX_MEMBRANE_SUBSTEPS = 100_000
"""Most membrane substeps in one step while a spike is under way (the defaults need 2,619)."""


def _p(default, kind, unit="", doc="", **kw):
    return parameter(default, kind, unit=unit, doc=doc, **kw)


@dataclass(frozen=True)
class MyceliumParams(ModelParams):
    """Parameters of a hyphal colony growing on a nutrient medium, with a fungal membrane.

    Hyphae are polylines in µm; a square lattice of ``spacing`` µm (``grid_size`` cells a
    side) records where they are (the ``occupied`` picture, and the buckets in which tips
    look for hyphae to avoid or fuse with); nutrient, internal substrate and the membrane
    live on a coarser grid of ``field_cell`` lattice cells a side. The defaults grow a
    *Podospora anserina*-like colony from one spore on a 6.4 mm field for 12 h; the preset
    ``podospora_anserina`` (:meth:`preset`) grows the shared experiments' 9 x 9 mm for 20 h.
    Why each default has its value: docs/models.md (the mycelium section).

    Raises
    ------
    ParameterError
        If a value is out of its range, a tip could cross more than half a nutrient cell in
        one step, ``patch_size`` or ``plug_radius`` does not fit the field, or the explicit
        fields would need too many substeps per step (:data:`MAX_FIELD_SUBSTEPS`,
        :data:`MAX_MEMBRANE_SUBSTEPS`: a bound on the work of a step).

    Examples
    --------
    >>> p = MyceliumParams(grid_size=64)
    >>> p.shape, p.field_um, p.hours
    ((64, 64), 1600.0, 12.0)
    >>> round(p.E_rest, 1), round(p.e_k, 1)
    (-189.2, -92.0)
    """

    PRESETS = PRESETS

    grid_size: int | tuple[int, int] = _p(
        256, "grid", "cells", "lattice side, or (rows, cols); field = grid_size x spacing"
    )
    spacing: float = _p(25.0, "float", "µm", "lattice spacing (occupancy picture, hypha buckets)", lo=1.0, hi=1000.0)
    field_cell: int = _p(8, "int", "cells", "lattice cells per side of a nutrient/substrate/membrane cell", lo=1, hi=64)
    time_step: float = _p(2.0, "float", "min", "time step of growth", lo=0.01, hi=60.0)
    steps: int = _p(360, "int", "steps", "steps of a run (duration = steps x time_step)", lo=1, hi=STEPS_MAX)
    seed: int = _p(0, "int", doc="seed of the run's single random generator", lo=0, hi=SEED_MAX, sweep=False)
    regime: str = _p(
        "nutrient",
        "choice",
        doc="substrate-driven tips; diffusion-limited aggregation; non-limiting tips",
        choices=REGIMES,
    )
    # the medium
    nutrient: float = _p(
        30.0, "float", "mM", "initial nutrient of the medium (mean), glucose equivalent", lo=0.0, hi=1e4
    )
    medium: str = _p("uniform", "choice", doc="initial nutrient layout: uniform, patchy, gradient", choices=MEDIA)
    patch_size: float = _p(1000.0, "float", "µm", "side of a nutrient patch (patchy medium)", lo=1.0, hi=1e6)
    medium_depth: float = _p(1000.0, "float", "µm", "depth of medium under the colony", lo=1.0, hi=1e5)
    nutrient_diffusion: float = _p(36000.0, "float", "µm²/min", "diffusion of nutrient in the medium", lo=0.0, hi=1e6)
    uptake: float = _p(4.5, "float", "fmol/(µm h)", "largest nutrient uptake per µm of hypha", lo=0.0, hi=1e4)
    uptake_half: float = _p(
        5.0, "float", "mM", "nutrient at which uptake is half its largest", lo=0.0, hi=1e4, lo_open=True
    )
    # the tips
    tip_speed: float = _p(5.0, "float", "µm/min", "largest tip extension rate", lo=0.0, hi=1000.0, lo_open=True)
    substrate_half: float = _p(
        50.0, "float", "mM", "internal substrate at which extension and branching are half their largest", lo=0.0,
        hi=1e5, lo_open=True,
    )  # fmt: skip
    extension_cost: float = _p(
        10.0, "float", "fmol/µm", "substrate built into 1 µm of new hypha", lo=0.0, hi=1e4, lo_open=True
    )
    hyphal_diameter: float = _p(
        3.5, "float", "µm", "hyphal diameter (cytoplasm volume; contact distance)", lo=0.1, hi=100.0
    )
    turn_sd: float = _p(1.5, "float", "deg/√min", "random turning of a tip's heading (sd over 1 min)", lo=0.0, hi=180.0)
    autotropism: float = _p(60.0, "float", "deg/min", "largest turn of a tip away from hyphae ahead", lo=0.0, hi=1e4)
    autotropism_range: float = _p(
        50.0, "float", "µm", "distance within which a tip senses hyphae ahead", lo=0.0, hi=1e4
    )
    chemotropism: float = _p(
        20.0, "float", "deg/min", "turn up the relative nutrient gradient sensed ahead", lo=0.0, hi=1e4
    )
    fusion_probability: float = _p(
        0.3, "float", doc="probability that a tip touching a hypha fuses with it", lo=0.0, hi=1.0
    )
    lateral_branching: float = _p(
        2.5, "float", "1/(mm h)", "largest rate of lateral branches per mm of hypha", lo=0.0, hi=1e4
    )
    apical_branching: float = _p(0.02, "float", "1/h", "largest rate at which a tip splits", lo=0.0, hi=1e4)
    branch_angle: float = _p(75.0, "float", "deg", "mean angle of a branch to its parent (normal)", lo=0.0, hi=180.0)
    branch_angle_sd: float = _p(15.0, "float", "deg", "standard deviation of the branch angle", lo=0.0, hi=90.0)
    # translocation
    translocation_diffusion: float = _p(
        20000.0, "float", "µm²/min", "diffusive translocation of substrate along hyphae", lo=0.0, hi=1e6
    )
    translocation_speed: float = _p(
        200.0, "float", "µm/min", "active translocation of substrate towards younger hyphae", lo=0.0, hi=1e5
    )
    # inocula
    inoculum: str = _p(
        "spore", "choice", doc="one spore at the centre, a plug of given radius, or several spores", choices=INOCULA
    )
    n_inocula: int = _p(3, "int", doc="number of spores of the 'points' inoculum (random places)", lo=1, hi=10_000)
    plug_radius: float = _p(300.0, "float", "µm", "radius of the 'plug' inoculum", lo=1.0, hi=1e5)
    second_germ_tube: float = _p(0.5, "float", doc="probability that a spore sends a second germ tube", lo=0.0, hi=1.0)
    spore_length: float = _p(35.0, "float", "µm", "hypha an inoculum counts as (its volume and uptake)", lo=0.1, hi=1e4)
    inoculum_substrate: float = _p(7500.0, "float", "fmol", "reserves of an inoculum (spore or plug)", lo=0.0, hi=1e9)
    # the membrane (pump-leak, excitable)
    k_in: float = _p(180.0, "float", "mM", "cytoplasmic K+ (Neurospora: Slayman & Slayman 1968)", lo=1e-3, hi=1000.0)
    k_out: float = _p(5.0, "float", "mM", "K+ of the medium", lo=1e-3, hi=1000.0)
    temperature: float = _p(298.0, "float", "K", "temperature (Nernst)", lo=273.0, hi=320.0)
    leak_conductance: float = _p(0.1, "float", "mS/cm²", "K+ leak conductance g_K", lo=0.0, hi=100.0, lo_open=True)
    pump_current: float = _p(11.0, "float", "µA/cm²", "largest current of the H+ pump", lo=0.0, hi=1000.0)
    pump_reversal: float = _p(-400.0, "float", "mV", "potential at which the pump stalls", lo=-1000.0, hi=0.0)
    pump_slope: float = _p(100.0, "float", "mV", "voltage scale of the pump's saturation", lo=1.0, hi=1000.0)
    spike_conductance: float = _p(0.5, "float", "mS/cm²", "largest excitable conductance", lo=0.0, hi=100.0)
    spike_reversal: float = _p(
        -20.0, "float", "mV", "reversal potential of the excitable conductance", lo=-200.0, hi=100.0
    )
    spike_threshold: float = _p(
        -160.0, "float", "mV", "half-activation of the excitable conductance", lo=-300.0, hi=0.0
    )
    spike_slope: float = _p(3.0, "float", "mV", "voltage scale of its activation", lo=0.1, hi=100.0)
    inactivation_half: float = _p(
        -175.0, "float", "mV", "half-inactivation of the excitable conductance", lo=-300.0, hi=0.0
    )
    inactivation_slope: float = _p(4.0, "float", "mV", "voltage scale of its inactivation", lo=0.1, hi=100.0)
    upstroke_time: float = _p(
        8.0, "float", "s", "time the potential takes to follow its currents (a spike's upstroke)", lo=1e-3, hi=1e4
    )
    inactivation_time: float = _p(40.0, "float", "s", "time constant of inactivation (spike duration)", lo=1e-3, hi=1e5)
    space_constant: float = _p(1000.0, "float", "µm", "electrotonic length of a hypha (cable)", lo=1.0, hi=1e5)
    membrane_dt: float = _p(
        0.05, "float", "s", "longest membrane time step (shorter when the cable needs it)", lo=1e-4, hi=10.0
    )
    spike_rate: float = _p(0.0, "float", "1/h", "rate of spontaneous spikes of the colony", lo=0.0, hi=1e4)

    # -- derived quantities ----------------------------------------------------------------
    @property
    def field_um(self) -> float:
        """Width of the field (columns x spacing), µm."""
        return self.shape[1] * self.spacing

    @property
    def height_um(self) -> float:
        """Height of the field (rows x spacing), µm."""
        return self.shape[0] * self.spacing

    @property
    def field_spacing(self) -> float:
        """Side of a nutrient/substrate/membrane cell, µm."""
        return self.field_cell * self.spacing

    @property
    def field_shape(self) -> tuple[int, int]:
        """Shape of the nutrient/substrate/membrane grid (rows, cols)."""
        m, n = self.shape
        return (-(-m // self.field_cell), -(-n // self.field_cell))

    @property
    def hours(self) -> float:
        """Duration of a run, h."""
        return self.steps * self.time_step / 60.0

    @property
    def e_k(self) -> float:
        """Nernst potential of K+ (the leak's reversal), mV."""
        from mfn.physics.nernst import nernst

        return float(nernst(1, self.k_out / 1e3, self.k_in / 1e3, self.temperature)) * 1e3

    @property
    def E_rest(self) -> float:
        """Resting potential of the pump-leak membrane, mV (:func:`mfn.physics.pump_leak.resting_potential`)."""
        from mfn.physics.pump_leak import resting_potential

        return resting_potential(self)

    def check(self) -> None:
        """Constraints between fields (see the class docstring)."""
        half_cell = 0.5 * self.field_spacing
        if self.tip_speed * self.time_step > half_cell:
            raise ParameterError(
                "time_step", self.time_step, f"time_step <= {half_cell / self.tip_speed:.4g} min",
                f"a tip at tip_speed {self.tip_speed:g} µm/min must not cross more than half a nutrient cell "
                f"({half_cell:g} µm) in one step",
            )  # fmt: skip
        if self.medium == "patchy" and self.patch_size > min(self.field_um, self.height_um):
            raise ParameterError(
                "patch_size",
                self.patch_size,
                f"patch_size <= {min(self.field_um, self.height_um):g} µm, the field's side",
            )
        if self.inoculum == "plug" and self.plug_radius >= 0.5 * min(self.field_um, self.height_um):
            limit = 0.5 * min(self.field_um, self.height_um)
            raise ParameterError("plug_radius", self.plug_radius, f"plug_radius < {limit:g} µm, half the field's side")
        if not math.isfinite(self.e_k):
            raise ParameterError("k_out", self.k_out, "a finite K+ Nernst potential")
        self._check_substeps()

    def _check_substeps(self) -> None:
        """Refuse settings whose explicit fields would need more substeps per step than
        :data:`MAX_FIELD_SUBSTEPS` (medium, translocation) or :data:`MAX_MEMBRANE_SUBSTEPS`."""
        from mfn.models.mycelium.kernels import substeps

        medium, translocation, membrane = substeps(self)
        for name, need, cap, fix in (
            ("nutrient_diffusion", medium, MAX_FIELD_SUBSTEPS, "a larger field_cell or time_step, or slower diffusion"),
            (
                "translocation_diffusion",
                translocation,
                MAX_FIELD_SUBSTEPS,
                "a larger field_cell, or slower translocation",
            ),
            ("space_constant", membrane, MAX_MEMBRANE_SUBSTEPS, "a larger field_cell, a longer upstroke_time"),
        ):
            if need > cap:
                raise ParameterError(
                    name, getattr(self, name), f"settings needing at most {cap} substeps per step",
                    f"these need {need} explicit substeps per {self.time_step:g} min step: {fix}",
                )  # fmt: skip
