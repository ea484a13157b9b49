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

import numba
import numpy as np

from ..kinds import RULES
from ..submodels import deterrence, diplomacy, posture, sanctions
from . import OPTIONS, compiled, kernel
from .parameters import DecisionsValues, DeterrenceValues, DiplomacyValues, DoctrineValues
from .views import rows_sum

escalation_factor = compiled(posture.escalation_factor)
adjust = compiled(posture.adjust)
commitment_scale = compiled(posture.commitment_scale)
readiness_target = compiled(posture.readiness_target)
forces_target = compiled(posture.forces_target)
aid_target = compiled(posture.aid_target)
committed = compiled(posture.committed)
sharing_target = compiled(posture.sharing_target)
restrained = compiled(posture.restrained)
hybrid_target = compiled(posture.hybrid_target)
dialogue_target = compiled(diplomacy.dialogue_target)
dialogue_under_threat = compiled(diplomacy.dialogue_under_threat)
sanction_push = compiled(sanctions.sanction_push)
sanction_pain = compiled(sanctions.sanction_pain)
sanction_target = compiled(sanctions.sanction_target)
counter_target = compiled(sanctions.counter_target)
partnership_target = compiled(sanctions.partnership_target)
partner_target = compiled(sanctions.partner_target)
margin_rise_of = compiled(deterrence.margin_rise)

View = namedtuple("View", [
    "threat_mean", "threat_mean0", "rival_activity", "rival_activity0", "growth_loss",
    "growth_loss0", "trust_mean", "tension_mean", "tension_mean0", "rival_hybrid",
    "rival_hybrid0", "sanctions_pressure", "sanctions_pressure0", "sanctions_pressure_finance",
    "sanctions_pressure_finance0", "sanctions_pressure_energy", "sanctions_pressure_energy0",
    "sanctions_pressure_defence", "sanctions_pressure_defence0", "bloc_sanctions_pressure",
    "commitment", "commitment0"])
"""What an actor's rule reads of the state, each (N, R), by the state's names: now, and at the
start where the name ends in ``0`` (``state.initial``)."""

Postures = namedtuple("Postures", [
    "readiness", "dialogue", "exercises_troops", "deployment_troops", "intel_sharing", "hybrid",
    "sanctions_finance", "sanctions_energy", "sanctions_defence", "partnership", "military_aid"])
"""The postures a rule sets, each (N, R)."""

Front = namedtuple("Front", ["margin", "margin0", "members", "shortfall"])
"""Frontline states' deterrence margins now and at the start (F, R), which are members (F,),
and the members' mean deterrence shortfall (R,)."""

Flags = namedtuple("Flags", ["diplomacy", "deterrence_reading", "exercises_hi", "deployment_hi"])
"""The diplomacy switch, the deterrence reading, and the highest exercises and deployment."""


KINDS = RULES
"""The decision rules by code, as :data:`sim.kinds.RULES` declares them: ``RULES.index(rule)``
is what :func:`decide` takes ("actor" is the rule of frontline states and satellites)."""
ACTOR, ALLIANCE, CHALLENGER, PATRON, UNION, PARTNER = (RULES.index(r) for r in (
    "actor", "alliance", "challenger", "patron", "union", "partner"))


@kernel
def decide(rows: np.ndarray, kinds: np.ndarray, postures: tuple, policy: tuple, view: tuple,
           doctrine: tuple, adjust_step: np.ndarray, decisions_values: tuple,
           diplomacy_values: tuple, deterrence_values: tuple, frontline: tuple,
           switches: tuple) -> None:
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

    Every target is a submodel's equation (:mod:`sim.submodels.posture`,
    :mod:`sim.submodels.sanctions`, :mod:`sim.submodels.diplomacy`); each posture moves by
    partial adjustment (:func:`~sim.submodels.posture.adjust`) at ``adjust_step`` (N, R).

    The tuples are plain tuples of the named tuples' fields: :class:`Postures` (the postures,
    then their policy levels), :class:`View`, the doctrine (:class:`DoctrineValues`, (N, R)),
    the submodels' values, :class:`Front` and :class:`Flags`, named again here: Numba's
    dispatcher types a plain tuple of arrays in compiled code and a named tuple in Python (at
    R = 1 the call took 14.5 us with named tuples, 8.0 us with plain ones).
    """
    x, base, v = Postures(*postures), Postures(*policy), View(*view)
    doc, k = DoctrineValues(*doctrine), DecisionsValues(*decisions_values)
    dip, det = DiplomacyValues(*diplomacy_values), DeterrenceValues(*deterrence_values)
    front, flags = Front(*frontline), Flags(*switches)
    R = adjust_step.shape[1]
    members = front.members
    restrain = flags.deterrence_reading and members.shape[0] > 0
    # a loop over the replicates for each posture's target, then one moving the posture towards
    # it (:func:`_move`): small loops the compiler vectorises, where one loop writing eleven
    # arrays it could not
    phi = np.empty(R)
    scale = np.empty(R)
    target = np.empty(R)
    push = np.empty(R)
    pain = np.empty(R)
    margin_rise = np.zeros(R)  # the rise of the members' mean deterrence margin
    if restrain and (kinds == CHALLENGER).any():
        now, count = rows_sum(front.margin, members)
        if count > 0:
            then, _ = rows_sum(front.margin0, members)
            for r in range(R):
                margin_rise[r] = margin_rise_of(now[r], then[r], count)
    for n in range(rows.shape[0]):
        i = rows[n]
        kind = kinds[n]
        step = adjust_step[i]
        threat, threat0 = v.threat_mean[i], v.threat_mean0[i]
        rival, rival0 = v.rival_activity[i], v.rival_activity0[i]
        loss, loss0 = v.growth_loss[i], v.growth_loss0[i]
        sensitivity, reciprocity, cost = (doc.threat_sensitivity[i], doc.reciprocity[i],
                                          doc.cost_sensitivity[i])
        for r in range(R):
            phi[r] = escalation_factor(threat[r] - threat0[r], rival[r], rival0[r],
                                       loss[r] - loss0[r], sensitivity[r], reciprocity[r],
                                       cost[r], k.pain_scale[r], k.phi_min[r], k.phi_max[r])
        # readiness and dialogue: every kind
        base_row = base.readiness[i]
        for r in range(R):
            target[r] = readiness_target(base_row[r], k.readiness_gain[r], threat[r], threat0[r])
        _move(x.readiness[i], target, step, 1.0)
        if flags.diplomacy:
            base_row = base.dialogue[i]
            trust, tension, tension0 = v.trust_mean[i], v.tension_mean[i], v.tension_mean0[i]
            for r in range(R):
                target[r] = dialogue_target(base_row[r], dip.dialogue_drive[r], trust[r],
                                            tension[r], tension0[r])
            if flags.deterrence_reading:  # cut by the rise in threat
                for r in range(R):
                    target[r] = dialogue_under_threat(target[r], k.dialogue_cut[r],
                                                      threat[r] - threat0[r])
            _move(x.dialogue[i], target, step, 1.0)
        if kind == CHALLENGER and restrain:  # firmness restrains the challenger
            for r in range(R):
                phi[r] = restrained(phi[r], k.deterrence_response[r], margin_rise[r],
                                    k.phi_min[r], k.phi_max[r])
        if kind == PATRON or kind == UNION:  # commitment (cohesion) relative to the start
            commitment, commitment0 = v.commitment[i], v.commitment0[i]
            for r in range(R):
                scale[r] = commitment_scale(commitment[r], commitment0[r], k.phi_max[r])
        if kind == PATRON:  # forces and aid by phi x commitment
            base_row = base.military_aid[i]
            for r in range(R):
                target[r] = aid_target(base_row[r], phi[r], scale[r])
            _move(x.military_aid[i], target, step, 1.0)
            for r in range(R):
                phi[r] = committed(phi[r], scale[r])
        if kind != UNION and kind != PARTNER:  # forces
            _scaled(x.exercises_troops[i], base.exercises_troops[i], phi, target, step,
                    flags.exercises_hi)
            _scaled(x.deployment_troops[i], base.deployment_troops[i], phi, target, step,
                    flags.deployment_hi)
        if kind == ALLIANCE:
            base_row = base.intel_sharing[i]
            for r in range(R):
                target[r] = sharing_target(base_row[r], phi[r])
            _move(x.intel_sharing[i], target, step, 1.0)
        elif kind == CHALLENGER:  # hybrid operations, counter-sanctions, partnership
            pressure, pressure0 = v.sanctions_pressure[i], v.sanctions_pressure0[i]
            base_row, risk = base.hybrid[i], doc.risk_tolerance[i]
            for r in range(R):
                target[r] = hybrid_target(base_row[r], phi[r], det.probe_gain[r], risk[r],
                                          front.shortfall[r], k.hybrid_answer[r],
                                          reciprocity[r], pressure[r], pressure0[r])
            _move(x.hybrid[i], target, step, 1.0)
            _answer(x.sanctions_finance[i], base.sanctions_finance[i], reciprocity,
                    v.sanctions_pressure_finance[i], v.sanctions_pressure_finance0[i], target, step)
            _answer(x.sanctions_energy[i], base.sanctions_energy[i], reciprocity,
                    v.sanctions_pressure_energy[i], v.sanctions_pressure_energy0[i], target, step)
            _answer(x.sanctions_defence[i], base.sanctions_defence[i], reciprocity,
                    v.sanctions_pressure_defence[i], v.sanctions_pressure_defence0[i], target, step)
            base_row = base.partnership[i]
            for r in range(R):
                target[r] = partnership_target(base_row[r], k.partnership_answer[r],
                                               pressure[r], pressure0[r])
            _move(x.partnership[i], target, step, 1.0)
        elif kind == PATRON or kind == UNION:  # sanctions of the patron and the union
            if kind == PATRON:
                scale[:] = 1.0
            hybrid, hybrid0 = v.rival_hybrid[i], v.rival_hybrid0[i]
            for r in range(R):  # the push of threat and of the rivals' hybrid operations
                push[r] = sanction_push(reciprocity[r], threat[r] - threat0[r],
                                        hybrid[r] - hybrid0[r])
            for r in range(R):  # the pain of the growth lost
                pain[r] = sanction_pain(cost[r], loss[r], loss0[r], k.pain_scale[r])
            _sanction(x.sanctions_finance[i], base.sanctions_finance[i], push, pain, scale,
                      target, step)
            _sanction(x.sanctions_energy[i], base.sanctions_energy[i], push, pain, scale,
                      target, step)
            _sanction(x.sanctions_defence[i], base.sanctions_defence[i], push, pain, scale,
                      target, step)
        elif kind == PARTNER:
            base_row, bloc = base.partnership[i], v.bloc_sanctions_pressure[i]
            for r in range(R):
                target[r] = partner_target(base_row[r], reciprocity[r], bloc[r])
            _move(x.partnership[i], target, step, 1.0)


@numba.njit(**OPTIONS)
def _move(posture: np.ndarray, target: np.ndarray, step: np.ndarray, hi: float) -> None:
    """A posture row moved by partial adjustment towards ``target``, held in [0, ``hi``]."""
    for r in range(posture.shape[0]):
        posture[r] = adjust(posture[r], target[r], step[r], 0.0, hi)


@numba.njit(**OPTIONS)
def _scaled(posture: np.ndarray, base: np.ndarray, phi: np.ndarray, target: np.ndarray,
            step: np.ndarray, hi: float) -> None:
    """A posture row moved towards its base level x ``phi`` (``target`` is scratch)."""
    for r in range(posture.shape[0]):
        target[r] = forces_target(base[r], phi[r])
    _move(posture, target, step, hi)


@numba.njit(**OPTIONS)
def _answer(sanctions: np.ndarray, base: np.ndarray, reciprocity: np.ndarray,
            pressure: np.ndarray, pressure0: np.ndarray, target: np.ndarray,
            step: np.ndarray) -> None:
    """A counter-sanction: the base level plus reciprocity x the rise of that sector's pressure."""
    for r in range(sanctions.shape[0]):
        target[r] = counter_target(base[r], reciprocity[r], pressure[r], pressure0[r])
    _move(sanctions, target, step, 1.0)


@numba.njit(**OPTIONS)
def _sanction(sanctions: np.ndarray, base: np.ndarray, push: np.ndarray, pain: np.ndarray,
              scale: np.ndarray, target: np.ndarray, step: np.ndarray) -> None:
    """One sector: (base + push - pain) x scale, by partial adjustment."""
    for r in range(sanctions.shape[0]):
        target[r] = sanction_target(base[r], push[r], pain[r], scale[r])
    _move(sanctions, target, step, 1.0)


@kernel
def recover(current: np.ndarray, policy: np.ndarray, rate: np.ndarray) -> np.ndarray:
    """Each actor's value moved the share ``rate`` (R,) of the way to its policy level, (N, R).

    :func:`sim.submodels.posture.adjust` unclipped: (x* - x) r + x, as x + r (x* - x) in NumPy
    (products and sums commute exactly). What commitment and cohesion do after a shock
    (the external phase).
    """
    N, R = current.shape
    out = np.empty((N, R))
    for i in range(N):
        for r in range(R):
            out[i, r] = adjust(current[i, r], policy[i, r], rate[r], -np.inf, np.inf)
    return out
