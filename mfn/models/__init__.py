"""Models of the workbench, one package each; importing this package registers the built-in ones."""

from mfn.models.mycelium import model as _mycelium  # noqa: F401  (registers the model)
