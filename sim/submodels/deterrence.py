"""Deterrence of the challenger: denial by the local force ratio, punishment by Article 5.

After Snyder (1961, *Deterrence and Defense*: deterrence by denial and by punishment), Kilgour
and Zagare (1991, "Credibility, Uncertainty, and Deterrence", *AJPS* 35:2), Schelling (1966,
*Arms and Influence*) and the force-ratio logic of the RAND Baltic wargames (Shlapak and Johnson
2016, *Reinforcing Deterrence on NATO's Eastern Flank*: Russian forces reach Tallinn and Riga in
36-60 hours against what is in place).

For every frontline state f:

    D_f   = O_f (K_f / K_f0)^q + A_f + N_r rbar_W C                (defending troops within a week)
    X     = sum_c (D_c + chi E_c) (K_c / K_c0)^q                     (the challenger's local force)
    P_den = (m D_f)^k / ((m D_f)^k + X^k)                            (denial: a contest success function)
    B*_f  = w_c C + w_t (1 - exp(-A_f / T_w)) + w_e min(1, E_W / E_ref) + w_s S
    B_f  <- m^dt B_f + (1 - m^dt) B*_f                              (belief that Article 5 is honoured)
    P_f   = 1 - (1 - B_f)(1 - P_den)                                 (defence by punishment or by denial)
    p*    = V / (V + 1),  V = v * rho_c * (1 + e * G_W) * (1 + w (r - 1/2))   (challenger's threshold)
    M_f   = P_f - p*                                                 (deterrence margin)

O_f is the frontline state's own forces near the border, scaled by its capability stock K_f
relative to the start with elasticity q (spending buys better-equipped forces, with diminishing
returns: Biddle 2004, *Military Power*, on why numbers and kit are not the whole story); A_f the
allied troops it hosts (eFP); N_r the allied troops that can reach it within a week (rapid
reaction forces), times the defenders' mean readiness rbar_W and the patrons' commitment C. X is
the challengers' forces near the border and the share chi of their exercise troops that could
join an attack (Crimea 2014 was launched from a snap exercise), scaled by their capability. The
contest success function in ratio form (Hirshleifer 1989, "Conflict and rent-seeking success
functions", *Public Choice* 63) has the defender's advantage m (Mearsheimer 1989's 3:1 rule: an
attacker needs about three times the defender's local force) and decisiveness k (k = 2 is
Lanchester's square law for aimed fire). T_w is the tripwire scale, E_W western exercise troops,
S the signals: the mean of the west's largest intelligence sharing, its largest military aid and
(with a union) the union's cohesion, v the challenger's stakes in units of the cost of war, rho_c
its resolve. Kilgour-Zagare: deterrence is stable when the defender's credibility exceeds the
challenger's threshold, M_f > 0. In the deterrence reading the west's dialogue G_W raises V
(e = reassurance): concessions embolden; r is the challenger's risk tolerance and w its weight
(``escalation.risk_weight``). A smooth shortfall (:func:`shortfall`) pushes the challenger to
probe with hybrid operations in proportion to its risk tolerance (the challenger's decision rule),
and the margin sets the hazards of probes and faits accomplis (``sim/submodels/decision.py``);
the members' shortfall is their mean, and their margin's rise since the start restrains the
challenger's forces in the deterrence reading (posture submodel).
"""

from __future__ import annotations

from typing import TYPE_CHECKING

import numpy as np

if TYPE_CHECKING:
    from ..scenario.schema import DeterrenceModel


def belief_value(w_commitment: float, w_tripwire: float, w_exercises: float, w_signals: float,
                 tripwire_troops: float, commitment: float, allied: float, ex_west: float,
                 signals: float, exercises_ref: float) -> float:
    """Target belief B*_f for one frontline state (elementwise)."""
    trip = 1.0 - np.exp(-allied / tripwire_troops)
    return (w_commitment * commitment + w_tripwire * trip
            + w_exercises * np.minimum(1.0, ex_west / exercises_ref)
            + w_signals * signals)


def remembered(belief: float, target: float, keep: float) -> float:
    """B_f <- m^dt B_f + (1 - m^dt) B*_f: the belief after a step, ``keep`` = m^dt (elementwise)."""
    return keep * belief + (1.0 - keep) * target


def force_quality(capability: float, capability0: float, elasticity: float) -> float:
    """(K / K_0)^q: forces' effectiveness by their capability stock relative to the start."""
    return (capability / np.maximum(capability0, 1e-9)) ** elasticity


def defending_force(own: float, quality: float, allied: float, reinforcement: float,
                    readiness: float, commitment: float) -> float:
    """D_f = O_f (K_f / K_f0)^q + A_f + N_r rbar_W C: troops that defend f within a week."""
    return own * quality + allied + reinforcement * readiness * commitment


def attacking_force(deployment: float, exercises: float, exercise_share: float,
                    quality: float) -> float:
    """One challenger's local force (D_c + chi E_c) (K_c / K_c0)^q (the sum over challengers is X)."""
    return (deployment + exercise_share * exercises) * quality


def denial_probability(defender: float, attacker: float, advantage: float,
                       decisiveness: float) -> float:
    """P_den = (m D)^k / ((m D)^k + X^k), as 1 / (1 + (X / (m D))^k): one power.

    No attacking force leaves nothing to deny (1); no defending force denies nothing (0).
    """
    ratio = attacker / np.maximum(advantage * defender, 1e-300)
    return 1.0 / (1.0 + ratio ** decisiveness)


def margin_value(denial: float, stakes: float, belief: float, resolve_c: float, embolden: float,
                 risk: float) -> float:
    """Deterrence margin M_f = P_f - p* for one frontline state (elementwise)."""
    p_def = 1.0 - (1.0 - belief) * (1.0 - denial)
    v = stakes * resolve_c * (1.0 + embolden) * risk
    return p_def - v / (v + 1.0)


def belief_target(p: DeterrenceModel, commitment: np.ndarray, allied: np.ndarray, ex_west: np.ndarray,
                  signals: np.ndarray, exercises_ref: float) -> np.ndarray:
    """Target belief B*_f, (F, R); ``commitment``, ``ex_west``, ``signals`` are (R,)."""
    return belief_value(p.w_commitment, p.w_tripwire, p.w_exercises, p.w_signals,
                        p.tripwire_troops, commitment, allied, ex_west, signals, exercises_ref)


def margin(p: DeterrenceModel, belief: np.ndarray, defender: np.ndarray, attacker: np.ndarray,
           resolve_c: np.ndarray, embolden: np.ndarray | float,
           risk: np.ndarray | float = 1.0) -> np.ndarray:
    """Deterrence margin M_f = P_f - p*, (F, R); ``attacker``, ``resolve_c`` and ``risk`` (R,).

    ``defender`` is D_f, ``attacker`` X; ``risk`` is the challenger's risk attitude factor
    1 + w (r - 1/2) (escalation submodel).
    """
    denial = denial_probability(defender, attacker, p.defence_advantage, p.decisiveness)
    return margin_value(denial, p.stakes, belief, resolve_c, embolden, risk)


def signals(intel: float, aid: float, union_total: float, union_count: int) -> float:
    """S: the mean of the largest sharing, the largest aid and (with a union) its mean cohesion."""
    has_union = union_count > 0
    return (intel + aid + has_union * union_total / np.maximum(union_count, 1)) / (2.0 + has_union)


def mean_over(total: float, count: int) -> float:
    """A sum over ``count`` actors as their mean (0 with none): the patrons' commitment C."""
    return total * (count > 0) / np.maximum(count, 1)


def shortfall(margin: float, scale: float) -> float:
    """A frontline state's shortfall of deterrence, s ln(1 + exp(-M_f / s)) (a smooth max(0, -M_f)).

    The softplus of scale s (``escalation.decision_scale``): max(0, -M) where |M| >> s, and
    positive near M = 0, so that a challenger's probing varies smoothly with the margin.
    """
    return scale * np.logaddexp(0.0, -margin / scale)


def margin_rise(now_total: float, then_total: float, count: int) -> float:
    """The rise of the members' mean margin since the start: sum M / n - sum M_0 / n."""
    return now_total / count - then_total / count


def emboldening(reassurance: float, dialogue_total: float, count: int) -> float:
    """The emboldening e G_W: the west's mean dialogue times the reassurance weight (deterrence reading)."""
    return reassurance * (dialogue_total / count)
