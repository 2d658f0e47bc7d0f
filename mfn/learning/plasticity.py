"""Spike-timing-dependent plasticity (Bi & Poo 1998), pair-based, in seconds.

For one pre/post spike pair with ``dt = t_post - t_pre``::

    dw = +a_plus  * exp(-dt / tau_plus)    if dt > 0   (potentiation)
    dw = -a_minus * exp(+dt / tau_minus)   if dt < 0   (depression)
    dw = 0                                 if dt == 0

Exponent arguments are clamped to [-50, 50] (docs/learning.md), so a huge time difference gives
a tiny, finite change (about ``a * 2e-22``) and never overflows.

Examples
--------
>>> round(float(stdp_window(0.010)), 7), round(float(stdp_window(-0.010)), 7)
(0.0060653, -0.0072784)
"""

from __future__ import annotations

from collections.abc import Sequence
from dataclasses import dataclass

import numpy as np

from mfn.core.checks import check_array, check_real
from mfn.core.errors import ParameterError

__all__ = ["STDP", "stdp_update", "stdp_window"]

EXP_CLAMP = 50.0
"""Exponent arguments are clamped to +/- this value."""

TAU_RANGE = (0.005, 0.100)
"""Valid time constants, seconds (5 to 100 ms)."""

AMPLITUDE_RANGE = (0.001, 0.1)
"""Valid amplitudes A+ and A-."""


def _check_rule(tau_plus: float, tau_minus: float, a_plus: float, a_minus: float) -> tuple[float, ...]:
    hint = "time constants are in seconds (20 ms = 0.020)"
    return (
        check_real("tau_plus", tau_plus, *TAU_RANGE, hint=hint),
        check_real("tau_minus", tau_minus, *TAU_RANGE, hint=hint),
        check_real("a_plus", a_plus, *AMPLITUDE_RANGE),
        check_real("a_minus", a_minus, *AMPLITUDE_RANGE),
    )


def _window(dt: np.ndarray, tau_plus: float, tau_minus: float, a_plus: float, a_minus: float) -> np.ndarray:
    # both branches are evaluated everywhere, so both exponents are clamped to +/-50; clamping
    # dt to +/-50 tau first is the same clamp and cannot overflow in the division
    ltp = a_plus * np.exp(-np.clip(dt, -EXP_CLAMP * tau_plus, EXP_CLAMP * tau_plus) / tau_plus)
    ltd = -a_minus * np.exp(np.clip(dt, -EXP_CLAMP * tau_minus, EXP_CLAMP * tau_minus) / tau_minus)
    return np.where(dt > 0, ltp, np.where(dt < 0, ltd, 0.0))


def stdp_window(
    dt, tau_plus: float = 0.020, tau_minus: float = 0.020, a_plus: float = 0.01, a_minus: float = 0.012
) -> np.ndarray:
    """The STDP learning window: weight change for spike-time differences ``dt``.

    Parameters
    ----------
    dt : float or ndarray
        ``t_post - t_pre``, seconds; any shape, finite.
    tau_plus, tau_minus : float
        Potentiation and depression time constants, seconds, in [0.005, 0.1].
    a_plus, a_minus : float
        Potentiation and depression amplitudes, in [0.001, 0.1].

    Returns
    -------
    ndarray
        Weight changes, same shape as ``dt``.
    """
    params = _check_rule(tau_plus, tau_minus, a_plus, a_minus)
    return _window(check_array("dt", dt), *params)


def stdp_update(
    pre_times,
    post_times,
    tau_plus: float = 0.020,
    tau_minus: float = 0.020,
    a_plus: float = 0.01,
    a_minus: float = 0.012,
) -> np.ndarray:
    """Pair-based STDP weight update between every pre- and post-synaptic neuron.

    Each neuron contributes one spike time per batch entry; the update of synapse
    ``(i, j)`` is the window evaluated at ``post_times[b, j] - pre_times[b, i]``, averaged
    over the batch ``b``.

    Parameters
    ----------
    pre_times : (n_pre,) or (batch, n_pre) float ndarray
        Pre-synaptic spike times, seconds, finite.
    post_times : (n_post,) or (batch, n_post) float ndarray
        Post-synaptic spike times, seconds, finite; same batch size as ``pre_times``.
    tau_plus, tau_minus, a_plus, a_minus : float
        As in :func:`stdp_window`.

    Returns
    -------
    (n_pre, n_post) float64 ndarray
        Weight update, averaged over the batch.

    Raises
    ------
    ParameterError
        If a rule parameter is out of range, a time is not finite, or the shapes disagree.

    Examples
    --------
    >>> stdp_update([[0.0, 0.0]], [[0.010]]).round(7).tolist()
    [[0.0060653], [0.0060653]]
    """
    params = _check_rule(tau_plus, tau_minus, a_plus, a_minus)
    pre = _spike_times("pre_times", pre_times)
    post = _spike_times("post_times", post_times)
    if pre.shape[0] != post.shape[0]:
        raise ParameterError(
            "post_times", f"array of shape {post.shape}", f"the same batch size as pre_times ({pre.shape[0]})"
        )
    with np.errstate(over="ignore"):  # e.g. 1e308 - (-1e308) = inf, which the window clamps
        dt = post[:, None, :] - pre[:, :, None]  # (batch, n_pre, n_post)
    return _window(dt, *params).mean(axis=0)


def _spike_times(name: str, value) -> np.ndarray:
    arr = check_array(name, value)
    if arr.ndim == 1:
        arr = arr[None, :]
    if arr.ndim != 2 or arr.shape[0] == 0 or arr.shape[1] == 0:
        raise ParameterError(name, f"array of shape {arr.shape}", "a non-empty (n,) or (batch, n) array")
    return arr


@dataclass(frozen=True)
class STDP:
    """An STDP rule that updates a bounded weight matrix from spike times or spike trains.

    Parameters
    ----------
    tau_plus, tau_minus : float
        Time constants, seconds, in [0.005, 0.1].
    a_plus, a_minus : float
        Amplitudes, in [0.001, 0.1].
    w_min, w_max : float
        Weight bounds; updated weights are kept inside ``[w_min, w_max]`` (hard bounds, a
        property of the synapse model, applied to the *result*; the weights passed in must
        already lie inside).
    learning_rate : float
        Factor applied to every update, > 0.

    Examples
    --------
    >>> rule = STDP()
    >>> w = rule.apply(np.full((1, 1), 0.5), pre_times=[0.0], post_times=[0.010])
    >>> round(float(w[0, 0]), 7)
    0.5060653
    """

    tau_plus: float = 0.020
    tau_minus: float = 0.020
    a_plus: float = 0.01
    a_minus: float = 0.012
    w_min: float = 0.0
    w_max: float = 1.0
    learning_rate: float = 1.0

    def __post_init__(self) -> None:
        _check_rule(self.tau_plus, self.tau_minus, self.a_plus, self.a_minus)
        check_real("w_min", self.w_min)
        check_real("w_max", self.w_max, self.w_min, lo_open=True, hint="w_max must exceed w_min")
        check_real("learning_rate", self.learning_rate, 0.0, lo_open=True)

    @property
    def _rule(self) -> tuple[float, float, float, float]:
        return (self.tau_plus, self.tau_minus, self.a_plus, self.a_minus)

    def delta(self, pre_times, post_times) -> np.ndarray:
        """The (n_pre, n_post) update for paired spike times (see :func:`stdp_update`)."""
        return self.learning_rate * stdp_update(pre_times, post_times, *self._rule)

    def train_delta(self, pre_trains: Sequence, post_trains: Sequence) -> np.ndarray:
        """All-to-all pair update for spike trains of any length.

        Parameters
        ----------
        pre_trains : sequence of n_pre 1-D arrays
            Spike times of each pre-synaptic neuron, seconds (an empty train is allowed).
        post_trains : sequence of n_post 1-D arrays
            Spike times of each post-synaptic neuron, seconds.

        Returns
        -------
        (n_pre, n_post) float64 ndarray
            Sum of the window over every (pre spike, post spike) pair of each synapse.
        """
        pre = _trains("pre_trains", pre_trains)
        post = _trains("post_trains", post_trains)
        out = np.zeros((len(pre), len(post)))
        for j, t_post in enumerate(post):
            for i, t_pre in enumerate(pre):
                out[i, j] = _window(t_post[None, :] - t_pre[:, None], *self._rule).sum()
        return self.learning_rate * out

    def apply(self, weights, pre_times=None, post_times=None, *, pre_trains=None, post_trains=None) -> np.ndarray:
        """Return new weights ``clip(weights + update, w_min, w_max)``.

        Give either paired spike times (``pre_times``, ``post_times``) or spike trains
        (``pre_trains``, ``post_trains``).

        Parameters
        ----------
        weights : (n_pre, n_post) float ndarray
            Current weights, inside ``[w_min, w_max]``; not modified.
        """
        w = check_array("weights", weights, ndim=2)
        if np.any(w < self.w_min) or np.any(w > self.w_max):
            raise ParameterError("weights", "values outside the bounds", f"{self.w_min:g} <= w <= {self.w_max:g}")
        if pre_trains is not None or post_trains is not None:
            if pre_times is not None or post_times is not None:
                raise ParameterError("pre_times", "given with spike trains", "either spike times or spike trains")
            dw = self.train_delta(pre_trains or [], post_trains or [])
        else:
            dw = self.delta(pre_times, post_times)
        if dw.shape != w.shape:
            raise ParameterError("weights", f"array of shape {w.shape}", f"shape (n_pre, n_post) = {dw.shape}")
        return np.clip(w + dw, self.w_min, self.w_max)


def _trains(name: str, trains: Sequence) -> list[np.ndarray]:
    if isinstance(trains, np.ndarray) and trains.ndim == 2:
        trains = list(trains)
    if len(trains) == 0:
        raise ParameterError(name, trains, "a non-empty sequence of 1-D spike-time arrays")
    return [check_array(f"{name}[{k}]", t, ndim=1) for k, t in enumerate(trains)]
