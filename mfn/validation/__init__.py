"""The validation suite: :func:`mfn.validate` (``suite``), its rows (``general``, ``classic``).

Also the pre-clamp probe of classic-model runs (``probe``) and the report tables (``report``).
The reaction–diffusion and mycelium rows are their models' (``Model.checks``).

Rank 6: it may import the layers of rank 0 to 5 (core up to sweeps), not the other layers of
rank 6 (workflows, inference) (ADR 0010).
"""
