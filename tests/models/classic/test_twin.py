import math

import numpy as np
import pytest

from mfn import FieldParams, ParameterError, Simulation, simulate


def _lowest_dirichlet_rate(n: int, alpha: float) -> float:
    """ln of the slowest decay factor per step of explicit diffusion with fixed edges on an n x n grid."""
    return math.log(1.0 - 8.0 * alpha * math.sin(math.pi / (2 * (n + 1))) ** 2)


@pytest.mark.parametrize("boundary", ["periodic", "neumann"])
@pytest.mark.parametrize("extra", [{}, {"jitter_var": 1e-6}, {"turing": False}], ids=["default", "noise", "no-turing"])
def test_conserved_mean_gives_an_exponent_near_zero(boundary, extra):
    run = simulate(FieldParams(grid_size=24, steps=300, boundary=boundary, **extra), record_every=None)
    assert run.attrs["clamped_cells_total"] == 0
    assert abs(run.attrs["lyapunov"]) < 1e-6


@pytest.mark.parametrize(
    "extra", [{"ra": 0.1, "ri": 0.001}, {"jitter_var": 0.0005}], ids=["active-turing", "strong-noise"]
)
def test_clamping_contracts_so_the_exponent_turns_negative(extra):
    # Clamped cells forget the perturbation: Turing kicks push V to +40 mV, strong noise to both clamps.
    run = simulate(FieldParams(grid_size=24, steps=300, **extra), record_every=None)
    assert run.attrs["clamped_cells_total"] > 0
    assert run.attrs["lyapunov"] < -1e-3


@pytest.mark.parametrize("alpha", [0.1, 0.18, 0.24])
def test_fixed_edges_give_the_slowest_diffusion_mode_rate(alpha):
    n = 8
    sim = Simulation(FieldParams(grid_size=n, alpha=alpha, boundary="dirichlet", seed=3))
    sim.step(800)
    expected = _lowest_dirichlet_rate(n, alpha)
    assert sim.lyapunov < 0
    assert sim.lyapunov == pytest.approx(expected, rel=0.01)


def test_every_run_reports_lyapunov_and_fractal_dimension():
    run = simulate(FieldParams(grid_size=16, steps=20, boundary="dirichlet"), record_every=None)
    for key in ("lyapunov", "fractal_dimension", "growth_events_total", "duration_s"):
        assert np.isfinite(run.attrs[key])
    assert run.attrs["lyapunov"] < 0
    assert 0.0 <= run.attrs["fractal_dimension"] <= 2.0


def test_fractal_dimension_attr_is_the_box_dimension_above_minus_60_mv():
    sim = Simulation(FieldParams(grid_size=32, steps=200, spike_probability=1.0, alpha=0.01, seed=2))
    run = sim.run(record_every=None)
    from mfn.analysis.fractal import box_dimension

    V = run.V.values[-1]
    assert (V > -60).any()
    assert run.attrs["fractal_dimension"] == box_dimension(V > -60)[0] > 0


def test_twin_uses_the_same_draws_and_leaves_the_run_unchanged():
    field = FieldParams(grid_size=16, steps=50, jitter_var=0.0005, ra=0.1, ri=0.001, seed=5)
    with_twin, without = Simulation(field), Simulation(field, lyapunov=False)
    with_twin.step(50)
    without.step(50)
    np.testing.assert_array_equal(with_twin.V, without.V)
    np.testing.assert_array_equal(with_twin.stepper.twin._a, with_twin.stepper.a)
    np.testing.assert_array_equal(with_twin.stepper.twin._i, with_twin.stepper.i)
    assert math.isnan(without.lyapunov)
    assert math.isnan(simulate(field, lyapunov=False).attrs["lyapunov"])


def test_exponent_is_zero_before_any_step_and_reproducible():
    field = FieldParams(grid_size=8, boundary="dirichlet", seed=1)
    assert Simulation(field).lyapunov == 0.0
    a, b = Simulation(field), Simulation(field)
    a.step(30)
    b.step(30)
    assert a.lyapunov == b.lyapunov


def test_lyapunov_flag_must_be_boolean():
    with pytest.raises(ParameterError, match="lyapunov"):
        Simulation(lyapunov="yes")
