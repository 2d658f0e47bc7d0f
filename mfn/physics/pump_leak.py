"""A fungal membrane: an electrogenic proton pump beside a K+ leak, and an excitable conductance.

Fungal plasma membranes are not neurons'. *Neurospora crassa* rests at -160 to -240 mV
(Slayman & Gradmann 1975), held there by the plasma-membrane H+-ATPase, an electrogenic pump;
poisoned (azide), the potential falls to about -30 mV (Slayman 1962). The membrane current
per unit area (outward positive, µA/cm², potentials in mV, conductances in mS/cm²):

    C dV/dt = -g_K (V - E_K) - I_pump(V) - g_ex n h (V - E_ex) + I_stim

- the leak, a K+ conductance ``g_K`` with ``E_K`` from the Nernst equation
  (:func:`mfn.nernst`);
- the pump, an outward current that reverses at ``E_pump`` (the free energy of ATP
  hydrolysis per proton, about -400 mV) and saturates on both sides, like the two-state
  carrier models fitted by Gradmann et al. (1978): ``I_pump = I_max * s((V - E_pump) / V_pump)``
  with the algebraic sigmoid ``s(x) = x / sqrt(1 + x^2)``;
- an excitable conductance ``g_ex`` reversing at ``E_ex`` (the depolarising ions of the
  Neurospora action potential: Slayman, Long & Gradmann 1976 saw a 2- to 8-fold rise of
  conductance and a peak near -40 mV), opened by an activation gate ``n`` above a threshold
  and closed by a slow inactivation gate ``h``, both relaxing to
  ``n_inf(V) = (1 + s((V - V_n) / k_n)) / 2`` and ``h_inf(V) = (1 - s((V - V_h) / k_h)) / 2``.

With the pump off the potential relaxes to the leak's: ``E_K`` (the excitable conductance,
inactivated there, shifts it by ``g_ex n_inf h_inf (E_ex - E_K) / g_K``, under 3 mV at the
mycelium's defaults). Algebraic sigmoids (square roots, exactly rounded) rather than
exponentials keep compiled and numpy evaluations bit-identical.
"""

from __future__ import annotations

from mfn.core.errors import ParameterError

__all__ = ["gate_inf", "membrane_current", "pump_current", "resting_potential", "sigmoid"]


def sigmoid(x: float) -> float:
    """The algebraic sigmoid ``x / sqrt(1 + x^2)``, from -1 to 1 (works on floats and arrays)."""
    return x / (1.0 + x * x) ** 0.5


def pump_current(v: float, i_max: float, e_pump: float, v_pump: float) -> float:
    """Outward current of the electrogenic H+ pump at ``v`` mV, µA/cm² (0 at ``e_pump``).

    Examples
    --------
    >>> round(pump_current(-400.0, 10.0, -400.0, 100.0), 6)
    0.0
    >>> round(pump_current(-180.0, 10.0, -400.0, 100.0), 3)
    9.104
    """
    return i_max * sigmoid((v - e_pump) / v_pump)


def gate_inf(v: float, half: float, slope: float) -> float:
    """Steady state of a gate, ``(1 + s((v - half) / slope)) / 2``: rising with ``v`` for
    ``slope > 0`` (activation), falling for ``slope < 0`` (inactivation)."""
    return 0.5 * (1.0 + sigmoid((v - half) / slope))


def membrane_current(v: float, p, pump: bool = True) -> float:
    """Total outward membrane current at ``v`` mV with the gates at their steady states, µA/cm².

    ``p`` has the mycelium's membrane fields (``leak_conductance``, ``e_k``, ``pump_current``,
    ``pump_reversal``, ``pump_slope``, ``spike_conductance``, ``spike_reversal``,
    ``spike_threshold``, ``spike_slope``, ``inactivation_half``, ``inactivation_slope``).
    """
    leak = p.leak_conductance * (v - p.e_k)
    active = pump_current(v, p.pump_current, p.pump_reversal, p.pump_slope) if pump else 0.0
    n = gate_inf(v, p.spike_threshold, p.spike_slope)
    h = gate_inf(v, p.inactivation_half, -p.inactivation_slope)
    return leak + active + p.spike_conductance * n * h * (v - p.spike_reversal)


def resting_potential(p, pump: bool = True, lo: float = -1200.0, hi: float = 1000.0) -> float:
    """The membrane's steady state at rest, mV: the most negative root of :func:`membrane_current`.

    A scan upwards from ``lo`` in 5 mV steps to the first sign change, then bisection to 1e-9
    mV: at most 440 + 80 evaluations, a bounded cost. Every term of the current is inward at
    -1200 mV and outward at +1000 mV for every valid parameter set (``E_K`` lies within
    +-360 mV, the pump stalls above -1000 mV), so a root exists; the most negative one is the
    resting state (a depolarised root, when the excitable current makes one, is a spike's
    plateau).

    Raises
    ------
    ParameterError
        If the current does not change sign on ``[lo, hi]`` (no resting state there).

    Examples
    --------
    >>> from mfn import MyceliumParams
    >>> round(resting_potential(MyceliumParams()), 1)
    -189.2
    """
    f_lo, f_hi = membrane_current(lo, p, pump), membrane_current(hi, p, pump)
    if not (f_lo < 0.0 < f_hi):
        raise ParameterError(
            "membrane", f"current {f_lo:.3g} .. {f_hi:.3g} µA/cm²", f"a sign change on [{lo}, {hi}] mV"
        )
    # scan upwards for the first sign change, then bisect it (the resting root, not a plateau)
    step = 5.0
    a = lo
    while membrane_current(a + step, p, pump) < 0.0:
        a += step
    b = a + step
    for _ in range(80):
        mid = 0.5 * (a + b)
        if membrane_current(mid, p, pump) < 0.0:
            a = mid
        else:
            b = mid
        if b - a < 1e-9:
            break
    return 0.5 * (a + b)
