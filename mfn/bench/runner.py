"""Side-by-side benchmark of the fast paths against their references: ``mfn bench``.

Each row times a reference and a fast path doing the same work, alternately, in one process,
``repeats`` times, and reports the medians and the median of the per-repetition ratios
(reference time / fast time). Times are CPU time of this process (``time.process_time``),
single thread: on a shared machine that is steadier than wall time, and only the ratios
are compared against the stored baseline, never absolute times.

Rows:

- ``field 64x64``, ``field 256x256``: :meth:`mfn.Simulation.step` of MFN classic (Turing
  on, periodic, default parameters) with the numpy reference kernel and with the fused
  numba kernel, the twin trajectory and online features off (bare stepping); cell-steps/s.
- ``ensemble 256x32x32x32``: 256 runs of 32x32 for 32 steps, built and stepped one after
  another with the numba kernel, and built and stepped as one :class:`mfn.simulation.ensemble.Ensemble`;
  cell-steps/s. Building a run (seeding its generator, drawing its initial state) is the
  same work both ways and is included: this is what a user waits for.
- ``ensemble 256x32x32x32 (stepping only)``: the same runs built ahead, untimed; only the
  stepping (which draws each run's growth events) is compared.
- ``ensemble 256x32x32x32 (ceiling)``: the same runs one after another, against only the
  work no batched implementation can avoid while each member equals its single run: every
  member's random draws (seeding its generator, its initial state, its growth events, as
  :class:`mfn.models.classic.draws.DrawStream` makes them) and one compiled
  :func:`~mfn.models.classic.kernels_numba.run_batch` call on arrays stacked ahead. Its ratio
  is the most batching could gain here. Not gated.
- ``features 64x64x100``: the 18 features of a 64x64 run of 100 steps (recorded every step)
  by :func:`features_baseline`, a straightforward numpy and scipy version kept here as the
  reference, and by :func:`mfn.analysis.features.feature_vector` (its input checks included; the
  temporal sums compiled with numba); runs/s. Both return the 18 numbers as an array, so the
  row compares like with like: :func:`mfn.analysis.features.features` adds an xarray Dataset around
  them (about 0.5 ms more). Gated.
- ``reaction-diffusion 256x256``: the reaction–diffusion model (Schnakenberg defaults,
  periodic) stepped by its numpy reference and by its fused numba step
  (:class:`mfn.models.reaction_diffusion.stepper.RDStepper`, one Euler step per model step);
  cell-steps/s. Gated (the target is at least 5x; 5.6x measured on an idle 2-core machine, where
  numpy's vectorised reference reaches 7.6e7 cell-steps/s).
- ``colony 9x9 mm, 12 h (numpy vs numba)`` and ``colony 9x9 mm, 20 h (numba, target 2 s)``:
  the mycelium's preset ``podospora_anserina`` (:mod:`mfn.bench.colony`). The first is gated
  (the target is at least 5x); the second holds the compiled 20-hour colony against its 2 s
  target and is not gated (an absolute time).
- ``py-pde 64x64`` (only where py-pde, the extra ``mfn[bench]``, imports): py-pde's
  compiled explicit Euler stepper on the activator–inhibitor equations of the model
  (:mod:`mfn.bench.pypde`) as the reference, against the numba kernel; cell-steps/s, with
  py-pde's compile time in its own column. Not gated: a third-party library.
- ``calibration 100x3 (48x48 RD)`` (only where pyabc, the extra ``mfn[calibrate]``, imports):
  :func:`mfn.calibrate` on a 1-worker and a 2-worker Dask cluster, side by side; simulations per
  second of wall time (:mod:`mfn.bench.calibration`). Not gated. Not in ``--quick``.

``--check`` re-measures the gated rows and fails when a ratio falls more than
:data:`CHECK_MARGIN` below the stored baseline (``baseline.json`` next to this module).
"""

from __future__ import annotations

import argparse
import json
import math
import statistics
import sys
import time
from collections.abc import Callable
from dataclasses import dataclass
from pathlib import Path

import numpy as np

from mfn.core.params import STEPS_MAX
from mfn.models.classic.params import FieldParams

__all__ = [
    "BASELINE_PATH",
    "CHECK_MARGIN",
    "Row",
    "check_ratios",
    "draws_and_steps",
    "features_baseline",
    "read_baseline",
    "run_benchmarks",
]

BASELINE_PATH = Path(__file__).with_name("baseline.json")
"""The stored ratios ``mfn bench --check`` compares against."""
CHECK_MARGIN = 0.30
"""``--check`` fails when a gated ratio is below ``(1 - CHECK_MARGIN)`` times its baseline."""


@dataclass
class Row:
    """One benchmark row: a reference and a fast path doing ``work`` units each."""

    name: str
    unit: str
    work: float
    reference: str
    fast: str
    gated: bool
    reference_s: float = float("nan")
    fast_s: float = float("nan")
    ratio: float = float("nan")
    setup_s: float = float("nan")
    """One-off setup of the reference before its first run (py-pde's compilation), CPU s;
    excluded from the rates; NaN where there is none."""

    def as_dict(self) -> dict:
        return {
            "name": self.name,
            "unit": self.unit,
            "reference": self.reference,
            "fast": self.fast,
            "reference_s": self.reference_s,
            "fast_s": self.fast_s,
            "reference_rate": self.work / self.reference_s,
            "fast_rate": self.work / self.fast_s,
            "ratio": self.ratio,
            "gated": self.gated,
            "setup_s": None if math.isnan(self.setup_s) else self.setup_s,
        }


def _cpu_time(fn: Callable[[], object]) -> float:
    start = time.process_time()
    fn()
    return time.process_time() - start


def _measure(row: Row, reference: Callable[[], object], fast: Callable[[], object], repeats: int) -> Row:
    """Time both alternately (after one warm-up call each); medians and the median ratio."""
    reference(), fast()
    ref_times, fast_times = [], []
    for _ in range(repeats):
        ref_times.append(_cpu_time(reference))
        fast_times.append(_cpu_time(fast))
    row.reference_s = statistics.median(ref_times)
    row.fast_s = statistics.median(fast_times)
    row.ratio = statistics.median(r / f for r, f in zip(ref_times, fast_times, strict=True))
    return row


def _field_row(side: int, steps_fast: int, repeats: int) -> Row:
    from mfn.simulation.simulation import Simulation

    params = FieldParams(grid_size=side, steps=STEPS_MAX)
    sims = {b: Simulation(params, backend=b, lyapunov=False, online_features=False) for b in ("numpy", "numba")}
    steps_ref = max(steps_fast // 8, 2)
    # rates per step: scale the reference time to the fast step count
    row = Row(f"field {side}x{side}", "cell-steps/s", side * side * steps_fast, "numpy kernel", "numba kernel", True)
    _measure(row, lambda: sims["numpy"].step(steps_ref), lambda: sims["numba"].step(steps_fast), repeats)
    scale = steps_fast / steps_ref
    row.reference_s *= scale
    row.ratio *= scale
    return row


_ENSEMBLE_ROWS = {"end to end": "", "stepping only": " (stepping only)", "ceiling": " (ceiling)"}
"""The kinds of ensemble row and the suffix of each one's name."""


def _ensemble_row(runs: int, side: int, steps: int, repeats: int, kind: str = "end to end") -> Row:
    """The runs one after another against an Ensemble of them (``kind``: see :data:`_ENSEMBLE_ROWS`)."""
    from mfn.simulation.ensemble import Ensemble
    from mfn.simulation.simulation import Simulation

    params = [FieldParams(grid_size=side, steps=steps, seed=s) for s in range(runs)]

    def members():
        return [Simulation(p, backend="numba", lyapunov=False, online_features=False) for p in params]

    def ensemble():
        return Ensemble(params, backend="numba", lyapunov=False)

    fast_name = "Ensemble (numba)"
    if kind == "stepping only":  # the runs are built ahead, untimed: only their stepping is compared
        member_sets = iter([members() for _ in range(repeats + 1)])
        ensembles = iter([ensemble() for _ in range(repeats + 1)])

        def one_after_another():
            for sim in next(member_sets):
                sim.step(steps)

        def together():
            next(ensembles).step(steps)
    else:

        def one_after_another():
            for sim in members():
                sim.step(steps)

        if kind == "ceiling":
            together, fast_name = draws_and_steps(params)[0], "draws + compiled steps only"
        else:

            def together():
                ensemble().step(steps)

    row = Row(
        f"ensemble {runs}x{side}x{side}x{steps}{_ENSEMBLE_ROWS[kind]}",
        "cell-steps/s",
        runs * side * side * steps,
        "one after another (numba)",
        fast_name,
        kind != "ceiling",
    )
    return _measure(row, one_after_another, together, repeats)


def draws_and_steps(params: list[FieldParams]) -> tuple[Callable[[], None], np.ndarray]:
    """The unavoidable work of a batched ensemble of ``params`` (one shape and length, no noise).

    Returns a function that draws every member's random numbers (:class:`mfn.models.classic.draws.DrawStream`:
    seeding, initial state, growth events) into stacked arrays and advances them all
    ``steps`` steps in one :func:`~mfn.models.classic.kernels_numba.run_batch` call, and the ``(B, M, N)``
    array of V (volts) it leaves the final states in.
    """
    from mfn.models.classic.draws import DrawStream
    from mfn.models.classic.kernels import KernelConstants
    from mfn.models.classic.kernels_numba import BatchConstants, run_batch

    runs, steps, shape = len(params), params[0].steps, params[0].shape
    constants = BatchConstants([KernelConstants.from_params(p) for p in params], [False] * runs)
    V, a, i = (np.empty((runs, *shape)) for _ in range(3))
    cells, amplitudes = np.empty((runs, steps), dtype=np.int64), np.empty((runs, steps))

    def work() -> None:
        for b, p in enumerate(params):
            stream = DrawStream(p)
            V[b], a[b], i[b] = stream.initial_state()
            cells[b], amplitudes[b], _ = stream.draw_steps(steps)
        run_batch(V, a, i, cells, amplitudes, None, constants)

    return work, V


def _features_row(side: int, steps: int, repeats: int) -> Row:
    from mfn.analysis.features import feature_vector
    from mfn.simulation.simulation import simulate

    history = simulate(FieldParams(grid_size=side, steps=steps, seed=1), lyapunov=False).V.values
    # The reference makes temporaries the size of the history. Freeing one big block first
    # lets glibc's malloc keep blocks of that size on its heap, as in a long session, instead
    # of mapping fresh zeroed pages for every temporary: without this the reference ran about
    # 2.5 times slower in a fresh process than after the ensemble rows, and the ratio hung on
    # the order of the rows.
    np.ones(4 * history.size)  # allocated, touched and freed at once
    row = Row(f"features {side}x{side}x{steps}", "runs/s", 1, "numpy baseline", "mfn.feature_vector", True)
    return _measure(row, lambda: features_baseline(history), lambda: feature_vector(history), repeats)


def _rd_row(side: int, steps_fast: int, repeats: int) -> Row:
    """The reaction–diffusion step: numpy reference against the fused numba step (Schnakenberg)."""
    from mfn.models.reaction_diffusion.params import ReactionDiffusionParams
    from mfn.models.reaction_diffusion.stepper import RDStepper

    params = ReactionDiffusionParams(kinetics="schnakenberg", grid_size=side, substeps=1, steps=STEPS_MAX)
    steppers = {b: RDStepper(params, b) for b in ("numpy", "numba")}
    steps_ref = max(steps_fast // 8, 2)
    row = Row(
        f"reaction-diffusion {side}x{side}",
        "cell-steps/s",
        side * side * steps_fast,
        "numpy reference step",
        "fused numba step",
        True,
    )
    _measure(row, lambda: steppers["numpy"].advance(steps_ref), lambda: steppers["numba"].advance(steps_fast), repeats)
    scale = steps_fast / steps_ref
    row.reference_s *= scale
    row.ratio *= scale
    return row


def _pypde_rows(side: int, steps: int, repeats: int) -> list[Row]:
    """py-pde's compiled stepper against our numba kernel, ``steps`` steps on a side x side grid.

    What is timed, per repetition: py-pde's explicit Euler stepper (numba backend, dt = 1,
    no tracker, single thread) advancing ``a`` and ``i`` ``steps`` steps in one call of the
    stepper built by :func:`mfn.bench.pypde.pypde_stepper` (its loop is compiled; the
    stepper is built once and reused, so no repetition recompiles); and
    :meth:`mfn.Simulation.step` with the numba kernel advancing the whole model ``steps``
    steps (default parameters, Turing on, periodic, twin and online features off) — the
    same ``a`` and ``i`` update plus the potential ``V``, the growth events, the Turing kick
    and the clamp, so ours does more work per step. Both start from the run's initial
    ``a`` and ``i``. The rates count grid cells times steps; the ratio is py-pde's time over
    ours. The build (py-pde's numba compilation, the first build in the process) is
    reported as ``setup_s``, outside the rates.

    Returns
    -------
    list of Row
        One row, or none when py-pde does not import.
    """
    from mfn.bench.pypde import pypde_missing

    if pypde_missing() is not None:
        return []
    from mfn.bench.pypde import pypde_stepper
    from mfn.simulation.simulation import Simulation

    params = FieldParams(grid_size=side, steps=STEPS_MAX)
    ours = Simulation(params, backend="numba", lyapunov=False, online_features=False)
    theirs = pypde_stepper(params)
    start = ours.state
    theirs.set(start.a, start.i)
    row = Row(
        f"py-pde {side}x{side}",
        "cell-steps/s",
        side * side * steps,
        f"py-pde {theirs.version} Euler (numba)",
        "numba kernel",
        False,  # not gated: an absolute comparison with a library we do not control
        setup_s=theirs.setup_s,
    )
    return [_measure(row, lambda: theirs.advance(steps), lambda: ours.step(steps), repeats)]


def _network_rows(repeats: int, quick: bool = False) -> list[Row]:
    """The rows of ``mfn bench`` on the largest shared experiment, or none without its data.

    - ``network counts M2WT_200610 (65 frames)``: length, free ends, junctions, cycles and
      components at every frame, counted frame by frame (:func:`mfn.bench.networks.counts_per_frame`) and by
      :func:`mfn.hyphae.growth.growth_counts` (sorted events, cumulative sums, a spanning
      forest); same numbers (tested). Gated.
    - ``read + measure M2WT_200610 (65 frames)``: reading the published files and computing
      every measure of :func:`mfn.network_metrics` (counts, rates, angles, internodes, speeds,
      radial profile, box and mass dimensions) over all frames at once, against measuring
      each frame's network on its own (``network_metrics(network.at(t), times=[t])``), the
      way a tool for static graphs is used. The reference measures every
      :data:`mfn.bench.networks.REFERENCE_STRIDE`-th frame and its time is scaled by the stride, as the field
      rows scale their reference's steps. The fast path's time is what a user waits for (the
      target: at most 10 s on a 2-core machine). Not gated.

    ``quick`` measures the network of the first 5 frames only, already read.
    """
    from mfn.bench.networks import NETWORK_DATASET, REFERENCE_STRIDE, counts_per_frame, network_missing
    from mfn.datasets import local_files
    from mfn.hyphae.growth import growth_counts
    from mfn.hyphae.metrics import network_metrics
    from mfn.hyphae.readers import read_network

    if network_missing() is not None:
        return []
    files = sorted(local_files(NETWORK_DATASET).values())
    coordinates = next(p for p in files if p.name.endswith("_coordinates.txt"))
    network = read_network(coordinates)
    if quick:
        network = network.at(network.times[4])
    times = network.times

    def read():
        return network if quick else read_network(coordinates)

    label = f"{NETWORK_DATASET.split('/')[1]} ({times.size} frames)"
    counts = Row(f"network counts {label}", "runs/s", 1, "frame by frame (at(t), csgraph)", "growth_counts", True)
    _measure(counts, lambda: counts_per_frame(network, times), lambda: growth_counts(network, times), repeats)
    whole = Row(
        f"read + measure {label}", "runs/s", 1, "read + measure each frame alone", "read + network_metrics", False
    )
    stride = 1 if quick else REFERENCE_STRIDE

    def each_frame() -> None:
        net = read()
        for t in times[::stride]:
            network_metrics(net.at(t), times=[t])

    _measure(whole, each_frame, lambda: network_metrics(read(), times=times), repeats)
    scale = times.size / times[::stride].size
    whole.reference_s *= scale
    whole.ratio *= scale
    return [counts, whole]


def run_benchmarks(repeats: int = 5, quick: bool = False) -> list[Row]:
    """Measure every row.

    Parameters
    ----------
    repeats : int, default 5
        Alternating repetitions per row (medians are reported), >= 1.
    quick : bool, default False
        Tiny sizes (seconds in total), to check that the benchmark runs; not for numbers.

    Raises
    ------
    ParameterError
        If ``repeats`` is not an integer >= 1, or numba (the fast path) is not installed.
    """
    from mfn.bench.colony import colony_rows
    from mfn.core.backends import numba_available
    from mfn.core.checks import check_bool, check_int
    from mfn.core.errors import ParameterError

    repeats = check_int("repeats", repeats, 1)
    quick = check_bool("quick", quick)
    if not numba_available():
        raise ParameterError("backend", "numba", "an installed numba", "pip install 'mfn[fast]'")
    if quick:
        return [
            _field_row(8, 16, repeats),
            _ensemble_row(4, 8, 8, repeats),
            _ensemble_row(4, 8, 8, repeats, "stepping only"),
            _ensemble_row(4, 8, 8, repeats, "ceiling"),
            _features_row(16, 12, repeats),
            *colony_rows(Row, _measure, repeats, quick=True),
            *_network_rows(repeats, quick=True),
            *_pypde_rows(8, 16, repeats),
        ]
    return [
        _field_row(64, 2000, repeats),
        _field_row(256, 200, repeats),
        _ensemble_row(256, 32, 32, repeats),
        _ensemble_row(256, 32, 32, repeats, "stepping only"),
        _ensemble_row(256, 32, 32, repeats, "ceiling"),
        _features_row(64, 100, repeats),
        _rd_row(256, 400, repeats),
        *colony_rows(Row, _measure, min(repeats, 3)),
        *_network_rows(min(repeats, 5)),
        *_pypde_rows(64, 2000, repeats),
        *_calibration_rows(min(repeats, 3)),
    ]


def read_baseline(path: str | Path) -> dict:
    """The stored baseline: ``{"margin": float, "ratios": {row name: ratio}}``.

    Raises
    ------
    ParameterError
        If the file is missing, not JSON, or holds no ``ratios`` object of numbers.
    """
    from mfn.core.checks import read_json_object
    from mfn.core.errors import ParameterError

    stored = read_json_object("--baseline", path)
    ratios = stored.get("ratios")
    if not isinstance(ratios, dict) or not all(isinstance(v, (int, float)) for v in ratios.values()):
        raise ParameterError(
            "--baseline", str(path), 'a baseline file: {"ratios": {row: ratio, ...}}', "mfn bench --update-baseline"
        )
    return stored


def _calibration_rows(repeats: int) -> list[Row]:
    """The calibration row on 1 and 2 Dask workers (:mod:`mfn.bench.calibration`; wall time), with pyabc."""
    from importlib.util import find_spec

    if find_spec("pyabc") is None:
        return []
    from mfn.bench.calibration import calibration_times

    return [calibration_row(calibration_times(100, 3, repeats), 100, 3)]


def calibration_row(times, population: int, generations: int) -> Row:
    """The :class:`Row` of :func:`mfn.bench.calibration.calibration_times` (wall time, not gated)."""
    name = f"calibration {population}x{generations} (48x48 RD)"
    row = Row(name, "simulations", times.simulations, "1 Dask worker", "2 Dask workers", gated=False)
    row.reference_s, row.fast_s, row.ratio = times.one_worker_s, times.two_workers_s, times.ratio
    return row


def check_ratios(measured: dict[str, float], baseline: dict[str, float], margin: float = CHECK_MARGIN) -> list[str]:
    """Messages for every baseline row whose measured ratio fell more than ``margin`` below it.

    Parameters
    ----------
    measured, baseline : dict of str to float
        Ratio (reference time / fast time) per row name.
    margin : float
        Allowed relative shrink, in [0, 1).

    Returns
    -------
    list of str
        Empty when every baseline row holds; a row missing from ``measured`` fails.
    """
    failures = []
    for name, base in baseline.items():
        floor = base * (1.0 - margin)
        got = measured.get(name)
        if got is None:
            failures.append(f"{name}: not measured (baseline ratio {base:.2f})")
        elif not got >= floor:
            failures.append(f"{name}: ratio {got:.2f} < {floor:.2f} (baseline {base:.2f} minus {margin:.0%})")
    return failures


def format_table(rows: list[Row]) -> str:
    """The rows as a Markdown table."""
    lines = [
        "| benchmark | reference | fast path | reference rate | fast rate | ratio | reference setup |",
        "|---|---|---|---|---|---|---|",
    ]
    for r in rows:
        d = r.as_dict()
        lines.append(
            f"| {r.name} | {r.reference} | {r.fast} | {d['reference_rate']:.3g} {r.unit} "
            f"| {d['fast_rate']:.3g} {r.unit} | {r.ratio:.1f}x | {_seconds(r.setup_s)} |"
        )
    return "\n".join(lines)


def _seconds(s: float) -> str:
    return "" if math.isnan(s) else f"{s:.1f} s"


def features_baseline(
    history: np.ndarray, thresholds: tuple[float, float, float] = (-60.0, -50.0, -40.0)
) -> np.ndarray:
    """The 18 features (docs/features.md) written plainly with numpy and scipy: the benchmark's reference.

    Parameters
    ----------
    history : (T+1, M, N) float ndarray
        Frames V_0 .. V_T, mV.
    thresholds : (float, float, float)
        Low, medium and high thresholds, mV.

    Returns
    -------
    (18,) float64 ndarray
        In :data:`mfn.analysis.features.FEATURE_NAMES` order (box counting here counts whole boxes
        only, so ``D_box`` may differ slightly from the package's).
    """
    from scipy import ndimage, stats

    V = history[-1]
    low_mask = V > thresholds[0]
    m = min(V.shape)
    sizes = np.unique(np.geomspace(2, m // 2, 5).astype(int))
    counts = []
    for s in sizes:
        rows, cols = V.shape[0] // s, V.shape[1] // s
        blocks = low_mask[: rows * s, : cols * s].reshape(rows, s, cols, s)
        counts.append(blocks.any(axis=(1, 3)).sum())
    counts = np.asarray(counts, dtype=float)
    if np.all(counts > 0) and np.ptp(counts) > 0:
        x, y = np.log(1.0 / sizes), np.log(counts)
        slope, intercept = np.polyfit(x, y, 1)
        r2 = 1.0 - np.sum((y - (slope * x + intercept)) ** 2) / np.sum((y - y.mean()) ** 2)
    else:
        slope, r2 = 0.0, 0.0
    std = V.std()
    skew = stats.skew(V, axis=None) if std > 0 else 0.0
    kurt = stats.kurtosis(V, axis=None) if std > 0 else 0.0
    d = np.diff(history, axis=0)
    dv_abs = np.abs(d)
    step_std = d.reshape(len(d), -1).std(axis=1)
    t_stable = float(len(d))
    run = 0
    for t, s in enumerate(step_std, start=1):
        run = run + 1 if s < 0.001 else 0
        if run == 10:
            t_stable = float(t - 9)
            break
    energy = (history**2).sum(axis=(1, 2))
    e_trend = np.polyfit(np.arange(len(energy)), energy, 1)[0]
    n_clusters = []
    for th in thresholds:
        labels, n = ndimage.label(V > th)
        n_clusters.append(n)
    labels, n = ndimage.label(low_mask)
    cluster_sizes = np.bincount(labels.ravel())[1:] if n else np.zeros(1)
    return np.array(
        [
            slope,
            r2,
            V.min(),
            V.max(),
            V.mean(),
            std,
            skew,
            kurt,
            dv_abs.mean(),
            dv_abs.max(),
            t_stable,
            e_trend,
            low_mask.mean(),
            *n_clusters,
            cluster_sizes.max(),
            cluster_sizes.std(),
        ],
        dtype=np.float64,
    )


def add_arguments(parser: argparse.ArgumentParser) -> None:
    """The options of ``mfn bench`` (and ``python -m mfn.bench.runner``)."""
    parser.add_argument("--repeats", type=int, default=5, help="alternating repetitions per row (default 5)")
    parser.add_argument("--json", metavar="PATH", help="also write the figures to this JSON file")
    parser.add_argument(
        "--check",
        action="store_true",
        help=f"fail (exit 1) when a gated ratio is more than {CHECK_MARGIN:.0%}% below the stored baseline",
    )
    parser.add_argument("--baseline", default=str(BASELINE_PATH), help="baseline file (default: the stored one)")
    parser.add_argument("--update-baseline", action="store_true", help="store the measured gated ratios as baseline")
    parser.add_argument("--quick", action="store_true", help="tiny sizes: checks that the benchmark runs")


def run(args: argparse.Namespace) -> int:
    """Run the benchmark as the options say; returns the exit status.

    Every file is checked before the first row is timed: ``--json`` and, with
    ``--update-baseline``, ``--baseline`` must be writable; with ``--check`` the baseline
    must be readable (a ``ParameterError`` otherwise). Files are written atomically.
    """
    from mfn.core.checks import check_int
    from mfn.core.io import atomic_path, check_output_file

    check_int("--repeats", args.repeats, 1)
    if args.json:
        check_output_file("--json", args.json)
    if args.update_baseline:
        check_output_file("--baseline", args.baseline)
    elif args.check:
        stored = read_baseline(args.baseline)
    rows = run_benchmarks(args.repeats, args.quick)
    print(format_table(rows))
    print(
        f"(median of {args.repeats} alternating repetitions; CPU time, single thread, except the calibration row: "
        "wall time; ratio = reference / fast time, or fast / reference rate)"
    )
    from mfn.bench.pypde import pypde_missing

    if (why := pypde_missing()) is not None:
        print(why)
    from mfn.bench.networks import network_missing

    if (why := network_missing()) is not None:
        print(why)
    ratios = {r.name: r.ratio for r in rows if r.gated}
    if args.json:
        with atomic_path(args.json) as tmp:
            tmp.write_text(json.dumps({"repeats": args.repeats, "rows": [r.as_dict() for r in rows]}, indent=2))
        print(f"wrote {args.json}")
    if args.update_baseline:
        stored = {"margin": CHECK_MARGIN, "ratios": {k: round(v, 2) for k, v in ratios.items()}}
        with atomic_path(args.baseline) as tmp:
            tmp.write_text(json.dumps(stored, indent=2) + "\n")
        print(f"stored the ratios in {args.baseline}")
    if args.check:
        failures = check_ratios(ratios, stored["ratios"], stored.get("margin", CHECK_MARGIN))
        for message in failures:
            print(f"bench check FAILED: {message}", file=sys.stderr)
        if failures:
            return 1
        print(f"bench check passed: every ratio within {stored.get('margin', CHECK_MARGIN):.0%} of {args.baseline}")
    return 0


def main(argv: list[str] | None = None) -> int:
    """``python -m mfn.bench.runner``: the same as ``mfn bench``."""
    parser = argparse.ArgumentParser(prog="python -m mfn.bench.runner", description=__doc__.splitlines()[0])
    add_arguments(parser)
    return run(parser.parse_args(argv))


if __name__ == "__main__":
    sys.exit(main())
