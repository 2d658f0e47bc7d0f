"""Models of the workbench, one package each; importing this package registers the built-in ones.

Each model package has ``params.py`` (a frozen :class:`~mfn.core.params.ModelParams`),
its kernels (a numpy reference, optionally a fused numba kernel), and ``model.py``, which
registers a :class:`~mfn.core.model.Model`. See ``docs/models.md``.
"""

from mfn.models.classic.model import CLASSIC
from mfn.models.mycelium.model import MYCELIUM
from mfn.models.reaction_diffusion.model import MODEL as REACTION_DIFFUSION

__all__ = ["CLASSIC", "MYCELIUM", "REACTION_DIFFUSION"]
