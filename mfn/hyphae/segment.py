"""Read and segment colony images: the first half of :func:`mfn.network_from_image`.

What the method assumes, and does:

1. **Input.** A 2-D grayscale image, a binary mask, or a stack of frames ``(T, M, N)`` of a
   time lapse (the colony only grows: hyphae seen in a frame are there in later frames).
   An RGB(A) image is accepted only when its colour channels are equal (gray saved as
   colour); otherwise which channel shows the hyphae is ambiguous and it is refused. A
   3-D array whose last axis has 3 or 4 entries is read as colour, any other as a stack.
2. **A mask skips segmentation.** A boolean array, or an image with exactly two grey
   levels, is the mask itself: hyphae are the less frequent level (thin hyphae cover less
   of a field than the medium).
3. **Uneven light.** Hyphae are thin, darker (or brighter) than the medium, and much
   narrower than ``background_um``. The medium's light is estimated by a grey closing (for
   dark hyphae; an opening for bright ones) over a ``background_um`` square, which removes
   every narrower feature, smoothed by a Gaussian of the same scale; the hyphae are what
   departs from it. Polarity is found from the skew of that departure unless ``dark`` is
   given.
4. **Threshold.** After a light Gaussian smoothing (1 pixel), the pixels departing from the
   medium by more than four robust standard deviations of the noise (median absolute
   deviation x 1.4826) stand out; Otsu's threshold among them splits the hyphae from their
   blurred rims. Hyphae must stand out of the noise: at a contrast of 0.6 the method holds
   up to a noise deviation of about 0.05 per pixel (12 to 1).
5. **Cleaning.** Objects smaller than ``min_object_px`` pixels are dropped and holes
   smaller than the square of the estimated line width are filled.
"""

from __future__ import annotations

import os
from pathlib import Path
from typing import Any

import numpy as np
from scipy import ndimage

from mfn.core.errors import ParameterError

__all__ = ["as_frames", "segment"]

NOISE_SIGMAS = 4.0
"""The threshold stays at least this many robust noise deviations above the medium."""


def as_frames(image: Any) -> tuple[np.ndarray, bool]:
    """The input as a float ``(T, M, N)`` stack and whether it is already a mask (module docstring)."""
    if isinstance(image, (str, os.PathLike)):
        image = _read(Path(image))
    try:
        arr = np.asarray(image)
    except (TypeError, ValueError):
        raise ParameterError("image", type(image).__name__, "a 2-D image, a (T, M, N) stack or an image file") from None
    if arr.size == 0:
        raise ParameterError("image", f"empty array of shape {arr.shape}", "an image with pixels")
    if arr.dtype.kind not in "biuf":
        raise ParameterError("image", f"array of dtype {arr.dtype}", "numbers or booleans")
    if arr.ndim == 3 and arr.shape[-1] in (3, 4):
        colour = arr[..., :3]
        if not (np.array_equal(colour[..., 0], colour[..., 1]) and np.array_equal(colour[..., 1], colour[..., 2])):
            raise ParameterError(
                "image",
                f"colour image of shape {arr.shape} with different channels",
                "a grayscale image, a mask, or colour with equal channels",
                "pass the channel that shows the hyphae, e.g. image[..., 1]",
            )
        arr = colour[..., 0]
    if arr.ndim == 2:
        arr = arr[None]
    if arr.ndim != 3:
        raise ParameterError("image", f"array of shape {arr.shape}", "a 2-D image or a (T, M, N) stack of frames")
    if min(arr.shape[1:]) < 8:
        raise ParameterError("image", f"array of shape {arr.shape}", "frames at least 8 x 8 pixels")
    if arr.dtype == bool:
        return arr, True
    values = arr.astype(np.float64)
    if not np.all(np.isfinite(values)):
        raise ParameterError("image", "an image with NaN or inf", "finite grey levels")
    levels = np.unique(values[-1])
    if levels.size == 1:
        raise ParameterError("image", f"a uniform image (every pixel {levels[0]:g})", "an image showing hyphae")
    if levels.size == 2:
        counts = [(values == level).sum() for level in levels]
        return values == levels[int(np.argmin(counts))], True
    return values, False


def _read(path: Path) -> np.ndarray:
    if not path.is_file():
        raise ParameterError("image", str(path), "an existing image file (PNG, TIFF, ...)", "no such file")
    if path.suffix.lower() in (".tif", ".tiff"):
        import tifffile

        return tifffile.imread(path)
    from skimage import io

    try:
        return io.imread(path)
    except (OSError, ValueError) as err:
        raise ParameterError("image", str(path), "a readable image file", " ".join(str(err).split())[:120]) from None


def segment(
    frames: np.ndarray, px_um: float, background_um: float, dark: bool | None, min_object_px: int
) -> tuple[np.ndarray, dict[str, Any]]:
    """Masks ``(T, M, N)`` of the hyphae in each frame and the settings found (module docstring)."""
    from skimage import filters, morphology

    size = max(round(background_um / px_um), 3)
    masks = np.empty(frames.shape, dtype=bool)
    found: dict[str, Any] = {"background_px": size}
    for k, frame in enumerate(frames):  # frames of a time lapse: each segmented on its own light
        if dark is None:
            rough = frame - ndimage.gaussian_filter(frame, size)
            dark = bool(_skew(rough) < 0)
        medium = (
            ndimage.grey_closing(frame, size=(size, size)) if dark else ndimage.grey_opening(frame, size=(size, size))
        )
        medium = ndimage.gaussian_filter(medium, size / 2.0)
        depart = ndimage.gaussian_filter(medium - frame if dark else frame - medium, 1.0)
        mad = float(np.median(np.abs(depart - np.median(depart)))) * 1.4826
        floor = float(np.median(depart)) + NOISE_SIGMAS * mad
        standing_out = depart[depart > floor]
        threshold = max(float(filters.threshold_otsu(standing_out)), floor) if standing_out.size > 1 else floor
        mask = depart > threshold
        mask = morphology.remove_small_objects(mask, max_size=min_object_px)
        masks[k] = mask
        found.update(dark=dark, threshold=threshold, noise_sd=mad)
    width = line_width(masks[-1])
    hole = max(round(width * width), 1)
    for k in range(masks.shape[0]):
        masks[k] = morphology.remove_small_holes(masks[k], max_size=hole)
    found["width_px"] = width
    return masks, found


def line_width(mask: np.ndarray) -> float:
    """Typical line width of a mask, pixels: twice the median distance to the background along its skeleton."""
    from skimage.morphology import skeletonize

    if not mask.any():
        return 1.0
    skeleton = skeletonize(mask)
    depth = ndimage.distance_transform_edt(mask)[skeleton]
    return float(2.0 * np.median(depth) - 1.0) if depth.size else 1.0


def _skew(values: np.ndarray) -> float:
    d = values - values.mean()
    sd = d.std()
    return float((d**3).mean() / sd**3) if sd > 0 else 0.0
