"""The escalation ladder compiled (Kahn; Schelling's miscalculation).

Each pair's rung step, the miscalculation jumps after high-risk incidents, and whether the
challenger has anything to decide. The equations are :func:`sim.submodels.ladder.rung_step` and
:func:`sim.submodels.ladder.tips`. The miscalculation uniforms are drawn inside
:func:`ladder_step` from the ladder's stream, in the order NumPy's ``random(n)`` drew them for
the pairs and replicates where a high-risk incident could tip a rung (row-major); the challenger's
four uniforms a step stay NumPy calls, when deterrence fails somewhere or a pair is at war
(:func:`sim.engine.phases.decide_force`).
"""

from __future__ import annotations

import numpy as np

from ..submodels import ladder
from . import compiled, kernel, larger
from .parameters import EscalationValues
from .streams import uniform

rung_step = compiled(ladder.rung_step)
tips = compiled(ladder.tips)


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
def force_to_decide(margin: np.ndarray, members: np.ndarray, rung: np.ndarray,
                    by_decision: int) -> bool:
    """Whether the challenger's decision must run.

    It must when some member is covered (a finite margin) and either some replicate's weakest
    member has a negative margin or some pair is at war. ``margin`` (F, R) are the deterrence
    margins, ``members`` (F,) who is under the alliance's deterrence, ``rung`` (P, R). A NaN
    margin counts as a failure (NumPy's minimum keeps it).
    """
    F, R = margin.shape
    covered = False
    failing = False
    for r in range(R):
        weakest = np.inf
        for f in range(F):
            if members[f]:
                value = margin[f, r]
                if np.isfinite(value):
                    covered = True
                if value < weakest or np.isnan(value):
                    weakest = value
                    if np.isnan(value):
                        break
        if weakest < 0.0 or np.isnan(weakest):
            failing = True
    if not covered:
        return False
    if failing:
        return True
    P, R = rung.shape
    for k in range(P):
        for r in range(R):
            if rung[k, r] >= by_decision:
                return True
    return False
