"""Actors as Mesa agents: one class per kind, each with its own decision rule.

Every decision rule computes on arrays of shape (R,) - one value per replicate - so one call
decides for every replicate at once. State lives in the model's (N, R) arrays; an agent reads and
writes its own row ``self.i``. Postures move towards a target by the actor's ``responsiveness``
each month (partial adjustment, Nerlove 1958):

    x <- x + (1 - (1 - r)^dt_m) (x* - x)

The common driver of military postures is the *escalation factor*

    phi_i = clip(1 + theta_i dT_i + rho_i 2 (U_i - U_i0) / (U_i + U_i0) - c_i L_i / 10, 0.25, 3)

with dT_i the rise of the actor's mean perceived threat since the start, U_i / U_i0 the change of
its rivals' military activity (reciprocity, tit for tat, Axelrod 1984). The symmetric relative
change 2 (U - U0) / (U + U0) equals ln(U / U0) to second order and saturates at +-2, so a rival's
doubling is answered by about rho ln 2, not in full - matching below one for one keeps the feedback
loop between two rivals' postures stable, as in Richardson's condition a b > k l. L_i is the rise
since the start of the growth it loses to sanctions (pp/yr); theta, rho and c are its threat
sensitivity, reciprocity and cost sensitivity. A patron's forces and aid, and a union's sanctions,
also scale with commitment (cohesion) relative to its initial level.
"""

from __future__ import annotations

from typing import TYPE_CHECKING

import mesa
import numpy as np

from ..arrays import clamp
from ..submodels import diplomacy

if TYPE_CHECKING:
    from .model import FlashpointModel


class Actor(mesa.Agent):
    """Base actor: the shared parts of every decision rule."""

    kind = "actor"

    def __init__(self, model: FlashpointModel, name: str, index: int) -> None:
        super().__init__(model)
        self.name = name
        self.i = index

    def doc(self, key: str) -> np.ndarray:
        """This actor's doctrine parameter ``key``, (R,)."""
        return self.model.doctrine[key][self.i]

    def phi(self) -> np.ndarray:
        """Escalation factor phi_i (see module docstring), (R,)."""
        m = self.model
        i = self.i
        d_threat = m.threat_actor[i] - m.threat_actor0[i]
        u, u0 = m.rival_activity[i], m.rival_activity0[i]
        d_rival = 2.0 * (u - u0) / np.maximum(u + u0, 1e-9)
        pain = m.growth_loss[i] - m.growth_loss0[i]
        f = (1.0 + self.doc("threat_sensitivity") * d_threat + self.doc("reciprocity") * d_rival
             - self.doc("cost_sensitivity") * pain / 10.0)
        return clamp(f, 0.25, 3.0)

    def adjust(self, var: str, target: np.ndarray, lo: float = 0.0, hi: float = np.inf) -> None:
        """Partial adjustment of posture ``var`` towards ``target``, clipped to [lo, hi]."""
        m = self.model
        cur = getattr(m, var)[self.i]
        step = target - cur
        step *= m.adjust_step[self.i]
        step += cur
        clamp(step, lo, hi, out=cur)

    def base(self, var: str) -> np.ndarray:
        """The policy (baseline) level of posture ``var``, (R,)."""
        return self.model.baseline[var][self.i]

    def common(self, phi: np.ndarray) -> None:
        """Readiness and dialogue, shared by every kind."""
        m = self.model
        i = self.i
        d_threat = m.threat_actor[i] - m.threat_actor0[i]
        self.adjust("ready", self.base("ready") + 0.5 * d_threat, 0.0, 1.0)
        if m.on["diplomacy"]:
            tgt = diplomacy.dialogue_target(self.base("dlg"), m.p["diplomacy"]["dialogue_drive"],
                                            m.trust_actor[i], m.tension_actor[i],
                                            m.tension_actor0[i])
            if m.p["threat"]["reading"] == "deterrence":
                tgt = clamp(tgt - 0.5 * np.maximum(d_threat, 0.0), 0.0, 1.0)
            self.adjust("dlg", tgt, 0.0, 1.0)

    def military(self, phi: np.ndarray) -> None:
        """Exercises and forward deployment scale with the escalation factor."""
        self.adjust("ex", self.base("ex") * phi)
        self.adjust("dep", self.base("dep") * phi)

    def decide(self) -> None:
        """Set this step's postures (every kind overrides or extends this)."""
        phi = self.phi()
        self.common(phi)
        self.military(phi)


class Alliance(Actor):
    """NATO at alliance level: exercises, the enhanced Forward Presence, intelligence sharing."""

    kind = "alliance"

    def decide(self) -> None:
        """Exercises and eFP deployment by phi; intelligence sharing rises with threat."""
        phi = self.phi()
        self.common(phi)
        self.military(phi)
        self.adjust("intel", self.base("intel") * np.sqrt(phi), 0.0, 1.0)


class Challenger(Actor):
    """Russia: posture near the border, hybrid operations, counter-sanctions, partnership."""

    kind = "challenger"

    def decide(self) -> None:
        """Military posture by phi; probes where deterrence is weak; answers sanctions."""
        m = self.model
        i = self.i
        phi = self.phi()
        self.common(phi)
        self.military(phi)
        shortfall = m.deterrence_shortfall
        probe = m.p["deterrence"]["probe_gain"] * self.doc("risk_tolerance") * shortfall
        rec = self.doc("reciprocity")
        d_press = m.sanction_pressure[i] - m.sanction_pressure0[i]
        self.adjust("hyb", self.base("hyb") * np.sqrt(phi) + probe + 0.5 * rec * d_press, 0.0, 1.0)
        for var, press in (("sfin", m.press_fin), ("sene", m.press_ene), ("sdef", m.press_dfc)):
            self.adjust(var, self.base(var) + rec * np.maximum(press[i] - m.press0[var][i], 0),
                        0.0, 1.0)
        self.adjust("part", self.base("part") + 0.5 * np.maximum(d_press, 0.0), 0.0, 1.0)


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
        m = self.model
        phi = self.phi()
        self.common(phi)
        c = m.commit[self.i] / np.maximum(m.commit0[self.i], 1e-9)
        self.military(phi * c)
        self.adjust("aid", self.base("aid") * phi * c, 0.0, 1.0)
        self.sanction()

    def sanction(self, scale: np.ndarray | float = 1.0) -> None:
        """Sanctions rise with the rise in threat and in rivals' hybrid operations."""
        m = self.model
        i = self.i
        d_threat = np.maximum(m.threat_actor[i] - m.threat_actor0[i], 0.0)
        d_hyb = np.maximum(m.rival_hybrid[i] - m.rival_hybrid0[i], 0.0)
        push = self.doc("reciprocity") * (d_threat + d_hyb)
        pain = self.doc("cost_sensitivity") * (m.growth_loss[i] - m.growth_loss0[i]) / 10.0
        for var in ("sfin", "sene", "sdef"):
            self.adjust(var, (self.base(var) + push - pain) * scale, 0.0, 1.0)


class Union(Patron):
    """The EU: sanctions scaled by its cohesion, and dialogue."""

    kind = "union"

    def decide(self) -> None:
        """No forces of its own; sanctions times cohesion (its ``commitment``)."""
        m = self.model
        phi = self.phi()
        self.common(phi)
        self.sanction(m.commit[self.i] / np.maximum(m.commit0[self.i], 1e-9))


class Partner(Actor):
    """A partner of the challenger (China): partnership deepens as sanctions bite its partner."""

    kind = "partner"

    def decide(self) -> None:
        """Partnership follows the sanctions pressure on its bloc."""
        m = self.model
        phi = self.phi()
        self.common(phi)
        bloc = m.bloc_pressure[self.i]
        self.adjust("part", self.base("part") + self.doc("reciprocity") * bloc, 0.0, 1.0)


KIND_CLASSES: dict[str, type[Actor]] = {
    "alliance": Alliance,
    "challenger": Challenger,
    "frontline": Frontline,
    "satellite": Satellite,
    "patron": Patron,
    "union": Union,
    "partner": Partner,
}
