"""Tension per pair: a relaxation process driven by threat, hostile acts, trust and dialogue.

Tension tau_p (0-100) is the modelled intensity of the antagonism between two actors: 0 is a
working partnership (the NATO-Russia Council years, 2002-07), about 50 the post-Crimea
"new normal" of 2016-17, 100 a war between them. For pair p = (a, b):

    tau*_p = w_T (T_ab + T_ba)/2 + w_H (H_a + H_b) + w_S (S_a->b + S_b->a)/2
             - w_tau (tau_ab + tau_ba)/2 - w_G (G_a + G_b)/2 + c_p
    tau_p <- clip(tau_p + (1 - (1 - lambda)^dt_m)(tau*_p - tau_p) + impulses, 0, 100)

T perceived threat, H hybrid operations, S mean sectoral sanctions across the pair, tau trust,
G dialogue; impulses come from incidents, protests and dated shocks. The constant c_p is set at
the start so that tau*_p equals the scenario's initial tension: the initial state is a steady
state and the trajectory is the model's response (the same calibration as Richardson's ``auto``
grievance). The target is held in [0, 100] before the step. While a pair stands below armed
conflict on the escalation ladder, its tension stays below the threshold of limited conflict
(theta_5): tension and the ladder never contradict each other, and the rung bands of a figure
read the same as the ladder (armed conflict is decided, ``sim/submodels/decision.py``; tension
is then held at least at its rung's threshold). The overall NATO-Russia index is the mean of
tau_p weighted by w_a w_b, the weights the scenario gives its actors: who is a member does not
change them (an accession moves the index only through what the members then do).
"""

from __future__ import annotations

from typing import TYPE_CHECKING

import numpy as np

if TYPE_CHECKING:
    from ..scenario.schema import TensionModel


def target_value(w_threat: float, w_hybrid: float, w_sanctions: float, w_trust: float,
                 w_dialogue: float, threat_ab: float, threat_ba: float, hyb: float, sanc: float,
                 trust: float, dlg: float) -> float:
    """Uncalibrated target tension (without c_p) of one pair (elementwise)."""
    return (w_threat * 0.5 * (threat_ab + threat_ba) + w_hybrid * hyb
            + w_sanctions * sanc - w_trust * trust - w_dialogue * dlg)


def target(p: TensionModel, threat_ab: np.ndarray, threat_ba: np.ndarray, hyb: np.ndarray,
           sanc: np.ndarray, trust: np.ndarray, dlg: np.ndarray) -> np.ndarray:
    """Uncalibrated target tension (without c_p), (P, R): :func:`target_value` with ``p``'s weights."""
    return target_value(p.w_threat, p.w_hybrid, p.w_sanctions, p.w_trust, p.w_dialogue,
                        threat_ab, threat_ba, hyb, sanc, trust, dlg)


def step(tension: np.ndarray, tgt: np.ndarray, relax_step: float, impulse: np.ndarray
         ) -> np.ndarray:
    """Relax towards target, add impulses, clip to [0, 100] (elementwise)."""
    return np.minimum(np.maximum(tension + relax_step * (tgt - tension) + impulse, 0.0), 100.0)


def held_target(raw: float, offset: float) -> float:
    """tau*_p: the raw target plus the calibration constant c_p, held in [0, 100]."""
    return np.minimum(np.maximum(raw + offset, 0.0), 100.0)


def pair_mean(a: float, b: float) -> float:
    """The mean of an actor quantity over a pair's two actors: (x_a + x_b) / 2."""
    return 0.5 * (a + b)


CONFLICT_GAP = 1e-6
"""How far below the threshold of limited conflict tension stays outside armed conflict, points."""


def below_conflict(tension: float, rung: int, threshold: float, by_decision: int = 5) -> float:
    """Tension held below ``threshold`` (theta_5) while the pair stands below armed conflict."""
    return np.minimum(tension, threshold - CONFLICT_GAP
                      + (rung >= by_decision) * (100.0 - threshold + CONFLICT_GAP))
