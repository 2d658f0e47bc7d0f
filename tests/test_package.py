"""mfn's public names: each resolves on first use, and the lazy table agrees with the typed imports."""

import ast
import subprocess
import sys
from pathlib import Path

import pytest

import mfn

INIT = Path(mfn.__file__)


def test_every_public_name_resolves_in_a_fresh_interpreter():
    """One interpreter for all of them: each name is imported on first use, so order does not matter."""
    code = (
        "import mfn\n"
        "bad = []\n"
        "for name in mfn.__all__:\n"
        "    try:\n"
        "        value = getattr(mfn, name)\n"
        "        ok = name in dir(mfn) and getattr(__import__('mfn', fromlist=[name]), name) is value\n"
        "    except Exception as err:\n"
        "        ok = False; name = f'{name}: {err!r}'\n"
        "    if not ok: bad.append(name)\n"
        "print(len(mfn.__all__), bad)\n"
    )
    done = subprocess.run([sys.executable, "-c", code], capture_output=True, text=True, check=True)
    assert done.stdout.strip() == f"{len(mfn.__all__)} []"


def test_the_lazy_table_names_what_the_typed_imports_name():
    """``_PUBLIC`` (used at run time) and the ``TYPE_CHECKING`` imports (read by type checkers) list the same."""
    tree = ast.parse(INIT.read_text())
    block = next(n for n in tree.body if isinstance(n, ast.If) and getattr(n.test, "id", "") == "TYPE_CHECKING")
    typed = {}
    for node in block.body:
        for alias in node.names:
            typed[alias.name] = "mfn.datasets" if node.module == "mfn" else node.module
    assert typed == mfn._PUBLIC
    assert sorted(mfn.__all__) == sorted(
        {*typed, "MFNError", "NumericalInstabilityError", "ParameterError"} | {"__version__"}
    )


def test_an_unknown_name_is_an_attribute_error():
    with pytest.raises(AttributeError, match="module 'mfn' has no attribute 'simulatee'"):
        _ = mfn.simulatee
    assert not hasattr(mfn, "simulatee")
