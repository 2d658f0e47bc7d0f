"""The validation suite: :func:`mfn.validate` (``suite``), its rows (``general``, ``classic``).

Also the pre-clamp probe of classic-model runs (``probe``) and the report tables (``report``).
"""
