"""Validation rows of the mycelium model (placeholder while the model is rebuilt)."""

CHECKS = ()
