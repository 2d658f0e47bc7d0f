"""``mfn measure`` and ``mfn datasets`` on real inputs: a data set, a saved network, an image."""

import numpy as np
import pandas as pd
import pytest

from mfn import draw_network, load_dataset
from mfn.cli import main


def test_measure_a_data_set_prints_and_writes(podospora, tmp_path, capsys):
    out = tmp_path / "m.nc"
    assert main(["measure", "podospora_anserina/M2WT_200616", "--out", str(out)]) == 0
    text = capsys.readouterr().out
    assert "L rate (1/h): 0.3" in text and "G last (µm): 47" in text and "box range (µm): 160-1280" in text
    ds = load_dataset(out)
    assert ds.total_length.attrs["units"] == "mm" and ds.sizes["time"] == 55


def test_measure_a_saved_network_to_csv(podospora, tmp_path, capsys):
    saved = podospora["M2WT_210304"].at(9.0).save(tmp_path / "net.nc")
    out = tmp_path / "m.csv"
    assert main(["measure", str(saved), "--out", str(out)]) == 0
    table = pd.read_csv(out)
    assert table["time"].iloc[-1] == pytest.approx(9.0) and "free_ends" in table


def test_measure_an_image(tmp_path, capsys):
    from skimage import io

    from mfn.hyphae.network import HyphalNetwork

    # an L of hyphae: 400 µm along x, a branch of 200 µm up y from its middle
    x = np.r_[np.arange(0, 401, 10.0), np.full(20, 200.0)] + 50
    y = np.r_[np.zeros(41), np.arange(10, 201, 10.0)] + 50
    edges = np.r_[[[i, i + 1] for i in range(40)], [[20, 41]], [[41 + i, 42 + i] for i in range(19)]]
    net = HyphalNetwork(x, y, np.zeros(x.size), edges, np.r_[np.zeros(40), np.ones(20)], field=(0, 0, 500, 300))
    png = tmp_path / "l.png"
    io.imsave(png, (draw_network(net, 2.0, width_px=3) * 255).astype(np.uint8), check_contrast=False)
    assert main(["measure", str(png), "--px-um", "2"]) == 0
    text = capsys.readouterr().out
    length = float(next(line for line in text.splitlines() if line.startswith("L last")).split(": ")[1])
    assert length == pytest.approx(0.6, rel=0.05)
    assert "median angle (deg): 9" in text  # 90 degrees, read back from pixels


def test_datasets_lists_what_can_be_fetched(capsys):
    assert main(["datasets"]) == 0
    text = capsys.readouterr().out
    assert text.count("podospora_anserina/M2WT_") == 3 and "MFN_DATA_DIR" in text
