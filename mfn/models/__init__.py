"""Models of the workbench, one package each; importing this package registers the built-in ones.

Each model package has ``params.py`` (a frozen :class:`~mfn.core.params.ModelParams`),
its kernels (a numpy reference, optionally a fused numba kernel), and ``model.py``, which
registers a :class:`~mfn.core.model.Model`. See ``docs/models.md``.

Rank 3: a model may import the layers of rank 0 to 2 (core, physics, analysis, learning,
robust, hyphae), never the simulation or anything above, which reach models through the
registry of :mod:`mfn.core.model` (ADR 0010).
"""

from mfn.models.classic.model import CLASSIC
from mfn.models.mycelium.model import MYCELIUM
from mfn.models.reaction_diffusion.model import MODEL as REACTION_DIFFUSION

__all__ = ["CLASSIC", "MYCELIUM", "REACTION_DIFFUSION"]
