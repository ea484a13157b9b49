"""Escalation by decision: armed conflict is the challenger's choice, not accumulated noise.

Crises climb the ladder with tension, incidents and miscalculation (Kahn 1965; Schelling 1960),
but only up to "confrontation with incidents" (rung 4). The rungs of armed conflict are entered by
decision. After Kilgour and Zagare (1991), the deterrence margin M_f of frontline state f is the
defender's credibility less the challenger's threshold; M_f < 0 means the challenger expects to gain
from moving against f (Powell 1990 and Fearon 1995: war follows when the expected value of force
beats the status quo). Each step, against the *weakest* frontline state (lowest margin):

    probe         with probability 1 - exp(-h_p * r * max(0, -M_min) * dt_m)
                  a hybrid probe below the threshold of force (a border incident, an incursion):
                  tension impulse I_p on the pair of the challenger and that state
    fait accompli with probability 1 - exp(-h_a * r * max(0, -M_min - s) * dt_m)
                  a limited seizure: the pairs of the challenger with that state, the alliance and
                  the patrons enter rung 5 (limited conflict)
    major war     from limited conflict, with probability 1 - exp(-h_w * (1 - b) * dt_m) a step:
                  rung 6; b is the nuclear brake (Schelling's "threat that leaves something to
                  chance" cuts both ways: the risk of nuclear use restrains deliberate escalation)
    settlement    from armed conflict, with probability 1 - exp(-h_s * dt_m) a step: back to
                  rung 4 (a ceasefire; tension then relaxes as usual)

While a pair is in armed conflict its tension is held at least at its rung's threshold; tension
neither starts nor ends armed conflict.

r is the challenger's risk tolerance, s the shortfall a fait accompli needs beyond indifference
(a margin of error the challenger demands), h_p, h_a, h_w monthly hazards. Risk tolerance also
enters the margin itself (deterrence submodel): a risk-acceptant challenger values the gamble of a
fait accompli more (Kahneman and Tversky's risk seeking in losses; Jervis 1992 on prospect theory).
"""

from __future__ import annotations

import numpy as np


def risk_factor(weight: float | np.ndarray, risk_tolerance: float | np.ndarray
                ) -> float | np.ndarray:
    """1 + w (r - 1/2): how risk attitude scales the challenger's value of a fait accompli."""
    return 1.0 + weight * (risk_tolerance - 0.5)


def weakest(margin: np.ndarray) -> tuple[np.ndarray, np.ndarray]:
    """Row of the lowest margin and its value per replicate, from (F, R) margins."""
    row = np.argmin(margin, axis=0)
    return row, np.take_along_axis(margin, row[None], axis=0)[0]


def hazard(rate: float | np.ndarray, risk: np.ndarray, excess: np.ndarray, months: float
           ) -> np.ndarray:
    """Probability of the move in a step: 1 - exp(-rate * risk * max(0, excess) * months)."""
    return -np.expm1(-rate * risk * np.maximum(excess, 0.0) * months)


def war_probability(rate: float | np.ndarray, brake: float | np.ndarray, months: float
                    ) -> np.ndarray | float:
    """Probability that a limited conflict becomes a major war in a step."""
    return -np.expm1(-rate * (1.0 - brake) * months)


def settle_probability(rate: float | np.ndarray, months: float) -> np.ndarray | float:
    """Probability that an armed conflict ends in a ceasefire in a step."""
    return -np.expm1(-rate * months)


def transition(rung: np.ndarray, attack: np.ndarray, settle: np.ndarray, escalate: np.ndarray,
               by_decision: int = 5) -> np.ndarray:
    """A pair's rung after this step's decisions, (R,): ceasefire, then fait accompli, then war.

    In order: a pair in armed conflict (rung >= ``by_decision``) that ``settle`` s drops to the
    rung below it; an ``attack`` on a pair below armed conflict (and not just settled) takes it
    to limited conflict; a limited conflict not entered this step becomes a major war where
    ``escalate`` (the war draw) holds.
    """
    ceasefire = (rung >= by_decision) & settle
    rung = np.where(ceasefire, by_decision - 1, rung)
    into_conflict = attack & (rung < by_decision) & ~ceasefire
    rung = np.where(into_conflict, by_decision, rung)
    to_war = (rung == by_decision) & escalate & ~into_conflict
    return np.where(to_war, by_decision + 1, rung)


def held_in_conflict(tension: np.ndarray, rung: np.ndarray, thresholds: np.ndarray,
                     by_decision: int = 5) -> np.ndarray:
    """Tension held at least at its rung's threshold while the pair is in armed conflict."""
    floor = thresholds[rung.astype(np.intp)]
    return np.where(rung >= by_decision, np.maximum(tension, floor), tension)
