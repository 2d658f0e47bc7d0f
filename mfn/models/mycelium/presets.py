"""Named parameter sets of the mycelium (:meth:`mfn.MyceliumParams.preset`).

``podospora_anserina``: the three shared time-lapse networks of *P. anserina* wild type
(Chassereau, Chapeland-Leclerc & Herbert; ``shared/data/podospora_anserina``): a 9 x 9 mm
field, 20 h from one ascospore, at the default resolution (25 µm lattice, 200 µm nutrient
cells, 2 min steps). Set by hand against the experiments' exponential rates of total
length and free ends, hyphal growth unit, branching angles and apex speeds
(docs/models.md gives the numbers). The first calibration against M2WT_200610
(docs/calibration.md, "The real fungus") is not adopted: its posterior is still wide after two
generations, and the separate medians of its correlated tip speed and lateral branching move the
growth unit from +4 % to -16 % of the data; a converged calibration should replace these values.
"""

from __future__ import annotations

__all__ = ["PRESETS"]

PRESETS = {
    "podospora_anserina": {
        "grid_size": 360,
        "steps": 600,
    },
}
"""Preset name -> the values that differ from :class:`~mfn.models.mycelium.params.MyceliumParams`' defaults."""
