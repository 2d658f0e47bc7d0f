"""The live view's readout: the text above the image that states what the view shows.

One line for the run (step, in hours too for a model with physical units; frame, rates, grid,
model), one for what is measured on the
shown frame (the model's first metric, the active fraction, the box-counting dimension),
one for the colour scale, then the notes: a notice (a clamped value, a stimulus) and the
parameters waiting for Reset. The browser tests and a notebook's reader parse it, so its
``name: value`` pairs keep their names.
"""

from __future__ import annotations

from mfn.viz.live_run import LiveRun

__all__ = ["readout_text"]


def readout_text(
    run: LiveRun,
    t: int,
    row: dict[str, float] | None,
    *,
    frame: int,
    fps: float,
    steps_per_s: float,
    colour_scale: str,
    clim_text: str,
    notice: str = "",
    unapplied: tuple[str, ...] = (),
) -> str:
    """The readout of the frame at step ``t`` with curve row ``row`` (None: not measured).

    Parameters
    ----------
    run : LiveRun
        The run shown (its model, grid and latest dimension).
    t : int
        Step of the shown frame.
    row : dict or None
        The shown frame's curve row (:meth:`LiveRun.measure`).
    frame : int
        Number of the shown frame.
    fps, steps_per_s : float
        Frames published and steps simulated per second, recently.
    colour_scale, clim_text : str
        The colour scale's name and its description with limits.
    notice : str
        A note to show below (empty: none).
    unapplied : tuple of str
        Names of the settings that apply on Reset.
    """
    rows, cols = run.sim.params.shape
    model = run.model
    dt_s = model.spacing(run.sim.params)[1] if model.spacing is not None else None
    line = [
        f"step: {t}" + (f" ({t * dt_s / 3600:.2f} h)" if dt_s else ""),
        f"frame: {frame}",
        f"fps: {fps:.1f}",
        f"steps/s: {steps_per_s:.0f}",
        f"grid: {rows}x{cols}",
        f"model: {model.name}",
    ]
    measured = []  # on a line of their own, so that the readout fits beside the image
    if row is not None:
        for metric in model.metrics[:1]:
            measured.append(f"{metric.long_name}: {row[metric.name]:.2f} {metric.units}")
        measured.append(f"active: {100 * row['active_fraction']:.1f} %")
    if run.dimension is not None:
        measured.append(f"D: {run.dimension[0]:.3f} (R² {run.dimension[1]:.2f})")
    lines = ["   ".join(line), *(["   ".join(measured)] if measured else [])]
    lines.append(f"colour scale: {colour_scale} ({clim_text})")
    if notice:
        lines.append(notice)
    if unapplied:
        lines.append(f"parameters changed ({', '.join(unapplied)}): press Reset to apply")
    return "\n".join(lines)
