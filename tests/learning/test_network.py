import numpy as np
import pytest

from mfn import ParameterError
from mfn.learning.network import Adam, MFNNetwork, fit, mse_loss

from .test_attention import _numeric_grad, assert_gradient


def test_architecture_shapes():
    net = MFNNetwork(hidden=16, seed=0)
    shapes = {name: p.shape for name, p in net.params.items()}
    assert shapes["embed.W"] == (4, 16) and shapes["fc1.W"] == (16, 16)
    assert shapes["fc2.W"] == (16, 8) and shapes["out.W"] == (8, 1)
    assert shapes["attention.Wq"] == (16, 16) and shapes["attention.bo"] == (16,)
    assert net.n_parameters == 4 * 16 + 16 + 4 * (16 * 16 + 16) + 16 * 16 + 16 + 16 * 8 + 8 + 8 + 1


def test_two_d_input_is_a_sequence_of_one():
    net = MFNNetwork(hidden=8, seed=1)
    x = np.random.default_rng(0).normal(size=(5, 4))
    np.testing.assert_array_equal(net(x), net(x[:, None, :]))


def test_seeded_initialisation_is_reproducible():
    a, b, c = MFNNetwork(seed=7), MFNNetwork(seed=7), MFNNetwork(seed=8)
    assert all(np.array_equal(a.params[k], b.params[k]) for k in a.params)
    assert not np.array_equal(a.params["fc1.W"], c.params["fc1.W"])


@pytest.mark.parametrize(("top_k", "seq"), [(2, 5), (4, 3)])
def test_gradients_match_finite_differences_for_every_parameter(top_k, seq):
    net = MFNNetwork(hidden=6, top_k=top_k, seed=11)
    rng = np.random.default_rng(12)
    x, y = rng.normal(size=(4, seq, 4)), rng.normal(size=4)

    def loss():
        return mse_loss(net.forward(x), y)[0]

    _, grad_y = mse_loss(net.forward(x), y)
    grads = net.backward(grad_y)
    assert set(grads) == set(net.params)
    for name, param in net.params.items():
        assert_gradient(name, grads[name], _numeric_grad(loss, param))


def test_mse_loss_and_gradient():
    loss, grad = mse_loss(np.array([1.0, 2.0]), np.array([0.0, 4.0]))
    assert loss == pytest.approx(2.5)
    np.testing.assert_allclose(grad, [1.0, -2.0])


def test_adam_first_step_moves_each_weight_by_lr():
    params = {"w": np.array([1.0, -1.0, 0.5])}
    Adam(params, lr=0.1).step({"w": np.array([3.0, -0.2, 1e-3])})
    np.testing.assert_allclose(params["w"], [0.9, -0.9, 0.4], atol=2e-6)  # eps shortens tiny steps


def test_adam_minimises_a_quadratic():
    params = {"w": np.array([5.0, -3.0])}
    opt = Adam(params, lr=0.05)
    for _ in range(2000):
        opt.step({"w": 2 * params["w"]})
    assert np.max(np.abs(params["w"])) < 1e-3


def test_training_lowers_the_loss():
    net = MFNNetwork(hidden=8, seed=0)
    rng = np.random.default_rng(1)
    x = rng.normal(size=(16, 3, 4))
    y = 0.5 * x[:, :, 0].mean(axis=1) - 0.2 * x[:, :, 1].mean(axis=1)
    losses = fit(net, x, y, epochs=300, lr=1e-2)
    assert losses.shape == (301,)
    assert losses[0] == pytest.approx(mse_loss(MFNNetwork(hidden=8, seed=0)(x), y)[0])
    assert losses[-1] < 0.2 * losses[0]


@pytest.mark.parametrize(
    ("kwargs", "name"),
    [({"hidden": 7}, "hidden"), ({"hidden": 0}, "hidden"), ({"top_k": 0}, "top_k"), ({"seed": -1}, "seed")],
)
def test_bad_construction(kwargs, name):
    with pytest.raises(ParameterError, match=name):
        MFNNetwork(**kwargs)


@pytest.mark.parametrize("x", [np.zeros((2, 3)), np.zeros((2, 1, 5)), np.array([[np.inf, 0, 0, 0]]), np.zeros((0, 4))])
def test_bad_input(x):
    with pytest.raises(ParameterError, match="x"):
        MFNNetwork(hidden=4)(x)


def test_bad_loss_and_optimiser_input():
    with pytest.raises(ParameterError, match="target"):
        mse_loss(np.zeros(3), np.zeros(2))
    with pytest.raises(ParameterError, match="lr"):
        Adam({}, lr=0.0)
    with pytest.raises(ParameterError, match="beta2"):
        Adam({}, beta2=1.0)
