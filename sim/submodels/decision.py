"""Escalation by decision: armed conflict is the challenger's choice, not accumulated noise.

Crises climb the ladder with tension, incidents and miscalculation (Kahn 1965; Schelling 1960),
but only up to "confrontation with incidents" (rung 4). The rungs of armed conflict are entered by
decision. After Kilgour and Zagare (1991), the deterrence margin M_f of frontline state f is the
defender's credibility less the challenger's threshold (deterrence submodel); M_f < 0 means the
challenger expects to gain from moving against f (Powell 1990 and Fearon 1995: war follows when the
expected value of force beats the status quo). The challenger does not read the margin exactly
(Fearon 1995: private information about resolve and capability), so its choices are logit in the
margin with spread s (McFadden 1974's random utility; McKelvey and Palfrey 1995's quantal
response), a hazard continuous in every parameter rather than a threshold. Each step, against
the *weakest* member frontline state (lowest margin M):

    probe         with probability 1 - exp(-h_p * r * L(-M / s) * dt_m)
                  a hybrid probe below the threshold of force (a border incident, an incursion):
                  tension impulse I_p on the pair of the challenger and that state
    fait accompli with probability 1 - exp(-h_a * r * L((-M - a) / s) * dt_m)
                  a limited seizure: the pairs of the challenger with that state, the alliance and
                  the patrons enter rung 5 (limited conflict)
    major war     from limited conflict, with probability 1 - exp(-h_w * (1 - b) * dt_m) a step:
                  rung 6; b is the nuclear brake (Schelling's "threat that leaves something to
                  chance" cuts both ways: the risk of nuclear use restrains deliberate escalation)
    settlement    from armed conflict, with probability 1 - exp(-h_s * dt_m) a step: back to
                  rung 4 (a ceasefire; tension then relaxes as usual)

L(x) = 1 / (1 + exp(-x)) is the logistic function: at indifference (M = 0) a probe has half its
full hazard, and a margin several s above zero leaves a small, never exactly zero, chance. While
a pair is in armed conflict its tension is held at least at its rung's threshold; tension neither
starts nor ends armed conflict.

r is the challenger's risk tolerance (under both readings: it scales the hazards here and its
value of a fait accompli in the margin, Kahneman and Tversky's risk seeking in losses; Jervis 1992
on prospect theory), a the shortfall at which a fait accompli is half as likely as against an
undefended state (a margin of error the challenger demands), h_p, h_a, h_w, h_s monthly hazards.
"""

from __future__ import annotations

import numpy as np


def risk_factor(weight: float | np.ndarray, risk_tolerance: float | np.ndarray
                ) -> float | np.ndarray:
    """1 + w (r - 1/2): how risk attitude scales the challenger's value of a fait accompli."""
    return 1.0 + weight * (risk_tolerance - 0.5)


def hazard(rate: float, risk: float, value: float, scale: float, months: float) -> float:
    """Probability of a move in a step: 1 - exp(-rate * risk * L(value / scale) * months).

    ``value`` is the move's expected value in margin units: -M for a probe, -M - a for a fait
    accompli. L(x) is evaluated as (1 + tanh(x / 2)) / 2, which never overflows.
    """
    chance = 0.5 * (1.0 + np.tanh(0.5 * value / scale))
    return -np.expm1(-rate * risk * chance * months)


def probe_value(margin: float) -> float:
    """A probe's expected value in margin units: -M."""
    return -margin


def attack_value(margin: float, attack_margin: float) -> float:
    """A fait accompli's expected value in margin units: -M - a."""
    return -margin - attack_margin


def weakest(margin: np.ndarray) -> tuple[np.ndarray, np.ndarray]:
    """Row of the lowest margin and its value per replicate, from (F, R) margins."""
    row = np.argmin(margin, axis=0)
    return row, np.take_along_axis(margin, row[None], axis=0)[0]


def war_probability(rate: float, brake: float, months: float) -> float:
    """Probability that a limited conflict becomes a major war in a step."""
    return -np.expm1(-rate * (1.0 - brake) * months)


def settle_probability(rate: float, months: float) -> float:
    """Probability that an armed conflict ends in a ceasefire in a step."""
    return -np.expm1(-rate * months)


def transition(rung: int, attack: bool, settle: bool, escalate: bool, by_decision: int = 5
               ) -> int:
    """A pair's rung after this step's decisions (elementwise): ceasefire, fait accompli, war.

    In order: a pair in armed conflict (rung >= ``by_decision``) that ``settle`` s drops to the
    rung below it; an ``attack`` on a pair below armed conflict (and not just settled) takes it
    to limited conflict; a limited conflict not entered this step becomes a major war where
    ``escalate`` (the war draw) holds.
    """
    ceasefire = np.logical_and(rung >= by_decision, settle)
    after = rung + ceasefire * (by_decision - 1 - rung)
    into = np.logical_and(np.logical_and(attack, after < by_decision),
                          np.logical_not(ceasefire))
    after = after + into * (by_decision - after)
    to_war = np.logical_and(np.logical_and(after == by_decision, escalate),
                            np.logical_not(into))
    return after + to_war * 1


def held_in_conflict(tension: float, rung: int, floor: float, by_decision: int = 5) -> float:
    """Tension held at least at its rung's threshold ``floor`` while the pair is in armed conflict.

    Tension is never negative, so outside armed conflict the bound 0 leaves it as it is;
    ``floor`` must be finite.
    """
    return np.maximum(tension, (rung >= by_decision) * floor)
