"""Published data sets, fetched when first used: ``mfn.datasets.list()``, ``mfn.datasets.load(name)``.

The files are never shipped with ``mfn``. :func:`load` finds them in this order:

1. If the environment variable ``MFN_DATA_DIR`` is set, only there: a folder holding
   ``<group>/<file>`` (for example ``podospora_anserina/M2WT_200610_coordinates.txt``), as
   CI keeps shared copies that may not be committed. Nothing is downloaded.
2. Otherwise in the user cache directory (``pooch.os_cache("mfn")``, e.g. ``~/.cache/mfn``),
   downloading them there first from their public home at a pinned commit with ``pooch``
   (``pip install 'mfn[networks]'``).

Either way every file is checked against its sha256 before it is read; a missing file, a
failed download or a wrong checksum is one :class:`~mfn.core.errors.ParameterError` line
naming ``MFN_DATA_DIR``. Layer: rank 3, beside the models; it may import the layers of rank
0 to 2 (:mod:`mfn.hyphae`, whose reader it calls, and below). The simulation, sweeps and
workflows that compare models with these data are above it.
"""

from __future__ import annotations

import builtins
import hashlib
import os
from pathlib import Path
from typing import Any

from mfn.core.errors import ParameterError
from mfn.datasets.registry import DATASETS, Dataset

__all__ = ["DATA_DIR_VARIABLE", "info", "list", "load", "local_files"]

DATA_DIR_VARIABLE = "MFN_DATA_DIR"
"""The environment variable naming a folder of local copies (see the module docstring)."""


def list() -> builtins.list[str]:
    """Names of the data sets that :func:`load` can read, sorted."""
    return sorted(DATASETS)


def info(name: str) -> Dataset:
    """The registry entry of ``name``: its files, sha256, source URL, description and reference."""
    if name not in DATASETS:
        raise ParameterError("name", name, f"one of {', '.join(map(repr, list()))}")
    return DATASETS[name]


def local_files(name: str) -> dict[str, Path]:
    """Paths of the files of ``name`` on this machine, checked against their sha256 (fetched if needed)."""
    dataset = info(name)
    group = name.split("/")[0]
    root = os.environ.get(DATA_DIR_VARIABLE)
    if root:
        out = {}
        for fname, sha in dataset.files.items():
            path = Path(root) / group / fname
            if not path.is_file():
                raise ParameterError(
                    DATA_DIR_VARIABLE, root, f"a folder holding {group}/{fname}", f"{path} does not exist"
                )
            _check_sha256(path, sha)
            out[fname] = path
        return out
    return {fname: _fetch(dataset, group, fname, sha) for fname, sha in dataset.files.items()}


def load(name: str, **kwargs: Any):
    """The data set ``name`` as a :class:`~mfn.hyphae.network.HyphalNetwork` (µm, h).

    Keyword arguments go to :func:`mfn.read_network` (for example ``margin``); the calibration
    is the data set's own. ``attrs["dataset"]`` records the name.

    Examples
    --------
    >>> import mfn
    >>> mfn.datasets.list()[0]
    'podospora_anserina/M2WT_200610'
    """
    from mfn.hyphae.readers import read_network

    dataset = info(name)
    paths = builtins.list(local_files(name).values())
    coordinates = next(p for p in paths if p.name.endswith("_coordinates.txt"))
    branches = next(p for p in paths if p.name.endswith("_branches.txt"))
    network = read_network(coordinates, branches, px_um=dataset.px_um, frame_h=dataset.frame_h, **kwargs)
    network.attrs["dataset"] = name
    return network


def _check_sha256(path: Path, expected: str) -> None:
    digest = hashlib.sha256()
    with path.open("rb") as fh:
        for block in iter(lambda: fh.read(1 << 20), b""):
            digest.update(block)
    if digest.hexdigest() != expected:
        raise ParameterError(
            DATA_DIR_VARIABLE,
            str(path),
            f"the published file (sha256 {expected[:12]}...)",
            f"its sha256 is {digest.hexdigest()[:12]}...: a different or damaged copy",
        )


def _fetch(dataset: Dataset, group: str, fname: str, sha: str) -> Path:
    try:
        import pooch
    except ImportError:
        raise ImportError(
            f"fetching {dataset.name} needs pooch: pip install 'mfn[networks]', "
            f"or set {DATA_DIR_VARIABLE} to a folder holding {group}/{fname}"
        ) from None
    url = dataset.url + fname
    try:
        path = pooch.retrieve(
            url, known_hash=f"sha256:{sha}", fname=fname, path=pooch.os_cache("mfn") / group, progressbar=False
        )
    except Exception as err:  # no network, HTTP error, checksum mismatch: one line for the user
        reason = " ".join(str(err).split())[:200]
        raise ParameterError(
            DATA_DIR_VARIABLE,
            os.environ.get(DATA_DIR_VARIABLE),
            f"a folder holding {group}/{fname}, or a network connection to fetch it",
            f"could not fetch {url}: {type(err).__name__}: {reason}",
        ) from None
    return Path(path)
