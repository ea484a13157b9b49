"""The escalation ladder compiled (Kahn; Schelling's miscalculation) and the challenger's decisions.

Each pair's rung step and the miscalculation jumps after high-risk incidents
(:func:`ladder_step`: :func:`sim.submodels.ladder.rung_step` and :func:`sim.submodels.ladder.tips`,
with uniform 0 of each pair's ladder stream where a high-risk incident could tip a rung); then
the challenger's probes, faits accomplis, wars and ceasefires (:func:`decide_force`: the logistic
hazards and transitions of :mod:`sim.submodels.decision`, with uniforms 0-3 of the replicate's
decision stream, the second Philox block only where a pair is in armed conflict).
"""

from __future__ import annotations

import numpy as np

from ..submodels import decision, ladder
from . import compiled, kernel, larger
from .parameters import EscalationValues
from .streams import submodel as streams
from .streams import uniform

rung_step = compiled(ladder.rung_step)
tips = compiled(ladder.tips)
hazard = compiled(decision.hazard)
probe_value = compiled(decision.probe_value)
attack_value = compiled(decision.attack_value)
war_probability = compiled(decision.war_probability)
settle_probability = compiled(decision.settle_probability)
transition = compiled(decision.transition)
held_in_conflict = compiled(decision.held_in_conflict)


@kernel
def ladder_step(k0: np.uint64, k1: np.uint64, replicates: np.ndarray, streams: np.ndarray,
                step: np.uint64, rung: np.ndarray, tension: np.ndarray,
                thresholds: np.ndarray, highest: int, high_risk: np.ndarray, tip_from: int,
                tip_below: int, escalation_values: tuple) -> np.ndarray:
    """Every pair's new rung (P, R) int8, after the rung step and miscalculation.

    The rung step (:func:`sim.submodels.ladder.rung_step`) moves each pair at most one rung,
    to ``highest`` at most. Then, for every pair and replicate with a high-risk incident and a
    new rung in [``tip_from``, ``tip_below``), its uniform is drawn: uniform 0 of the pair's
    ladder stream ``streams[k]`` at ``step`` for the replicate numbered ``replicates[r]``
    (:mod:`sim.submodels.streams`, key ``k0``, ``k1``); a pair that tips
    (:func:`sim.submodels.ladder.tips`, with probability ``miscalculation`` per incident, never
    above ``highest``) moves one more rung up and its ``tension`` is raised, in place, to that
    rung's threshold (:func:`sim.submodels.ladder.miscalculate`). ``thresholds`` has 8 entries
    (-inf, theta_1..6, +inf); ``escalation_values`` the escalation submodel's values; ``high_risk``
    is this step's high-risk incidents (P, R), or an empty array when incidents are off.
    """
    p = EscalationValues(*escalation_values)
    P, R = rung.shape
    new = np.empty((P, R), dtype=np.int8)
    incidents = high_risk.size > 0
    live = False
    for k in range(P):
        for r in range(R):
            here = np.intp(rung[k, r])
            moved = rung_step(here, tension[k, r], thresholds[here + 1], thresholds[here],
                              p.hysteresis[r], highest)
            new[k, r] = moved
            if incidents and high_risk[k, r] > 0 and tip_from <= moved < tip_below:
                live = True
    if live:
        for k in range(P):
            for r in range(R):
                n = high_risk[k, r]
                here = np.intp(new[k, r])
                if n > 0 and tip_from <= here < tip_below:
                    u = uniform(k0, k1, replicates[r], streams[k], step, np.uint64(0))
                    if tips(here, float(n), p.miscalculation[r], u, highest):
                        new[k, r] = here + 1
                        tension[k, r] = larger(tension[k, r], thresholds[here + 1])
    return new


@kernel
def decide_force(k0: np.uint64, k1: np.uint64, replicates: np.ndarray, stream: np.uint64,
                 step: np.uint64, margin: np.ndarray, members: np.ndarray, rung: np.ndarray,
                 tension: np.ndarray, impulse: np.ndarray, thresholds: np.ndarray,
                 pair_challenger: np.ndarray, pair_front: np.ndarray, pair_defender: np.ndarray,
                 risk: np.ndarray, months: float, by_decision: int, escalation_values: tuple
                 ) -> tuple[np.ndarray, np.ndarray, np.ndarray]:
    """The challenger's decisions (:mod:`sim.submodels.decision`): probes, faits accomplis, war.

    For every replicate: the weakest member frontline state (lowest ``margin`` (F, R) among
    ``members`` (F,)); uniforms 0-3 of the decision ``stream`` at ``step`` for the replicate
    numbered ``replicates[r]`` (:mod:`sim.submodels.streams`) decide a probe, a fait accompli,
    war from limited conflict and a ceasefire, each with its hazard. A probe adds the probe
    impulse to the tension ``impulse`` (P, R) of the challenger's pair with that state; a fait
    accompli moves the challenger's pairs with that state and with the defenders (the alliance,
    the patrons) into limited conflict (:func:`~sim.submodels.decision.transition`), and armed
    conflict holds ``tension`` at least at its rung's threshold; ``rung``, ``tension`` and
    ``impulse`` are changed in place. Per pair (P,): whether its other side is a challenger,
    the frontline state's index f in it (-1: none), whether its western side is a defender.
    ``risk`` (R,) is the challenger's risk tolerance. Returns the probes and faits accomplis
    (bool, (R,)) and the weakest state's row (-1 where no member is covered).
    """
    p = EscalationValues(*escalation_values)
    F, R = margin.shape
    P = rung.shape[0]
    zero, one = np.uint64(0), np.uint64(1)
    probe = np.zeros(R, dtype=np.bool_)
    attack = np.zeros(R, dtype=np.bool_)
    row = np.full(R, -1, dtype=np.int64)
    for r in range(R):
        weakest = np.inf
        for f in range(F):
            if members[f] and not margin[f, r] >= weakest:  # NaN counts as the weakest
                weakest = margin[f, r]
                row[r] = f
        if row[r] < 0:
            continue
        # uniforms 0 and 1 from one Philox block (what uniform() gives for indices 0 and 1)
        w0, w1, w2, w3 = streams.philox4x32(zero, step, stream, replicates[r], k0, k1)
        u0 = streams.words_to_uniform(w0, w1)
        u1 = streams.words_to_uniform(w2, w3)
        scale = p.decision_scale[r]
        probe[r] = u0 < hazard(p.probe_hazard[r], risk[r], probe_value(weakest), scale, months)
        attack[r] = u1 < hazard(p.attack_hazard[r], risk[r],
                                attack_value(weakest, p.attack_margin[r]), scale, months)
        escalate = False
        settle = False
        in_conflict = False
        for k in range(P):
            if pair_challenger[k] and rung[k, r] >= by_decision:
                in_conflict = True
        if in_conflict:  # uniforms 2 and 3, block 1: war and ceasefire (only in armed conflict)
            w0, w1, w2, w3 = streams.philox4x32(one, step, stream, replicates[r], k0, k1)
            escalate = (streams.words_to_uniform(w0, w1)
                        < war_probability(p.war_hazard[r], p.nuclear_brake[r], months))
            settle = (streams.words_to_uniform(w2, w3)
                      < settle_probability(p.settle_hazard[r], months))
        for k in range(P):
            if not pair_challenger[k]:
                continue
            target = pair_front[k]
            if probe[r] and target == row[r]:
                impulse[k, r] += p.probe_impulse[r]
            hit = attack[r] and (target == row[r] if target >= 0 else pair_defender[k])
            new = transition(np.int64(rung[k, r]), hit, settle, escalate, by_decision)
            rung[k, r] = new
            # the floor of armed conflict: its rung's threshold (finite: theta_5 or theta_6)
            floor = thresholds[new if new >= by_decision else by_decision]
            tension[k, r] = held_in_conflict(tension[k, r], new, floor, by_decision)
    return probe, attack, row
