"""Draw a hyphal network as an image: the inverse of :func:`mfn.network_from_image`.

Each link is drawn as a line ``width_px`` pixels wide: a pixel is a hypha pixel when its
centre lies within ``width_px / 2`` of the link (sampled every half pixel). Pixel ``(r, c)``
is the point ``(x0 + c * px_um, y0 + r * px_um)`` with ``(x0, y0)`` the corner of the
network's field, so ``network_from_image(image, px_um, origin=(x0, y0))`` reads positions
back in the same µm. Optional uneven light (a linear ramp across x) and Gaussian noise make
the image look like a photograph; a stack of times gives a time lapse.
"""

from __future__ import annotations

from typing import Any

import numpy as np

from mfn.core.checks import check_int, check_real
from mfn.core.errors import ParameterError
from mfn.hyphae.network import HyphalNetwork

__all__ = ["MAX_PIXELS", "draw_network", "hypha_mask"]

MAX_PIXELS = 10**8
"""Largest image (pixels per frame) :func:`draw_network` makes."""


def hypha_mask(network: HyphalNetwork, px_um: float, width_px: float, shape: tuple[int, int]) -> np.ndarray:
    """Boolean mask of the links of ``network`` drawn ``width_px`` wide on a ``shape`` grid (module docstring)."""
    x0, y0 = network.field[0], network.field[1]
    mask = np.zeros(shape, dtype=bool)
    if network.n_edges == 0:
        return mask
    u, v = network.edges[:, 0], network.edges[:, 1]
    cu, ru = (network.x[u] - x0) / px_um, (network.y[u] - y0) / px_um
    cv, rv = (network.x[v] - x0) / px_um, (network.y[v] - y0) / px_um
    steps = np.maximum(np.ceil(np.hypot(cv - cu, rv - ru) * 2.0).astype(np.int64), 1)
    link = np.repeat(np.arange(u.size), steps + 1)
    first = np.r_[0, np.cumsum(steps + 1)[:-1]]
    frac = (np.arange(link.size) - first[link]) / steps[link]
    pc = cu[link] + frac * (cv - cu)[link]
    pr = ru[link] + frac * (rv - ru)[link]
    radius = width_px / 2.0
    reach = int(np.ceil(radius)) + 1
    offsets = np.arange(-reach, reach + 1)
    base_r, base_c = np.rint(pr).astype(np.int64), np.rint(pc).astype(np.int64)
    for dr in offsets:  # a few offsets, each one vectorised pass over every sample point
        for dc in offsets:
            r, c = base_r + dr, base_c + dc
            hit = (r - pr) ** 2 + (c - pc) ** 2 <= radius * radius
            hit &= (r >= 0) & (r < shape[0]) & (c >= 0) & (c < shape[1])
            mask[r[hit], c[hit]] = True
    return mask


def draw_network(
    network: HyphalNetwork,
    px_um: float,
    *,
    width_px: float = 3.0,
    time: Any = None,
    foreground: float = 0.2,
    background: float = 0.8,
    gradient: float = 0.0,
    noise: float = 0.0,
    seed: int = 0,
    field: tuple[float, float, float, float] | None = None,
) -> np.ndarray:
    """An image (or a time lapse) of ``network`` (module docstring).

    Parameters
    ----------
    network : HyphalNetwork
    px_um : float
        Micrometres per pixel (> 0).
    width_px : float, default 3
        Line width, pixels (0.5 .. 50).
    time : float or sequence of float, optional
        Draw the network as it stood at this time (h); a sequence gives a stack, one frame
        per time. Default: the whole network.
    foreground, background : float, default 0.2 and 0.8
        Grey level of hyphae and of the medium (dark hyphae on a bright medium by default;
        away from 0 and 1 so that light and noise are not clipped).
    gradient : float, default 0
        Uneven light: a ramp of this amplitude added from the left edge (-gradient/2) to the
        right edge (+gradient/2).
    noise : float, default 0
        Standard deviation of Gaussian noise added to every pixel (>= 0).
    seed : int, default 0
        Seed of the noise.
    field : (x0, y0, x1, y1), optional
        The area drawn, µm; default the network's field. Pixel (0, 0) is at (x0, y0).

    Returns
    -------
    (M, N) or (T, M, N) float64 ndarray
        Grey levels clipped to [0, 1]; ``M, N`` cover the field.
    """
    if not isinstance(network, HyphalNetwork):
        raise ParameterError("network", type(network).__name__, "a HyphalNetwork")
    px_um = check_real("px_um", px_um, 0.0, lo_open=True, hint="micrometres per pixel")
    width_px = check_real("width_px", width_px, 0.5, 50.0)
    foreground = check_real("foreground", foreground, 0.0, 1.0)
    background = check_real("background", background, 0.0, 1.0)
    gradient = check_real("gradient", gradient, 0.0, 1.0)
    noise = check_real("noise", noise, 0.0, 1.0)
    seed = check_int("seed", seed, 0)
    if field is not None:
        network = HyphalNetwork(
            network.x,
            network.y,
            network.t,
            network.edges,
            network.hypha,
            cut=network.cut,
            field=field,
            attrs=network.attrs,
        )
    x0, y0, x1, y1 = network.field
    shape = (int(np.ceil((y1 - y0) / px_um)) + 1, int(np.ceil((x1 - x0) / px_um)) + 1)
    if shape[0] * shape[1] > MAX_PIXELS:
        raise ParameterError("px_um", px_um, f"a pixel size giving at most {MAX_PIXELS:.0e} pixels", f"{shape} here")
    stack = time is not None and np.ndim(time) == 1
    times = [None] if time is None else [check_real("time", float(t)) for t in np.atleast_1d(time)]
    rng = np.random.default_rng(seed)
    ramp = gradient * (np.arange(shape[1]) / max(shape[1] - 1, 1) - 0.5)
    frames = []
    for t in times:
        net = network if t is None else network.at(t)
        mask = hypha_mask(net, px_um, width_px, shape)
        image = np.where(mask, foreground, background) + ramp[None, :]
        if noise > 0:
            image = image + rng.normal(0.0, noise, shape)
        frames.append(np.clip(image, 0.0, 1.0))
    return np.stack(frames) if stack else frames[0]
