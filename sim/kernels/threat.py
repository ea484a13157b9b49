"""Threat perception and trust compiled (Jervis; reciprocity after Axelrod).

The equations are those of :mod:`sim.submodels.threat`; a kernel evaluates them on scalars for
every ordered pair (arc) and replicate in one pass.
"""

from __future__ import annotations

import numpy as np

from ..submodels import sanctions as sanctions_submodel
from ..submodels import threat as submodel
from . import compiled, kernel
from .parameters import ThreatValues

emitted_value = compiled(submodel.emitted_value)
signal_value = compiled(submodel.signal_value)
update = compiled(submodel.update)
conduct = compiled(submodel.conduct)
net_cooperation = compiled(submodel.cooperation)
update_trust = compiled(submodel.update_trust)
mean_intensity = compiled(sanctions_submodel.mean_intensity)


@kernel
def targets(arc_i: np.ndarray, arc_j: np.ndarray, discounted: np.ndarray, spiral: bool,
            sensitivity: np.ndarray, deployment: np.ndarray, exercises: np.ndarray,
            strategic: np.ndarray, hybrid: np.ndarray, capability: np.ndarray,
            dialogue: np.ndarray, aggression: np.ndarray, exposure: np.ndarray,
            threat: tuple) -> np.ndarray:
    """Target perceived threat T*_ij of every arc (2P, R).

    Actor arrays (N, R), ``threat`` the threat submodel's values (:class:`ThreatValues`);
    ``discounted`` (2P,) marks the arcs whose perceiver reads only the share
    ``defensive_discount`` of the other side's deployment as threat (a challenger, in the
    deterrence reading).
    """
    p = ThreatValues(*threat)
    A = arc_i.shape[0]
    R = capability.shape[1]
    out = np.empty((A, R))
    for a in range(A):
        i = arc_i[a]
        j = arc_j[a]
        for r in range(R):
            weight = p.defensive_discount[r] if discounted[a] else 1.0
            own = emitted_value(p.w_forces[r], p.forces_ref[r], p.w_exercises[r],
                                p.exercises_ref[r], p.w_strategic[r], p.w_hybrid[r],
                                deployment[j, r], exercises[j, r], strategic[j, r],
                                hybrid[j, r], weight)
            out[a, r] = signal_value(sensitivity[i, r], own, capability[i, r], capability[j, r],
                                     dialogue[j, r], p.w_capability[r], p.reassurance[r], spiral,
                                     aggression[j, r], exposure[i, r], p.w_aggression[r])
    return out


@kernel
def cooperation(arc_j: np.ndarray, dialogue: np.ndarray, hybrid: np.ndarray,
                finance: np.ndarray, energy: np.ndarray, defence: np.ndarray,
                arms_control: np.ndarray, threat: tuple) -> np.ndarray:
    """Net cooperation c_ij each arc receives, (2P, R); arc a belongs to pair a mod P."""
    p = ThreatValues(*threat)
    A = arc_j.shape[0]
    P, R = arms_control.shape
    out = np.empty((A, R))
    for a in range(A):
        j = arc_j[a]
        for r in range(R):
            own = conduct(dialogue[j, r], hybrid[j, r],
                          mean_intensity(finance[j, r], energy[j, r], defence[j, r]),
                          p.sanctions_hostility[r])
            out[a, r] = net_cooperation(own, arms_control[a % P, r])
    return out


@kernel
def perceive(arc_i: np.ndarray, threat: np.ndarray, target: np.ndarray,
             memory_step: np.ndarray, trust: np.ndarray, trust0: np.ndarray, coop: np.ndarray,
             coop0: np.ndarray, trust_step: np.ndarray, threat_values: tuple
             ) -> tuple[np.ndarray, np.ndarray]:
    """Threat with memory towards its target, trust towards its level; new (threat, trust), (2P, R).

    ``memory_step`` (N, R) is the perceiver's memory over one step; ``trust_step`` (R,) the share
    of the gap trust closes in one step; ``threat_values`` the threat submodel's (its trust gain).
    """
    p = ThreatValues(*threat_values)
    A, R = threat.shape
    new_threat = np.empty((A, R))
    new_trust = np.empty((A, R))
    for a in range(A):
        i = arc_i[a]
        for r in range(R):
            new_threat[a, r] = update(threat[a, r], target[a, r], memory_step[i, r])
            new_trust[a, r] = update_trust(trust[a, r], trust0[a, r], coop[a, r], coop0[a, r],
                                           trust_step[r], p.trust_gain[r])
    return new_threat, new_trust
