import numpy as np
import pytest

from mfn import ParameterError
from mfn.learning.attention import SparseAttention, top_k_mask


def _layer(dim=6, top_k=2, seed=0):
    return SparseAttention(dim, top_k, rng=np.random.default_rng(seed))


def test_top_k_mask_keeps_the_largest_and_breaks_ties_by_position():
    scores = np.array([[1.0, 3.0, 2.0, 3.0]])
    assert top_k_mask(scores, 2).tolist() == [[False, True, False, True]]
    assert top_k_mask(scores, 1).tolist() == [[False, True, False, False]]
    assert top_k_mask(scores, 10).all()


@pytest.mark.parametrize(("top_k", "kept"), [(1, 1), (3, 3), (7, 7), (100, 7)])
def test_each_query_attends_to_top_k_keys(top_k, kept):
    layer = _layer(top_k=top_k)
    layer.forward(np.random.default_rng(1).normal(size=(2, 7, 6)))
    weights = layer.attention_weights()
    np.testing.assert_allclose(weights.sum(axis=-1), 1.0, rtol=1e-12)
    assert np.all((weights > 0).sum(axis=-1) == kept)


def test_top_k_at_least_sequence_is_dense_softmax_attention():
    layer = _layer(dim=4, top_k=5)
    x = np.random.default_rng(2).normal(size=(3, 5, 4))
    out = layer.forward(x)
    p = layer.params
    q, k, v = x @ p["Wq"] + p["bq"], x @ p["Wk"] + p["bk"], x @ p["Wv"] + p["bv"]
    s = q @ k.transpose(0, 2, 1) / 2.0
    w = np.exp(s) / np.exp(s).sum(axis=-1, keepdims=True)
    np.testing.assert_allclose(out, (w @ v) @ p["Wo"] + p["bo"], rtol=1e-12)


def test_sequence_of_one_passes_values_through():
    layer = _layer()
    x = np.random.default_rng(4).normal(size=(2, 1, 6))
    p = layer.params
    np.testing.assert_allclose(layer.forward(x), (x @ p["Wv"] + p["bv"]) @ p["Wo"] + p["bo"], rtol=1e-12)


def _numeric_grad(f, arr, eps=1e-6):
    grad = np.zeros_like(arr)
    for idx in np.ndindex(arr.shape):
        old = arr[idx]
        arr[idx] = old + eps
        up = f()
        arr[idx] = old - eps
        down = f()
        arr[idx] = old
        grad[idx] = (up - down) / (2 * eps)
    return grad


def _rel_error(a, b):
    return np.max(np.abs(a - b)) / max(np.max(np.abs(a)), np.max(np.abs(b)), 1e-300)


def assert_gradient(name, analytic, numeric):
    """Relative error < 1e-6, except for the key bias, whose exact gradient is zero.

    Adding q . bk to every score of a query row shifts the row by a constant, which softmax
    ignores, so dL/dbk = 0 identically; a relative error of two round-off values means nothing.
    """
    if name.endswith("bk"):
        assert np.max(np.abs(analytic)) < 1e-12 and np.max(np.abs(numeric)) < 1e-8, name
    else:
        assert _rel_error(analytic, numeric) < 1e-6, name


@pytest.mark.parametrize("top_k", [2, 8])
def test_backward_matches_finite_differences(top_k):
    layer = _layer(dim=5, top_k=top_k, seed=3)
    rng = np.random.default_rng(5)
    x, g = rng.normal(size=(2, 6, 5)), rng.normal(size=(2, 6, 5))

    def loss():
        return float(np.sum(layer.forward(x) * g))

    loss()
    dx = layer.backward(g)
    for name, param in layer.params.items():
        assert_gradient(name, layer.grads[name], _numeric_grad(loss, param))
    assert _rel_error(dx, _numeric_grad(loss, x)) < 1e-6


@pytest.mark.parametrize(
    ("x", "match"),
    [
        (np.zeros((2, 3, 5)), "x"),
        (np.zeros((2, 6)), "x"),
        (np.full((1, 2, 6), np.nan), "x"),
        (np.zeros((1, 0, 6)), "x"),
    ],
)
def test_bad_input(x, match):
    with pytest.raises(ParameterError, match=match):
        _layer().forward(x)


@pytest.mark.parametrize(("dim", "top_k", "name"), [(0, 2, "dim"), (4, 0, "top_k"), (4, 1.5, "top_k")])
def test_bad_construction(dim, top_k, name):
    with pytest.raises(ParameterError, match=name):
        SparseAttention(dim, top_k, rng=np.random.default_rng(0))
