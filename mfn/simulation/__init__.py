"""The simulation layer: any registered model run step by step or in one call.

:class:`~mfn.simulation.simulation.Simulation` and :func:`~mfn.simulation.simulation.simulate`,
what a simulation gives back as it steps (:mod:`~mfn.simulation.state`), the run recorder that
builds a run's Dataset (:mod:`~mfn.simulation.recorder`), and ensembles stepped together.

Rank 4: it may import the layers of rank 0 to 3 (core, physics, analysis, learning, robust,
hyphae, models, datasets). It finds a model through the registry of :mod:`mfn.core.model`,
never by importing :mod:`mfn.models` (ADR 0010).
"""
