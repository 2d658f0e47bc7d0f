"""The sweeps layer: parameter sweeps of any model on Dask, into one zarr datacube.

:func:`~mfn.sweeps.driver.sweep` and what it is made of: the grid, each run's record, the runs
carried out on Dask, the store (its template and chunks, their checksums, the writer's lock),
provenance, presets and the flat table; also the Dask connection that batches and calibrations
share (:mod:`~mfn.sweeps.cluster`). Dask, distributed and zarr are imported when a sweep runs.

Rank 5: it may import the layers of rank 0 to 4 (core up to the simulation) (ADR 0010).
"""
