"""Named parameter sets of the mycelium (:meth:`mfn.MyceliumParams.preset`).

``podospora_anserina``: the three shared time-lapse networks of *P. anserina* wild type
(Chassereau, Chapeland-Leclerc & Herbert; ``shared/data/podospora_anserina``): a 9 x 9 mm
field, 20 h from one ascospore, at the default resolution (25 µm lattice, 200 µm nutrient
cells, 2 min steps). The other parameters were set by hand against the experiments' rates of
total length and free ends, growth unit, branching angles and apex speeds (docs/models.md);
tip speed, lateral branching, autotropism and branch angle are the posterior medians of
``mfn calibrate`` against M2WT_200610 (population 100, two generations after the sample from
the prior, 566 simulations; docs/calibration.md, "The real fungus", gives the command, the
90 % intervals and how well they predict the other two experiments).
"""

from __future__ import annotations

__all__ = ["PRESETS"]

PRESETS = {
    "podospora_anserina": {
        "grid_size": 360,
        "steps": 600,
        # posterior medians of the calibration to M2WT_200610 (docs/calibration.md)
        "tip_speed": 3.87,
        "lateral_branching": 2.67,
        "autotropism": 79.0,
        "branch_angle": 78.5,
    },
}
"""Preset name -> the values that differ from :class:`~mfn.models.mycelium.params.MyceliumParams`' defaults."""
