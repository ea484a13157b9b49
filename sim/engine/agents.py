"""Actors as Mesa agents: one class per kind, each with its own decision rule.

Every decision rule computes on arrays of shape (R,) - one value per replicate - so one call
decides for every replicate at once. State lives in the model's :class:`~sim.engine.state.State` (N, R) arrays; an agent
reads and writes its own row ``self.i`` and exposes every actor variable as a read-only property
(``agent.deployment_troops`` is its (R,) row), so Mesa's AgentSet ``get``/``agg`` and agent
reporters work. Postures move towards a target by the actor's ``responsiveness``
each month (partial adjustment, Nerlove 1958):

    x <- x + (1 - (1 - r)^dt_m) (x* - x)

The common driver of military postures is the *escalation factor*

    phi_i = clip(1 + theta_i dT_i + rho_i 2 (U_i - U_i0) / (U_i + U_i0) - c_i L_i / L_s,
                 phi_min, phi_max)

with dT_i the rise of the actor's mean perceived threat since the start, U_i / U_i0 the change of
its rivals' military activity (reciprocity, tit for tat, Axelrod 1984). The symmetric relative
change 2 (U - U0) / (U + U0) equals ln(U / U0) to second order and saturates at +-2, so a rival's
doubling is answered by about rho ln 2, not in full - matching below one for one keeps the feedback
loop between two rivals' postures stable, as in Richardson's condition a b > k l. L_i is the rise
since the start of the growth it loses to sanctions (pp/yr); theta, rho and c are its threat
sensitivity, reciprocity and cost sensitivity; L_s, phi_min and phi_max are the named constants of
``submodels.decisions`` (with their reasons in the schema). A patron's forces and aid, and a union's sanctions,
also scale with commitment (cohesion) relative to its initial level.
"""

from __future__ import annotations

from typing import TYPE_CHECKING

import mesa
import numpy as np

from ..arrays import clamp
from ..submodels import diplomacy
from ..variables import BY_NAME, SANCTIONS, VARIABLES

if TYPE_CHECKING:
    from .model import FlashpointModel


class Actor(mesa.Agent):
    """Base actor: the shared parts of every decision rule.

    Attributes:
        name: the actor's name in the scenario.
        i: its row in the state's (N, R) arrays.
        kind: its kind (the class).
    """

    kind = "actor"

    def __init__(self, model: FlashpointModel, name: str, index: int) -> None:
        super().__init__(model)
        self.name = name
        self.i = index

    def doc(self, key: str) -> np.ndarray:
        """This actor's doctrine parameter ``key``, (R,)."""
        return getattr(self.model.params.doctrine, key)[self.i]

    def phi(self) -> np.ndarray:
        """Escalation factor phi_i (see module docstring), (R,)."""
        st, ini, dec = self.model.state, self.model.state.initial, self.model.params.decisions
        i = self.i
        d_threat = st.threat_mean[i] - ini.threat_mean[i]
        u, u0 = st.rival_activity[i], ini.rival_activity[i]
        d_rival = 2.0 * (u - u0) / np.maximum(u + u0, 1e-9)
        pain = st.growth_loss[i] - ini.growth_loss[i]
        f = (1.0 + self.doc("threat_sensitivity") * d_threat + self.doc("reciprocity") * d_rival
             - self.doc("cost_sensitivity") * pain / dec.pain_scale)
        return clamp(f, dec.phi_min, dec.phi_max)

    def adjust(self, var: str, target: np.ndarray, lo: float = 0.0, hi: float | None = None
               ) -> None:
        """Partial adjustment of posture ``var`` towards ``target``, clipped to [lo, hi].

        ``hi`` defaults to the variable's declared highest value (:mod:`sim.variables`).
        """
        hi = BY_NAME[var].hi if hi is None else hi
        m = self.model
        cur = getattr(m.state, var)[self.i]
        step = target - cur
        step *= m.adjust_step[self.i]
        step += cur
        clamp(step, lo, hi, out=cur)

    def base(self, var: str) -> np.ndarray:
        """The policy level of posture ``var``, (R,)."""
        return self.model.state.policy[var][self.i]

    def common(self, phi: np.ndarray) -> None:
        """Readiness and dialogue, shared by every kind."""
        m = self.model
        st, ini, dec = m.state, m.state.initial, m.params.decisions
        i = self.i
        d_threat = st.threat_mean[i] - ini.threat_mean[i]
        self.adjust("readiness", self.base("readiness") + dec.readiness_gain * d_threat, 0.0, 1.0)
        if m.on["diplomacy"]:
            tgt = diplomacy.dialogue_target(self.base("dialogue"),
                                            m.params.diplomacy.dialogue_drive, st.trust_mean[i],
                                            st.tension_mean[i], ini.tension_mean[i])
            if m.params.threat.reading == "deterrence":
                tgt = clamp(tgt - dec.dialogue_cut * np.maximum(d_threat, 0.0), 0.0, 1.0)
            self.adjust("dialogue", tgt, 0.0, 1.0)

    def military(self, phi: np.ndarray) -> None:
        """Exercises and forward deployment scale with the escalation factor."""
        self.adjust("exercises_troops", self.base("exercises_troops") * phi)
        self.adjust("deployment_troops", self.base("deployment_troops") * phi)

    def decide(self) -> None:
        """Set this step's postures (every kind overrides or extends this)."""
        phi = self.phi()
        self.common(phi)
        self.military(phi)


def _state_property(name: str, unit: str) -> property:
    def get(self: Actor) -> np.ndarray:
        row = getattr(self.model.state, name)[self.i].view()
        row.flags.writeable = False
        return row

    get.__doc__ = f"This actor's {name.replace('_', ' ')} ({unit}), (R,), read-only."
    return property(get)


for _v in VARIABLES:
    if _v.level == "actor" and (_v.state or _v.name == "spending_pct_gdp"):
        setattr(Actor, _v.name, _state_property(_v.name, _v.unit))


class Alliance(Actor):
    """NATO at alliance level: exercises, the enhanced Forward Presence, intelligence sharing."""

    kind = "alliance"

    def decide(self) -> None:
        """Exercises and eFP deployment by phi; intelligence sharing rises with threat."""
        phi = self.phi()
        self.common(phi)
        self.military(phi)
        self.adjust("intel_sharing", self.base("intel_sharing") * np.sqrt(phi), 0.0, 1.0)


class Challenger(Actor):
    """Russia: posture near the border, hybrid operations, counter-sanctions, partnership."""

    kind = "challenger"

    def decide(self) -> None:
        """Military posture by phi; probes where deterrence is weak; answers sanctions."""
        m = self.model
        st, ini, dec = m.state, m.state.initial, m.params.decisions
        i = self.i
        phi = self.phi()
        if m.params.threat.reading == "deterrence" and m.topology.F:
            # firmness deters: a wider deterrence margin than at the reference restrains it
            members = m.front_active
            d_margin = (st.deterrence_margin[members].mean(axis=0)
                        - ini.deterrence_margin[members].mean(axis=0)) if members.any() else 0.0
            phi = clamp(phi - dec.deterrence_response * d_margin, dec.phi_min, dec.phi_max)
        self.common(phi)
        self.military(phi)
        probe = m.params.deterrence.probe_gain * self.doc("risk_tolerance") * st.deterrence_shortfall
        rec = self.doc("reciprocity")
        d_press = st.sanctions_pressure[i] - ini.sanctions_pressure[i]
        self.adjust("hybrid", self.base("hybrid") * np.sqrt(phi) + probe
                    + dec.hybrid_answer * rec * d_press, 0.0, 1.0)
        for var in SANCTIONS:
            press = getattr(st, var.replace("sanctions_", "sanctions_pressure_"))
            press0 = getattr(ini, var.replace("sanctions_", "sanctions_pressure_"))
            self.adjust(var, self.base(var) + rec * np.maximum(press[i] - press0[i], 0), 0.0, 1.0)
        self.adjust("partnership", self.base("partnership")
                    + dec.partnership_answer * np.maximum(d_press, 0.0), 0.0, 1.0)


class Frontline(Actor):
    """A frontline member (Estonia, Latvia, Lithuania, Poland, Finland): own forces and exercises."""

    kind = "frontline"


class Satellite(Actor):
    """A state beside the challenger (Belarus): hosts its forces and exercises."""

    kind = "satellite"


class Patron(Actor):
    """The US: commitment, forward forces, military aid, sanctions."""

    kind = "patron"

    def decide(self) -> None:
        """Forces scale with phi and commitment; sanctions answer hostility."""
        phi = self.phi()
        self.common(phi)
        c = self.commitment_scale()
        self.military(phi * c)
        self.adjust("military_aid", self.base("military_aid") * phi * c, 0.0, 1.0)
        self.sanction()

    def commitment_scale(self) -> np.ndarray:
        """Commitment (cohesion) relative to its initial level, capped at ``phi_max``.

        A patron that starts uncommitted and then commits scales its forces by no more than a
        surge allows.
        """
        st = self.model.state
        ratio = st.commitment[self.i] / np.maximum(st.initial.commitment[self.i], 1e-9)
        return np.minimum(ratio, self.model.params.decisions.phi_max)

    def sanction(self, scale: np.ndarray | float = 1.0) -> None:
        """Sanctions rise with the rise in threat and in rivals' hybrid operations."""
        m = self.model
        st, ini = m.state, m.state.initial
        i = self.i
        d_threat = np.maximum(st.threat_mean[i] - ini.threat_mean[i], 0.0)
        d_hyb = np.maximum(st.rival_hybrid[i] - ini.rival_hybrid[i], 0.0)
        push = self.doc("reciprocity") * (d_threat + d_hyb)
        pain = (self.doc("cost_sensitivity") * (st.growth_loss[i] - ini.growth_loss[i])
                / m.params.decisions.pain_scale)
        for var in SANCTIONS:
            self.adjust(var, (self.base(var) + push - pain) * scale, 0.0, 1.0)


class Union(Patron):
    """The EU: sanctions scaled by its cohesion, and dialogue."""

    kind = "union"

    def decide(self) -> None:
        """No forces of its own; sanctions times cohesion (its ``commitment``)."""
        phi = self.phi()
        self.common(phi)
        self.sanction(self.commitment_scale())


class Partner(Actor):
    """A partner of the challenger (China): partnership deepens as sanctions bite its partner."""

    kind = "partner"

    def decide(self) -> None:
        """Partnership follows the sanctions pressure on its bloc."""
        st = self.model.state
        phi = self.phi()
        self.common(phi)
        bloc = st.bloc_sanctions_pressure[self.i]
        self.adjust("partnership", self.base("partnership") + self.doc("reciprocity") * bloc,
                    0.0, 1.0)


KIND_CLASSES: dict[str, type[Actor]] = {
    "alliance": Alliance,
    "challenger": Challenger,
    "frontline": Frontline,
    "satellite": Satellite,
    "patron": Patron,
    "union": Union,
    "partner": Partner,
}
