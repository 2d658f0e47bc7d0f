"""py-pde's stepper for the activator–inhibitor equations agrees with our numpy kernel.

py-pde (the extra ``mfn[bench]``) is part of the test install: these tests require it.
"""

import sys

import numpy as np
import pytest

from mfn import FieldParams
from mfn.bench.pypde import pypde_missing, pypde_rows, pypde_stepper
from mfn.core.params import STEPS_MAX
from mfn.models.classic.draws import DrawStream
from mfn.models.classic.kernels import KernelConstants, numpy_step

PARAMS = FieldParams(grid_size=8, steps=STEPS_MAX)  # the quick benchmark's grid: its stepper is reused


def _initial(kind):
    V, a, i = DrawStream(PARAMS).initial_state()
    if kind == "clipped":  # a block of a = 0 under i > 0: those cells go below 0 and are clipped
        rng = np.random.default_rng(7)
        a, i = rng.uniform(0.0, 1.0, a.shape), rng.uniform(0.0, 1.0, i.shape)
        a[2:6] = 0.0
    return V, a, i


@pytest.mark.parametrize("kind", ["drawn", "clipped"])
# "pypde": the compiled 8x8 stepper is built once per process and reused (tests/conftest.py)
@pytest.mark.parametrize(
    "backend", [pytest.param("numba", marks=[pytest.mark.slow, pytest.mark.xdist_group("pypde")]), "numpy"]
)
def test_pypde_steps_agree_with_the_numpy_kernel(backend, kind):
    V, a, i = _initial(kind)
    theirs = pypde_stepper(PARAMS, backend)
    theirs.set(a, i)
    constants = KernelConstants.from_params(PARAMS)
    clipped = []
    for _ in range(10):
        numpy_step(V, a, i, -1, 0.0, None, constants)
        clipped.append(np.count_nonzero(a == 0.0))
    theirs.advance(10)
    # py-pde sums the Laplacian in another order, with fastmath: equal to rounding, not bit for bit
    np.testing.assert_allclose(theirs.a, a, rtol=0, atol=1e-12)
    np.testing.assert_allclose(theirs.i, i, rtol=0, atol=1e-12)
    assert np.ptp(a) > 0.01 and np.ptp(i) > 0.001  # nothing trivial was compared
    assert (clipped[0] > 0) == (kind == "clipped")  # the clip (py-pde's post-step hook) took part


def test_pypde_is_installed_for_the_tests():
    assert pypde_missing() is None


def test_without_pypde_the_row_is_absent_with_a_reason(monkeypatch):
    monkeypatch.setitem(sys.modules, "pde", None)  # `import pde` now fails, as without py-pde
    assert "pip install 'mfn[bench]'" in pypde_missing()
    assert pypde_rows(8, 4, 1) == []
