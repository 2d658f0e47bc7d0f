"""The published data sets ``mfn.datasets`` can fetch: where each file lives and its sha256.

Files are fetched from their public home at a pinned commit (so their content cannot change
under the checksum) and never shipped with ``mfn``: the source carries no licence file.
"""

from __future__ import annotations

from dataclasses import dataclass

__all__ = ["DATASETS", "Dataset"]

_PODOSPORA_COMMIT = "2018126248d6564b525daf1f603f0f9231c683fa"
_PODOSPORA_URL = (
    "https://raw.githubusercontent.com/thibault-chassereau/HyphalNetwork_ApexHypha_Interactions/"
    f"{_PODOSPORA_COMMIT}/Experiments/"
)
_PODOSPORA_REFERENCE = (
    "T. Chassereau, F. Chapeland-Leclerc, E. Herbert, Full identification of a growing and branching "
    "network's spatio-temporal structures, Biophysical Journal (2025), doi:10.1016/j.bpj.2024.12.002"
)


@dataclass(frozen=True)
class Dataset:
    """One published experiment: its files (name -> sha256), their base URL and what it is."""

    name: str
    files: dict[str, str]
    url: str
    description: str
    reference: str
    px_um: float
    frame_h: float


def _podospora(experiment: str, branches: str, coordinates: str, what: str) -> Dataset:
    return Dataset(
        name=f"podospora_anserina/{experiment}",
        files={f"{experiment}_coordinates.txt": coordinates, f"{experiment}_branches.txt": branches},
        url=_PODOSPORA_URL,
        description=f"Podospora anserina wild type, growing network {what} (1 frame = 18 min, 1 px = 1.6 µm)",
        reference=_PODOSPORA_REFERENCE,
        px_um=1.6,
        frame_h=0.3,
    )


DATASETS: dict[str, Dataset] = {
    d.name: d
    for d in (
        _podospora(
            "M2WT_200610",
            "118633dbf953558cad6fe541b52ab6622813635db3bdd1be6f82beffedf643e5",
            "f74029a7e1cfbda01c3e746ba1f41a293bf2df1df70448c87ffd5ecfb35a3c34",
            "of 119,308 nodes over frames 1-65 (19.5 h), about 9 x 9 mm",
        ),
        _podospora(
            "M2WT_200616",
            "8b828e364784f4b462c206c2857df79d1453817fe637487c1629de8aaac882d1",
            "ad02cc9ba27acecdeeb0404cfa1bacf9e1940f8cec3f0a758bf7025a66733612",
            "of 77,848 nodes over frames 1-55 (16.5 h), about 7 x 8 mm",
        ),
        _podospora(
            "M2WT_210304",
            "26aedef8da9a30819ceaf7fa56e50e00db833b0141f0f591c43373b9ec1bab6a",
            "3bd5046ac47a7bb34299769c8dba7d1aa4e77a01753255d02c585c896ea79a99",
            "of 89,011 nodes over frames 5-60 (18 h), about 7 x 7 mm",
        ),
    )
}
"""Every data set by name."""
