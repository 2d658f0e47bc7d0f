"""``mfn.network_from_image``: a colony photograph, micrograph or time lapse as a hyphal network.

The method is documented step by step where it is done: reading and segmentation (its
assumptions about light, polarity and noise) in :mod:`mfn.hyphae.segment`, skeleton, spurs,
junctions and hyphae in :mod:`mfn.hyphae.skeleton`. In short: it assumes thin hyphae of
roughly even width, darker or brighter than a medium whose light varies only over scales
much larger than a hypha; hyphae crossing without fusing cannot be told from a fusion in a
single image, and both are junctions of the network.
"""

from __future__ import annotations

from typing import Any

import numpy as np

from mfn.core.checks import check_bool, check_int, check_real
from mfn.hyphae.morphology import ANGLE_LENGTH_UM
from mfn.hyphae.network import EDGE_MARGIN_UM, HyphalNetwork
from mfn.hyphae.segment import as_frames, line_width, segment
from mfn.hyphae.skeleton import skeleton_graph

__all__ = ["BACKGROUND_UM", "NODE_SPACING_PX", "network_from_image"]

BACKGROUND_UM = 50.0
"""Default scale of the medium's light, µm: features narrower than this are hyphae."""
NODE_SPACING_PX = 4.0
"""Default spacing of the nodes placed along each skeleton path, pixels."""


def network_from_image(
    image: Any,
    px_um: float,
    *,
    frame_h: float = 1.0,
    dark: bool | None = None,
    background_um: float = BACKGROUND_UM,
    min_object_px: int = 30,
    node_spacing_px: float = NODE_SPACING_PX,
    min_branch_um: float | None = None,
    angle_length: float = ANGLE_LENGTH_UM,
    origin: tuple[float, float] = (0.0, 0.0),
    margin: float = EDGE_MARGIN_UM,
) -> HyphalNetwork:
    """Segment an image of hyphae, thin it and read it as a :class:`~mfn.hyphae.network.HyphalNetwork`.

    Parameters
    ----------
    image : path, (M, N) or (T, M, N) array
        A PNG/TIFF file or an array: grayscale, a binary mask (segmentation skipped), colour
        with equal channels, or a stack of frames of a time lapse (a multi-page TIFF too).
    px_um : float
        Micrometres per pixel (> 0).
    frame_h : float, default 1
        Hours between frames of a stack (> 0); node times are ``frame * frame_h``.
    dark : bool, optional
        Whether hyphae are darker than the medium; found from the image by default.
    background_um : float, default 50
        Scale of the uneven light, µm: must exceed the hyphae's width several times.
    min_object_px : int, default 30
        Smaller objects of the mask are dropped (dust, noise), pixels.
    node_spacing_px : float, default 4
        Spacing of the nodes placed along the skeleton, pixels (>= 1).
    min_branch_um : float, optional
        Shorter terminal skeleton paths are removed as spurs, µm; default twice the line width.
    angle_length : float, default 40
        Length over which arm directions at a junction are compared, µm.
    origin : (x0, y0), default (0, 0)
        Position of pixel (0, 0), µm: pixel ``(r, c)`` is ``(x0 + c * px_um, y0 + r * px_um)``.
    margin : float, default 16
        Ends within this distance of the image border are cut ends, µm.

    Returns
    -------
    HyphalNetwork
        In µm and h; the field is the image; ``attrs`` records the settings and what the
        segmentation found (polarity, threshold, line width).

    Raises
    ------
    ParameterError
        For an empty, uniform, non-2-D (or 3-D stack) image, a colour image whose channels
        differ, an image in which no hyphae are found, or a setting out of range.
    """
    px_um = check_real("px_um", px_um, 0.0, lo_open=True, hint="micrometres per pixel")
    frame_h = check_real("frame_h", frame_h, 0.0, lo_open=True, hint="hours between frames")
    if dark is not None:
        dark = check_bool("dark", dark)
    background_um = check_real("background_um", background_um, 0.0, lo_open=True)
    min_object_px = check_int("min_object_px", min_object_px, 0)
    node_spacing_px = check_real("node_spacing_px", node_spacing_px, 1.0)
    angle_length = check_real("angle_length", angle_length, 0.0, lo_open=True)
    margin = check_real("margin", margin, 0.0)
    ox, oy = (check_real("origin", float(v)) for v in np.asarray(origin, dtype=np.float64).reshape(2))
    frames, is_mask = as_frames(image)
    if is_mask:
        from skimage.morphology import remove_small_objects

        masks = np.stack([remove_small_objects(m, max_size=min_object_px) for m in frames])
        found: dict[str, Any] = {"segmentation": "given mask", "width_px": line_width(masks[-1])}
    else:
        masks, found = segment(frames, px_um, background_um, dark, min_object_px)
        found["segmentation"] = "medium by grey closing, Otsu among pixels 4 noise deviations above it"
    width = float(found["width_px"])
    min_branch_px = 2.0 * width if min_branch_um is None else check_real("min_branch_um", min_branch_um, 0.0) / px_um
    graph = skeleton_graph(
        masks,
        width_px=width,
        node_spacing_px=node_spacing_px,
        angle_length_px=angle_length / px_um,
        min_branch_px=min_branch_px,
    )
    rows, cols = masks.shape[1:]
    field = (ox, oy, ox + (cols - 1) * px_um, oy + (rows - 1) * px_um)
    attrs = {
        "source": "image",
        "px_um": px_um,
        "frame_h": frame_h,
        "frames": int(masks.shape[0]),
        "min_branch_px": float(min_branch_px),
        "node_spacing_px": node_spacing_px,
        **{
            k: (float(v) if isinstance(v, (int, float, np.floating)) and not isinstance(v, bool) else str(v))
            for k, v in found.items()
        },
    }
    return HyphalNetwork.from_field(
        ox + graph["col"] * px_um,
        oy + graph["row"] * px_um,
        graph["frame"] * frame_h,
        graph["edges"],
        graph["hypha"],
        field=field,
        margin=margin,
        attrs=attrs,
    )
