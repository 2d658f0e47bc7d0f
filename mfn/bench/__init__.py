"""The bench layer: ``mfn bench``, each fast path timed against its reference side by side.

The command and the order of its rows (:mod:`~mfn.bench.runner`); how a row is timed
(:mod:`~mfn.bench.row`) and checked against the stored ratios (:mod:`~mfn.bench.baseline`);
the rows of each area, each with its reference: the lattice models (:mod:`~mfn.bench.fields`),
the features (:mod:`~mfn.bench.features`), the mycelium (:mod:`~mfn.bench.colony`), hyphal
networks (:mod:`~mfn.bench.networks`), py-pde (:mod:`~mfn.bench.pypde`) and the calibration
on 1 and 2 Dask workers (:mod:`~mfn.bench.calibration`).

Rank 7: it may import the layers of rank 0 to 6 (core up to workflows, validation and
inference), not viz beside it (ADR 0010).
"""
