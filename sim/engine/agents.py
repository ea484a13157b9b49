"""Actors as Mesa agents: one class per kind, each with its own decision rule.

Every decision rule decides for every replicate at once: the rules of all kinds are one compiled
kernel, :func:`sim.kernels.decisions.decide` (its docstring says what each kind steers), looping
over the replicates; a class names its rule (``rule``). State lives in the model's
:class:`~sim.engine.state.State` (N, R) arrays; an agent reads and writes its own row ``self.i``
and exposes every actor variable as a read-only property (``agent.deployment_troops`` is its (R,)
row), so Mesa's AgentSet ``get``/``agg`` and agent reporters work. Postures move towards a target
by partial adjustment, and military postures scale with the escalation factor phi_i (threat,
rivals' activity, the pain of sanctions): the equations are :mod:`sim.submodels.posture`; its
constants are ``submodels.decisions`` (with their reasons in the schema).
"""

from __future__ import annotations

from collections.abc import Iterable
from typing import TYPE_CHECKING

import mesa
import numpy as np

from ..kernels import decisions, knob, knobs, per_replicate
from ..kinds import KINDS, RULES, Kind
from ..variables import BY_NAME, VARIABLES

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

    rule = "actor"
    """This kind's decision rule in the compiled :func:`sim.kernels.decisions.decide`."""

    def decide(self) -> None:
        """Set this step's postures by the kind's rule, for every replicate."""
        decide_all(self.model, [self])


def decide_all(m: FlashpointModel, actors: Iterable[Actor]) -> None:
    """``actors`` decide in turn, each by its kind's rule, in one compiled call."""
    decisions.decide(*rows_and_kinds(m, actors), *decision_inputs(m))


def rows_and_kinds(m: FlashpointModel, actors: Iterable[Actor]) -> tuple[np.ndarray, np.ndarray]:
    """The actors' rows and their rules' codes; kept for the model's deciders while they last."""
    kept = m.__dict__.get("decider_rows")
    if kept is not None and kept[0] is actors and len(kept[1]) == len(actors):
        return kept[1], kept[2]
    listed = list(actors)
    rows = np.array([a.i for a in listed], dtype=np.int64)
    kinds = np.array([RULES.index(a.rule) for a in listed], dtype=np.int64)
    if actors is getattr(m, "deciders", None):
        m.__dict__["decider_rows"] = (actors, rows, kinds)
    return rows, kinds


def decision_inputs(m: FlashpointModel) -> tuple:
    """What the decision kernel takes: (postures, policy levels, view, knobs, front, flags).

    Each a plain tuple in the order of its named tuple's fields in :mod:`sim.kernels.decisions`
    (``Postures`` twice, ``View``, ``Knobs``, ``Front``, ``Flags``), as
    :func:`~sim.kernels.decisions.decide` takes them.
    """
    st, ini, R = m.state, m.state.initial, m.R
    dec, doc = m.params.decisions, m.params.doctrine
    fields = decisions.Postures._fields
    postures = tuple([getattr(st, name) for name in fields])
    policy = tuple([st.policy[name] for name in fields])
    view = (
        st.threat_mean, ini.threat_mean, st.rival_activity, ini.rival_activity, st.growth_loss,
        ini.growth_loss, st.trust_mean, st.tension_mean, ini.tension_mean, st.rival_hybrid,
        ini.rival_hybrid, st.sanctions_pressure, ini.sanctions_pressure,
        st.sanctions_pressure_finance, ini.sanctions_pressure_finance,
        st.sanctions_pressure_energy, ini.sanctions_pressure_energy,
        st.sanctions_pressure_defence, ini.sanctions_pressure_defence,
        st.bloc_sanctions_pressure, st.commitment, ini.commitment,
        *(_writable(getattr(doc, name)) for name in DOCTRINE_READ), _writable(m.adjust_step))
    shortfall = st.deterrence_shortfall if st.deterrence_shortfall is not None else np.zeros(R)
    rates = (*knobs(m, dec, DECISION_KNOBS), knob(m, m.params.diplomacy, "dialogue_drive"),
             knob(m, m.params.deterrence, "probe_gain"), per_replicate(shortfall, R))
    front = (st.deterrence_margin, ini.deterrence_margin,
             np.ascontiguousarray(m.front_active, dtype=np.bool_))
    flags = (bool(m.on["diplomacy"]), m.params.threat.reading == "deterrence",
             float(BY_NAME["exercises_troops"].hi), float(BY_NAME["deployment_troops"].hi))
    return postures, policy, view, rates, front, flags


DOCTRINE_READ = ("threat_sensitivity", "reciprocity", "cost_sensitivity", "risk_tolerance")
"""The doctrine the rules read, in :class:`~sim.kernels.decisions.View`'s order."""

DECISION_KNOBS = ("pain_scale", "phi_min", "phi_max", "readiness_gain", "dialogue_cut",
                  "deterrence_response", "hybrid_answer", "partnership_answer")
"""``submodels.decisions``'s parameters, in :class:`~sim.kernels.decisions.Knobs`'s order."""


def _writable(a: np.ndarray) -> np.ndarray:
    """``a`` as a C-contiguous, writable float array (one compiled type for every kernel call)."""
    if a.flags.c_contiguous and a.flags.writeable and a.dtype == np.float64:
        return a
    return np.array(a, dtype=float)


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


def _agent_class(kind: Kind) -> type[Actor]:
    """The Mesa agent class of a kind: its name, docstring, kind and rule from :mod:`sim.kinds`."""
    return type(kind.class_name, (Actor,), {"__doc__": kind.description, "kind": kind.name,
                                             "rule": kind.rule, "__module__": __name__})


KIND_CLASSES: dict[str, type[Actor]] = {kind.name: _agent_class(kind) for kind in KINDS}
"""Each kind's agent class, generated from :data:`sim.kinds.KINDS`."""
globals().update({cls.__name__: cls for cls in KIND_CLASSES.values()})  # agents.Alliance ...
