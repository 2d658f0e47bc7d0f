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
