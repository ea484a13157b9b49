"""The decision rules compiled: one kernel for every kind of actor, a loop over the replicates.

Each kind's rule is in :func:`decide`'s docstring (and its class's in :mod:`sim.engine.agents`);
the shared equations, the escalation factor phi and partial adjustment, are
:mod:`sim.submodels.posture` and the dialogue an actor seeks
:func:`sim.submodels.diplomacy.dialogue_target`. The kernel reads what each actor perceives
(:class:`View`), writes its row of the posture arrays (:class:`Postures`) in place and steers
towards their policy levels (a second :class:`Postures` of the policy arrays).
"""

from __future__ import annotations

from collections import namedtuple

import numpy as np

from ..submodels import diplomacy, posture
from . import compiled, kernel

escalation_factor = compiled(posture.escalation_factor)
adjust = compiled(posture.adjust)
commitment_scale = compiled(posture.commitment_scale)
dialogue_target = compiled(diplomacy.dialogue_target)

View = namedtuple("View", [
    "threat_mean", "threat_mean0", "rival_activity", "rival_activity0", "growth_loss",
    "growth_loss0", "trust_mean", "tension_mean", "tension_mean0", "rival_hybrid",
    "rival_hybrid0", "pressure", "pressure0", "pressure_finance", "pressure_finance0",
    "pressure_energy", "pressure_energy0", "pressure_defence", "pressure_defence0",
    "bloc_pressure", "commitment", "commitment0", "threat_sensitivity", "reciprocity",
    "cost_sensitivity", "risk_tolerance", "adjust_step"])
"""What an actor's rule reads, each (N, R): its views now and at the start (``0``), its doctrine
and ``adjust_step``, the share of a gap a posture closes in one step."""

Postures = namedtuple("Postures", [
    "readiness", "dialogue", "exercises_troops", "deployment_troops", "intel_sharing", "hybrid",
    "sanctions_finance", "sanctions_energy", "sanctions_defence", "partnership", "military_aid"])
"""The postures a rule sets, each (N, R)."""

Knobs = namedtuple("Knobs", [
    "pain_scale", "phi_min", "phi_max", "readiness_gain", "dialogue_cut", "deterrence_response",
    "hybrid_answer", "partnership_answer", "dialogue_drive", "probe_gain", "shortfall"])
"""The decision parameters, each (R,) (``submodels.decisions``, the diplomacy's dialogue drive
and the deterrence's probe gain), and the deterrence shortfall (R,)."""

Front = namedtuple("Front", ["margin", "margin0", "members"])
"""Frontline states' deterrence margins now and at the start (F, R) and which are members (F,)."""

Flags = namedtuple("Flags", ["diplomacy", "deterrence_reading", "exercises_hi", "deployment_hi"])
"""The diplomacy switch, the deterrence reading, and the highest exercises and deployment."""


ACTOR, ALLIANCE, CHALLENGER, PATRON, UNION, PARTNER = range(6)
KINDS = ("actor", "alliance", "challenger", "patron", "union", "partner")
"""The decision rules by code (``ACTOR`` ... ``PARTNER``): ``KINDS.index(rule)`` is what
:func:`decide` takes ("actor" is the rule of frontline states and satellites)."""


@kernel
def decide(rows: np.ndarray, kinds: np.ndarray, x: Postures, base: Postures, v: View, k: Knobs,
           front: Front, flags: Flags) -> None:
    """Each actor ``rows[n]`` decides by the rule of its kind ``kinds[n]`` (:data:`KINDS`).

    Every kind sets readiness, which rises with threat, and (with diplomacy on) dialogue as
    :func:`~sim.submodels.diplomacy.dialogue_target` seeks it, cut in the deterrence reading by
    the rise in threat. Then:

    * actor (a frontline state, a satellite): exercises and deployment, base x phi;
    * alliance: the same, and intelligence sharing, base x sqrt(phi);
    * challenger: exercises and deployment by phi, in the deterrence reading lowered by the rise
      of the members' mean deterrence margin; hybrid operations, base x sqrt(phi) + probes
      (probe gain x risk tolerance x shortfall) + an answer to the sanctions pressure;
      counter-sanctions answering each sector's pressure; partnership with the pressure;
    * patron: exercises, deployment and military aid by phi x commitment relative to the start;
      sanctions, (base + reciprocity x (rise of threat + rise of rivals' hybrid operations) -
      cost sensitivity x pain / L_s);
    * union: sanctions as the patron's, times its cohesion relative to the start;
    * partner: partnership, base + reciprocity x the sanctions pressure on its bloc.

    Each posture moves by partial adjustment (:func:`~sim.submodels.posture.adjust`).
    """
    R = v.adjust_step.shape[1]
    members = front.members
    count = 0
    for f in range(members.shape[0]):
        if members[f]:
            count += 1
    restrain = flags.deterrence_reading and members.shape[0] > 0
    for n in range(rows.shape[0]):
        i = rows[n]
        kind = kinds[n]
        for r in range(R):
            step = v.adjust_step[i, r]
            d_threat = v.threat_mean[i, r] - v.threat_mean0[i, r]
            phi = escalation_factor(
                d_threat, v.rival_activity[i, r], v.rival_activity0[i, r],
                v.growth_loss[i, r] - v.growth_loss0[i, r], v.threat_sensitivity[i, r],
                v.reciprocity[i, r], v.cost_sensitivity[i, r], k.pain_scale[r], k.phi_min[r],
                k.phi_max[r])
            # readiness and dialogue: every kind
            x.readiness[i, r] = adjust(x.readiness[i, r],
                                       base.readiness[i, r] + k.readiness_gain[r] * d_threat,
                                       step, 0.0, 1.0)
            if flags.diplomacy:
                target = dialogue_target(base.dialogue[i, r], k.dialogue_drive[r],
                                         v.trust_mean[i, r], v.tension_mean[i, r],
                                         v.tension_mean0[i, r])
                if flags.deterrence_reading:
                    target = min(max(target - k.dialogue_cut[r] * max(d_threat, 0.0), 0.0), 1.0)
                x.dialogue[i, r] = adjust(x.dialogue[i, r], target, step, 0.0, 1.0)
            if kind == CHALLENGER and restrain:  # firmness restrains the challenger
                d_margin = 0.0
                if count > 0:
                    now = 0.0
                    then = 0.0
                    for f in range(members.shape[0]):
                        if members[f]:
                            now += front.margin[f, r]
                            then += front.margin0[f, r]
                    d_margin = now / count - then / count
                phi = min(max(phi - k.deterrence_response[r] * d_margin, k.phi_min[r]),
                          k.phi_max[r])
            forces = phi
            scale = 1.0
            if kind == PATRON or kind == UNION:  # commitment (cohesion) relative to the start
                scale = commitment_scale(v.commitment[i, r], v.commitment0[i, r], k.phi_max[r])
            if kind == PATRON:
                forces = phi * scale
                x.military_aid[i, r] = adjust(x.military_aid[i, r],
                                              base.military_aid[i, r] * phi * scale, step, 0.0,
                                              1.0)
            if kind != UNION and kind != PARTNER:  # forces
                x.exercises_troops[i, r] = adjust(x.exercises_troops[i, r],
                                                  base.exercises_troops[i, r] * forces, step,
                                                  0.0, flags.exercises_hi)
                x.deployment_troops[i, r] = adjust(x.deployment_troops[i, r],
                                                   base.deployment_troops[i, r] * forces, step,
                                                   0.0, flags.deployment_hi)
            if kind == ALLIANCE:
                x.intel_sharing[i, r] = adjust(x.intel_sharing[i, r],
                                               base.intel_sharing[i, r] * np.sqrt(phi), step,
                                               0.0, 1.0)
            elif kind == CHALLENGER:
                probe = k.probe_gain[r] * v.risk_tolerance[i, r] * k.shortfall[r]
                reciprocity = v.reciprocity[i, r]
                d_press = v.pressure[i, r] - v.pressure0[i, r]
                x.hybrid[i, r] = adjust(x.hybrid[i, r], base.hybrid[i, r] * np.sqrt(phi) + probe
                                        + k.hybrid_answer[r] * reciprocity * d_press, step, 0.0,
                                        1.0)
                x.sanctions_finance[i, r] = adjust(
                    x.sanctions_finance[i, r], base.sanctions_finance[i, r] + reciprocity * max(
                        v.pressure_finance[i, r] - v.pressure_finance0[i, r], 0.0), step, 0.0,
                    1.0)
                x.sanctions_energy[i, r] = adjust(
                    x.sanctions_energy[i, r], base.sanctions_energy[i, r] + reciprocity * max(
                        v.pressure_energy[i, r] - v.pressure_energy0[i, r], 0.0), step, 0.0,
                    1.0)
                x.sanctions_defence[i, r] = adjust(
                    x.sanctions_defence[i, r], base.sanctions_defence[i, r] + reciprocity * max(
                        v.pressure_defence[i, r] - v.pressure_defence0[i, r], 0.0), step, 0.0,
                    1.0)
                x.partnership[i, r] = adjust(x.partnership[i, r], base.partnership[i, r]
                                             + k.partnership_answer[r] * max(d_press, 0.0), step,
                                             0.0, 1.0)
            elif kind == PATRON or kind == UNION:  # sanctions of the patron and the union
                push = v.reciprocity[i, r] * (max(d_threat, 0.0) + max(
                    v.rival_hybrid[i, r] - v.rival_hybrid0[i, r], 0.0))
                pain = (v.cost_sensitivity[i, r] * (v.growth_loss[i, r] - v.growth_loss0[i, r])
                        / k.pain_scale[r])
                if kind == PATRON:
                    scale = 1.0
                x.sanctions_finance[i, r] = adjust(
                    x.sanctions_finance[i, r],
                    (base.sanctions_finance[i, r] + push - pain) * scale, step, 0.0, 1.0)
                x.sanctions_energy[i, r] = adjust(
                    x.sanctions_energy[i, r],
                    (base.sanctions_energy[i, r] + push - pain) * scale, step, 0.0, 1.0)
                x.sanctions_defence[i, r] = adjust(
                    x.sanctions_defence[i, r],
                    (base.sanctions_defence[i, r] + push - pain) * scale, step, 0.0, 1.0)
            elif kind == PARTNER:
                x.partnership[i, r] = adjust(x.partnership[i, r], base.partnership[i, r]
                                             + v.reciprocity[i, r] * v.bloc_pressure[i, r],
                                             step, 0.0, 1.0)
