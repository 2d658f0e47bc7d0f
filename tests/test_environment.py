"""binder/ and environment.yml stay consistent with pyproject.toml, and the Binder set-up works."""

import os
import re
import subprocess
import sys
import tomllib
from pathlib import Path

import nbformat
import pytest
from packaging.requirements import Requirement
from packaging.utils import canonicalize_name

ROOT = Path(__file__).parents[1]
EXTRAS = ("fast", "viz", "sweep", "notebooks", "ml", "colony", "networks", "calibrate")  # everything of mfn[all]


def _name(requirement: str) -> set[str]:
    """Package names of one requirement: 'dask[distributed]>=2024.8' -> {'dask', 'distributed'}."""
    m = re.match(r"\s*([A-Za-z0-9_.-]+)\s*(?:\[([^\]]+)\])?", requirement)
    names = {m.group(1)} | set(filter(None, (m.group(2) or "").split(",")))
    return {n.strip().lower().replace("_", "-") for n in names}


def _pyproject() -> set[str]:
    project = tomllib.loads((ROOT / "pyproject.toml").read_text())["project"]
    reqs = project["dependencies"] + [r for e in EXTRAS for r in project["optional-dependencies"][e]]
    return set().union(*map(_name, reqs))


def _lines(path: Path) -> list[str]:
    return [ln.split("#")[0].strip() for ln in path.read_text().splitlines() if ln.split("#")[0].strip()]


def _environment_yml() -> set[str]:
    lines = _lines(ROOT / "environment.yml")
    names = set()
    for line in lines[lines.index("dependencies:") + 1 :]:
        m = re.match(r"-\s+([A-Za-z0-9_.-]+)", line)
        if m and m.group(1) not in {"python", "pip", "-e"}:
            names |= _name(m.group(1))
    return names


def test_all_extra_is_the_extras_listed_here():
    project = tomllib.loads((ROOT / "pyproject.toml").read_text())["project"]
    assert project["optional-dependencies"]["all"] == [f"mfn[{','.join(EXTRAS)}]"]


def test_environment_yml_lists_the_packages_of_pyproject():
    assert _environment_yml() == _pyproject()
    assert "  - python=3.11" in (ROOT / "environment.yml").read_text()


def _lock_pins(text: str) -> dict[str, tuple[str, list[str]]]:
    """``{name: (version, hashes)}`` of a hash-pinned lock file such as requirements.lock."""
    pins: dict[str, tuple[str, list[str]]] = {}
    for block in re.split(r"\n(?=[A-Za-z0-9])", text):
        m = re.match(r"([A-Za-z0-9_.-]+)==([^\s;\\]+)", block)
        if m:
            pins[canonicalize_name(m.group(1))] = (m.group(2), re.findall(r"--hash=sha256:([0-9a-f]{64})", block))
    return pins


def _unmet(pins: dict[str, tuple[str, list[str]]], extras: tuple[str, ...]) -> list[str]:
    """Requirements of mfn with ``extras`` (followed through ``mfn[...]``) the pins do not satisfy."""
    project = tomllib.loads((ROOT / "pyproject.toml").read_text())["project"]
    environment = {
        "python_version": "3.11",
        "python_full_version": "3.11.7",
        "sys_platform": "linux",
        "platform_system": "Linux",
        "os_name": "posix",
        "platform_machine": "x86_64",
    }
    unmet, todo, seen = [], [*project["dependencies"]], set()
    for extra in extras:
        todo += project["optional-dependencies"][extra]
    while todo:
        requirement = Requirement(todo.pop())
        if requirement.marker is not None and not requirement.marker.evaluate(environment):
            continue
        name = canonicalize_name(requirement.name)
        if name == "mfn":  # mfn[all] and the like: follow the extras named
            for extra in requirement.extras - seen:
                seen.add(extra)
                todo += project["optional-dependencies"][extra]
            continue
        if name not in pins:
            unmet.append(f"{requirement}: not in the lock")
        elif not requirement.specifier.contains(pins[name][0], prereleases=True):
            unmet.append(f"{requirement}: the lock pins {pins[name][0]}")
        elif not pins[name][1]:
            unmet.append(f"{name}: pinned without a hash")
    return unmet


def test_the_lock_satisfies_every_constraint_of_pyproject():
    pins = _lock_pins((ROOT / "requirements.lock").read_text())
    assert len(pins) > 100  # the whole environment, not only the direct dependencies
    assert _unmet(pins, ("test", "binder")) == []


def test_a_lock_that_breaks_a_constraint_is_caught():
    text = (ROOT / "requirements.lock").read_text()
    assert _unmet(_lock_pins(re.sub(r"(?m)^numpy==\S+", "numpy==1.25.0", text)), ("test",)) == [
        "numpy>=1.26: the lock pins 1.25.0"
    ]
    assert _unmet(_lock_pins(re.sub(r"(?m)^zarr==", "zzarr==", text)), ("test",)) == ["zarr>=2.18: not in the lock"]


def test_every_install_path_uses_the_lock():
    assert _lines(ROOT / "binder" / "requirements.txt") == ["-r ../requirements.lock"]
    makefile = (ROOT / "Makefile").read_text()
    assert "LOCK := requirements.lock" in makefile
    assert "\t$(PY) -m pip install --quiet --require-hashes -r $(LOCK)\n" in makefile
    assert "\t$(PY) -m pip install --quiet --no-deps -e .\n" in makefile
    assert "make test" in (ROOT / ".ci" / "run").read_text()
    # the lock is resolved for the Python of CI and Binder
    header = (ROOT / "requirements.lock").read_text().splitlines()[1]
    assert "--python-version 3.11" in header and "--extra test --extra binder" in header


def test_binder_runtime_and_postbuild():
    assert (
        ROOT / "binder" / "runtime.txt"
    ).read_text().strip() == f"python-{sys.version_info[0]}.{sys.version_info[1]}"
    post = ROOT / "binder" / "postBuild"
    assert os.access(post, os.X_OK) and post.read_text().splitlines()[:3][2] == "set -e"
    assert "--no-deps" in post.read_text()  # the lock holds every dependency


PROXY_CHECK = (
    "from importlib.metadata import entry_points; "
    "print(' '.join(e.name for e in entry_points(group='jupyter_serverproxy_servers')))"
)


@pytest.mark.slow
def test_a_fresh_venv_from_the_binder_requirements_runs_the_first_tutorial(tmp_path):
    """What Binder builds works: binder/requirements.txt (the lock) installs into a fresh venv,
    binder/postBuild installs mfn there, the set is consistent (``pip check``), JupyterLab can
    serve Panel apps, and tutorial 01 runs on a kernel of that venv, on the mfn installed there.

    The lock is installed by uv (``uv pip install --require-hashes``): the same pinned files,
    each checked against its hash, in about 10 s where pip takes about 100 s (pip unpacks the 1.5 GB
    one wheel at a time; uv in parallel, from its cache when warm). That pip itself
    installs this lock is proven on every run of ``make install`` (the Makefile installs the
    same requirements.lock with pip, test_every_install_path_uses_the_lock), and pip still runs
    here: it builds and installs mfn in postBuild and checks the whole environment.
    """
    venv = tmp_path / "venv"
    subprocess.run([sys.executable, "-m", "venv", str(venv)], check=True)
    bin_ = venv / "bin"
    env = {**os.environ, "PATH": f"{bin_}{os.pathsep}{os.environ['PATH']}", "VIRTUAL_ENV": str(venv)}
    env.pop("PYTHONPATH", None)
    uv = [sys.executable, "-m", "uv", "pip", "install", "--quiet", "--python", str(bin_ / "python"), "--require-hashes"]
    subprocess.run([*uv, "-r", str(ROOT / "binder" / "requirements.txt")], check=True, env=env)
    subprocess.run(["bash", str(ROOT / "binder" / "postBuild")], check=True, cwd=ROOT, env=env)
    # the pinned set is consistent (no package needs another version of a dependency) ...
    check = subprocess.run([str(bin_ / "python"), "-m", "pip", "check"], capture_output=True, text=True, env=env)
    assert check.returncode == 0, check.stdout + check.stderr
    # ... and JupyterLab can serve Panel apps at ?urlpath=/panel/<name> (jupyter-panel-proxy)
    proxies = subprocess.run(
        [str(bin_ / "python"), "-c", PROXY_CHECK], capture_output=True, text=True, env=env, cwd=tmp_path, check=False
    )
    assert proxies.returncode == 0 and "panel" in proxies.stdout.split(), proxies.stdout + proxies.stderr
    out = tmp_path / "01.ipynb"
    tutorial = ROOT / "tutorials" / "01_getting_started.ipynb"
    small = ["-p", "grid_size", "16", "-p", "steps", "20", "-p", "output_dir", str(tmp_path / "o")]
    papermill = [str(bin_ / "python"), "-m", "papermill", str(tutorial), str(out), "-k", "python3", *small]
    subprocess.run([*papermill, "--cwd", str(tutorial.parent), "--no-progress-bar"], check=True, env=env, cwd=tmp_path)
    assert (tmp_path / "o" / "first_run.nc").is_file()
    stdout = "".join(o.get("text", "") for c in nbformat.read(out, as_version=4).cells for o in c.get("outputs", []))
    assert "{'time': 21, 'y': 16, 'x': 16" in stdout
    # the kernel ran in the fresh venv, on the mfn installed there
    located = subprocess.run(
        [str(bin_ / "python"), "-c", "import mfn, sys; print(mfn.__file__, sys.prefix)"],
        capture_output=True,
        text=True,
        check=True,
        env=env,
        cwd=tmp_path,
    ).stdout
    assert str(venv) in located and "site-packages" in located
