"""Posture decisions: the escalation factor and partial adjustment.

Postures move towards a target by the actor's responsiveness r each month (partial adjustment,
Nerlove 1958):

    x <- clip(x + (1 - (1 - r)^dt_m) (x* - x), lo, hi)

The common driver of military postures is the *escalation factor*

    phi_i = clip(1 + theta_i dT_i + rho_i 2 (U_i - U_i0) / (U_i + U_i0) - c_i L_i / L_s,
                 phi_min, phi_max)

with dT_i the rise of the actor's mean perceived threat since the start, U_i / U_i0 the change of
its rivals' military activity (reciprocity, tit for tat, Axelrod 1984), L_i the rise since the
start of the growth it loses to sanctions (pp/yr), theta, rho and c its threat sensitivity,
reciprocity and cost sensitivity. The symmetric relative change 2 (U - U0) / (U + U0) equals
ln(U / U0) to second order and saturates at +-2, so a rival's doubling is answered by about
rho ln 2, not in full: matching below one for one keeps the loop between two rivals' postures
stable, as in Richardson's condition a b > k l. A patron's forces scale with its commitment
relative to the start, capped at phi_max (a surge, not more).

Each kind's targets (its rule, :data:`sim.kinds.KINDS`) are built from phi:

* readiness: x*_0 + g_r dT_i (readiness answers threat directly; ``readiness_gain``);
* forces (exercises, deployment): x*_0 phi; a patron's military aid x*_0 phi kappa, with kappa
  its commitment relative to the start (which then scales its forces too);
* intelligence sharing: x*_0 sqrt(phi) (information is cheap to share, so it moves less than
  forces: an elasticity of one half);
* a challenger's restraint under firm deterrence: phi less k_d times the rise of the members'
  mean deterrence margin (``deterrence_response``; Huth 1988, deterrence success with local
  balance), held in [phi_min, phi_max];
* a challenger's hybrid operations: x*_0 sqrt(phi) + g_p r S (probes where deterrence falls short:
  probe gain, risk tolerance, the members' mean shortfall; Schelling's "salami tactics") + a_h rho
  (P - P_0) (an answer to the rise of sanctions pressure).

Every function is elementwise: scalars (the compiled decision rules, :mod:`sim.kernels.decisions`)
or NumPy arrays.
"""

from __future__ import annotations

import numpy as np


def escalation_factor(d_threat: float, rival: float, rival0: float, pain: float,
                      threat_sensitivity: float, reciprocity: float, cost_sensitivity: float,
                      pain_scale: float, phi_min: float, phi_max: float) -> float:
    """phi_i of the module docstring; ``pain`` is L_i, ``rival``/``rival0`` U_i and U_i0."""
    d_rival = 2.0 * (rival - rival0) / np.maximum(rival + rival0, 1e-9)
    f = (1.0 + threat_sensitivity * d_threat + reciprocity * d_rival
         - cost_sensitivity * pain / pain_scale)
    return np.minimum(np.maximum(f, phi_min), phi_max)


def adjust(current: float, target: float, step: float, lo: float, hi: float) -> float:
    """Partial adjustment: ``current`` moved the share ``step`` of the way to ``target``, clipped."""
    return np.minimum(np.maximum((target - current) * step + current, lo), hi)


def commitment_scale(commitment: float, commitment0: float, phi_max: float) -> float:
    """Commitment relative to its initial level, capped at ``phi_max``."""
    return np.minimum(commitment / np.maximum(commitment0, 1e-9), phi_max)


def readiness_target(base: float, gain: float, threat: float, threat0: float) -> float:
    """Readiness sought: x*_0 + g_r (T - T_0), the base level raised by the rise in threat."""
    return base + gain * (threat - threat0)


def forces_target(base: float, phi: float) -> float:
    """Forces (exercises, deployment, military aid) sought: x*_0 phi."""
    return base * phi


def committed(phi: float, commitment_scale: float) -> float:
    """A patron's phi scaled by its commitment relative to the start: phi kappa."""
    return phi * commitment_scale


def aid_target(base: float, phi: float, commitment_scale: float) -> float:
    """A patron's military aid sought: x*_0 phi kappa, phi scaled by its commitment."""
    return base * phi * commitment_scale


def sharing_target(base: float, phi: float) -> float:
    """Intelligence sharing sought: x*_0 sqrt(phi)."""
    return base * np.sqrt(phi)


def restrained(phi: float, response: float, margin_rise: float, phi_min: float,
               phi_max: float) -> float:
    """A challenger's phi restrained by firm deterrence: clip(phi - k_d dM, phi_min, phi_max)."""
    return np.minimum(np.maximum(phi - response * margin_rise, phi_min), phi_max)


def hybrid_target(base: float, phi: float, probe_gain: float, risk_tolerance: float,
                  shortfall: float, answer: float, reciprocity: float, pressure: float,
                  pressure0: float) -> float:
    """A challenger's hybrid operations sought (module docstring)."""
    probe = probe_gain * risk_tolerance * shortfall
    return base * np.sqrt(phi) + probe + answer * reciprocity * (pressure - pressure0)
