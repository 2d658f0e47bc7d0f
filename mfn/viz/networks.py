"""Pictures of hyphal networks and their measures, with matplotlib (no Panel needed).

- :func:`plot_network`: a network as it stood at one or more times, links coloured by the
  hour they appeared, with a scale bar; image orientation (y down), as in the photograph.
- :func:`plot_side_by_side`: several networks (a real fungus and a model) at one time, at
  the same scale.
- :func:`plot_growth`: L(t) and N(t) on log axes with their fitted exponential rates.
- :func:`plot_growth_unit`: G(t) = L/N.
- :func:`plot_distributions`: histograms of branching angles, internode lengths and apex speeds.

Every function accepts one :func:`mfn.network_metrics` Dataset or a mapping of label to
Dataset (drawn over each other), and axes to draw into, and returns the figure.
"""

from __future__ import annotations

from collections.abc import Mapping, Sequence
from typing import TYPE_CHECKING, Any

import numpy as np

from mfn.hyphae.network import HyphalNetwork

if TYPE_CHECKING:
    import xarray as xr
    from matplotlib.axes import Axes
    from matplotlib.figure import Figure

__all__ = ["plot_distributions", "plot_growth", "plot_growth_unit", "plot_network", "plot_side_by_side"]


def _plt():
    import matplotlib.pyplot as plt

    return plt


def _labelled(metrics: xr.Dataset | Mapping[str, xr.Dataset]) -> dict[str, xr.Dataset]:
    if isinstance(metrics, Mapping) and not hasattr(metrics, "data_vars"):
        return dict(metrics)
    return {str(metrics.attrs.get("dataset", "network")): metrics}


def _axes(axes: Any, n: int, size: tuple[float, float]) -> tuple[Figure, list[Axes]]:
    if axes is None:
        fig, made = _plt().subplots(1, n, figsize=(size[0] * n, size[1]), squeeze=False, layout="constrained")
        return fig, list(made[0])
    flat = list(np.atleast_1d(axes).ravel())
    if len(flat) < n:
        from mfn.core.errors import ParameterError

        raise ParameterError("axes", f"{len(flat)} axes", f"at least {n} axes")
    return flat[0].figure, flat[:n]


def nice_length(span_um: float) -> float:
    """A round length (1, 2 or 5 x 10^k µm) near a fifth of ``span_um``."""
    target = max(span_um / 5.0, 1e-9)
    power = 10.0 ** np.floor(np.log10(target))
    return float(min((1.0, 2.0, 5.0, 10.0), key=lambda m: abs(m * power - target)) * power)


def _scale_bar(ax: Axes, length_um: float) -> None:
    x0, x1 = sorted(ax.get_xlim())
    y0, y1 = sorted(ax.get_ylim())
    x = x0 + 0.05 * (x1 - x0)
    y = y1 - 0.06 * (y1 - y0)  # near the bottom of an image-oriented (y down) axis
    ax.plot([x, x + length_um], [y, y], color="black", linewidth=3, solid_capstyle="butt")
    label = f"{length_um / 1000:g} mm" if length_um >= 1000 else f"{length_um:g} µm"
    ax.text(x + length_um / 2, y - 0.02 * (y1 - y0), label, ha="center", va="bottom", fontsize=9)


def _draw(ax: Axes, network: HyphalNetwork, time: float | None, norm: Any, linewidth: float) -> Any:
    from matplotlib.collections import LineCollection

    net = network if time is None else network.at(time)
    u, v = net.edges[:, 0], net.edges[:, 1]
    segments = np.stack([np.column_stack([net.x[u], net.y[u]]), np.column_stack([net.x[v], net.y[v]])], axis=1)
    lines = LineCollection(segments, array=net.edge_t, cmap="viridis", norm=norm, linewidths=linewidth)
    ax.add_collection(lines)
    ends = (net.degree() == 1) & ~net.cut
    ax.plot(net.x[ends], net.y[ends], ".", color="crimson", markersize=1.0)
    return lines


def _frame(ax: Axes, centre: tuple[float, float], half: float, title: str) -> None:
    ax.set_xlim(centre[0] - half, centre[0] + half)
    ax.set_ylim(centre[1] + half, centre[1] - half)  # y down, as in the image
    ax.set_aspect("equal")
    ax.set_xticks([])
    ax.set_yticks([])
    ax.set_title(title, fontsize=10)


def plot_network(
    network: HyphalNetwork,
    times: Sequence[float] | None = None,
    *,
    axes: Any = None,
    scale_bar_um: float | None = None,
    linewidth: float = 0.6,
) -> Figure:
    """``network`` at each of ``times`` (h; default its last time), one panel each, same scale.

    Links are coloured by the hour they appeared (one colour scale for every panel); free
    ends are red dots; a scale bar of ``scale_bar_um`` (default a round fifth of the field)
    sits in the lower left.
    """
    from matplotlib.colors import Normalize

    times = [float(network.t.max())] if times is None else [float(t) for t in times]
    fig, axs = _axes(axes, len(times), (4.2, 4.2))
    x0, y0, x1, y1 = network.field
    half = 0.5 * max(x1 - x0, y1 - y0)
    bar = scale_bar_um or nice_length(2 * half)
    norm = Normalize(float(network.t.min()), float(network.t.max()))
    lines = None
    for ax, t in zip(axs, times, strict=True):
        lines = _draw(ax, network, t, norm, linewidth)
        net_at = network.at(t)
        _frame(ax, (0.5 * (x0 + x1), 0.5 * (y0 + y1)), half, f"t = {t:g} h, L = {net_at.lengths.sum() / 1000:.1f} mm")
        _scale_bar(ax, bar)
    fig.colorbar(lines, ax=axs, label="appeared at (h)", shrink=0.8)
    return fig


def plot_side_by_side(
    networks: Mapping[str, HyphalNetwork],
    time: float,
    *,
    axes: Any = None,
    scale_bar_um: float | None = None,
    linewidth: float = 0.6,
) -> Figure:
    """Each network of ``networks`` (label -> network) at ``time`` h, centred on its field, at one scale."""
    from matplotlib.colors import Normalize

    fig, axs = _axes(axes, len(networks), (4.2, 4.2))
    half = 0.5 * max(max(n.field[2] - n.field[0], n.field[3] - n.field[1]) for n in networks.values())
    bar = scale_bar_um or nice_length(2 * half)
    norm = Normalize(0.0, float(time))
    lines = None
    for ax, (label, net) in zip(axs, networks.items(), strict=True):
        lines = _draw(ax, net, time, norm, linewidth)
        centre = (0.5 * (net.field[0] + net.field[2]), 0.5 * (net.field[1] + net.field[3]))
        _frame(ax, centre, half, f"{label}, t = {time:g} h")
        _scale_bar(ax, bar)
    fig.colorbar(lines, ax=axs, label="appeared at (h)", shrink=0.8)
    return fig


def plot_growth(metrics: xr.Dataset | Mapping[str, xr.Dataset], *, axes: Any = None) -> Figure:
    """L(t) (mm) and N(t) on log axes, each with its fitted exponential over the rate window."""
    fig, (ax_l, ax_n) = _axes(axes, 2, (4.5, 3.6))
    for k, (label, ds) in enumerate(_labelled(metrics).items()):
        colour = f"C{k}"
        for ax, name, rate in ((ax_l, "total_length", "length_rate"), (ax_n, "free_ends", "free_end_rate")):
            t, y = ds.time.values, ds[name].values.astype(float)
            ax.plot(t, np.where(y > 0, y, np.nan), ".", color=colour, markersize=3)
            r = float(ds[rate])
            t0, t1 = ds[rate].attrs["window_h"]
            inside = (t >= t0) & (t <= t1) & (y > 0)
            if np.isfinite(r) and inside.any():
                tw = t[inside]
                y0 = y[inside][0]
                low, high = float(ds[rate + "_low"]), float(ds[rate + "_high"])
                ax.plot(
                    tw,
                    y0 * np.exp(r * (tw - tw[0])),
                    "-",
                    color=colour,
                    label=f"{label}: {r:.3f} /h ({low:.3f}-{high:.3f})",
                )
    for ax, title, unit in ((ax_l, "total hyphal length L", "L (mm)"), (ax_n, "free ends N", "N")):
        ax.set_yscale("log")
        ax.set_xlabel("time (h)")
        ax.set_ylabel(unit)
        ax.set_title(title, fontsize=10)
        ax.legend(fontsize=7, title="fitted rate (95 %)", title_fontsize=7)
    return fig


def plot_growth_unit(metrics: xr.Dataset | Mapping[str, xr.Dataset], *, ax: Any = None) -> Figure:
    """The hyphal growth unit G(t) = L/N, µm."""
    fig, (axis,) = _axes(ax, 1, (4.5, 3.6))
    for k, (label, ds) in enumerate(_labelled(metrics).items()):
        axis.plot(
            ds.time.values,
            ds.growth_unit.values,
            "-",
            color=f"C{k}",
            label=f"{label}: {float(ds.growth_unit[-1]):.0f} µm at {float(ds.time[-1]):g} h",
        )
    axis.set_xlabel("time (h)")
    axis.set_ylabel("G = L / N (µm)")
    axis.set_title("hyphal growth unit", fontsize=10)
    axis.legend(fontsize=7)
    return fig


_HISTOGRAMS = (
    ("branching_angle", "branching angle (degrees)", np.linspace(0.0, 180.0, 37)),
    ("internode_length", "internode length (µm)", np.geomspace(2.0, 5000.0, 40)),
    ("apex_speed", "apex speed (µm/min)", np.linspace(0.0, 10.0, 41)),
)


def plot_distributions(metrics: xr.Dataset | Mapping[str, xr.Dataset], *, axes: Any = None) -> Figure:
    """Histograms (as densities) of branching angles, internode lengths and apex speeds, medians marked."""
    fig, axs = _axes(axes, 3, (4.0, 3.3))
    for k, (label, ds) in enumerate(_labelled(metrics).items()):
        for ax, (name, _, bins) in zip(axs, _HISTOGRAMS, strict=True):
            values = ds[name].values
            if values.size == 0:
                continue
            median = float(np.median(values))
            ax.hist(
                values,
                bins=bins,
                density=True,
                histtype="step",
                color=f"C{k}",
                label=f"{label}: median {median:.3g} (n = {values.size})",
            )
            ax.axvline(median, color=f"C{k}", linestyle=":", linewidth=1)
    for ax, (name, title, _) in zip(axs, _HISTOGRAMS, strict=True):
        if name == "internode_length":
            ax.set_xscale("log")
        ax.set_xlabel(title)
        ax.set_ylabel("density")
        if ax.get_legend_handles_labels()[0]:
            ax.legend(fontsize=7)
        else:
            ax.text(0.5, 0.5, "no samples", transform=ax.transAxes, ha="center")
    axs[0].set_title(
        f"measured over {next(iter(_labelled(metrics).values())).attrs.get('angle_length_um', 40):g} µm", fontsize=9
    )
    return fig
