"""Provenance and identity attributes of a sweep's datacube.

*Identity* attributes say which sweep a store holds; a rerun resumes a store only when they
match. *Provenance* attributes say how and when the cube was made. All values are strings
or numbers, so the cube can be written to zarr and netCDF alike.
"""

from __future__ import annotations

import dataclasses
import json
import platform
from datetime import UTC, datetime
from typing import Any

from mfn.analysis.features import FeatureParams
from mfn.sweeps.grid import SweepGrid

__all__ = ["PACKAGES", "identity_attrs", "package_versions", "provenance_attrs"]

PACKAGES = ("numpy", "scipy", "xarray", "pandas", "dask", "distributed", "zarr", "numba")
"""Packages whose versions are recorded (those not installed are left out)."""


def identity_attrs(grid: SweepGrid, feature_params: FeatureParams) -> dict[str, str]:
    """What makes two sweeps the same: grid, seeds, base parameters, feature settings, mfn version."""
    from mfn.core.version import __version__

    return {
        "mfn_sweep": grid.to_json(),
        "mfn_feature_params": json.dumps(dataclasses.asdict(feature_params)),
        "mfn_version": __version__,
    }


def package_versions() -> dict[str, str]:
    """Installed versions of :data:`PACKAGES` and of Python."""
    from importlib.metadata import PackageNotFoundError, version  # 30 ms: kept out of `import mfn`

    versions = {"python": platform.python_version()}
    for name in PACKAGES:
        try:
            versions[name] = version(name)
        except PackageNotFoundError:
            continue
    return versions


def provenance_attrs(grid: SweepGrid, hosts: int) -> dict[str, Any]:
    """Attributes recording how the cube was made.

    Parameters
    ----------
    grid : SweepGrid
        The sweep.
    hosts : int
        Distinct hosts among the Dask workers (1 for a synchronous sweep).
    """
    return {
        "title": "MyceliumFractalNet parameter sweep",
        "grid": json.dumps(dict(grid.coords())),
        "seeds": json.dumps(list(grid.seeds)),
        "base_seed": int(grid.seeds[0]),
        "n_runs": grid.n_runs,
        "created": datetime.now(UTC).isoformat(timespec="seconds"),
        "host_count": int(hosts),
        "platform": f"{platform.system()} {platform.machine()}",
        "package_versions": json.dumps(package_versions()),
    }
