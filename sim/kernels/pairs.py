"""Pair-level phases compiled: tension (relaxation with impulses), protests and arms control.

The equations are :mod:`sim.submodels.tension` (``target_value``, ``step``) and
:mod:`sim.submodels.diplomacy` (``arms_control_value``, ``protests``).
"""

from __future__ import annotations

import numpy as np

from ..submodels import diplomacy, sanctions, tension
from . import compiled, kernel
from .parameters import DiplomacyValues, TensionValues

target_value = compiled(tension.target_value)
tension_step = compiled(tension.step)
arms_control_value = compiled(diplomacy.arms_control_value)
protests = compiled(diplomacy.protests)
mean_intensity = compiled(sanctions.mean_intensity)
pair_mean = compiled(tension.pair_mean)
held_target = compiled(tension.held_target)
below_conflict = compiled(tension.below_conflict)
protest_impulse = compiled(diplomacy.protest_impulse)


@kernel
def raw_target(threat: np.ndarray, trust: np.ndarray, hybrid: np.ndarray, finance: np.ndarray,
               energy: np.ndarray, defence: np.ndarray, pair_dialogue: np.ndarray,
               pair_a: np.ndarray, pair_b: np.ndarray, tension_values: tuple) -> np.ndarray:
    """Uncalibrated target tension of every pair, (P, R).

    Arc arrays (2P, R): arc p is a's view of b, arc P + p b's view of a; ``tension_values`` the
    tension submodel's values (:class:`TensionValues`).
    """
    p = TensionValues(*tension_values)
    P, R = pair_dialogue.shape
    out = np.empty((P, R))
    for k in range(P):
        a = pair_a[k]
        b = pair_b[k]
        for r in range(R):
            sanc = pair_mean(mean_intensity(finance[a, r], energy[a, r], defence[a, r]),
                             mean_intensity(finance[b, r], energy[b, r], defence[b, r]))
            out[k, r] = target_value(p.w_threat[r], p.w_hybrid[r], p.w_sanctions[r],
                                     p.w_trust[r], p.w_dialogue[r], threat[k, r],
                                     threat[P + k, r], hybrid[a, r] + hybrid[b, r], sanc,
                                     pair_mean(trust[k, r], trust[P + k, r]),
                                     pair_dialogue[k, r])
    return out


@kernel
def relax(tension_now: np.ndarray, raw: np.ndarray, offset: np.ndarray, relax_step: np.ndarray,
          impulse: np.ndarray, rung: np.ndarray, conflict: float, by_decision: int) -> np.ndarray:
    """Tension after one step towards its calibrated target (held in [0, 100]) plus impulses."""
    P, R = tension_now.shape
    out = np.empty((P, R))
    for k in range(P):
        for r in range(R):
            target = held_target(raw[k, r], offset[k, r])
            out[k, r] = below_conflict(
                tension_step(tension_now[k, r], target, relax_step[r], impulse[k, r]),
                rung[k, r], conflict, by_decision)
    return out


@kernel
def diplomacy_step(threat: np.ndarray, previous_threat: np.ndarray, tension_impulse: np.ndarray,
                   arms_control: np.ndarray, pair_dialogue: np.ndarray, tension_now: np.ndarray,
                   diplomacy_values: tuple, months: float
                   ) -> tuple[np.ndarray, np.ndarray, np.ndarray]:
    """Protests (bool, (2P, R)), the tension impulse with theirs added and arms control, (P, R).

    ``diplomacy_values``: the diplomacy submodel's values (:class:`DiplomacyValues`).
    """
    p = DiplomacyValues(*diplomacy_values)
    A, R = threat.shape
    P = A // 2
    protest = np.empty((A, R), np.bool_)
    for a in range(A):
        for r in range(R):
            protest[a, r] = protests(threat[a, r] - previous_threat[a, r],
                                     p.protest_threshold[r])
    impulse = np.empty((P, R))
    regime_after = np.empty((P, R))
    for k in range(P):
        for r in range(R):
            impulse[k, r] = protest_impulse(tension_impulse[k, r], p.protest_impulse[r],
                                            protest[k, r], protest[P + k, r])
            regime_after[k, r] = arms_control_value(
                arms_control[k, r], pair_dialogue[k, r], tension_now[k, r],
                p.arms_control_decay[r], p.arms_control_tension[r], p.arms_control_span[r],
                p.arms_control_rebuild[r], months)
    return protest, impulse, regime_after
