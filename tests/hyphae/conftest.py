"""Synthetic networks with known answers, shared by the tests of :mod:`mfn.hyphae`."""

from __future__ import annotations

import numpy as np
import pytest

from mfn.hyphae.network import HyphalNetwork

SPACING = 10.0
"""Node spacing along every synthetic hypha, µm."""
SPEED = 120.0
"""Tip speed of every synthetic hypha, µm/h (2 µm/min)."""
FRAME = 0.25
"""Time step of the synthetic networks, h."""


def _build(hyphae, field=None, spacing=SPACING, speed=SPEED, frame=FRAME, **kwargs) -> HyphalNetwork:
    """A network of straight hyphae, each a dict: ``start`` = (x, y) or ("on", hypha, k) (its k-th
    node), ``angle`` (degrees), ``length`` (µm, a multiple of ``spacing`` unless it ends on
    another hypha), ``birth`` (h), optional ``end`` = ("on", hypha, k) to fuse into.

    A node ``s`` µm along a hypha appears at ``birth + ceil(s / (speed * frame)) * frame``:
    every hypha grows ``speed * frame`` = 30 µm per frame.
    """
    xs, ys, ts, edges, hy = [], [], [], [], []
    node_at = {}
    for h, spec in enumerate(hyphae):
        if spec["start"][0] == "on":
            _, parent, k = spec["start"]
            base = node_at[(parent, k)]
            bx, by = xs[base], ys[base]
        else:
            bx, by = spec["start"]
            base = len(xs)
            xs.append(bx)
            ys.append(by)
            ts.append(spec["birth"])
        node_at[(h, 0)] = base
        a = np.radians(spec["angle"])
        n = int(np.ceil(spec["length"] / spacing - 1e-9))
        prev = base
        for k in range(1, n + 1):
            if k == n and spec.get("end") is not None:
                node = node_at[spec["end"][1:]]
            else:
                node = len(xs)
                xs.append(bx + k * spacing * np.cos(a))
                ys.append(by + k * spacing * np.sin(a))
                ts.append(spec["birth"] + np.ceil(k * spacing / (speed * frame) - 1e-9) * frame)
            node_at[(h, k)] = node
            edges.append((prev, node))
            hy.append(h)
            prev = node
    return HyphalNetwork(xs, ys, ts, edges, hy, field=field, **kwargs)


PLANTED = [
    {"start": (0.0, 0.0), "angle": 0.0, "length": 1000.0, "birth": 0.0},  # main hypha along x
    {"start": ("on", 0, 30), "angle": 60.0, "length": 400.0, "birth": 3.0},  # branch at x = 300, 60 degrees
    {"start": ("on", 0, 60), "angle": -90.0, "length": 300.0, "birth": 6.0},  # branch at x = 600, 90 degrees
    # from branch 1 (200 µm along it) straight down, fusing into the main hypha at x = 400: one cycle
    {
        "start": ("on", 1, 20),
        "angle": -90.0,
        "length": 200.0 * np.sin(np.radians(60)),
        "birth": 7.0,
        "end": ("on", 0, 40),
    },
]
"""Three branchings at known places, angles and times, and one anastomosis."""
FUSION_LENGTH = 200.0 * np.sin(np.radians(60))


@pytest.fixture(scope="session")
def build():
    """The builder of synthetic networks of straight hyphae (see :func:`_build`)."""
    return _build


@pytest.fixture(scope="session")
def planted() -> HyphalNetwork:
    """The network of :data:`PLANTED`: L = 1000 + 400 + 300 + 173.2 µm, 4 free ends, 4 junctions, 1 cycle."""
    return _build(PLANTED, field=(-500.0, -500.0, 1500.0, 1500.0))
