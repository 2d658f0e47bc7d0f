"""The core layer: what every other layer stands on.

Errors and the argument checks of the public boundary (:mod:`~mfn.core.errors`,
:mod:`~mfn.core.checks`), parameters that carry their metadata (:mod:`~mfn.core.params`), the
model protocol and its registry (:mod:`~mfn.core.model`), the choice of back end, memory
limits, every output's checks and atomic writes (:mod:`~mfn.core.io`), runs and Datasets as
netCDF (:mod:`~mfn.core.netcdf`), the ghost cells of the models' numba kernels, the row of a
validation table and the summaries a model offers for fitting.

Rank 0: it may import no other layer of mfn, only numpy and the standard library (xarray and
h5netcdf when a file is written or read; numba only in :mod:`~mfn.core.lattice_numba`, which
only the models' numba kernels import). The ranks are in ``tests/test_layers.py`` (ADR 0010).
"""
