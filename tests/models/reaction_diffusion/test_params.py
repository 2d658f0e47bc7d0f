"""ReactionDiffusionParams: per-kinetics defaults, bad input, the explicit-Euler limit."""

import numpy as np
import pytest

from mfn import ParameterError, ReactionDiffusionParams
from mfn.models.reaction_diffusion.kinetics import KINETICS, custom_kinetics


@pytest.mark.parametrize("name", list(KINETICS))
def test_defaults_come_from_the_kinetics(name):
    p = ReactionDiffusionParams(kinetics=name)
    kin = KINETICS[name]
    for field in (*kin.params, "Du", "Dv", "dt", "steps", "substeps", "tau", "g_u"):
        assert getattr(p, field) == kin.defaults[field]
    others = {n for k in KINETICS.values() for n in k.params} - set(kin.params)
    assert all(getattr(p, n) is None for n in others)
    assert p.grid_size == 128


def test_unknown_kinetics_and_foreign_parameters_are_refused():
    with pytest.raises(ParameterError, match="kinetics = 'turing' is invalid; valid: one of 'schnakenberg'"):
        ReactionDiffusionParams(kinetics="turing")
    with pytest.raises(ParameterError, match=r"F = 0\.03 is invalid; valid: unset"):
        ReactionDiffusionParams(kinetics="schnakenberg", F=0.03)


@pytest.mark.parametrize(
    "changes, name",
    [
        ({"kinetics": "brusselator", "A": -1.0}, "A"),
        ({"kinetics": "brusselator", "A": float("nan")}, "A"),
        ({"kinetics": "gierer_meinhardt", "b": 0.0}, "b"),
        ({"kinetics": "schnakenberg", "a": -1.0, "b": 0.5}, "a \\+ b"),
        ({"Du": 0.0}, "Du"),
        ({"noise": -0.1}, "noise"),
        ({"boundary": "torus"}, "boundary"),
        ({"steps": 0}, "steps"),
        ({"k_in": -1.0}, "k_in"),
    ],
)
def test_bad_values_name_the_parameter(changes, name):
    with pytest.raises(ParameterError, match=f"^{name} = "):
        ReactionDiffusionParams(**changes)


def test_unstable_dt_states_the_largest_stable_step():
    # Schnakenberg, Dv = 40: diffusion alone needs dt < 1/160 = 0.00625
    with pytest.raises(ParameterError, match=r"dt = 0.007 is invalid; valid: dt < 0.006\d+") as err:
        ReactionDiffusionParams(kinetics="schnakenberg", dt=0.007)
    limit = float(str(err.value).split("dt < ")[1].split(" ")[0])
    assert limit < 1 / 160
    ReactionDiffusionParams(kinetics="schnakenberg", dt=limit * 0.999)  # just below: accepted
    with pytest.raises(ParameterError, match="dt = "):
        ReactionDiffusionParams(kinetics="schnakenberg", dt=limit * 1.001)


def test_the_potential_equation_limits_dt_too():
    # dt (1 + 8 lambda^2) / tau < 2
    with pytest.raises(ParameterError, match=r"dt < 0.00888889 "):  # 2 * 0.04 / 9
        ReactionDiffusionParams(kinetics="brusselator", tau=0.04, space_constant=1.0)


def test_replace_gives_a_new_kinetics_its_own_defaults():
    p = ReactionDiffusionParams(kinetics="schnakenberg", a=0.2, grid_size=64, seed=4)
    q = p.replace(kinetics="brusselator")
    assert (q.A, q.B, q.Du, q.Dv, q.dt, q.a) == (2.0, 4.0, 2.0, 16.0, 0.01, None)
    assert (q.grid_size, q.seed) == (64, 4)
    assert p.replace(seed=5).a == 0.2


def test_attrs_round_trip():
    p = ReactionDiffusionParams(kinetics="gray_scott", F=0.03, grid_size=(32, 48))
    attrs = p.to_attrs()
    assert None not in attrs.values()
    assert ReactionDiffusionParams.from_attrs(attrs) == p


def test_resting_potential_from_ghk():
    assert ReactionDiffusionParams().E_rest == pytest.approx(-73.10, abs=0.01)
    assert ReactionDiffusionParams(p_na=0.0, p_cl=0.0).E_rest == pytest.approx(-89.011, abs=0.001)


def test_custom_kinetics_defaults():
    kin = custom_kinetics(lambda u, v: 0.1 - u + u * u * v, lambda u, v: 0.9 - u * u * v, Du=1.0, Dv=40.0, dt=0.005)
    p = ReactionDiffusionParams(kinetics=kin, grid_size=16)
    assert p.state == pytest.approx((1.0, 0.9), rel=1e-12)
    assert p.to_attrs()["kinetics"] == "custom"


# ---- dt="auto" ---------------------------------------------------------------------------------


@pytest.mark.parametrize("name", ["schnakenberg", "gierer_meinhardt", "brusselator", "fitzhugh_nagumo"])
@pytest.mark.parametrize("dv_factor", [0.5, 1.0, 2.0, 4.0])
def test_auto_dt_is_the_stable_limit_times_the_safety_factor_and_keeps_a_frames_duration(name, dv_factor):
    from mfn.models.reaction_diffusion.params import DT_SAFETY

    kin = KINETICS[name]
    p = ReactionDiffusionParams(kinetics=name, Dv=kin.defaults["Dv"] * dv_factor, dt="auto")
    limit = p.max_dt()
    assert p.dt <= DT_SAFETY * limit * (1 + 1e-12)
    assert p.substeps == 1 or (p.substeps - 1) * DT_SAFETY * limit < p.substeps * p.dt  # the fewest substeps
    assert p.substeps * p.dt == pytest.approx(kin.defaults["substeps"] * kin.defaults["dt"], rel=1e-12)
    attrs = p.to_attrs()
    assert attrs["dt"] == p.dt and attrs["substeps"] == p.substeps
    assert attrs["dt_auto"] == 1 and attrs["dt_safety"] == DT_SAFETY and attrs["dt_limit"] == limit
    assert ReactionDiffusionParams.from_attrs(attrs) == p  # the run's numbers rebuild it


def test_auto_dt_is_resolved_again_for_every_change_and_refuses_explicit_substeps():
    p = ReactionDiffusionParams(kinetics="gierer_meinhardt", dt="auto")
    assert p.to_dict()["dt"] == "auto" and p.to_dict()["substeps"] is None
    faster = p.replace(Dv=20.0)
    assert faster.dt < p.dt and faster.dt <= 0.8 * faster.max_dt() and faster.to_dict()["dt"] == "auto"
    assert ReactionDiffusionParams(kinetics="gierer_meinhardt").to_attrs()["dt_auto"] == 0
    with pytest.raises(ParameterError, match=r"substeps = 10 is invalid; valid: unset \(None\) with dt='auto'"):
        ReactionDiffusionParams(dt="auto", substeps=10)
    with pytest.raises(ParameterError, match=r"dt = 'fast' is invalid; valid: a finite real number .* or 'auto'"):
        ReactionDiffusionParams(dt="fast")


def test_a_fixed_dt_is_refused_at_dv_20_and_auto_runs_a_sweep_over_dv():
    """Issue 23: dt = 0.02 is refused at Dv 20, so a sweep over Dv [2, 5, 10, 20] failed whole."""
    import mfn

    base = ReactionDiffusionParams(kinetics="gierer_meinhardt", grid_size=16, steps=4)
    with pytest.raises(ParameterError, match=r"dt = 0\.02 is invalid"):
        mfn.sweep({"Dv": [2.0, 5.0, 10.0, 20.0]}, seeds=[0], base=base, client="synchronous", progress=False)
    cube = mfn.sweep(
        {"Dv": [2.0, 5.0, 10.0, 20.0]}, seeds=[0], base=base.replace(dt="auto"), client="synchronous", progress=False
    )
    assert list(cube.status.values.ravel()) == ["ok"] * 4
    assert np.isfinite(cube.D_box.values).all() and (cube.steps_run.values == 4).all()
