"""Sparse top-k self-attention as a numpy layer with its own backward pass.

For an input ``x`` of shape (batch, seq, dim)::

    Q, K, V = x Wq + bq, x Wk + bk, x Wv + bv
    S = Q K^T / sqrt(dim)                     (batch, seq, seq)
    keep the top_k scores of each query row; the others get weight 0
    P = softmax over the kept scores
    out = (P V) Wo + bo

The set of kept scores is piecewise constant in the input, so the gradient flows through the
kept scores only (exactly as autograd treats a top-k mask). Ties at the k-th score are broken
by position (lowest index first), deterministically.
"""

from __future__ import annotations

import numpy as np

from mfn.core.checks import check_array, check_int
from mfn.core.errors import ParameterError

__all__ = ["SparseAttention", "init_linear", "top_k_mask"]


def init_linear(rng: np.random.Generator, fan_in: int, fan_out: int) -> tuple[np.ndarray, np.ndarray]:
    """Weights and bias of a linear layer, drawn U(-1/sqrt(fan_in), 1/sqrt(fan_in)) (PyTorch's default).

    Returns
    -------
    W : (fan_in, fan_out) float64 ndarray
    b : (fan_out,) float64 ndarray
    """
    bound = 1.0 / np.sqrt(fan_in)
    return rng.uniform(-bound, bound, (fan_in, fan_out)), rng.uniform(-bound, bound, fan_out)


def top_k_mask(scores: np.ndarray, k: int) -> np.ndarray:
    """Boolean mask of the ``k`` largest entries along the last axis (all when ``k >= size``).

    Ties are broken by position: a stable sort keeps the lowest index first.
    """
    n = scores.shape[-1]
    if k >= n:
        return np.ones(scores.shape, dtype=bool)
    order = np.argsort(-scores, axis=-1, kind="stable")[..., :k]
    mask = np.zeros(scores.shape, dtype=bool)
    np.put_along_axis(mask, order, True, axis=-1)
    return mask


class SparseAttention:
    """Single-head sparse top-k self-attention with an output projection.

    Parameters
    ----------
    dim : int
        Model width (input and output features), >= 1.
    top_k : int
        Scores kept per query, >= 1; a value larger than the sequence keeps them all.
    rng : numpy.random.Generator
        Source of the initial weights.

    Attributes
    ----------
    params : dict of str to ndarray
        ``Wq, bq, Wk, bk, Wv, bv, Wo, bo``; weights are (dim, dim), biases (dim,).
    grads : dict of str to ndarray
        Gradients of the same shapes, filled by :meth:`backward`.

    Examples
    --------
    >>> layer = SparseAttention(8, top_k=2, rng=np.random.default_rng(0))
    >>> layer.forward(np.ones((3, 5, 8))).shape
    (3, 5, 8)
    """

    NAMES = ("Wq", "bq", "Wk", "bk", "Wv", "bv", "Wo", "bo")

    def __init__(self, dim: int, top_k: int = 4, *, rng: np.random.Generator) -> None:
        self.dim = check_int("dim", dim, 1)
        self.top_k = check_int("top_k", top_k, 1)
        self.params: dict[str, np.ndarray] = {}
        for proj in "qkvo":
            self.params[f"W{proj}"], self.params[f"b{proj}"] = init_linear(rng, dim, dim)
        self.grads = {name: np.zeros_like(p) for name, p in self.params.items()}
        self._cache: tuple | None = None

    def forward(self, x: np.ndarray) -> np.ndarray:
        """Attend over the sequence.

        Parameters
        ----------
        x : (batch, seq, dim) float ndarray

        Returns
        -------
        (batch, seq, dim) float64 ndarray
        """
        x = check_array("x", x, ndim=3)
        if x.shape[-1] != self.dim or x.shape[1] == 0:
            raise ParameterError("x", f"array of shape {x.shape}", f"shape (batch, seq >= 1, {self.dim})")
        p = self.params
        q, k, v = x @ p["Wq"] + p["bq"], x @ p["Wk"] + p["bk"], x @ p["Wv"] + p["bv"]
        scores = q @ k.transpose(0, 2, 1) / np.sqrt(self.dim)
        mask = top_k_mask(scores, self.top_k)
        kept = np.where(mask, scores, -np.inf)
        e = np.exp(kept - kept.max(axis=-1, keepdims=True))  # exp(-inf) = 0 off the mask
        weights = e / e.sum(axis=-1, keepdims=True)
        mixed = weights @ v
        self._cache = (x, q, k, v, weights, mixed)
        return mixed @ p["Wo"] + p["bo"]

    def attention_weights(self) -> np.ndarray:
        """The (batch, seq, seq) attention weights of the last forward pass (zeros off the top-k)."""
        if self._cache is None:
            raise RuntimeError("call forward() first")
        return self._cache[4]

    def backward(self, grad_out: np.ndarray) -> np.ndarray:
        """Back-propagate ``grad_out`` (batch, seq, dim); fills :attr:`grads`, returns dL/dx."""
        if self._cache is None:
            raise RuntimeError("call forward() before backward()")
        x, q, k, v, weights, mixed = self._cache
        p, g = self.params, self.grads
        g["Wo"] = np.einsum("bsi,bsj->ij", mixed, grad_out)
        g["bo"] = grad_out.sum(axis=(0, 1))
        d_mixed = grad_out @ p["Wo"].T
        d_weights = d_mixed @ v.transpose(0, 2, 1)
        d_v = weights.transpose(0, 2, 1) @ d_mixed
        # softmax backward; weights are 0 off the mask, so masked scores get no gradient
        d_scores = weights * (d_weights - (d_weights * weights).sum(axis=-1, keepdims=True))
        d_scores /= np.sqrt(self.dim)
        d_q = d_scores @ k
        d_k = d_scores.transpose(0, 2, 1) @ q
        d_x = np.zeros_like(x)
        for proj, d in (("q", d_q), ("k", d_k), ("v", d_v)):
            g[f"W{proj}"] = np.einsum("bsi,bsj->ij", x, d)
            g[f"b{proj}"] = d.sum(axis=(0, 1))
            d_x += d @ p[f"W{proj}"].T
        return d_x
