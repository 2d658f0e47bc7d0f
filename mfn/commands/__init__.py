"""Subcommands of the ``mfn`` command line, one module each (see :mod:`mfn.cli`).

Each parses its options, calls the layers below and reports in one line (exit 2 for bad
input). Rank 8, the top: it may import every layer of rank 0 to 7 (ADR 0010).
"""
