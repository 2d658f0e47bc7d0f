"""Named parameter sets of the mycelium (:meth:`mfn.MyceliumParams.preset`).

``podospora_anserina``: the three shared time-lapse networks of *P. anserina* wild type
(Chassereau, Chapeland-Leclerc & Herbert; ``shared/data/podospora_anserina``): a 9 x 9 mm
field, 20 h from one ascospore, at the default resolution (25 µm lattice, 200 µm nutrient
cells, 2 min steps). Its four growth parameters are the posterior medians of the calibration
to M2WT_200610 (ABC-SMC, 4 generations of 100, 1,149 simulations; docs/calibration.md, "The
real fungus"), 90 % intervals in brackets: ``tip_speed`` 4.07 [3.13, 5.46] µm/min,
``lateral_branching`` 2.06 [1.16, 4.16] /(mm h), ``autotropism`` 75 [18, 133] °/min,
``branch_angle`` 74.8 [39.3, 110.3]°. The rest are the model's defaults, set by hand against the
experiments' exponential rates, growth unit, branching angles and apex speeds (docs/models.md
gives the numbers, for these medians and for the former hand-set values).
"""

from __future__ import annotations

__all__ = ["PRESETS"]

PRESETS = {
    "podospora_anserina": {
        "grid_size": 360,
        "steps": 600,
        "tip_speed": 4.07,
        "lateral_branching": 2.06,
        "autotropism": 75.0,
        "branch_angle": 74.8,
    },
}
"""Preset name -> the values that differ from :class:`~mfn.models.mycelium.params.MyceliumParams`' defaults."""
