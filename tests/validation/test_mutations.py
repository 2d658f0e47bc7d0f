"""For every validation row, a broken model under which that row fails.

Each test breaks one thing through a test-only hook (monkeypatching a module constant, a
kernel constant or an estimator for the test's duration) and asserts that its row then fails.
``@pytest.mark.mutation("row_name")`` names the row it falsifies; ``tests/validation/test_suite.py``
checks that every row of :func:`mfn.validate` has one (models' rows included, wherever their
tests live). ``pytest -k mutation`` runs exactly these tests.
"""

from __future__ import annotations

import dataclasses

import numpy as np
import pytest

from mfn.analysis import fractal
from mfn.core.rows import ValidationRow
from mfn.models.classic import draws, kernels
from mfn.models.classic.draws import DrawStream
from mfn.models.classic.kernels import KernelConstants
from mfn.physics import nernst as nernst_module
from mfn.validation import classic, general


def _fails(row_fn) -> ValidationRow:
    row = row_fn()
    assert isinstance(row, ValidationRow) and row.name == row_fn.__name__
    assert row.passed is False, f"{row.name} still passes under its mutation: {row.measured}"
    return row


def _break_alpha(monkeypatch, change) -> None:
    """The kernel steps with ``change(alpha)`` instead of the alpha the parameters declare."""
    original = KernelConstants.from_params.__func__

    def broken(cls, params):
        c = original(cls, params)
        return dataclasses.replace(c, alpha=change(c.alpha))

    monkeypatch.setattr(KernelConstants, "from_params", classmethod(broken))


def _break_draws(monkeypatch, change) -> None:
    """Every DrawStream is altered by ``change(stream)`` right after it is made."""
    original = DrawStream.__init__

    def broken(self, params):
        original(self, params)
        change(self)

    monkeypatch.setattr(DrawStream, "__init__", broken)


# ---- controls -----------------------------------------------------------------------------


@pytest.mark.mutation("pure_diffusion_lowers_variance")
def test_mutation_slower_diffusion_than_declared_fails_the_variance_prediction(monkeypatch):
    _break_alpha(monkeypatch, lambda a: 0.9 * a)  # still smooths: only the prediction catches it
    row = _fails(classic.pure_diffusion_lowers_variance)
    assert "relative error" in row.measured


@pytest.mark.mutation("growth_events_at_p_half")
def test_mutation_halved_event_probability_fails_the_event_count(monkeypatch):
    _break_draws(monkeypatch, lambda s: setattr(s, "spike_probability", s.spike_probability / 2))
    _fails(classic.growth_events_at_p_half)


@pytest.mark.mutation("turing_on_differs_from_off")
def test_mutation_turing_kick_removed_fails_turing_on_differs(monkeypatch):
    monkeypatch.setattr(kernels, "TURING_KICK", 0.0)
    _fails(classic.turing_on_differs_from_off)


@pytest.mark.mutation("noise_run_is_sound")
def test_mutation_alpha_past_cfl_fails_the_noise_run(monkeypatch):
    _break_alpha(monkeypatch, lambda a: 0.3)
    row = _fails(classic.noise_run_is_sound)
    assert "excess 0 mV" not in row.measured


@pytest.mark.mutation("alpha_024_is_stable")
def test_mutation_alpha_past_cfl_fails_alpha_024(monkeypatch):
    _break_alpha(monkeypatch, lambda a: a + 0.03)  # 0.27: past the CFL limit, hidden by the clamp before
    _fails(classic.alpha_024_is_stable)


@pytest.mark.mutation("thousand_steps_are_stable")
def test_mutation_leaky_laplacian_fails_the_thousand_step_bookkeeping(monkeypatch):
    original = kernels.laplacian
    monkeypatch.setattr(kernels, "laplacian", lambda u, boundary, fill=0.0: original(u, boundary, fill) - 1e-4 * u)
    row = _fails(classic.thousand_steps_are_stable)
    assert "0 clamped cell-steps" in row.measured  # the field stays in range: only the bookkeeping sees it


# ---- invariants ---------------------------------------------------------------------------


@pytest.mark.mutation("nernst_matches_literature")
def test_mutation_wrong_faraday_constant_fails_nernst_literature(monkeypatch):
    monkeypatch.setattr(nernst_module, "FARADAY", nernst_module.FARADAY * 1.2)
    _fails(general.nernst_matches_literature)


@pytest.mark.mutation("clamp_holds_and_is_counted")
def test_mutation_clamp_at_50_mv_fails_the_clamp_row(monkeypatch):
    monkeypatch.setattr(kernels, "V_MAX", 0.050)
    _fails(classic.clamp_holds_and_is_counted)


@pytest.mark.mutation("ifs_lyapunov_negative")
def test_mutation_expanding_ifs_maps_fail_the_lyapunov_row(monkeypatch):
    monkeypatch.setattr(fractal, "IFS_SCALE_RANGE", (0.9, 1.3))
    _fails(general.ifs_lyapunov_negative)


@pytest.mark.mutation("ifs_lyapunov_negative")
def test_mutation_exponent_averaged_over_maps_not_iterations_fails_the_lyapunov_row(monkeypatch):
    monkeypatch.setattr(fractal.IFSMaps, "lyapunov", property(lambda m: float(np.mean(2.0 * np.log(m.scales)))))
    row = _fails(general.ifs_lyapunov_negative)
    assert "differs by at most" in row.measured


@pytest.mark.mutation("box_dimension_known_answers")
def test_mutation_box_counts_biased_with_box_size_fail_the_known_answers(monkeypatch):
    original = fractal._count_boxes
    monkeypatch.setattr(fractal, "_count_boxes", lambda mask, size: original(mask, size) * size**0.05)
    _fails(general.box_dimension_known_answers)


@pytest.mark.mutation("same_seed_same_result")
def test_mutation_unseeded_draws_fail_same_seed_same_result(monkeypatch):
    _break_draws(monkeypatch, lambda s: setattr(s, "rng", np.random.default_rng()))
    _fails(classic.same_seed_same_result)


# ---- falsification attempts ---------------------------------------------------------------


@pytest.mark.mutation("diffusion_smooths")
def test_mutation_alpha_past_cfl_fails_diffusion_smooths(monkeypatch):
    _break_alpha(monkeypatch, lambda a: 0.3)
    _fails(classic.diffusion_smooths)


@pytest.mark.mutation("nernst_sign")
def test_mutation_flipped_faraday_sign_fails_nernst_sign(monkeypatch):
    monkeypatch.setattr(nernst_module, "FARADAY", -nernst_module.FARADAY)
    _fails(general.nernst_sign)


@pytest.mark.mutation("ifs_bounded")
def test_mutation_non_contracting_ifs_maps_fail_the_bound(monkeypatch):
    monkeypatch.setattr(fractal, "IFS_SCALE_RANGE", (0.9, 1.1))
    _fails(general.ifs_bounded)


@pytest.mark.mutation("ifs_bounded")
def test_mutation_iteration_that_drifts_fails_the_bound(monkeypatch):
    original = fractal.iterate_ifs

    def drifting(maps, start=0j):
        return original(maps._replace(shifts=maps.shifts * 1.5), start)

    monkeypatch.setattr(fractal, "iterate_ifs", drifting)
    _fails(general.ifs_bounded)


@pytest.mark.mutation("cfl_edge")
def test_mutation_alpha_just_past_cfl_fails_cfl_edge(monkeypatch):
    _break_alpha(monkeypatch, lambda a: a + 0.002)  # 0.2519: |1 - 8 alpha| > 1
    _fails(classic.cfl_edge)


# ---- findings -----------------------------------------------------------------------------


@pytest.mark.mutation("threshold_sensitivity")
def test_mutation_no_diffusion_fails_threshold_sensitivity(monkeypatch):
    _break_alpha(monkeypatch, lambda a: 1e-6)  # the field stays white noise
    _fails(classic.threshold_sensitivity)


@pytest.mark.mutation("regime_discrimination")
def test_mutation_zero_growth_amplitude_fails_regime_discrimination(monkeypatch):
    monkeypatch.setattr(draws, "SPIKE_MEAN", 0.0)
    monkeypatch.setattr(draws, "SPIKE_SD", 0.0)
    _fails(classic.regime_discrimination)
