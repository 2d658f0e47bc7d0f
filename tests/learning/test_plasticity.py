import numpy as np
import pytest

from mfn import ParameterError
from mfn.learning.plasticity import STDP, stdp_update, stdp_window


@pytest.mark.parametrize(("dt", "expected"), [(0.010, 0.0060653), (-0.010, -0.0072784), (0.0, 0.0)])
def test_reference_values(dt, expected):
    assert float(stdp_window(dt)) == pytest.approx(expected, abs=5e-8)
    assert stdp_update([0.0], [dt])[0, 0] == pytest.approx(expected, abs=5e-8)


def test_window_shape_of_bi_and_poo():
    dt = np.array([0.001, 0.005, 0.020, 0.1])
    ltp, ltd = stdp_window(dt), stdp_window(-dt)
    assert np.all(ltp > 0) and np.all(np.diff(ltp) < 0)  # potentiation decays with delay
    assert np.all(ltd < 0) and np.all(np.diff(ltd) > 0)
    assert float(stdp_window(1e-12)) == pytest.approx(0.01)  # A+ at dt -> 0+
    assert float(stdp_window(0.020)) == pytest.approx(0.01 / np.e)  # one time constant


@pytest.mark.parametrize("dt", [1e6, -1e6, 1e300, -1e300])
def test_huge_time_differences_do_not_overflow(dt):
    with np.errstate(all="raise"):
        dw = float(stdp_window(dt))
    assert np.isfinite(dw) and abs(dw) <= 0.012 * np.exp(-50) * 1.0000001
    assert np.sign(dw) == np.sign(dt)


def test_extreme_spike_times_do_not_overflow():
    with np.errstate(all="raise"):
        dw = stdp_update([-1e308, 1e308], [1e308, -1e308])
    assert dw[0, 0] > 0 and dw[1, 1] < 0 and dw[0, 1] == 0.0 and dw[1, 0] == 0.0
    assert np.all(np.abs(dw) < 1e-20)


def test_batched_update_is_the_batch_mean():
    rng = np.random.default_rng(3)
    pre, post = rng.uniform(0, 0.1, (5, 3)), rng.uniform(0, 0.1, (5, 2))
    dw = stdp_update(pre, post)
    assert dw.shape == (3, 2)
    expected = np.mean([stdp_window(post[b][None, :] - pre[b][:, None]) for b in range(5)], axis=0)
    np.testing.assert_allclose(dw, expected, rtol=1e-14)


def test_custom_rule_parameters():
    assert float(stdp_window(0.01, tau_plus=0.01, a_plus=0.1)) == pytest.approx(0.1 / np.e)
    assert float(stdp_window(-0.01, tau_minus=0.01, a_minus=0.05)) == pytest.approx(-0.05 / np.e)


@pytest.mark.parametrize(
    ("kwargs", "name"),
    [
        ({"tau_plus": 20.0}, "tau_plus"),  # milliseconds by mistake
        ({"tau_minus": 0.001}, "tau_minus"),
        ({"a_plus": 0.5}, "a_plus"),
        ({"a_minus": 0.0}, "a_minus"),
        ({"a_minus": float("nan")}, "a_minus"),
    ],
)
def test_rule_parameters_out_of_range(kwargs, name):
    with pytest.raises(ParameterError, match=name):
        stdp_update([0.0], [0.01], **kwargs)
    with pytest.raises(ParameterError, match=name):
        STDP(**kwargs)


@pytest.mark.parametrize(
    ("pre", "post", "name"),
    [
        ([0.0, np.nan], [0.01], "pre_times"),
        ([0.0], [np.inf], "post_times"),
        (np.zeros((2, 3)), np.zeros((3, 1)), "post_times"),
        ([], [0.01], "pre_times"),
        (np.zeros((2, 2, 2)), np.zeros((2, 1)), "pre_times"),
    ],
)
def test_bad_spike_times(pre, post, name):
    with pytest.raises(ParameterError, match=name):
        stdp_update(pre, post)


def test_rule_applies_bounded_updates():
    rule = STDP(a_plus=0.1, w_max=0.55)
    w = np.full((2, 1), 0.5)
    new = rule.apply(w, pre_times=[0.0, 0.02], post_times=[0.01])
    assert new[0, 0] == pytest.approx(0.55)  # 0.5 + 0.0607 capped at w_max
    assert new[1, 0] == pytest.approx(0.5 - 0.012 * np.exp(-0.5))
    assert np.all(w == 0.5)  # input untouched


def test_spike_trains_sum_over_all_pairs():
    rule = STDP()
    dw = rule.train_delta([[0.0, 0.05], []], [[0.01]])
    assert dw.shape == (2, 1)
    assert dw[0, 0] == pytest.approx(float(stdp_window(0.01) + stdp_window(-0.04)))
    assert dw[1, 0] == 0.0
    w = rule.apply(np.full((2, 1), 0.5), pre_trains=[[0.0, 0.05], []], post_trains=[[0.01]])
    np.testing.assert_allclose(w, 0.5 + dw)


def test_causal_trains_potentiate_over_many_pairings():
    rule = STDP(learning_rate=0.5)
    w = np.full((1, 1), 0.2)
    for k in range(50):
        t = 0.1 * k
        w = rule.apply(w, pre_times=[t], post_times=[t + 0.005])
    assert w[0, 0] == pytest.approx(min(1.0, 0.2 + 50 * 0.5 * 0.01 * np.exp(-0.25)))


@pytest.mark.parametrize(
    ("weights", "kwargs", "name"),
    [
        (np.full((1, 1), 2.0), {"pre_times": [0.0], "post_times": [0.01]}, "weights"),
        (np.full((2, 2), 0.5), {"pre_times": [0.0], "post_times": [0.01]}, "weights"),
        (np.full((1, 1), 0.5), {"pre_times": [0.0], "post_trains": [[0.01]]}, "pre_times"),
        (np.full((1, 1), 0.5), {"pre_trains": [], "post_trains": [[0.01]]}, "pre_trains"),
    ],
)
def test_rule_bad_input(weights, kwargs, name):
    with pytest.raises(ParameterError, match=name):
        STDP().apply(weights, **kwargs)


def test_rule_bounds_validated():
    with pytest.raises(ParameterError, match="w_max"):
        STDP(w_min=1.0, w_max=0.5)
    with pytest.raises(ParameterError, match="learning_rate"):
        STDP(learning_rate=0.0)
