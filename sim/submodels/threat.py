"""Threat perception with memory: Jervis's security dilemma.

Jervis (1976, *Perception and Misperception in International Politics*; 1978, "Cooperation under
the Security Dilemma") argues that one side's defensive measures read as threats to the other.
For every ordered pair (i perceives j):

    x_ij  = theta_i * ( w_f D_j / F_ref + w_e E_j / E_ref + w_c K_j / (K_i + K_j) + w_s Z_j + w_h H_j
                        + w_a e_i A_j )
    x_ij -= rho * G_j                                 (spiral reading only: reassurance calms)
    T*_ij = 1 - exp(-max(x_ij, 0))                    (0-1: no threat ... existential threat)
    T_ij <- m_i^dt T_ij + (1 - m_i^dt) T*_ij          (memory m_i per month)

D is forces deployed near the contact line (troops), E troops in exercises, K the capability stock,
Z the strategic index (missile defence / hypersonic systems), H hybrid operations, G dialogue and
confidence building. A_j is j's demonstrated aggression, its recent uses of force against third
states (Georgia 2008, Crimea and Donbas 2014, a full-scale invasion: dated events add to it), which
fades by half every h months,

    A_j  <- A_j 2^(-dt_m / h)

and e_i is i's exposure to it (proximity: 1 for a frontline state). After Walt (1987, *The
Origins of Alliances*): states balance against threat, and threat is power, proximity, offensive
capability and *aggressive intentions*, which a state shows by using force. A use of force against
a third state therefore raises the threat every exposed actor perceives from the aggressor, and
through threat their spending, exercises and deployments (arms and decision submodels), with no
scripted response. In the **deterrence reading** (Jervis's deterrence model: the adversary is
opportunistic, not insecure) reassurance does not lower threat; the defender's dialogue raises the
challenger's expected gain (deterrence submodel: concessions embolden); and a challenger reads the
defenders' forward deployments mostly as what they are, a defence - only the share ``d`` of
them counts as threat (``defensive_discount``, Glaser & Kaufmann 1998 on offence-defence
distinguishability), and it does not match them as it matches an offensive build-up (its
rivals' activity counts the same share, :func:`read_activity`), while their effect on the
deterrence margin restrains it (decision rules).
Trust is earned or lost by the *change* in the other side's conduct since
the start (reciprocity, Axelrod 1984), and otherwise keeps its initial level:

    c_ij    = G_j + A_p / 2 - H_j - S_j->i / 2                     (j's net cooperation)
    tau*_ij = clip(tau_ij0 + g max(0, c_ij - c_ij0) + min(0, c_ij - c_ij0), 0, 1)
    tau_ij <- tau_ij + (1 - (1 - r)^dt_m) (tau*_ij - tau_ij)

with A_p the pair's arms-control regime, S the sanctions j imposes on i, r the trust rate and g
the share of a rise in cooperation that becomes trust: trust is hard to gain and easy to lose
(Slovic 1993's asymmetry principle; Kydd 2005, *Trust and Mistrust in International Relations*:
cheap talk builds little of it).
"""

from __future__ import annotations

from typing import TYPE_CHECKING

import numpy as np

if TYPE_CHECKING:
    from ..scenario.schema import ThreatModel


def emitted_value(w_forces: float, forces_ref: float, w_exercises: float, exercises_ref: float,
                  w_strategic: float, w_hybrid: float, dep: float, ex: float, strat: float,
                  hyb: float, forces_weight: float = 1.0) -> float:
    """The part of T*_ij that depends on the emitter j only (elementwise: scalars or arrays).

    ``forces_weight`` scales the deployment term (the deterrence reading's discount for a
    challenger perceiving defenders).
    """
    return (forces_weight * w_forces / forces_ref * dep + w_exercises / exercises_ref * ex
            + w_strategic * strat + w_hybrid * hyb)


def signal_value(sens_i: float, emitted_j: float, cap_i: float, cap_j: float, dlg_j: float,
                 w_capability: float, reassurance: float, spiral: bool, aggression_j: float,
                 exposure_i: float, w_aggression: float) -> float:
    """T*_ij from the emitter's part (elementwise: scalars or arrays).

    ``spiral``: the spiral reading, where the other side's dialogue reassures.
    """
    x = (emitted_j + w_capability * cap_j / np.maximum(cap_i + cap_j, 1e-9)
         + w_aggression * exposure_i * aggression_j) * sens_i
    if spiral:
        x = x - reassurance * dlg_j
    return 1.0 - np.exp(-np.maximum(x, 0.0))


def emitted(p: ThreatModel, dep: np.ndarray, ex: np.ndarray, strat: np.ndarray, hyb: np.ndarray,
            forces_weight: float | np.ndarray = 1.0) -> np.ndarray:
    """:func:`emitted_value` with ``p``'s weights, per actor (N, R)."""
    return emitted_value(p.w_forces, p.forces_ref, p.w_exercises, p.exercises_ref, p.w_strategic,
                         p.w_hybrid, dep, ex, strat, hyb, forces_weight)


def signal(p: ThreatModel, sens_i: np.ndarray, emitted_j: np.ndarray, cap_i: np.ndarray,
           cap_j: np.ndarray, dlg_j: np.ndarray, aggression_j: np.ndarray | float = 0.0,
           exposure_i: np.ndarray | float = 1.0) -> np.ndarray:
    """Target perceived threat T*_ij for every arc (:func:`signal_value`); all arrays (arcs, R).

    ``emitted_j`` is :func:`emitted` gathered for the emitter of each arc.
    """
    return signal_value(sens_i, emitted_j, cap_i, cap_j, dlg_j, p.w_capability, p.reassurance,
                        p.reading == "spiral", aggression_j, exposure_i, p.w_aggression)


EXPOSURE_FRONTLINE = 1.0
"""Exposure ``auto`` of a frontline state: it borders the aggressor."""

EXPOSURE_OTHER = 0.5
"""Exposure ``auto`` of any other actor: allied, not on the border. ASSUMPTION: half; the fitted
``w_aggression`` absorbs the scale, the ratio is what this sets."""


def faded_aggression(aggression: np.ndarray, keep: np.ndarray | float) -> np.ndarray:
    """A <- A 2^(-dt_m / h): demonstrated aggression after a step, ``keep`` = 2^(-dt_m / h)."""
    return aggression * keep


def aggression_kept(half_life: float | np.ndarray, months: float) -> float | np.ndarray:
    """2^(-dt_m / h): the share of demonstrated aggression remembered over one step."""
    return 0.5 ** (months / half_life)


def update(threat: np.ndarray, target: np.ndarray, memory_step: np.ndarray) -> np.ndarray:
    """Exponential memory: T <- m T + (1 - m) T*."""
    return memory_step * threat + (1.0 - memory_step) * target


def conduct(dlg: float, hyb: float, sanctions: float, hostility: float) -> float:
    """An actor's own part of the cooperation it shows, G - H - s S (elementwise).

    ``sanctions`` is its mean sanctions intensity, ``hostility`` the weight s of sanctions.
    """
    return dlg - hyb - hostility * sanctions


def cooperation(own_j: np.ndarray, arms_control: np.ndarray) -> np.ndarray:
    """Net cooperation c_ij of j towards i, (arcs, R).

    ``own_j`` is j's own part G_j - H_j - S_j / 2 gathered per arc; the pair's arms-control
    regime adds half its level.
    """
    return own_j + 0.5 * arms_control


def update_trust(trust: np.ndarray, trust0: np.ndarray, coop: np.ndarray, coop0: np.ndarray,
                 rate_step: float, gain: float) -> np.ndarray:
    """Trust relaxes towards its initial level shifted by the change in cooperation.

    A rise in cooperation counts by ``gain``, a fall in full (the asymmetry of trust).
    """
    change = coop - coop0
    earned = gain * np.maximum(change, 0.0) + np.minimum(change, 0.0)
    target = np.minimum(np.maximum(trust0 + earned, 0.0), 1.0)
    return trust + rate_step * (target - trust)


def read_activity(exercises: float, deployment: float, exercises_ref: float, forces_ref: float,
                  forces_weight: float) -> float:
    """E_j / E_ref + d D_j / F_ref: the rivals' activity as a challenger reads it.

    In the deterrence reading a challenger reads the defenders' forward deployment as the
    defence it is (the share ``d``, ``defensive_discount``, as in its threat): it does not match
    them as it would match an offensive build-up (Glaser and Kaufmann 1998).
    """
    return exercises / exercises_ref + forces_weight * deployment / forces_ref
