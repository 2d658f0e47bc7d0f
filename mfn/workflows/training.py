"""The original's "validate" run: simulate fields, train the MFN network on their features.

:func:`train_validation` grows ``n_fields`` fields at a size preset, describes each by a
sequence of ``(D_box, mean V, std V, max V)`` taken at ``seq_len`` evenly spaced steps
(features of :mod:`mfn.analysis.features`, potentials divided by 100 mV so they lie in about
[-1, 1]), and trains :class:`~mfn.learning.network.MFNNetwork` (Adam, lr 1e-3, MSE) to predict the
original's target ``0.5 D + 0.2 mean - 0.1 std`` of the final field (same scaled units).

Choices docs/learning.md leaves open:

* The sequence is the field's own history (the attention then mixes time points); the
  documentation names the four inputs but not what the sequence runs over.
* The box-counting mask uses the features' *adaptive* threshold (50th percentile) by
  default: at the fixed -60 mV threshold most fields have no active cell, D is 0 for every
  field (docs/features.md) and the target would carry no fractal information. Pass
  ``threshold_mode="fixed"`` for the original's threshold.
* Field seeds are drawn from ``numpy.random.SeedSequence(seed)``, so different ``seed``
  values give disjoint sets of fields.
"""

from __future__ import annotations

import time
from typing import Any

import numpy as np

from mfn.core.checks import check_choice, check_int, check_real
from mfn.core.errors import ParameterError
from mfn.core.memory import check_memory
from mfn.learning.network import MFNNetwork, fit
from mfn.models.classic.presets import size_preset

__all__ = ["INPUT_NAMES", "POTENTIAL_SCALE_MV", "field_sequences", "target", "train_validation"]

POTENTIAL_SCALE_MV = 100.0
"""Potentials are divided by this (mV) before entering the network."""

INPUT_NAMES = ("D_box", "V_mean", "V_std", "V_max")
"""The network's four inputs, in order (docs/learning.md)."""

TARGET_WEIGHTS = (0.5, 0.2, -0.1)
"""The original's target: 0.5 D + 0.2 mean - 0.1 std (scaled potentials)."""


def target(inputs: np.ndarray) -> np.ndarray:
    """The training target of each sequence, from its last element.

    Parameters
    ----------
    inputs : (batch, seq, 4) float ndarray
        Scaled inputs in :data:`INPUT_NAMES` order.

    Returns
    -------
    (batch,) float64 ndarray
    """
    last = inputs[:, -1, :]
    a, b, c = TARGET_WEIGHTS
    return a * last[:, 0] + b * last[:, 1] + c * last[:, 2]


def field_sequences(runs: list, seq_len: int, feature_params=None) -> np.ndarray:
    """Scaled (D_box, mean, std, max) of each run at ``seq_len`` evenly spaced steps.

    Parameters
    ----------
    runs : list of xarray.Dataset
        Runs recorded with one frame per step (``record_every=1``).
    seq_len : int
        Sequence length, ``1 <= seq_len <= steps``; the last element is the final field.
    feature_params : mfn.analysis.features.FeatureParams, optional
        Threshold and box-counting settings.

    Returns
    -------
    (len(runs), seq_len, 4) float64 ndarray
    """
    from mfn.analysis.features import features

    out = np.empty((len(runs), seq_len, len(INPUT_NAMES)))
    for r, run in enumerate(runs):
        history = run.V.values
        steps = history.shape[0] - 1
        if not 1 <= seq_len <= steps:
            raise ParameterError("seq_len", seq_len, f"1 <= seq_len <= steps ({steps})")
        for s, t in enumerate(np.linspace(steps / seq_len, steps, seq_len).round().astype(int)):
            f = features(history[: t + 1], feature_params)
            out[r, s] = [float(f[name]) for name in INPUT_NAMES]
    out[..., 1:] /= POTENTIAL_SCALE_MV
    return out


def train_validation(
    preset: str = "medium",
    seed: int = 0,
    *,
    n_fields: int = 16,
    seq_len: int = 8,
    epochs: int = 300,
    lr: float = 1e-3,
    top_k: int = 4,
    threshold_mode: str = "adaptive",
) -> dict[str, Any]:
    """Reproduce the original's validate run: simulate, train, and report.

    Parameters
    ----------
    preset : {"small", "medium", "large"}
        Size preset (grid, steps, noise, hidden size), see :func:`mfn.models.classic.presets.size_preset`.
    seed : int
        Seed of the fields, the network initialisation and the IFS, >= 0.
    n_fields : int
        Fields simulated (the original: 16), >= 2; their histories are held in memory, so at
        most what fits in :func:`mfn.core.memory.memory_limit`.
    seq_len : int
        Feature snapshots per field, ``1 <= seq_len <= steps``.
    epochs : int
        Full-batch Adam steps, >= 1.
    lr : float
        Adam learning rate, > 0 (docs/learning.md: 1e-3).
    top_k : int
        Attention scores kept per query, >= 1.
    threshold_mode : {"adaptive", "fixed"}
        Threshold of the box-counting mask (see the module notes).

    Returns
    -------
    dict
        ``loss_start``, ``loss_final`` (MSE before and after training), ``loss_drop``
        (``1 - loss_final / loss_start``), ``loss_constant_baseline`` (the MSE of the best
        constant prediction, the variance of the targets: a loss below it means the network
        uses its inputs), ``potential_range_mV`` (min, max over the final
        fields), ``example_D`` and ``example_D_r2`` (the first field), ``ifs_lyapunov``,
        ``growth_events`` (total over the fields), ``E_K_mV`` (K+ Nernst potential at
        310 K), and the settings (``preset``, ``seed``, ``hidden``, ``grid_size``,
        ``steps``, ``n_fields``, ``seq_len``, ``epochs``, ``threshold_mode``), with
        ``duration_s``.

    Examples
    --------
    >>> out = train_validation("small", seed=1, n_fields=4, epochs=50)
    >>> out["loss_final"] < out["loss_start"], round(out["E_K_mV"], 3)
    (True, -89.011)
    """
    from mfn.analysis.features import FeatureParams
    from mfn.analysis.fractal import ifs
    from mfn.physics.nernst import IONS, nernst
    from mfn.simulation.recorder import memory_estimate
    from mfn.simulation.simulation import simulate

    started = time.perf_counter()
    sizes = size_preset(preset)
    seed = check_int("seed", seed, 0)
    n_fields = check_int("n_fields", n_fields, 2)
    seq_len = check_int("seq_len", seq_len, 1, sizes.steps)
    epochs = check_int("epochs", epochs, 1)
    lr = check_real("lr", lr, 0.0, lo_open=True)
    threshold_mode = check_choice("threshold_mode", threshold_mode, ("adaptive", "fixed"))
    feature_params = FeatureParams(threshold_mode=threshold_mode)
    field = memory_estimate(sizes.field_params(), 1, 1)  # every field's history is kept
    check_memory(
        "n_fields",
        n_fields,
        field * n_fields,
        f"{n_fields} fields of {sizes.grid_size}x{sizes.grid_size} cells and {sizes.steps} steps",
        "fewer fields, or a smaller preset",
    )

    field_seeds = np.random.SeedSequence(seed).generate_state(n_fields)
    runs = [simulate(sizes.field_params(seed=int(s))) for s in field_seeds]
    inputs = field_sequences(runs, seq_len, feature_params)
    y = target(inputs)
    net = MFNNetwork(hidden=sizes.hidden, top_k=top_k, seed=seed)
    losses = fit(net, inputs, y, epochs=epochs, lr=lr)

    finals = [run.V.isel(time=-1) for run in runs]
    k = IONS["K"]
    return {
        "preset": sizes.name,
        "seed": seed,
        "hidden": sizes.hidden,
        "grid_size": sizes.grid_size,
        "steps": sizes.steps,
        "n_fields": n_fields,
        "seq_len": seq_len,
        "epochs": epochs,
        "threshold_mode": threshold_mode,
        "loss_start": float(losses[0]),
        "loss_final": float(losses[-1]),
        "loss_drop": float(1.0 - losses[-1] / losses[0]),
        "loss_constant_baseline": float(np.var(y)),
        "potential_range_mV": (float(min(v.min() for v in finals)), float(max(v.max() for v in finals))),
        "example_D": float(inputs[0, -1, 0]),
        "example_D_r2": _example_r2(runs[0], feature_params),
        "ifs_lyapunov": float(ifs(seed=seed).lyapunov),
        "growth_events": int(sum(int(run.attrs["growth_events_total"]) for run in runs)),
        "E_K_mV": float(nernst(k.valence, k.c_out, k.c_in) * 1e3),
        "duration_s": time.perf_counter() - started,
    }


def _example_r2(run, feature_params) -> float:
    from mfn.analysis.features import features

    return float(features(run, feature_params)["D_r2"])
