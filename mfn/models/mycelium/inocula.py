"""The colony at time 0: the medium and the inoculum.

Draws from the run's generator, before any step, in this order: the patches of a patchy
medium (``rng.random((rows, cols))`` of patches ``patch_size`` µm a side), then for each
spore its place (``points``: ``x = W u``, ``y = H u``; one ``spore`` sits at the centre), the
heading of its first germ tube (``2 pi u``), whether it sends a second (``u < second_germ_tube``)
and that one's heading (``2 pi u``). A ``plug`` draws one phase ``2 pi u`` and places
``max(3, round(2 pi R / PLUG_TIP_SPACING))`` tips evenly on its rim, heading outwards; their
roots are marked ``cut`` (the hypha goes on inside the plug: not a free end).

Each inoculum counts as ``spore_length`` µm of hypha in its nutrient cell (its volume and
uptake) and brings ``inoculum_substrate`` fmol of reserves (a plug shares them among its
rim's roots, each of which counts as ``spore_length`` µm); a spore's second germ tube is
recorded as a daughter of the first (so that they do not fuse where they leave the spore).
"""

from __future__ import annotations

import math

import numpy as np

from mfn.models.mycelium import agents
from mfn.models.mycelium.kernels import Constants, rest_state
from mfn.models.mycelium.state import World, new_world

__all__ = ["PLUG_TIP_SPACING", "initial_medium", "initial_world"]

PLUG_TIP_SPACING = 50.0
"""Distance between the hyphae leaving a plug's rim, µm."""


def initial_medium(p, rng: np.random.Generator) -> np.ndarray:
    """The medium's nutrient on the nutrient grid, mM (mean ``p.nutrient`` for every medium)."""
    fm, fn = p.field_shape
    if p.medium == "uniform":
        return np.full((fm, fn), p.nutrient)
    if p.medium == "patchy":
        per = max(1, round(p.patch_size / p.field_spacing))
        blocks = rng.random((-(-fm // per), -(-fn // per)))
        return p.nutrient * 2.0 * np.repeat(np.repeat(blocks, per, axis=0), per, axis=1)[:fm, :fn]
    ramp = 0.5 + np.arange(fn) / max(fn - 1, 1)
    return np.broadcast_to(p.nutrient * ramp, (fm, fn)).copy()


def _seed(w: World, c: Constants, p, x: float, y: float, cut: int, reserve: float) -> int:
    """A root node at ``(x, y)`` µm holding an inoculum's hypha and substrate; its index."""
    root = agents.add_node(w, c.ic, c.fc, x, y, -1, -1, cut, 0)
    fs = p.field_spacing
    fi, fj = agents.cell_index(y, fs, w.hlen.shape[0]), agents.cell_index(x, fs, w.hlen.shape[1])
    w.hlen[fi, fj] += p.spore_length
    w.sub[fi, fj] += reserve
    return root


def _spore(w: World, c: Constants, p, rng: np.random.Generator, x: float, y: float) -> None:
    root = _seed(w, c, p, x, y, 0, p.inoculum_substrate)
    first = agents.new_hypha(w, -1, root)
    w.nint[root, agents.N_HYPHA] = first
    agents.new_tip(w, root, first, agents.TWO_PI * rng.random())
    if rng.random() < p.second_germ_tube:
        agents.new_tip(w, root, agents.new_hypha(w, first, root), agents.TWO_PI * rng.random())


def initial_world(p, c: Constants, rng: np.random.Generator) -> World:
    """The colony at step 0 (draws in the order of the module docstring)."""
    width, height = p.field_um, p.height_um
    roots = {"spore": 1, "points": p.n_inocula, "plug": max(3, round(2.0 * math.pi * p.plug_radius / PLUG_TIP_SPACING))}
    w = new_world(p.shape, p.field_shape, initial_medium(p, rng), rest_state(p), max(256, 4 * roots[p.inoculum]))
    if p.regime == "diffusion_limited":
        m, n = p.shape
        root = agents.add_node(w, c.ic, c.fc, (n // 2 + 0.5) * p.spacing, (m // 2 + 0.5) * p.spacing, 0, -1, 0, 0)
        agents.new_hypha(w, -1, root)
        return w
    if p.inoculum == "spore":
        _spore(w, c, p, rng, 0.5 * width, 0.5 * height)
    elif p.inoculum == "points":
        for _ in range(p.n_inocula):
            x = width * rng.random()
            y = height * rng.random()
            _spore(w, c, p, rng, x, y)
    else:
        count = roots["plug"]
        phase = agents.TWO_PI * rng.random()
        for q in range(count):
            a = phase + agents.TWO_PI * q / count
            x = 0.5 * width + p.plug_radius * math.cos(a)
            y = 0.5 * height + p.plug_radius * math.sin(a)
            root = _seed(w, c, p, x, y, 1, p.inoculum_substrate / count)
            h = agents.new_hypha(w, -1, root)
            w.nint[root, agents.N_HYPHA] = h
            agents.new_tip(w, root, h, a)
    return w


def centre_cells(p) -> tuple[float, float]:
    """The inoculum's centre, lattice cells (row, column): where the walkers of DLA aim."""
    m, n = p.shape
    return float(m // 2), float(n // 2)
