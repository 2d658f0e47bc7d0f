"""The random stream of a run: one order, however it is drawn."""

import numpy as np
import pytest

from mfn.models.classic.draws import SPIKE_BLOCK, DrawStream
from mfn.models.classic.params import FieldParams


@pytest.mark.parametrize("jitter_var", [0.0, 0.001])
def test_drawing_many_steps_at_once_equals_step_by_step(jitter_var):
    params = FieldParams(grid_size=(4, 6), seed=11, jitter_var=jitter_var, spike_probability=0.4)
    one_by_one, in_chunks = DrawStream(params), DrawStream(params)
    for stream in (one_by_one, in_chunks):
        stream.initial_state()
    chunks = [1, SPIKE_BLOCK - 1, SPIKE_BLOCK, 7, 300]  # starts, ends and spans on block boundaries
    expected = [one_by_one.next_draws() for _ in range(sum(chunks))]
    got_cells, got_amplitudes, got_noise = [], [], []
    for n in chunks:
        cells, amplitudes, noise = in_chunks.draw_steps(n)
        got_cells += cells.tolist()
        got_amplitudes += amplitudes.tolist()
        got_noise += [None] * n if noise is None else list(noise)
    assert got_cells == [e[0] for e in expected]
    assert got_amplitudes == [e[1] for e in expected]
    for got, (_, _, noise) in zip(got_noise, expected, strict=True):
        assert (got is None and noise is None) or np.array_equal(got, noise)
    assert 0 < sum(c >= 0 for c in got_cells) < len(got_cells)  # events on some steps only
    # both streams are at the same place afterwards
    assert one_by_one.rng.random() == in_chunks.rng.random()


def test_a_chunk_may_not_cross_a_block_boundary():
    stream = DrawStream(FieldParams(grid_size=4, seed=1))
    stream.draw_steps(SPIKE_BLOCK - 2)
    with pytest.raises(ValueError, match="block boundary"):
        stream.draw_steps(3)


@pytest.mark.parametrize("seed", [0, 1, 7, 2**31 + 5, 2**63 - 1])
@pytest.mark.parametrize("shape", [(4, 4), (4, 6), (32, 32), (65, 33)])
def test_the_stream_is_the_documented_sequence_of_numpy_calls(seed, shape):
    """The cheaper primitives DrawStream uses give the bits of the calls its docstring names."""
    params = FieldParams(grid_size=shape, seed=seed, spike_probability=0.3, jitter_var=1e-4)
    stream = DrawStream(params)
    V, a, i = stream.initial_state()
    cells, amplitudes, noise = stream.draw_steps(3)
    rng = np.random.default_rng(seed)
    np.testing.assert_array_equal(V, rng.normal(-0.070, 0.005, shape))
    np.testing.assert_array_equal(a, rng.uniform(0.0, 0.1, shape))
    np.testing.assert_array_equal(i, rng.uniform(0.0, 0.1, shape))
    happens = rng.random(SPIKE_BLOCK) < 0.3
    block_cells = rng.integers(0, shape[0] * shape[1], SPIKE_BLOCK)
    block_amplitudes = rng.normal(0.020, 0.005, SPIKE_BLOCK)
    np.testing.assert_array_equal(cells, np.where(happens, block_cells, -1)[:3])
    np.testing.assert_array_equal(amplitudes, block_amplitudes[:3])
    np.testing.assert_array_equal(noise, rng.normal(0.0, 0.01, (3, *shape)))
    assert stream.rng.random() == rng.random()
