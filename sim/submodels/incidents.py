"""Incidents and miscalculation, stochastic.

Schelling's "threat that leaves something to chance" (1960, *The Strategy of Conflict*, ch. 8).

For every pair p = (a, b), with activity u_i = E_i / E_ref + D_i / F_ref of each side:

    x_p      = lambda_0 * sqrt(u_a u_b)^alpha * (R_a + R_b) * (1 + H_a + H_b)
               * exp(-kappa * ((G_a + G_b) / 2 + A_p))                    (incidents per month)
    lambda_p = lambda_max * (1 - exp(-x_p / lambda_max)) * dt_months        (saturating)
    n_p ~ Poisson(lambda_p),   (routine, serious, high-risk) ~ Multinomial(n_p; 1 - s - h, s, h)
    I_p     += i_r n_routine + i_s n_serious + i_h n_high-risk          (tension impulse)

R is readiness, H hybrid operations, G dialogue and confidence building, A the arms-control and
transparency regime. The geometric mean needs both sides present (an incident takes two); the saturation at lambda_max
a month stands for the limited number of places and platforms where forces meet. The
severity shares come from the European Leadership Network's count for March-October 2014
(40 incidents: 3 high-risk, 11 serious); lambda_0 is calibrated so that the 2016-17 posture of
``scenarios/baseline.yaml`` gives under one incident a month across all pairs and a 2014-like
posture about five (tests/test_dynamics.py checks both).
"""

from __future__ import annotations

from typing import TYPE_CHECKING

import numpy as np

if TYPE_CHECKING:
    from ..scenario.schema import IncidentModel


def activity(exercises: float, deployment: float, exercises_ref: float, forces_ref: float
             ) -> float:
    """u_i = E_i / E_ref + D_i / F_ref, an actor's military activity near the border (elementwise)."""
    return exercises / exercises_ref + deployment / forces_ref


def expected(base_rate: float, max_rate: float, exponent: float, transparency: float,
             act_a: float, act_b: float, ready: float, hyb: float, dlg: float,
             arms_control: float, months: float) -> float:
    """lambda_p, expected incidents in a step, for one pair and replicate (see the module docstring).

    Elementwise: every argument may be a scalar or a NumPy array (broadcast), and the compiled
    kernels (:mod:`sim.kernels.incidents`) call it on scalars.
    """
    act = (act_a * act_b) ** (0.5 * exponent)
    damp = np.exp(-transparency * (dlg + arms_control))
    x = base_rate * act * ready * (1.0 + hyb) * damp
    return max_rate * -np.expm1(-x / max_rate) * months


def rate(p: IncidentModel, act_a: np.ndarray, act_b: np.ndarray, ready: np.ndarray, hyb: np.ndarray,
         dlg: np.ndarray, arms_control: np.ndarray, months: float) -> np.ndarray:
    """Expected incidents per step for each pair, (P, R): :func:`expected` with ``p``'s values."""
    return expected(p.base_rate, p.max_rate, p.activity_exponent, p.transparency, act_a, act_b,
                    ready, hyb, dlg, arms_control, months)


def draw(key: tuple[np.uint64, np.uint64], replicates: np.ndarray, streams: np.ndarray,
         step: int, lam: np.ndarray, p_serious: np.ndarray, p_high: np.ndarray
         ) -> tuple[np.ndarray, np.ndarray, np.ndarray]:
    """Incident counts by severity, (routine, serious, high-risk) each (P, R): the reference.

    Pair k, replicate r: Poisson(lam[k, r]) by inversion of uniform 0 of stream ``streams[k]``
    for replicate number ``replicates[r]`` at ``step`` (:mod:`sim.submodels.streams`; the
    normal approximation past its inversion mean), then each incident's severity from the next
    uniform: high-risk below ``p_high``, serious below ``p_high + p_serious``. Plain Python
    loops, for tests: the model draws the same numbers in
    :func:`sim.kernels.streams.incidents_by_severity`.
    """
    from . import streams as st

    k0, k1 = key
    P, R = lam.shape
    out = np.zeros((3, P, R), dtype=np.int64)  # routine, serious, high-risk
    step = np.uint64(step)
    for k in range(P):
        for r in range(R):
            rate = float(lam[k, r])
            if not rate > 0.0:
                continue
            rep, stream = np.uint64(replicates[r]), np.uint64(streams[k])

            def u(index, rep=rep, stream=stream):
                return float(st.uniform(k0, k1, rep, stream, step, np.uint64(index)))

            if rate <= st.POISSON_INVERSION_MEAN:
                n, first = st.poisson_inverse(u(0), rate), 1
            else:
                n, first = st.poisson_normal(u(0), u(1), rate), 2
            for i in range(n):
                kind = st.severity(u(first + i), float(p_high[r]), float(p_serious[r]))
                out[kind, k, r] += 1
    return out[0], out[1], out[2]


def impulse(impulse_now: float, size_low: float, size_serious: float, size_high: float,
            low: float, serious: float, high: float) -> float:
    """A pair's tension impulse with this step's incidents added: I + i_r n_r + i_s n_s + i_h n_h."""
    return impulse_now + size_low * low + size_serious * serious + size_high * high


def count(low: float, serious: float, high: float) -> float:
    """A pair's incidents this step, all severities: n = n_r + n_s + n_h."""
    return low + serious + high
