"""Deterrence compiled (Kilgour-Zagare, Schelling): Article 5 belief and the deterrence margin.

The equations are :func:`sim.submodels.deterrence.belief_value`,
:func:`sim.submodels.deterrence.remembered` and :func:`sim.submodels.deterrence.margin_value`.
"""

from __future__ import annotations

import numpy as np

from ..submodels import deterrence
from . import compiled, kernel
from .parameters import DeterrenceValues, EscalationValues, ThreatValues
from .views import rows_max, rows_sum, weighted

belief_value = compiled(deterrence.belief_value)
remembered = compiled(deterrence.remembered)
margin_value = compiled(deterrence.margin_value)
force_quality = compiled(deterrence.force_quality)
defending_force = compiled(deterrence.defending_force)
attacking_force = compiled(deterrence.attacking_force)
denial_probability = compiled(deterrence.denial_probability)
signals_of = compiled(deterrence.signals)
mean_over = compiled(deterrence.mean_over)
shortfall_of = compiled(deterrence.shortfall)
emboldening_of = compiled(deterrence.emboldening)


@kernel
def belief(host: np.ndarray, deployment: np.ndarray, exercises: np.ndarray,
           commitment: np.ndarray, intel_sharing: np.ndarray, military_aid: np.ndarray,
           west: np.ndarray, patrons: np.ndarray, unions: np.ndarray, previous: np.ndarray,
           keep: np.ndarray, deterrence_values: tuple, threat_values: tuple
           ) -> tuple[np.ndarray, np.ndarray, np.ndarray]:
    """Allied troops hosted, the target Article 5 belief B*_f and the belief after the step.

    Each is (F, R). The challenger reads the patrons' mean commitment, the west's exercise troops,
    and the signals (:func:`sim.submodels.deterrence.signals`). The belief after the step keeps
    the share ``keep`` (R,) of the ``previous`` belief (F, R)
    (:func:`sim.submodels.deterrence.remembered`). ``deterrence_values`` and ``threat_values``
    are the submodels' values (the threat's reference exercise size).
    """
    p = DeterrenceValues(*deterrence_values)
    tp = ThreatValues(*threat_values)
    allied = weighted(host, deployment)
    F, R = allied.shape
    ex_west, _ = rows_sum(exercises, west)
    commit_total, commit_count = rows_sum(commitment, patrons)
    intel = rows_max(intel_sharing, west)
    aid = rows_max(military_aid, west)
    union_total, union_count = rows_sum(commitment, unions)
    commit = np.empty(R)
    signals = np.empty(R)
    for r in range(R):
        commit[r] = mean_over(commit_total[r], commit_count)
        signals[r] = signals_of(intel[r], aid[r], union_total[r], union_count)
    new = np.empty((F, R))
    for f in range(F):
        for r in range(R):
            new[f, r] = belief_value(p.w_commitment[r], p.w_tripwire[r], p.w_exercises[r],
                                     p.w_signals[r], p.tripwire_troops[r], commit[r],
                                     allied[f, r], ex_west[r], signals[r], tp.exercises_ref[r])
    after = np.empty((F, R))
    for f in range(F):
        for r in range(R):
            after[f, r] = remembered(previous[f, r], new[f, r], keep[r])
    return allied, new, after


@kernel
def margin(belief_now: np.ndarray, deployment: np.ndarray, exercises: np.ndarray,
           capability: np.ndarray, capability0: np.ndarray, readiness: np.ndarray,
           commitment: np.ndarray, allied: np.ndarray, front: np.ndarray, resolve: np.ndarray,
           challengers: np.ndarray, patrons: np.ndarray, defenders: np.ndarray,
           dialogue: np.ndarray, west: np.ndarray, emboldening: bool, risk: np.ndarray,
           members: np.ndarray, deterrence_values: tuple, threat_values: tuple,
           escalation_values: tuple) -> tuple[np.ndarray, np.ndarray, np.ndarray]:
    """Deterrence margins (F, R), the members' mean shortfall (R,), the probability of denial (F, R).

    The defending force of each frontline state and the challengers' local force (the sum over
    challengers) by :mod:`sim.submodels.deterrence`; the challenger's resolve is its most
    resolute challenger's; with ``emboldening`` (the deterrence reading) the west's mean dialogue
    times ``reassurance`` raises its stakes; ``risk`` (R,) is its risk attitude factor;
    ``front`` (F,) the frontline states' rows. Actor arrays (N, R).
    """
    p = DeterrenceValues(*deterrence_values)
    tp = ThreatValues(*threat_values)
    ep = EscalationValues(*escalation_values)
    F, R = belief_now.shape
    N = deployment.shape[0]
    has_challenger = challengers.any()
    resolve_c = rows_max(resolve, challengers) if has_challenger else np.zeros(R)
    commit_total, commit_count = rows_sum(commitment, patrons)
    ready_total, ready_count = rows_sum(readiness, defenders)
    attacker = np.zeros(R)
    for i in range(N):
        if challengers[i]:
            for r in range(R):
                attacker[r] += attacking_force(
                    deployment[i, r], exercises[i, r], p.exercise_share[r],
                    force_quality(capability[i, r], capability0[i, r], p.quality_elasticity[r]))
    embolden = np.zeros(R)
    if emboldening:
        total, count = rows_sum(dialogue, west)
        for r in range(R):
            embolden[r] = emboldening_of(tp.reassurance[r], total[r], count)
    ready = np.empty(R)
    commit = np.empty(R)
    for r in range(R):
        ready[r] = mean_over(ready_total[r], ready_count)
        commit[r] = mean_over(commit_total[r], commit_count)
    out = np.empty((F, R))
    denial = np.empty((F, R))
    for f in range(F):
        row = front[f]
        for r in range(R):
            defender = defending_force(
                deployment[row, r],
                force_quality(capability[row, r], capability0[row, r], p.quality_elasticity[r]),
                allied[f, r], p.reinforcement_troops[r], ready[r], commit[r])
            denial[f, r] = denial_probability(defender, attacker[r], p.defence_advantage[r],
                                              p.decisiveness[r])
            out[f, r] = margin_value(denial[f, r], p.stakes[r], belief_now[f, r], resolve_c[r],
                                     embolden[r], risk[r])
    shortfall = np.zeros(R)
    count = 0
    for f in range(F):
        if members[f]:
            count += 1
            for r in range(R):
                shortfall[r] += shortfall_of(out[f, r], ep.decision_scale[r])
    if count > 0:
        for r in range(R):
            shortfall[r] = mean_over(shortfall[r], count)
    return out, shortfall, denial
