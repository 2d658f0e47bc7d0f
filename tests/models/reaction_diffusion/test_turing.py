"""Turing analysis: thresholds where theory gives them, the reference run's numbers, the classic verdict."""

import math

import numpy as np
import pytest

from mfn import ParameterError, ReactionDiffusionParams, turing_analysis, turing_space
from mfn.models.reaction_diffusion.turing import lattice_modes

A, DU, DV = 2.0, 2.0, 16.0
B_TURING = (1 + A * math.sqrt(DU / DV)) ** 2  # 2.914...
B_HOPF = 1 + A * A  # 5


def brusselator(B):
    return ReactionDiffusionParams(kinetics="brusselator", A=A, B=B, Du=DU, Dv=DV, grid_size=64)


def test_brusselator_turing_threshold():
    assert not turing_analysis(brusselator(B_TURING * (1 - 1e-9))).attrs["turing_unstable"]
    above = turing_analysis(brusselator(B_TURING * (1 + 1e-9)))
    assert above.attrs["turing_unstable"]
    # at onset the band shrinks to k_c^2 = A / sqrt(Du Dv)
    k_c = math.sqrt(A / math.sqrt(DU * DV))
    lo, hi = above.attrs["band_k"]
    assert lo == pytest.approx(k_c, rel=1e-3) and hi == pytest.approx(k_c, rel=1e-3)


def test_brusselator_hopf_threshold():
    below = turing_analysis(brusselator(B_HOPF * (1 - 1e-9)))
    above = turing_analysis(brusselator(B_HOPF * (1 + 1e-9)))
    assert bool(below.stable_trace[0]) and not bool(above.stable_trace[0])
    assert below.attrs["turing_unstable"] and not above.attrs["turing_unstable"]
    assert float(below.trace[0]) == pytest.approx(0.0, abs=1e-8)


def test_schnakenberg_reference_numbers():
    # KNOW-HOW: sigma_max = 0.411 at k = 0.42, wavelength 14.9 cells
    ta = turing_analysis(ReactionDiffusionParams(kinetics="schnakenberg", grid_size=128))
    assert ta.attrs["sigma_max"] == pytest.approx(0.411, abs=5e-4)
    assert ta.attrs["k_max"] == pytest.approx(0.42, abs=5e-3)
    assert ta.attrs["wavelength"] == pytest.approx(14.9, abs=0.05)
    # the dispersion curve peaks where the attrs say, and is negative outside the band
    sigma = ta.sigma.sel(state=ta.attrs["state_index"])
    assert float(sigma.max()) == pytest.approx(ta.attrs["sigma_max"], rel=1e-4)
    lo, hi = ta.attrs["band_k"]
    outside = (ta.k < lo * 0.99) | (ta.k > hi * 1.01)
    assert bool((sigma.where(outside) < 0).sum() == outside.sum())
    # the two allowed shells nearest k_max on a 128 grid
    shells = ta.attrs["nearest_shells"]
    assert all(abs(k - ta.attrs["k_max"]) < 2 * np.pi / 128 for k in shells)


def test_classic_is_not_turing_unstable_with_det_zero():
    ta = turing_analysis(ReactionDiffusionParams(kinetics="classic"))
    assert ta.attrs["turing_unstable"] is False
    assert ta.sizes["state"] == 1 and float(ta.det[0]) == 0.0
    assert "det J = 0" in ta.attrs["verdict"]
    assert math.isnan(ta.attrs["wavelength"])


def test_gray_scott_default_has_no_turing_instability_at_its_state():
    ta = turing_analysis(ReactionDiffusionParams(kinetics="gray_scott"))
    assert (ta.attrs["state_u"], ta.attrs["state_v"]) == (1.0, 0.0)
    assert not ta.attrs["turing_unstable"]


def test_lattice_symbol_and_modes():
    k, symbol = lattice_modes((8, 8), "periodic")
    assert k.size == 63
    assert symbol.max() == pytest.approx(8.0)
    # small k: the symbol approaches k^2
    small = k < 0.8
    np.testing.assert_allclose(symbol[small], k[small] ** 2, rtol=0.06)


def test_turing_space_matches_the_threshold():
    Bs = np.linspace(2.0, 4.5, 26)
    ts = turing_space(brusselator(4.0), over={"B": Bs, "Dv": [DV]})
    unstable = ts.turing_unstable.sel(Dv=DV).values
    np.testing.assert_array_equal(unstable, Bs > B_TURING)
    wl = ts.wavelength.sel(Dv=DV, B=4.0).item()
    assert wl == pytest.approx(turing_analysis(brusselator(4.0)).attrs["wavelength"], rel=1e-6)


def test_turing_space_refuses_bad_axes():
    base = brusselator(4.0)
    with pytest.raises(ParameterError, match="over = 'F'"):
        turing_space(base, over={"F": [0.1], "B": [3.0]})
    with pytest.raises(ParameterError, match="over"):
        turing_space(base, over={"B": [3.0]})
    with pytest.raises(ParameterError, match=r"^A = -1\.0"):
        turing_space(base, over={"A": [-1.0], "B": [3.0]})


@pytest.mark.parametrize(
    "kinetics, dt, over",
    [
        ("gray_scott", 1.0, {"F": np.linspace(0.01, 0.1, 12), "k": np.linspace(0.03, 0.07, 12)}),
        ("fitzhugh_nagumo", 0.004, {"beta": np.linspace(0.2, 2.0, 10), "Dv": [5.0, 20.0, 60.0]}),
    ],
)
def test_turing_space_agrees_with_the_analysis_point_by_point(kinetics, dt, over):
    base = ReactionDiffusionParams(kinetics=kinetics, grid_size=32, dt=dt)
    space = turing_space(base, over=over)
    (n1, v1), (n2, v2) = over.items()
    for x in v1[::3]:
        for y in v2:
            one = turing_analysis(base.replace(**{n1: float(x), n2: float(y)}))
            cell = space.sel({n1: x, n2: y})
            unstable = bool(one.turing_unstable.any())
            assert bool(cell.turing_unstable) == unstable, (x, y)
            if unstable:
                best = float(one.sigma_max.max())
                assert float(cell.sigma_max) == pytest.approx(best, rel=1e-9)
