"""The package's layers import only what is below them (ADR 0010).

Every ``import`` and ``from ... import`` of every module under ``mfn/`` is read from its
source (including imports inside functions, which run lazily) and checked against the layer
rule: a module may import its own layer and the layers of lower rank.
"""

import ast
from pathlib import Path

import pytest

PACKAGE = Path(__file__).resolve().parents[1] / "mfn"

RANK = {
    "core": 0,
    "physics": 1,
    "analysis": 1,
    "learning": 1,
    "robust": 1,
    "models": 2,
    "simulation": 3,
    "sweeps": 4,
    "workflows": 5,
    "validation": 5,
    "viz": 6,
    "commands": 7,
    "bench": 6,
}
"""Layer -> rank; a layer may import layers of lower rank and itself."""
ISOLATED = {"learning", "robust"}
"""Layers that may import core only (independent of the models)."""


def _modules():
    for path in sorted(PACKAGE.rglob("*.py")):
        parts = path.relative_to(PACKAGE).parts
        if len(parts) > 1:
            yield parts[0], path


def _imported_layers(path: Path):
    tree = ast.parse(path.read_text())
    for node in ast.walk(tree):
        names = []
        if isinstance(node, ast.Import):
            names = [alias.name for alias in node.names]
        elif isinstance(node, ast.ImportFrom) and node.module and node.level == 0:
            names = [node.module] + [f"{node.module}.{alias.name}" for alias in node.names]
        for name in names:
            parts = name.split(".")
            if parts[0] == "mfn" and len(parts) > 1 and parts[1] in RANK:
                yield parts[1], node.lineno


@pytest.mark.parametrize(("layer", "path"), list(_modules()), ids=lambda v: str(v).rsplit("mfn/", 1)[-1])
def test_a_module_imports_only_lower_layers(layer, path):
    assert layer in RANK, f"{layer}/ is not a known layer: add it to RANK with its rule"
    for imported, line in _imported_layers(path):
        if layer in ISOLATED:
            assert imported in {"core", layer}, f"{path.name}:{line} imports mfn.{imported} ({layer} may import core)"
        else:
            assert RANK[imported] < RANK[layer] or imported == layer, (
                f"{path.name}:{line}: {layer} (rank {RANK[layer]}) imports mfn.{imported} (rank {RANK[imported]})"
            )


def test_every_module_belongs_to_a_layer():
    top = {p.name for p in PACKAGE.glob("*.py")}
    assert top == {"__init__.py", "__main__.py", "cli.py"}
