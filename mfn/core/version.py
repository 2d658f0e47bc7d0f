"""The single source of the package version (pyproject reads it; :mod:`mfn` re-exports it)."""

__version__ = "0.1.0"
