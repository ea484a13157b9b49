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
from ..submodels import diplomacy, posture
from . import OPTIONS, compiled, kernel, larger, smaller
from .views import rows_sum

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


KINDS = RULES
"""The decision rules by code, as :data:`sim.kinds.RULES` declares them: ``RULES.index(rule)``
is what :func:`decide` takes ("actor" is the rule of frontline states and satellites)."""
ACTOR, ALLIANCE, CHALLENGER, PATRON, UNION, PARTNER = (RULES.index(r) for r in (
    "actor", "alliance", "challenger", "patron", "union", "partner"))


@kernel
def decide(rows: np.ndarray, kinds: np.ndarray, postures: tuple, policy: tuple, view: tuple,
           knobs: tuple, frontline: tuple, switches: tuple) -> None:
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

    The arguments after ``kinds`` are plain tuples in the order of the fields of
    :class:`Postures` (the postures, then their policy levels), :class:`View`, :class:`Knobs`,
    :class:`Front` and :class:`Flags`, named here: Numba's dispatcher types a plain tuple of arrays
    in compiled code and a named tuple in Python (at R = 1 the call took 14.5 us with named tuples,
    8.0 us with plain ones).
    """
    x, base, v, k = Postures(*postures), Postures(*policy), View(*view), Knobs(*knobs)
    front, flags = Front(*frontline), Flags(*switches)
    R = v.adjust_step.shape[1]
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
                margin_rise[r] = now[r] / count - then[r] / count
    for n in range(rows.shape[0]):
        i = rows[n]
        kind = kinds[n]
        step = v.adjust_step[i]
        threat, threat0 = v.threat_mean[i], v.threat_mean0[i]
        rival, rival0 = v.rival_activity[i], v.rival_activity0[i]
        loss, loss0 = v.growth_loss[i], v.growth_loss0[i]
        sensitivity, reciprocity, cost = (v.threat_sensitivity[i], v.reciprocity[i],
                                          v.cost_sensitivity[i])
        for r in range(R):
            phi[r] = escalation_factor(threat[r] - threat0[r], rival[r], rival0[r],
                                       loss[r] - loss0[r], sensitivity[r], reciprocity[r],
                                       cost[r], k.pain_scale[r], k.phi_min[r], k.phi_max[r])
        # readiness and dialogue: every kind
        base_row = base.readiness[i]
        for r in range(R):
            target[r] = base_row[r] + k.readiness_gain[r] * (threat[r] - threat0[r])
        _move(x.readiness[i], target, step, 1.0)
        if flags.diplomacy:
            base_row = base.dialogue[i]
            trust, tension, tension0 = v.trust_mean[i], v.tension_mean[i], v.tension_mean0[i]
            for r in range(R):
                target[r] = dialogue_target(base_row[r], k.dialogue_drive[r], trust[r],
                                            tension[r], tension0[r])
            if flags.deterrence_reading:  # cut by the rise in threat
                for r in range(R):
                    target[r] = smaller(larger(target[r] - k.dialogue_cut[r]
                                               * larger(threat[r] - threat0[r], 0.0), 0.0), 1.0)
            _move(x.dialogue[i], target, step, 1.0)
        if kind == CHALLENGER and restrain:  # firmness restrains the challenger
            for r in range(R):
                phi[r] = smaller(larger(phi[r] - k.deterrence_response[r] * margin_rise[r],
                                        k.phi_min[r]), k.phi_max[r])
        if kind == PATRON or kind == UNION:  # commitment (cohesion) relative to the start
            commitment, commitment0 = v.commitment[i], v.commitment0[i]
            for r in range(R):
                scale[r] = commitment_scale(commitment[r], commitment0[r], k.phi_max[r])
        if kind == PATRON:  # forces and aid by phi x commitment
            base_row = base.military_aid[i]
            for r in range(R):
                target[r] = base_row[r] * phi[r] * scale[r]
            _move(x.military_aid[i], target, step, 1.0)
            for r in range(R):
                phi[r] = phi[r] * scale[r]
        if kind != UNION and kind != PARTNER:  # forces
            _scaled(x.exercises_troops[i], base.exercises_troops[i], phi, target, step,
                    flags.exercises_hi)
            _scaled(x.deployment_troops[i], base.deployment_troops[i], phi, target, step,
                    flags.deployment_hi)
        if kind == ALLIANCE:
            base_row = base.intel_sharing[i]
            for r in range(R):
                target[r] = base_row[r] * np.sqrt(phi[r])
            _move(x.intel_sharing[i], target, step, 1.0)
        elif kind == CHALLENGER:  # hybrid operations, counter-sanctions, partnership
            pressure, pressure0 = v.pressure[i], v.pressure0[i]
            base_row, risk = base.hybrid[i], v.risk_tolerance[i]
            for r in range(R):
                probe = k.probe_gain[r] * risk[r] * k.shortfall[r]
                target[r] = (base_row[r] * np.sqrt(phi[r]) + probe + k.hybrid_answer[r]
                             * reciprocity[r] * (pressure[r] - pressure0[r]))
            _move(x.hybrid[i], target, step, 1.0)
            _answer(x.sanctions_finance[i], base.sanctions_finance[i], reciprocity,
                    v.pressure_finance[i], v.pressure_finance0[i], target, step)
            _answer(x.sanctions_energy[i], base.sanctions_energy[i], reciprocity,
                    v.pressure_energy[i], v.pressure_energy0[i], target, step)
            _answer(x.sanctions_defence[i], base.sanctions_defence[i], reciprocity,
                    v.pressure_defence[i], v.pressure_defence0[i], target, step)
            base_row = base.partnership[i]
            for r in range(R):
                target[r] = base_row[r] + k.partnership_answer[r] * larger(
                    pressure[r] - pressure0[r], 0.0)
            _move(x.partnership[i], target, step, 1.0)
        elif kind == PATRON or kind == UNION:  # sanctions of the patron and the union
            if kind == PATRON:
                scale[:] = 1.0
            hybrid, hybrid0 = v.rival_hybrid[i], v.rival_hybrid0[i]
            for r in range(R):  # the push of threat and of the rivals' hybrid operations
                push[r] = reciprocity[r] * (larger(threat[r] - threat0[r], 0.0)
                                            + larger(hybrid[r] - hybrid0[r], 0.0))
            for r in range(R):  # the pain of the growth lost
                pain[r] = cost[r] * (loss[r] - loss0[r]) / k.pain_scale[r]
            _sanction(x.sanctions_finance[i], base.sanctions_finance[i], push, pain, scale,
                      target, step)
            _sanction(x.sanctions_energy[i], base.sanctions_energy[i], push, pain, scale,
                      target, step)
            _sanction(x.sanctions_defence[i], base.sanctions_defence[i], push, pain, scale,
                      target, step)
        elif kind == PARTNER:
            base_row, bloc = base.partnership[i], v.bloc_pressure[i]
            for r in range(R):
                target[r] = base_row[r] + reciprocity[r] * bloc[r]
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
        target[r] = base[r] * phi[r]
    _move(posture, target, step, hi)


@numba.njit(**OPTIONS)
def _answer(sanctions: np.ndarray, base: np.ndarray, reciprocity: np.ndarray,
            pressure: np.ndarray, pressure0: np.ndarray, target: np.ndarray,
            step: np.ndarray) -> None:
    """A counter-sanction: the base level plus reciprocity x the rise of that sector's pressure."""
    for r in range(sanctions.shape[0]):
        target[r] = base[r] + reciprocity[r] * larger(pressure[r] - pressure0[r], 0.0)
    _move(sanctions, target, step, 1.0)


@numba.njit(**OPTIONS)
def _sanction(sanctions: np.ndarray, base: np.ndarray, push: np.ndarray, pain: np.ndarray,
              scale: np.ndarray, target: np.ndarray, step: np.ndarray) -> None:
    """One sector: (base + push - pain) x scale, by partial adjustment."""
    for r in range(sanctions.shape[0]):
        target[r] = (base[r] + push[r] - pain[r]) * scale[r]
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
