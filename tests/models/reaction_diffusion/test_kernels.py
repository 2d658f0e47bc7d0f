"""The numpy reference step and the fused numba step agree; same seed, same bits; V holds the pattern."""

import numpy as np
import pytest

from mfn import NumericalInstabilityError, ReactionDiffusionParams
from mfn.models.reaction_diffusion.kernels import laplacian
from mfn.models.reaction_diffusion.kinetics import KINETICS, custom_kinetics
from mfn.models.reaction_diffusion.stepper import RDStepper


@pytest.mark.parametrize("boundary", ["periodic", "neumann", "dirichlet"])
@pytest.mark.parametrize("name", list(KINETICS))
def test_numba_matches_numpy(name, boundary):
    p = ReactionDiffusionParams(kinetics=name, grid_size=(24, 20), boundary=boundary, noise=0.05, seed=2, substeps=7)
    ref, fast = RDStepper(p, "numpy"), RDStepper(p, "numba")
    assert fast.backend == "numba"
    ref.advance(20)
    fast.advance(20)
    for x in ("u", "v", "V"):
        a, b = ref.variable(x), fast.variable(x)
        np.testing.assert_allclose(b, a, rtol=0, atol=1e-12 * max(1.0, np.abs(a).max()))


def test_same_seed_same_bits_and_other_seed_differs():
    p = ReactionDiffusionParams(kinetics="brusselator", grid_size=32, seed=7)
    runs = [RDStepper(p, "numba") for _ in range(2)]
    for r in runs:
        r.advance(5)
    assert all(np.array_equal(runs[0].variable(x), runs[1].variable(x)) for x in "uvV")
    other = RDStepper(p.replace(seed=8), "numba")
    other.advance(5)
    assert not np.array_equal(other.variable("u"), runs[0].variable("u"))


def test_laplacian_boundaries():
    x = np.arange(12.0).reshape(3, 4) ** 2
    lap_p = laplacian(x, "periodic", 0.0)
    assert abs(lap_p.sum()) < 1e-12  # periodic diffusion conserves the mean
    lap_n = laplacian(x, "neumann", 0.0)
    assert abs(lap_n.sum()) < 1e-12  # so does zero flux
    lap_d = laplacian(np.zeros((3, 3)), "dirichlet", 2.0)
    assert lap_d[1, 1] == 0.0 and lap_d[0, 0] == 4.0 and lap_d[0, 1] == 2.0


def test_v_relaxes_to_rest_without_drive_and_dirichlet_holds_the_state():
    p = ReactionDiffusionParams(kinetics="schnakenberg", grid_size=16, boundary="dirichlet", noise=0.0, g_u=0.0)
    s = RDStepper(p, "numpy")
    s.V += 10.0
    s.advance(200)  # 200 * 100 * 0.005 = 100 time units = 100 tau
    np.testing.assert_allclose(s.V, p.E_rest, atol=1e-9)
    np.testing.assert_allclose(s.u, p.state[0], atol=1e-12)


def test_custom_kinetics_run_on_numpy_whatever_asked():
    kin = custom_kinetics(lambda u, v: 0.1 - u + u * u * v, lambda u, v: 0.9 - u * u * v, Du=1.0, Dv=40.0, dt=0.005)
    p = ReactionDiffusionParams(kinetics=kin, grid_size=16, substeps=10)
    custom = RDStepper(p, "numba")
    builtin = RDStepper(ReactionDiffusionParams(kinetics="schnakenberg", grid_size=16, substeps=10), "numpy")
    assert custom.backend == "numpy"
    custom.advance(3)
    builtin.advance(3)
    np.testing.assert_allclose(custom.u, builtin.u, rtol=0, atol=1e-12)


def test_blow_up_is_reported_not_returned_as_nan():
    # u_t = u^2 blows up in finite time from any positive start
    kin = custom_kinetics(lambda u, v: u * u, lambda u, v: -v, dt=0.01, Du=0.01, Dv=0.01)
    s = RDStepper(ReactionDiffusionParams(kinetics=kin, grid_size=8, noise=0.5, seed=1), "numpy")
    with pytest.raises(NumericalInstabilityError, match="lower dt"):
        s.advance(100)
