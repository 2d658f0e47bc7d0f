"""Hyphal networks: the graph of a colony's hyphae in µm and hours, real or simulated.

Holds :class:`~mfn.hyphae.network.HyphalNetwork` (nodes with positions and appearance
times, links with hypha ids), its readers and its measures. May import ``core`` and
``analysis`` (rank 2, below the models, which export their colonies as networks).
"""
