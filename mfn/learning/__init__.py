"""The learning layer: STDP, sparse top-k attention and the MFN network, in numpy.

Each piece has its own backward pass (the network trains with Adam on an MSE loss); the
training run that feeds it simulated features lives in :mod:`mfn.workflows.training`.

Rank 1, isolated: it may import :mod:`mfn.core` only, never the models or the simulation
(``ISOLATED`` in ``tests/test_layers.py``, ADR 0010).
"""
