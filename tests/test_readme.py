"""The README's Python snippets run as plain scripts (``python snippet.py``), as a reader would paste them.

Each ```python block is written to its own file in a fresh folder (so ``outputs/`` lands there)
and run in a new interpreter; a snippet that only works in a notebook, or needs a
``__main__`` guard it lacks (a Dask sweep), fails here.
"""

import re
import subprocess
import sys
from pathlib import Path

import pytest

ROOT = Path(__file__).parents[1]
SNIPPETS = re.findall(r"```python\n(.*?)```", (ROOT / "README.md").read_text(), flags=re.S)


def test_the_readme_has_python_snippets():
    assert len(SNIPPETS) >= 5
    assert all("import mfn" in s or "from mfn" in s for s in SNIPPETS)


@pytest.mark.slow
@pytest.mark.parametrize("index", range(len(SNIPPETS)), ids=lambda i: f"snippet{i}")
def test_each_python_snippet_runs_as_a_script(index, tmp_path):
    script = tmp_path / f"snippet{index}.py"
    script.write_text(SNIPPETS[index])
    done = subprocess.run(
        [sys.executable, str(script)], cwd=tmp_path, capture_output=True, text=True, timeout=300, check=False
    )
    assert done.returncode == 0, f"{SNIPPETS[index]}\n--- stderr ---\n{done.stderr[-3000:]}"


# Tutorials announced before they land (written on other branches); the list must already name them.
ANNOUNCED = ("08_measure_a_real_fungus", "09_fit_a_model_to_a_fungus")
TUTORIALS = sorted({p.stem for p in (ROOT / "tutorials").glob("[0-9][0-9]_*.ipynb")} | set(ANNOUNCED))


def _linked_tutorials(text: str) -> list[str]:
    return re.findall(r"\((?:tutorials/)?(\d\d_[a-z0-9_]+)\.ipynb\)", text)


def test_the_readme_lists_every_tutorial_in_order():
    section = (ROOT / "README.md").read_text().split("## Notebooks and tutorials")[1].split("\n## ")[0]
    assert _linked_tutorials(section) == TUTORIALS


@pytest.mark.parametrize("name", sorted(p.stem for p in (ROOT / "tutorials").glob("[0-9][0-9]_*.ipynb")))
def test_each_tutorial_ends_with_every_tutorial_in_order(name):
    import json

    cells = json.loads((ROOT / "tutorials" / f"{name}.ipynb").read_text())["cells"]
    last = "".join(cells[-1]["source"])
    assert cells[-1]["cell_type"] == "markdown" and last.startswith("## Next")
    assert _linked_tutorials(last) == TUTORIALS
    assert f"**[{name[:2]} · " in last  # the tutorial itself is marked
