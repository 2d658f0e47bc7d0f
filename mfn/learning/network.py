"""The MFN network of docs/learning.md in numpy, with its own backward pass, Adam and MSE.

Architecture, for inputs of shape (batch, seq, 4)::

    Linear(4, h) -> SparseAttention(h, top_k) -> mean over seq
    -> Linear(h, h) -> ReLU -> Linear(h, h/2) -> ReLU -> Linear(h/2, 1)

There are no residual connections or normalisation layers: docs/learning.md lists none. Every parameter
lives in one flat dict, ``net.params``, keyed ``"embed.W"``, ``"attention.Wq"``, ...; the
optimiser updates those arrays in place.
"""

from __future__ import annotations

import numpy as np

from mfn.core.checks import check_array, check_int, check_real
from mfn.core.errors import ParameterError
from mfn.learning.attention import SparseAttention, init_linear

__all__ = ["Adam", "MFNNetwork", "fit", "mse_loss"]


class MFNNetwork:
    """A small attention network mapping a sequence of feature vectors to one number.

    Parameters
    ----------
    hidden : int
        Hidden width h, even, >= 2 (size presets: 16, 32, 64).
    top_k : int
        Attention scores kept per query, >= 1.
    n_inputs : int
        Features per sequence element (4 in docs/learning.md: D_box, mean V, std V, max V).
    seed : int
        Seed of the weight initialisation.

    Examples
    --------
    >>> net = MFNNetwork(hidden=8, seed=0)
    >>> net.forward(np.zeros((5, 3, 4))).shape
    (5,)
    >>> sorted(net.params)[:3]
    ['attention.Wk', 'attention.Wo', 'attention.Wq']
    """

    def __init__(self, hidden: int = 32, top_k: int = 4, n_inputs: int = 4, seed: int = 0) -> None:
        self.hidden = check_int("hidden", hidden, 2)
        if self.hidden % 2:
            raise ParameterError("hidden", hidden, "an even integer >= 2", "the last hidden layer has h/2 units")
        self.n_inputs = check_int("n_inputs", n_inputs, 1)
        rng = np.random.default_rng(check_int("seed", seed, 0))
        h = self.hidden
        self.attention = SparseAttention(h, top_k, rng=rng)
        self._layers = {"embed": (n_inputs, h), "fc1": (h, h), "fc2": (h, h // 2), "out": (h // 2, 1)}
        self.params: dict[str, np.ndarray] = {}
        for name, (fan_in, fan_out) in self._layers.items():
            self.params[f"{name}.W"], self.params[f"{name}.b"] = init_linear(rng, fan_in, fan_out)
        for name, p in self.attention.params.items():
            self.params[f"attention.{name}"] = p  # the same arrays: updating one updates the other
        self._cache: dict[str, np.ndarray] | None = None

    @property
    def n_parameters(self) -> int:
        """Number of trainable scalars."""
        return sum(p.size for p in self.params.values())

    def forward(self, x) -> np.ndarray:
        """Predict one value per sample.

        Parameters
        ----------
        x : (batch, seq, n_inputs) or (batch, n_inputs) float ndarray
            Finite inputs; a 2-D input is a sequence of length 1.

        Returns
        -------
        (batch,) float64 ndarray
        """
        x = check_array("x", x)
        if x.ndim == 2:
            x = x[:, None, :]
        if x.ndim != 3 or x.shape[-1] != self.n_inputs or 0 in x.shape:
            raise ParameterError(
                "x",
                f"array of shape {x.shape}",
                f"a non-empty (batch, seq, {self.n_inputs}) or (batch, {self.n_inputs})",
            )
        p = self.params
        embedded = x @ p["embed.W"] + p["embed.b"]
        pooled = self.attention.forward(embedded).mean(axis=1)
        z1 = pooled @ p["fc1.W"] + p["fc1.b"]
        r1 = np.maximum(z1, 0.0)
        z2 = r1 @ p["fc2.W"] + p["fc2.b"]
        r2 = np.maximum(z2, 0.0)
        y = r2 @ p["out.W"] + p["out.b"]
        self._cache = {"x": x, "pooled": pooled, "z1": z1, "r1": r1, "z2": z2, "r2": r2}
        return y[:, 0]

    __call__ = forward

    def backward(self, grad_y) -> dict[str, np.ndarray]:
        """Gradients of a loss with respect to every parameter, given dL/dy of shape (batch,)."""
        if self._cache is None:
            raise RuntimeError("call forward() before backward()")
        c, p = self._cache, self.params
        grad_y = np.asarray(grad_y, dtype=np.float64).reshape(-1, 1)
        grads: dict[str, np.ndarray] = {}
        grads["out.W"], grads["out.b"] = c["r2"].T @ grad_y, grad_y.sum(axis=0)
        d_z2 = (grad_y @ p["out.W"].T) * (c["z2"] > 0)
        grads["fc2.W"], grads["fc2.b"] = c["r1"].T @ d_z2, d_z2.sum(axis=0)
        d_z1 = (d_z2 @ p["fc2.W"].T) * (c["z1"] > 0)
        grads["fc1.W"], grads["fc1.b"] = c["pooled"].T @ d_z1, d_z1.sum(axis=0)
        d_pooled = d_z1 @ p["fc1.W"].T
        seq = c["x"].shape[1]
        d_attended = np.repeat(d_pooled[:, None, :] / seq, seq, axis=1)
        d_embedded = self.attention.backward(d_attended)
        for name, g in self.attention.grads.items():
            grads[f"attention.{name}"] = g
        grads["embed.W"] = np.einsum("bsi,bsj->ij", c["x"], d_embedded)
        grads["embed.b"] = d_embedded.sum(axis=(0, 1))
        return grads


def mse_loss(prediction, target) -> tuple[float, np.ndarray]:
    """Mean squared error and its gradient with respect to ``prediction``.

    Parameters
    ----------
    prediction, target : (batch,) float ndarray
        Same shape, finite.

    Returns
    -------
    loss : float
        ``mean((prediction - target) ** 2)``.
    grad : (batch,) float64 ndarray
        ``2 (prediction - target) / batch``.
    """
    pred = check_array("prediction", prediction)
    tgt = check_array("target", target)
    if pred.shape != tgt.shape or pred.size == 0:
        raise ParameterError("target", f"array of shape {tgt.shape}", f"the shape of prediction, {pred.shape}")
    diff = pred - tgt
    return float(np.mean(diff**2)), 2.0 * diff / diff.size


class Adam:
    """Adam (Kingma & Ba 2015) updating a dict of arrays in place.

    Parameters
    ----------
    params : dict of str to ndarray
        The arrays to optimise (for example ``MFNNetwork.params``).
    lr : float
        Learning rate, > 0 (docs/learning.md: 1e-3).
    beta1, beta2 : float
        Moment decay rates, in [0, 1).
    eps : float
        Denominator guard, > 0.
    """

    def __init__(
        self, params: dict[str, np.ndarray], lr: float = 1e-3, beta1: float = 0.9, beta2: float = 0.999, eps=1e-8
    ) -> None:
        self.params = params
        self.lr = check_real("lr", lr, 0.0, lo_open=True)
        self.beta1 = check_real("beta1", beta1, 0.0, 1.0, hi_open=True)
        self.beta2 = check_real("beta2", beta2, 0.0, 1.0, hi_open=True)
        self.eps = check_real("eps", eps, 0.0, lo_open=True)
        self.t = 0
        self._m = {name: np.zeros_like(p) for name, p in params.items()}
        self._v = {name: np.zeros_like(p) for name, p in params.items()}

    def step(self, grads: dict[str, np.ndarray]) -> None:
        """Apply one update from ``grads`` (same keys and shapes as ``params``)."""
        self.t += 1
        c1 = 1.0 - self.beta1**self.t
        c2 = 1.0 - self.beta2**self.t
        for name, p in self.params.items():
            g = grads[name]
            self._m[name] = self.beta1 * self._m[name] + (1.0 - self.beta1) * g
            self._v[name] = self.beta2 * self._v[name] + (1.0 - self.beta2) * g * g
            p -= self.lr * (self._m[name] / c1) / (np.sqrt(self._v[name] / c2) + self.eps)


def fit(net: MFNNetwork, x, y, epochs: int = 300, lr: float = 1e-3) -> np.ndarray:
    """Train ``net`` full-batch with Adam on MSE; returns the loss before each step and after the last.

    Parameters
    ----------
    net : MFNNetwork
        Updated in place.
    x : (batch, seq, n_inputs) or (batch, n_inputs) float ndarray
    y : (batch,) float ndarray
    epochs : int
        Adam steps, >= 1.
    lr : float
        Learning rate, > 0.

    Returns
    -------
    (epochs + 1,) float64 ndarray
        ``losses[0]`` is the untrained loss, ``losses[-1]`` the loss after training.
    """
    epochs = check_int("epochs", epochs, 1)
    opt = Adam(net.params, lr=lr)
    losses = np.empty(epochs + 1)
    for epoch in range(epochs):
        losses[epoch], grad = mse_loss(net.forward(x), y)
        opt.step(net.backward(grad))
    losses[-1] = mse_loss(net.forward(x), y)[0]
    return losses
