"""The features row of ``mfn bench``, and the plain numpy version of the 18 features it is timed against.

- ``features 64x64x100``: the 18 features of a 64x64 run of 100 steps (recorded every step)
  by :func:`features_baseline`, a straightforward numpy and scipy version kept here as the
  reference, and by :func:`mfn.analysis.features.feature_vector` (its input checks included; the
  temporal sums compiled with numba); runs/s. Both return the 18 numbers as an array, so the
  row compares like with like: :func:`mfn.analysis.features.features` adds an xarray Dataset around
  them (about 0.5 ms more). Gated.
"""

from __future__ import annotations

import numpy as np

from mfn.bench.row import Row, measure
from mfn.models.classic.params import FieldParams

__all__ = ["features_baseline", "features_row"]


def features_row(side: int, steps: int, repeats: int) -> Row:
    """The 18 features of a ``side`` x ``side`` run of ``steps`` steps: :func:`features_baseline` against mfn's."""
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
    return measure(row, lambda: features_baseline(history), lambda: feature_vector(history), repeats)


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
