"""Threat perception and trust compiled (Jervis; reciprocity after Axelrod).

The equations are those of :mod:`sim.submodels.threat`; a kernel evaluates them on scalars for
every ordered pair (arc) and replicate in one pass.
"""

from __future__ import annotations

import numpy as np

from ..submodels import sanctions as sanctions_submodel
from ..submodels import threat as submodel
from . import compiled, kernel

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
            dialogue: np.ndarray, w_forces: np.ndarray, forces_ref: np.ndarray,
            w_exercises: np.ndarray, exercises_ref: np.ndarray, w_strategic: np.ndarray,
            w_hybrid: np.ndarray, w_capability: np.ndarray, reassurance: np.ndarray,
            defensive_discount: np.ndarray) -> np.ndarray:
    """T*_ij for every arc and replicate, (2P, R).

    Actor arrays (N, R), parameters (R,); ``discounted`` (2P,) marks the arcs whose perceiver
    reads only the share ``defensive_discount`` of the other side's deployment as threat (a
    challenger, in the deterrence reading).
    """
    A = arc_i.shape[0]
    R = capability.shape[1]
    out = np.empty((A, R))
    for a in range(A):
        i = arc_i[a]
        j = arc_j[a]
        for r in range(R):
            weight = defensive_discount[r] if discounted[a] else 1.0
            own = emitted_value(w_forces[r], forces_ref[r], w_exercises[r], exercises_ref[r],
                                w_strategic[r], w_hybrid[r], deployment[j, r], exercises[j, r],
                                strategic[j, r], hybrid[j, r], weight)
            out[a, r] = signal_value(sensitivity[i, r], own, capability[i, r], capability[j, r],
                                     dialogue[j, r], w_capability[r], reassurance[r], spiral)
    return out


@kernel
def cooperation(arc_j: np.ndarray, dialogue: np.ndarray, hybrid: np.ndarray,
                finance: np.ndarray, energy: np.ndarray, defence: np.ndarray,
                hostility: np.ndarray, arms_control: np.ndarray) -> np.ndarray:
    """Net cooperation c_ij each arc receives, (2P, R); arc a belongs to pair a mod P."""
    A = arc_j.shape[0]
    P, R = arms_control.shape
    out = np.empty((A, R))
    for a in range(A):
        j = arc_j[a]
        for r in range(R):
            own = conduct(dialogue[j, r], hybrid[j, r],
                          mean_intensity(finance[j, r], energy[j, r], defence[j, r]), hostility[r])
            out[a, r] = net_cooperation(own, arms_control[a % P, r])
    return out


@kernel
def perceive(arc_i: np.ndarray, threat: np.ndarray, target: np.ndarray,
             memory_step: np.ndarray, trust: np.ndarray, trust0: np.ndarray, coop: np.ndarray,
             coop0: np.ndarray, trust_step: np.ndarray) -> tuple[np.ndarray, np.ndarray]:
    """Threat with memory towards its target, trust towards its level; new (threat, trust), (2P, R).

    ``memory_step`` (N, R) is the perceiver's memory over one step; ``trust_step`` (R,) the share
    of the gap trust closes in one step.
    """
    A, R = threat.shape
    new_threat = np.empty((A, R))
    new_trust = np.empty((A, R))
    for a in range(A):
        i = arc_i[a]
        for r in range(R):
            new_threat[a, r] = update(threat[a, r], target[a, r], memory_step[i, r])
            new_trust[a, r] = update_trust(trust[a, r], trust0[a, r], coop[a, r], coop0[a, r],
                                           trust_step[r])
    return new_threat, new_trust
