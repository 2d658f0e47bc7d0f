"""The package's layers import only what is below them (ADR 0010).

Every ``import`` and ``from ... import`` of every module under ``mfn/`` is read from its
source (including imports inside functions, which run lazily) and checked against the layer
rule: a module may import its own layer and the layers of lower rank.
"""

import ast
import re
from pathlib import Path

import pytest

PACKAGE = Path(__file__).resolve().parents[1] / "mfn"

RANK = {
    "core": 0,
    "physics": 1,
    "analysis": 1,
    "learning": 1,
    "robust": 1,
    "hyphae": 2,  # hyphal networks and their measures (analysis below them, models above)
    "datasets": 3,  # published data sets as hyphal networks (hyphae below; beside the models, never needed by them)
    "models": 3,
    "simulation": 4,
    "sweeps": 5,
    "workflows": 6,
    "validation": 6,
    "inference": 6,  # fitting models to data: simulations on the sweeps' Dask connection (ADR 0018)
    "viz": 7,
    "commands": 8,
    "bench": 7,
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


@pytest.mark.parametrize("layer", sorted(p.parent.name for p in PACKAGE.glob("*/__init__.py")))
def test_every_layer_says_what_it_holds_and_what_it_may_import(layer):
    assert layer in RANK, f"{layer}/ is not a known layer: add it to RANK with its rule"
    doc = ast.get_docstring(ast.parse((PACKAGE / layer / "__init__.py").read_text())) or ""
    where = f"mfn/{layer}/__init__.py's docstring"
    assert len(doc.split()) >= 25, f"{where} should say what the layer holds and what it may import"
    assert re.search(rf"\brank {RANK[layer]}\b", doc, re.IGNORECASE), f"{where} should name its rank, {RANK[layer]}"
    assert "may import" in doc.lower(), f"{where} should say which layers it may import"
    if layer in ISOLATED:
        assert re.search(r"\bcore\W*only\b", doc), f"{where} should say it may import core only"


def test_every_module_belongs_to_a_layer():
    top = {p.name for p in PACKAGE.glob("*.py")}
    assert top == {"__init__.py", "__main__.py", "cli.py"}


def _module_name(path: Path) -> str:
    parts = list(path.relative_to(PACKAGE.parent).with_suffix("").parts)
    if parts[-1] == "__init__":
        parts.pop()
    return ".".join(parts)


def _imports(path: Path, known: set[str]) -> set[str]:
    """The mfn modules ``path`` imports (``from pkg import mod`` counts as ``pkg.mod``).

    Every import counts: at module level, inside functions (lazy), and under ``if TYPE_CHECKING:``
    (an import for type hints only still ties the two modules together).
    """
    found = set()
    for node in ast.walk(ast.parse(path.read_text())):
        names = []
        if isinstance(node, ast.Import):
            names = [alias.name for alias in node.names]
        elif isinstance(node, ast.ImportFrom) and node.module and node.level == 0:
            names = [node.module] + [f"{node.module}.{alias.name}" for alias in node.names]
        found.update(name for name in names if name in known)
    return found


def test_no_import_cycles_between_modules():
    paths = {_module_name(p): p for p in PACKAGE.rglob("*.py")}
    known = set(paths)
    graph = {name: _imports(path, known) - {name} for name, path in paths.items()}
    packages = {name for name, path in paths.items() if path.name == "__init__.py"}
    # a package's __init__ re-exporting its modules is not a cycle: follow module edges only
    graph = {name: {m for m in deps if m not in packages} for name, deps in graph.items() if name not in packages}
    state: dict[str, int] = {}
    cycles = []

    def visit(node, stack):
        state[node] = 1
        for nxt in sorted(graph.get(node, ())):
            if state.get(nxt) == 1:
                cycles.append([*stack[stack.index(nxt) :], nxt])
            elif nxt not in state:
                visit(nxt, [*stack, nxt])
        state[node] = 2

    for name in sorted(graph):
        if name not in state:
            visit(name, [name])
    assert not cycles, [" -> ".join(c) for c in cycles]
