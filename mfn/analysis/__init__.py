"""The analysis layer: measures of fields and runs, independent of any model.

Fractal geometry (box counting, a random IFS), the 18 features (their names and units, their
settings, the offline computation), their temporal sums accumulated frame by frame (optionally
compiled), spatial spectra (the dominant wavelength) and the colony measures mycologists take.

Rank 1: it may import :mod:`mfn.core` only; the models, the simulation and every layer above
use it (ADR 0010).
"""
