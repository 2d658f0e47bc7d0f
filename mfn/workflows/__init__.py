"""The workflows layer: parameterised notebooks and their batches, and the MFN training run.

Notebooks run with papermill on a real kernel (:mod:`~mfn.workflows.notebook`; their
parameters, kernel managers and offline HTML reports in modules of their own), batches of them
on Dask collected into one datacube (:mod:`~mfn.workflows.batch`), and the original's training
run. papermill, nbclient and nbconvert are imported when a notebook runs.

Rank 6: it may import the layers of rank 0 to 5 (core up to sweeps), not the other layers of
rank 6 (validation, inference) (ADR 0010).
"""
