"""The escalation ladder's deterministic part compiled (Kahn).

Each pair's rung step, and whether the challenger has anything to decide. The equation is
:func:`sim.submodels.ladder.rung_step`. The draws stay NumPy's, in the phase
(:func:`sim.engine.phases.escalation`): the miscalculation uniforms where a high-risk incident
could tip a rung, the challenger's four uniforms a step when deterrence fails somewhere or a pair
is at war (:func:`sim.engine.phases.decide_force`).
"""

from __future__ import annotations

import numpy as np

from ..submodels import ladder
from . import compiled, kernel

rung_step = compiled(ladder.rung_step)


@kernel
def ladder_step(rung: np.ndarray, tension: np.ndarray, thresholds: np.ndarray,
                hysteresis: np.ndarray, highest: int, high_risk: np.ndarray,
                tip_from: int, tip_below: int) -> tuple[np.ndarray, bool]:
    """Every pair's new rung (P, R) int8, and whether a miscalculation draw is due.

    A draw is due where a high-risk incident meets a rung in [``tip_from``, ``tip_below``).
    ``thresholds`` has 8 entries (-inf, theta_1..6, +inf); ``hysteresis`` is (R,); ``high_risk``
    is this step's high-risk incidents (P, R), or an empty array when incidents are off.
    """
    P, R = rung.shape
    new = np.empty((P, R), dtype=np.int8)
    incidents = high_risk.size > 0
    live = False
    for k in range(P):
        for r in range(R):
            here = np.intp(rung[k, r])
            moved = rung_step(here, tension[k, r], thresholds[here + 1], thresholds[here],
                              hysteresis[r], highest)
            new[k, r] = moved
            if incidents and high_risk[k, r] > 0 and tip_from <= moved < tip_below:
                live = True
    return new, live


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
