import numpy as np
import pytest

from mfn.models.classic.kernels import V_REST, laplacian


def _loop_laplacian(u, boundary, fill):
    rows, cols = u.shape
    out = np.empty_like(u)

    def at(r, c):
        if boundary == "periodic":
            return u[r % rows, c % cols]
        if 0 <= r < rows and 0 <= c < cols:
            return u[r, c]
        if boundary == "neumann":
            return u[min(max(r, 0), rows - 1), min(max(c, 0), cols - 1)]
        return fill

    for r in range(rows):
        for c in range(cols):
            out[r, c] = at(r + 1, c) + at(r - 1, c) + at(r, c + 1) + at(r, c - 1) - 4 * u[r, c]
    return out


@pytest.mark.parametrize("boundary", ["periodic", "neumann", "dirichlet"])
@pytest.mark.parametrize("shape", [(4, 4), (5, 7)])
def test_laplacian_equals_explicit_loop(boundary, shape):
    u = np.random.default_rng(1).normal(size=shape)
    assert np.array_equal(laplacian(u, boundary, V_REST), _loop_laplacian(u, boundary, V_REST))


@pytest.mark.parametrize("boundary", ["periodic", "neumann"])
def test_laplacian_sums_to_zero_without_fixed_edges(boundary):
    u = np.random.default_rng(2).normal(size=(9, 6))
    assert abs(laplacian(u, boundary).sum()) < 1e-12


def test_laplacian_of_constant_field_at_rest_is_zero_for_dirichlet():
    u = np.full((6, 6), V_REST)
    assert np.all(laplacian(u, "dirichlet", V_REST) == 0)


@pytest.mark.parametrize("boundary", ["periodic", "dirichlet"])
def test_pre_clamp_reports_the_field_before_the_clamp_and_changes_no_bit(boundary, monkeypatch):
    from mfn.models.classic import kernels
    from mfn.models.classic.kernels import KernelConstants, numpy_step
    from mfn.models.classic.params import FieldParams

    c = KernelConstants.from_params(FieldParams(grid_size=12, boundary=boundary, ra=0.1, ri=0.001))
    rng = np.random.default_rng(3)
    V = rng.normal(-0.07, 0.05, (12, 12))  # wide enough that the clamp acts at both ends
    a, i = rng.uniform(0, 1, (2, 12, 12))
    noise = rng.normal(0, 0.05, (12, 12))
    plain = [x.copy() for x in (V, a, i)]
    counts = numpy_step(*plain, 5, 0.02, noise, c)
    watched = [x.copy() for x in (V, a, i)]
    pre = np.full(3, np.nan)
    assert numpy_step(*watched, 5, 0.02, noise, c, pre_clamp=pre) == counts and counts[1] > 0
    for x, y in zip(plain, watched, strict=True):
        assert np.array_equal(x, y)
    # the same step with the clamp moved out of reach gives the field pre_clamp describes
    monkeypatch.setattr(kernels, "V_MIN", -np.inf)
    monkeypatch.setattr(kernels, "V_MAX", np.inf)
    free = [x.copy() for x in (V, a, i)]
    assert numpy_step(*free, 5, 0.02, noise, c)[1] == 0
    assert list(pre) == [free[0].min(), free[0].max(), free[0].sum()]
    assert pre[0] < -0.095 and pre[1] > 0.040  # beyond the clamp at both ends
