"""Reaction–diffusion with Turing analysis and a membrane potential (docs/models.md)."""

from mfn.models.reaction_diffusion import model as _model  # registers the model
from mfn.models.reaction_diffusion.kinetics import KINETICS, Kinetics, custom_kinetics
from mfn.models.reaction_diffusion.params import ReactionDiffusionParams
from mfn.models.reaction_diffusion.turing import turing_analysis, turing_space

__all__ = ["KINETICS", "Kinetics", "ReactionDiffusionParams", "custom_kinetics", "turing_analysis", "turing_space"]
_ = _model
