"""Models of the workbench, one package each; importing this package registers the built-in ones."""

from mfn.models import reaction_diffusion  # noqa: F401  (registers the model)
