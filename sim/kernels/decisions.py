"""The decision rules compiled: one kernel per kind of actor, each a loop over the replicates.

Each kind's rule is the docstring of its class in :mod:`sim.engine.agents`; the shared equations,
the escalation factor phi and partial adjustment, are :mod:`sim.submodels.posture` and the
dialogue an actor seeks :func:`sim.submodels.diplomacy.dialogue_target`. A kernel reads what the
actor perceives (:class:`View`), writes its own row of the posture arrays (:class:`Postures`) in
place and steers towards their policy levels (a second :class:`Postures` of the policy arrays).
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


@kernel
def _phi(v: View, k: Knobs, i: int) -> np.ndarray:
    """phi_i for every replicate, (R,)."""
    R = v.adjust_step.shape[1]
    out = np.empty(R)
    for r in range(R):
        out[r] = escalation_factor(
            v.threat_mean[i, r] - v.threat_mean0[i, r], v.rival_activity[i, r],
            v.rival_activity0[i, r], v.growth_loss[i, r] - v.growth_loss0[i, r],
            v.threat_sensitivity[i, r], v.reciprocity[i, r], v.cost_sensitivity[i, r],
            k.pain_scale[r], k.phi_min[r], k.phi_max[r])
    return out


@kernel
def _move(x: np.ndarray, base: np.ndarray, v: View, i: int, scale: np.ndarray, lo: float,
          hi: float) -> None:
    """Row ``i`` of posture ``x`` moved towards its policy level times ``scale`` (R,)."""
    for r in range(x.shape[1]):
        x[i, r] = adjust(x[i, r], base[i, r] * scale[r], v.adjust_step[i, r], lo, hi)


@kernel
def _common(x: Postures, base: Postures, v: View, k: Knobs, flags: Flags, i: int) -> None:
    """Readiness with the rise in threat; dialogue as diplomacy seeks it (every kind)."""
    for r in range(v.adjust_step.shape[1]):
        d_threat = v.threat_mean[i, r] - v.threat_mean0[i, r]
        step = v.adjust_step[i, r]
        x.readiness[i, r] = adjust(x.readiness[i, r],
                                   base.readiness[i, r] + k.readiness_gain[r] * d_threat, step,
                                   0.0, 1.0)
        if flags.diplomacy:
            target = dialogue_target(base.dialogue[i, r], k.dialogue_drive[r],
                                     v.trust_mean[i, r], v.tension_mean[i, r],
                                     v.tension_mean0[i, r])
            if flags.deterrence_reading:
                target = min(max(target - k.dialogue_cut[r] * max(d_threat, 0.0), 0.0), 1.0)
            x.dialogue[i, r] = adjust(x.dialogue[i, r], target, step, 0.0, 1.0)


@kernel
def _military(x: Postures, base: Postures, v: View, flags: Flags, i: int, phi: np.ndarray
              ) -> None:
    """Exercises and forward deployment scale with phi."""
    _move(x.exercises_troops, base.exercises_troops, v, i, phi, 0.0, flags.exercises_hi)
    _move(x.deployment_troops, base.deployment_troops, v, i, phi, 0.0, flags.deployment_hi)


@kernel
def _sanction(x: Postures, base: Postures, v: View, k: Knobs, i: int, scale: np.ndarray
              ) -> None:
    """Sanctions rise with the rise in threat and in rivals' hybrid operations, less the pain."""
    for r in range(v.adjust_step.shape[1]):
        d_threat = max(v.threat_mean[i, r] - v.threat_mean0[i, r], 0.0)
        d_hybrid = max(v.rival_hybrid[i, r] - v.rival_hybrid0[i, r], 0.0)
        push = v.reciprocity[i, r] * (d_threat + d_hybrid)
        pain = (v.cost_sensitivity[i, r] * (v.growth_loss[i, r] - v.growth_loss0[i, r])
                / k.pain_scale[r])
        step = v.adjust_step[i, r]
        x.sanctions_finance[i, r] = adjust(
            x.sanctions_finance[i, r], (base.sanctions_finance[i, r] + push - pain) * scale[r],
            step, 0.0, 1.0)
        x.sanctions_energy[i, r] = adjust(
            x.sanctions_energy[i, r], (base.sanctions_energy[i, r] + push - pain) * scale[r],
            step, 0.0, 1.0)
        x.sanctions_defence[i, r] = adjust(
            x.sanctions_defence[i, r], (base.sanctions_defence[i, r] + push - pain) * scale[r],
            step, 0.0, 1.0)


@kernel
def _forces(x: Postures, base: Postures, v: View, k: Knobs, flags: Flags, i: int
            ) -> np.ndarray:
    """Readiness and dialogue, and exercises and deployment by phi; returns phi, (R,)."""
    phi = _phi(v, k, i)
    _common(x, base, v, k, flags, i)
    _military(x, base, v, flags, i, phi)
    return phi


@kernel
def actor(i: int, x: Postures, base: Postures, v: View, k: Knobs, front: Front, flags: Flags
          ) -> None:
    """A frontline state or a satellite: readiness, dialogue, and forces by phi."""
    _forces(x, base, v, k, flags, i)


@kernel
def alliance(i: int, x: Postures, base: Postures, v: View, k: Knobs, front: Front, flags: Flags
             ) -> None:
    """The alliance: forces by phi, intelligence sharing by sqrt(phi)."""
    phi = _forces(x, base, v, k, flags, i)
    _move(x.intel_sharing, base.intel_sharing, v, i, np.sqrt(phi), 0.0, 1.0)


@kernel
def challenger(i: int, x: Postures, base: Postures, v: View, k: Knobs, front: Front,
               flags: Flags) -> None:
    """The challenger: forces, hybrid operations and probes, counter-sanctions, partnership.

    Forces by phi, restrained by firmness in the deterrence reading; probes where deterrence
    falls short.
    """
    phi = _phi(v, k, i)
    members = front.members
    if flags.deterrence_reading and members.shape[0] > 0:
        count = 0
        for f in range(members.shape[0]):
            if members[f]:
                count += 1
        for r in range(phi.shape[0]):
            d_margin = 0.0
            if count > 0:
                now = 0.0
                then = 0.0
                for f in range(members.shape[0]):
                    if members[f]:
                        now += front.margin[f, r]
                        then += front.margin0[f, r]
                d_margin = now / count - then / count
            phi[r] = min(max(phi[r] - k.deterrence_response[r] * d_margin, k.phi_min[r]),
                         k.phi_max[r])
    _common(x, base, v, k, flags, i)
    _military(x, base, v, flags, i, phi)
    for r in range(phi.shape[0]):
        step = v.adjust_step[i, r]
        probe = k.probe_gain[r] * v.risk_tolerance[i, r] * k.shortfall[r]
        reciprocity = v.reciprocity[i, r]
        d_press = v.pressure[i, r] - v.pressure0[i, r]
        x.hybrid[i, r] = adjust(x.hybrid[i, r], base.hybrid[i, r] * np.sqrt(phi[r]) + probe
                                + k.hybrid_answer[r] * reciprocity * d_press, step, 0.0, 1.0)
        x.sanctions_finance[i, r] = adjust(
            x.sanctions_finance[i, r], base.sanctions_finance[i, r] + reciprocity * max(
                v.pressure_finance[i, r] - v.pressure_finance0[i, r], 0.0), step, 0.0, 1.0)
        x.sanctions_energy[i, r] = adjust(
            x.sanctions_energy[i, r], base.sanctions_energy[i, r] + reciprocity * max(
                v.pressure_energy[i, r] - v.pressure_energy0[i, r], 0.0), step, 0.0, 1.0)
        x.sanctions_defence[i, r] = adjust(
            x.sanctions_defence[i, r], base.sanctions_defence[i, r] + reciprocity * max(
                v.pressure_defence[i, r] - v.pressure_defence0[i, r], 0.0), step, 0.0, 1.0)
        x.partnership[i, r] = adjust(x.partnership[i, r], base.partnership[i, r]
                                     + k.partnership_answer[r] * max(d_press, 0.0), step, 0.0,
                                     1.0)


@kernel
def patron(i: int, x: Postures, base: Postures, v: View, k: Knobs, front: Front, flags: Flags
           ) -> None:
    """The patron: forces and military aid by phi times commitment; sanctions."""
    phi = _phi(v, k, i)
    _common(x, base, v, k, flags, i)
    R = phi.shape[0]
    forces = np.empty(R)
    for r in range(R):
        c = commitment_scale(v.commitment[i, r], v.commitment0[i, r], k.phi_max[r])
        forces[r] = phi[r] * c
        x.military_aid[i, r] = adjust(x.military_aid[i, r], base.military_aid[i, r] * phi[r] * c,
                                      v.adjust_step[i, r], 0.0, 1.0)
    _military(x, base, v, flags, i, forces)
    _sanction(x, base, v, k, i, np.ones(R))


@kernel
def union(i: int, x: Postures, base: Postures, v: View, k: Knobs, front: Front, flags: Flags
          ) -> None:
    """The union: no forces of its own; sanctions times cohesion (its commitment)."""
    _common(x, base, v, k, flags, i)
    R = v.adjust_step.shape[1]
    cohesion = np.empty(R)
    for r in range(R):
        cohesion[r] = commitment_scale(v.commitment[i, r], v.commitment0[i, r], k.phi_max[r])
    _sanction(x, base, v, k, i, cohesion)


@kernel
def partner(i: int, x: Postures, base: Postures, v: View, k: Knobs, front: Front, flags: Flags
            ) -> None:
    """The partner: partnership follows the sanctions pressure on its bloc."""
    _common(x, base, v, k, flags, i)
    for r in range(v.adjust_step.shape[1]):
        x.partnership[i, r] = adjust(x.partnership[i, r], base.partnership[i, r]
                                     + v.reciprocity[i, r] * v.bloc_pressure[i, r],
                                     v.adjust_step[i, r], 0.0, 1.0)
