"""Validation rows of the reaction–diffusion model (filled below)."""

CHECKS = ()
