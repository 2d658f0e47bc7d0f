"""The robust layer: Byzantine-robust aggregation of federated updates, and attacks on it.

The aggregators (mean, median, trimmed mean, Krum, multi-Krum, hierarchical Krum), the attacks
that test them, and the robustness experiment (how far each aggregator lands from the honest
mean under attack).

Rank 1, isolated: it may import :mod:`mfn.core` only, never the models or the simulation
(``ISOLATED`` in ``tests/test_layers.py``, ADR 0010).
"""
