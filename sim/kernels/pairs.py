"""Pair-level phases compiled: tension (relaxation with impulses), protests and arms control.

The equations are :mod:`sim.submodels.tension` (``target_value``, ``step``) and
:mod:`sim.submodels.diplomacy` (``arms_control_value``, ``protests``).
"""

from __future__ import annotations

import numpy as np

from ..submodels import diplomacy, sanctions, tension
from . import compiled, kernel, larger, smaller

target_value = compiled(tension.target_value)
tension_step = compiled(tension.step)
arms_control_value = compiled(diplomacy.arms_control_value)
protests = compiled(diplomacy.protests)
mean_intensity = compiled(sanctions.mean_intensity)


@kernel
def raw_target(threat: np.ndarray, trust: np.ndarray, hybrid: np.ndarray, finance: np.ndarray,
               energy: np.ndarray, defence: np.ndarray, pair_dialogue: np.ndarray,
               pair_a: np.ndarray, pair_b: np.ndarray, weights: np.ndarray) -> np.ndarray:
    """Uncalibrated target tension of every pair, (P, R).

    Arc arrays (2P, R): arc p is a's view of b, arc P + p b's view of a. ``weights`` (5, R) are
    w_threat, w_hybrid, w_sanctions, w_trust, w_dialogue.
    """
    P, R = pair_dialogue.shape
    out = np.empty((P, R))
    for k in range(P):
        a = pair_a[k]
        b = pair_b[k]
        for r in range(R):
            sanc = 0.5 * (mean_intensity(finance[a, r], energy[a, r], defence[a, r])
                          + mean_intensity(finance[b, r], energy[b, r], defence[b, r]))
            out[k, r] = target_value(weights[0, r], weights[1, r], weights[2, r], weights[3, r],
                                     weights[4, r], threat[k, r], threat[P + k, r],
                                     hybrid[a, r] + hybrid[b, r], sanc,
                                     0.5 * (trust[k, r] + trust[P + k, r]), pair_dialogue[k, r])
    return out


@kernel
def relax(tension_now: np.ndarray, raw: np.ndarray, offset: np.ndarray, relax_step: np.ndarray,
          impulse: np.ndarray) -> np.ndarray:
    """Tension after one step towards its calibrated target (held in [0, 100]) plus impulses."""
    P, R = tension_now.shape
    out = np.empty((P, R))
    for k in range(P):
        for r in range(R):
            target = smaller(larger(raw[k, r] + offset[k, r], 0.0), 100.0)
            out[k, r] = tension_step(tension_now[k, r], target, relax_step[r], impulse[k, r])
    return out


@kernel
def diplomacy_step(threat: np.ndarray, previous_threat: np.ndarray, threshold: np.ndarray,
                   protest_impulse: np.ndarray, tension_impulse: np.ndarray,
                   arms_control: np.ndarray, pair_dialogue: np.ndarray, tension_now: np.ndarray,
                   regime: np.ndarray, months: float
                   ) -> tuple[np.ndarray, np.ndarray, np.ndarray]:
    """Protests (bool, (2P, R)), the tension impulse with theirs added and arms control, (P, R).

    ``regime`` (4, R) is arms_control_decay, arms_control_tension, arms_control_span,
    arms_control_rebuild.
    """
    A, R = threat.shape
    P = A // 2
    protest = np.empty((A, R), np.bool_)
    for a in range(A):
        for r in range(R):
            protest[a, r] = protests(threat[a, r] - previous_threat[a, r], threshold[r])
    impulse = np.empty((P, R))
    regime_after = np.empty((P, R))
    for k in range(P):
        for r in range(R):
            impulse[k, r] = tension_impulse[k, r] + protest_impulse[r] * (
                (1.0 if protest[k, r] else 0.0) + (1.0 if protest[P + k, r] else 0.0))
            regime_after[k, r] = arms_control_value(
                arms_control[k, r], pair_dialogue[k, r], tension_now[k, r], regime[0, r],
                regime[1, r], regime[2, r], regime[3, r], months)
    return protest, impulse, regime_after
