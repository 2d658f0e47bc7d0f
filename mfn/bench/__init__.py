"""The bench layer: ``mfn bench``, each fast path timed against its reference side by side.

The benchmark rows and their ratios measured in one run (:mod:`~mfn.bench.runner`), the
calibration row on 1 and 2 Dask workers, the py-pde row and the hyphal-network references.

Rank 7: it may import the layers of rank 0 to 6 (core up to workflows, validation and
inference), not viz beside it (ADR 0010).
"""
