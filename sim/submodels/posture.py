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
