"""Images to networks and back (mfn/hyphae/image.py, segment.py, skeleton.py, draw.py)."""

import numpy as np
import pytest

from mfn import ParameterError, draw_network, network_from_image, network_metrics
from mfn.hyphae.segment import as_frames

PX_UM = 1.6


@pytest.fixture(scope="module")
def known(build):
    hyphae = []
    for i in range(4):
        a = np.radians(90.0 * i + 20.0)
        hyphae.append(
            {
                "start": (750 + 40 * np.cos(a), 750 + 40 * np.sin(a)),
                "angle": 90.0 * i + 20,
                "length": 650.0,
                "birth": 0.0,
            }
        )
    for i in range(4):
        for k, (node, turn) in enumerate([(15, 60.0), (32, -75.0), (48, 50.0)]):
            hyphae.append({"start": ("on", i, node), "angle": 90.0 * i + 20 + turn, "length": 150.0, "birth": 2.0 + k})
    return build(hyphae, field=(0.0, 0.0, 1500.0, 1500.0))


@pytest.fixture(scope="module")
def truth(known):
    return network_metrics(known)


@pytest.mark.slow  # three 940 x 940 images; the first image read of a process also compiles skan (~7 s)
@pytest.mark.parametrize("width", [2, 3, 4])
def test_a_drawn_network_reads_back(known, truth, width):
    image = draw_network(known, PX_UM, width_px=width, gradient=0.3, noise=0.05, seed=width)
    back = network_metrics(network_from_image(image, PX_UM))
    last, back_last = truth.isel(time=-1), back.isel(time=-1)
    assert float(back_last.total_length) == pytest.approx(float(last.total_length), rel=0.05)
    assert int(back_last.branch_points) == pytest.approx(int(last.branch_points), rel=0.05)
    assert float(np.median(back.branching_angle)) == pytest.approx(float(np.median(truth.branching_angle)), abs=5.0)


def test_a_time_lapse_gives_appearance_times(known, tmp_path):
    import tifffile

    times = [1.0, 3.0, 5.5]
    stack = draw_network(known, PX_UM, width_px=3, time=times, noise=0.02)
    assert stack.shape[0] == 3
    tifffile.imwrite(tmp_path / "lapse.tif", (stack * 65535).astype(np.uint16), photometric="minisblack")  # 3 pages
    net = network_from_image(tmp_path / "lapse.tif", PX_UM, frame_h=2.0)
    np.testing.assert_array_equal(np.unique(net.t), [0.0, 2.0, 4.0])
    # the hyphae grown by the first frame (about 120 µm each) appear at frame 0
    first = net.at(0.0).lengths.sum()
    assert first == pytest.approx(known.at(1.0).lengths.sum(), rel=0.15)


def test_a_mask_skips_segmentation_and_files_are_read(known, tmp_path):
    from skimage import io

    mask = draw_network(known, PX_UM, width_px=3) < 0.5
    png = tmp_path / "colony.png"
    io.imsave(png, (mask * 255).astype(np.uint8), check_contrast=False)
    from_mask = network_from_image(mask, PX_UM)
    from_png = network_from_image(png, PX_UM)
    assert from_mask.attrs["segmentation"] == from_png.attrs["segmentation"] == "given mask"
    assert from_png.lengths.sum() == pytest.approx(from_mask.lengths.sum())
    assert from_mask.lengths.sum() == pytest.approx(known.lengths.sum(), rel=0.05)


def test_bright_hyphae_and_origin(known):
    image = draw_network(known, PX_UM, width_px=3, foreground=0.9, background=0.3, gradient=0.2, noise=0.03)
    net = network_from_image(image, PX_UM, origin=(100.0, -50.0))
    assert net.attrs["dark"] == "False"
    assert net.field[:2] == (100.0, -50.0)
    assert net.x.min() >= 100.0


@pytest.mark.parametrize(
    ("image", "match"),
    [
        (np.zeros((0, 5)), "empty"),
        (np.full((20, 20), 0.5), "uniform"),
        (np.zeros(30), "shape"),
        (np.zeros((2, 3, 20, 20)), "shape"),
        (np.dstack([np.eye(20), np.zeros((20, 20)), np.eye(20)]), "different channels"),
        (np.array([["a"]]), "dtype"),
        ("/no/such/image.png", "no such file"),
    ],
)
def test_bad_images(image, match):
    with pytest.raises(ParameterError, match=match):
        network_from_image(image, PX_UM)


def test_bad_settings_and_blank_images(known):
    image = draw_network(known, PX_UM, width_px=3)
    with pytest.raises(ParameterError, match="px_um"):
        network_from_image(image, 0.0)
    with pytest.raises(ParameterError, match="no hyphae"):
        network_from_image(np.random.default_rng(0).normal(0.5, 0.01, (64, 64)), PX_UM)
    with pytest.raises(ParameterError, match="width_px"):
        draw_network(known, PX_UM, width_px=0.0)


def test_grey_saved_as_colour_is_grey():
    grey = np.random.default_rng(1).random((16, 16))
    frames, is_mask = as_frames(np.dstack([grey, grey, grey, np.ones_like(grey)]))
    assert frames.shape == (1, 16, 16) and not is_mask
    np.testing.assert_array_equal(frames[0], grey)
