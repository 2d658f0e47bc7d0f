"""Matplotlib pictures of hyphal networks (mfn/viz/networks.py): content, scale, no Panel."""

import subprocess
import sys

import matplotlib
import numpy as np
import pytest

from mfn import HyphalNetwork, network_metrics
from mfn.viz.networks import (
    nice_length,
    plot_distributions,
    plot_growth,
    plot_growth_unit,
    plot_network,
    plot_side_by_side,
)

matplotlib.use("Agg")


@pytest.fixture(scope="module")
def fan():
    """Eight straight hyphae of 1 mm growing 120 µm/h from (500, 500), nodes every 10 µm."""
    xs, ys, ts, edges, hypha = [], [], [], [], []
    for h in range(8):
        a = np.radians(45 * h)
        start = len(xs)
        for k in range(101):
            xs.append(500 + 10 * k * np.cos(a))
            ys.append(500 + 10 * k * np.sin(a))
            ts.append(np.ceil(10 * k / 30) * 0.25)
        edges += [(start + k, start + k + 1) for k in range(100)]
        hypha += [h] * 100
    return HyphalNetwork(xs, ys, ts, edges, hypha, field=(-600.0, -600.0, 1600.0, 1600.0))


def test_importing_the_network_plots_does_not_import_panel():
    code = "import sys, mfn.viz.networks; print(any(m in sys.modules for m in ('panel', 'holoviews', 'bokeh')))"
    assert (
        subprocess.run([sys.executable, "-c", code], capture_output=True, text=True, check=True).stdout.strip()
        == "False"
    )


def test_network_panels_share_one_scale_and_carry_a_scale_bar(fan):
    fig = plot_network(fan, [2.0, 8.5])
    axes = fig.axes[:2]
    assert [ax.get_xlim() for ax in axes] == [axes[0].get_xlim()] * 2
    assert axes[0].get_ylim()[0] > axes[0].get_ylim()[1]  # y down, as in an image
    assert [t.get_text() for t in axes[0].texts] == ["500 µm"]
    assert "L = 1.9 mm" in axes[0].get_title() and "L = 8.0 mm" in axes[1].get_title()
    assert len(axes[1].collections[0].get_segments()) == 800


def test_side_by_side_uses_one_span(fan):
    fig = plot_side_by_side({"a": fan, "b": fan.at(4.0)}, 4.0)
    spans = [np.ptp(ax.get_xlim()) for ax in fig.axes[:2]]
    assert spans[0] == spans[1]


def test_growth_curves_with_their_rates(fan):
    ds = network_metrics(fan)
    fig = plot_growth({"fan": ds})
    legend = [t.get_text() for t in fig.axes[0].get_legend().get_texts()]
    assert legend == [
        f"fan: {float(ds.length_rate):.3f} /h ({float(ds.length_rate_low):.3f}-{float(ds.length_rate_high):.3f})"
    ]
    assert fig.axes[0].get_yscale() == "log" and fig.axes[0].get_ylabel() == "L (mm)"
    fig = plot_growth_unit(ds)
    assert fig.axes[0].get_ylabel() == "G = L / N (µm)"


def test_distributions_mark_their_medians(fan):
    ds = network_metrics(fan)
    fig = plot_distributions(ds)
    speed_legend = fig.axes[2].get_legend().get_texts()[0].get_text()
    assert "median 2 " in speed_legend
    assert fig.axes[1].get_xscale() == "log"


@pytest.mark.parametrize(("span", "length"), [(9000.0, 2000.0), (1000.0, 200.0), (2200.0, 500.0), (37.0, 5.0)])
def test_nice_scale_bar_lengths(span, length):
    assert nice_length(span) == length
