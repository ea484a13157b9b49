"""Incidents and miscalculation, stochastic.

Schelling's "threat that leaves something to chance" (1960, *The Strategy of Conflict*, ch. 8).

For every pair p = (a, b), with activity u_i = E_i / E_ref + D_i / F_ref of each side:

    x_p      = lambda_0 * sqrt(u_a u_b)^alpha * (R_a + R_b) * (1 + H_a + H_b)
               * exp(-kappa * ((G_a + G_b) / 2 + A_p))                    (incidents per month)
    lambda_p = lambda_max * (1 - exp(-x_p / lambda_max)) * dt_months        (saturating)
    n_p ~ Poisson(lambda_p),   (routine, serious, high-risk) ~ Multinomial(n_p; 1 - s - h, s, h)

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


def draw(rng: np.random.Generator, lam: np.ndarray, p_serious: float | np.ndarray,
         p_high: float | np.ndarray
         ) -> tuple[np.ndarray, np.ndarray, np.ndarray]:
    """Draw incident counts by severity: (routine, serious, high-risk), each (P, R) int.

    The multinomial split is drawn only where there are incidents (few: rates are below one a
    month), which keeps the cost of a step independent of the severity draws. A pair with
    lambda = 0 draws nothing from the stream.
    """
    return split(rng, rng.poisson(lam), p_serious, p_high)


def split(rng: np.random.Generator, n: np.ndarray, p_serious: float | np.ndarray,
          p_high: float | np.ndarray) -> tuple[np.ndarray, np.ndarray, np.ndarray]:
    """Split incident counts ``n`` (P, R) by severity: (routine, serious, high-risk).

    High-risk ~ Binomial(n, h) for every pair and replicate with incidents, in array order, then
    serious ~ Binomial(n - high-risk, s / (1 - h)) likewise (the multinomial's conditional form).
    """
    hit = np.nonzero(n)
    k = n[hit]
    high = np.zeros_like(n)
    serious = np.zeros_like(n)
    if not k.size:  # no incident: the split would draw nothing either
        return n, serious, high
    # shares may vary by replicate ((R,) arrays): take each hit's own
    p_high_hit = np.broadcast_to(p_high, n.shape)[hit]
    p_serious_hit = np.broadcast_to(p_serious, n.shape)[hit]
    h = rng.binomial(k, p_high_hit)
    high[hit] = h
    serious[hit] = rng.binomial(k - h, p_serious_hit / np.maximum(1.0 - p_high_hit, 1e-12))
    return n - high - serious, serious, high
