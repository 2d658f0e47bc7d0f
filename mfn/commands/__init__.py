"""Subcommands of the ``mfn`` command line, one module each (see :mod:`mfn.cli`)."""
