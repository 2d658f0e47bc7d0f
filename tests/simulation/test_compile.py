"""mfn.simulation.compile: one small run of each model reaches every kernel Python calls."""

import importlib

import pytest

from mfn.core.model import models
from mfn.simulation import compile as compile_module

numba_registry = pytest.importorskip("numba.core.registry")

ENTRY_POINTS = [
    ("mfn.models.classic.kernels_numba", "_step_one"),
    ("mfn.models.classic.kernels_numba", "_run_batch"),
    ("mfn.models.reaction_diffusion.kernels_numba", "numba_advance"),
    ("mfn.models.mycelium.kernels_numba", "_steps"),
    ("mfn.analysis.temporal_numba", "fold"),
    ("mfn.analysis.temporal_numba", "frame_stats"),
    ("mfn.analysis.temporal_numba", "stack_stats"),
]
"""The compiled functions called from Python (the others are compiled into their callers)."""


@pytest.fixture(scope="module")
def seconds():
    return compile_module.compile_kernels()


def test_every_registered_model_runs(seconds):
    assert sorted(seconds) == sorted(models())
    assert all(took > 0 for took in seconds.values())


@pytest.mark.parametrize(("module", "name"), ENTRY_POINTS)
def test_every_entry_point_is_compiled(seconds, module, name):
    dispatcher = getattr(importlib.import_module(module), name)
    assert isinstance(dispatcher, numba_registry.CPUDispatcher)
    assert dispatcher.signatures, f"{module}.{name} was not compiled (nor loaded from the cache)"


def test_without_numba_nothing_is_compiled(monkeypatch, capsys):
    monkeypatch.setattr(compile_module, "numba_available", lambda: False)
    assert compile_module.compile_kernels() == {}
    compile_module.main()
    assert capsys.readouterr().out == "numba is not installed: nothing to compile\n"
