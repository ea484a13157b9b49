"""Deterrence of the challenger: Kilgour-Zagare credibility and Schelling's tripwire.

After Kilgour and Zagare (1991, "Credibility, Uncertainty, and Deterrence", *AJPS* 35:2) and
Schelling (1966, *Arms and Influence*).

For every frontline state f:

    B*_f  = w_c C + w_t (1 - exp(-A_f / T_w)) + w_e min(1, E_W / E_ref) + w_s S
    B_f  <- m^dt B_f + (1 - m^dt) B*_f                      (belief that Article 5 is honoured)
    P_f   = 1 - (1 - B_f)(1 - min(1, (O_f + A_f) / N_d))    (defence by alliance or by denial)
    p*    = V / (V + 1),  V = v * rho_c * (1 + e * G_W) * (1 + w (r - 1/2))   (challenger's threshold)
    M_f   = P_f - p*                                         (deterrence margin)

C is the patrons' commitment, A_f the allied troops hosted by f (eFP), T_w the tripwire scale,
E_W western exercise troops, S the signals: the mean of the west's largest intelligence sharing,
its largest military aid and (with a union) the union's cohesion,
O_f the frontline state's own forces near the border, N_d the troops that deny a fait accompli
(RAND 2016: about seven brigades), v the challenger's stakes in units of the cost of war, rho_c its
resolve. Kilgour-Zagare: deterrence is stable when the defender's credibility exceeds the
challenger's threshold, M_f > 0. In the deterrence reading the west's dialogue G_W raises V
(e = reassurance): concessions embolden; r is the challenger's risk tolerance and w its weight
(``escalation.risk_weight``). A shortfall max(0, -M_f) pushes the challenger to probe with hybrid
operations in proportion to its risk tolerance (the challenger's decision rule), and to probes and
faits accomplis by decision (``sim/submodels/decision.py``); the members' shortfall is the mean
of max(0, -M_f) over the frontline states that are members, and their margin's rise since the
start restrains the challenger's forces in the deterrence reading (posture submodel).
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


def margin_value(denial_troops: float, stakes: float, belief: float, own: float, allied: float,
                 resolve_c: float, embolden: float, risk: float) -> float:
    """Deterrence margin M_f = P_f - p* for one frontline state (elementwise)."""
    denial = np.minimum(1.0, (own + allied) / denial_troops)
    p_def = 1.0 - (1.0 - belief) * (1.0 - denial)
    v = stakes * resolve_c * (1.0 + embolden) * risk
    return p_def - v / (v + 1.0)


def belief_target(p: DeterrenceModel, commitment: np.ndarray, allied: np.ndarray, ex_west: np.ndarray,
                  signals: np.ndarray, exercises_ref: float) -> np.ndarray:
    """Target belief B*_f, (F, R); ``commitment``, ``ex_west``, ``signals`` are (R,)."""
    return belief_value(p.w_commitment, p.w_tripwire, p.w_exercises, p.w_signals,
                        p.tripwire_troops, commitment, allied, ex_west, signals, exercises_ref)


def margin(p: DeterrenceModel, belief: np.ndarray, own: np.ndarray, allied: np.ndarray,
           resolve_c: np.ndarray, embolden: np.ndarray | float,
           risk: np.ndarray | float = 1.0) -> np.ndarray:
    """Deterrence margin M_f = P_f - p*, (F, R); ``resolve_c`` and ``risk`` are (R,).

    ``risk`` is the challenger's risk attitude factor 1 + w (r - 1/2) (escalation submodel).
    """
    return margin_value(p.denial_troops, p.stakes, belief, own, allied, resolve_c, embolden, risk)


def signals(intel: float, aid: float, union_total: float, union_count: int) -> float:
    """S: the mean of the largest sharing, the largest aid and (with a union) its mean cohesion."""
    has_union = union_count > 0
    return (intel + aid + has_union * union_total / np.maximum(union_count, 1)) / (2.0 + has_union)


def mean_over(total: float, count: int) -> float:
    """A sum over ``count`` actors as their mean (0 with none): the patrons' commitment C."""
    return total * (count > 0) / np.maximum(count, 1)


def shortfall(margin: float) -> float:
    """A frontline state's shortfall of deterrence, max(0, -M_f)."""
    return np.maximum(-margin, 0.0)


def margin_rise(now_total: float, then_total: float, count: int) -> float:
    """The rise of the members' mean margin since the start: sum M / n - sum M_0 / n."""
    return now_total / count - then_total / count


def emboldening(reassurance: float, dialogue_total: float, count: int) -> float:
    """The emboldening e G_W: the west's mean dialogue times the reassurance weight (deterrence reading)."""
    return reassurance * (dialogue_total / count)
