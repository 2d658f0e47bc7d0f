"""The skeleton of a colony's occupancy mask: its endpoints, branch points and hyphal length.

The mask is thinned with :func:`skimage.morphology.skeletonize` (scikit-image:
``pip install 'mfn[colony]'``); the functions raise an ``ImportError`` naming it when it is missing.
"""

from __future__ import annotations

import math
from typing import Any

import numpy as np

from mfn.analysis.colony_shape import occupancy_mask

__all__ = ["SKIMAGE_MISSING", "skeleton_measures", "skeleton_points"]

SKIMAGE_MISSING = "skeleton measures need scikit-image: pip install 'mfn[colony]' (or scikit-image)"


def _skeleton(mask: Any) -> tuple[np.ndarray, np.ndarray, Any]:
    """The skeleton of ``mask``, each skeleton cell's count of 8-neighbours on it, and a neighbour view."""
    try:
        from skimage.morphology import skeletonize
    except ImportError as err:  # pragma: no cover - exercised only without scikit-image
        raise ImportError(SKIMAGE_MISSING) from err
    sk = skeletonize(occupancy_mask("mask", mask))
    p = np.pad(sk, 1)
    m, n = sk.shape

    def at(dy: int, dx: int) -> np.ndarray:
        return p[1 + dy : 1 + dy + m, 1 + dx : 1 + dx + n]

    neighbours = sum(at(dy, dx).astype(np.int64) for dy in (-1, 0, 1) for dx in (-1, 0, 1) if dy or dx) * sk
    return sk, neighbours, at


def skeleton_points(mask: Any) -> dict[str, np.ndarray]:
    """The skeletonised colony and where its endpoints and branch points lie (for pictures).

    Returns
    -------
    dict
        ``skeleton`` (bool array, the shape of ``mask``), ``endpoints`` and ``branch_cells``
        (``(rows, cols)`` index arrays: skeleton cells with one, and with three or more,
        8-neighbours on the skeleton; :func:`skeleton_measures` counts connected clusters of
        branch cells as one branch point each).

    Raises
    ------
    ImportError
        Naming what to install, when scikit-image is missing.
    """
    sk, neighbours, _ = _skeleton(mask)
    return {
        "skeleton": sk,
        "endpoints": np.nonzero(sk & (neighbours == 1)),
        "branch_cells": np.nonzero(sk & (neighbours >= 3)),
    }


def skeleton_measures(mask: Any) -> dict[str, float]:
    """Endpoints, branch points and total hyphal length of the skeletonised colony.

    The mask is thinned with :func:`skimage.morphology.skeletonize`; on the skeleton an
    endpoint has one 8-neighbour; a branch point is a connected cluster of skeleton cells
    with three or more (one junction, however many cells it spans); the length sums every pair of
    neighbouring skeleton cells once, 1 for a side and sqrt(2) for a diagonal, leaving out a
    diagonal whose ends are already joined through a side neighbour (cells).

    Raises
    ------
    ImportError
        Naming what to install, when scikit-image is missing.
    """
    sk, neighbours, at = _skeleton(mask)
    # each pair once: east and south sides; a diagonal only where no side path joins its ends
    sides = np.count_nonzero(sk & at(0, 1)) + np.count_nonzero(sk & at(1, 0))
    down_right = sk & at(1, 1) & ~at(0, 1) & ~at(1, 0)
    down_left = sk & at(1, -1) & ~at(0, -1) & ~at(1, 0)
    length = sides + math.sqrt(2.0) * (np.count_nonzero(down_right) + np.count_nonzero(down_left))
    from scipy import ndimage

    _, junctions = ndimage.label(sk & (neighbours >= 3), structure=np.ones((3, 3)))
    return {
        "endpoints": float(np.count_nonzero(sk & (neighbours == 1))),
        "branch_points": float(junctions),
        "hyphal_length": float(length),
    }
