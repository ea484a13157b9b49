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

from ..kernels import decisions
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
    decisions.decide(*rows_and_kinds(actors), *decision_inputs(m))


def rows_and_kinds(actors: Iterable[Actor]) -> tuple[np.ndarray, np.ndarray]:
    """The actors' rows and their rules' codes (:data:`sim.kinds.RULES`), in their order."""
    listed = list(actors)
    rows = np.array([a.i for a in listed], dtype=np.int64)
    kinds = np.array([RULES.index(a.rule) for a in listed], dtype=np.int64)
    return rows, kinds


def decision_inputs(m: FlashpointModel) -> tuple:
    """What the decision kernel takes after the rows and kinds, in its order.

    The postures, their policy levels and the view, each a plain tuple of the fields of its
    named tuple in :mod:`sim.kernels.decisions`; the doctrine and the submodels' values as
    :class:`~sim.engine.params.Params` holds them; the adjustment step; the front and the flags.
    """
    st, ini, params = m.state, m.state.initial, m.params
    fields = decisions.Postures._fields
    postures = tuple([getattr(st, name) for name in fields])
    policy = tuple([st.policy[name] for name in fields])
    view = tuple([getattr(ini if initial else st, name) for initial, name in VIEW_SOURCES])
    shortfall = (st.deterrence_shortfall if st.deterrence_shortfall is not None
                 else np.zeros(m.R))
    front = (st.deterrence_margin, ini.deterrence_margin,
             np.ascontiguousarray(m.front_active, dtype=np.bool_), _writable(shortfall))
    flags = (bool(m.on["diplomacy"]), params.settings.threat.reading == "deterrence",
             float(BY_NAME["exercises_troops"].hi), float(BY_NAME["deployment_troops"].hi))
    return (postures, policy, view, tuple(params.doctrine), m.rates.adjust_step,
            tuple(params.decisions), tuple(params.diplomacy), tuple(params.deterrence), front,
            flags)


VIEW_SOURCES: tuple[tuple[bool, str], ...] = tuple(
    (name.endswith("0"), name[:-1] if name.endswith("0") else name)
    for name in decisions.View._fields)
"""Each field of :class:`~sim.kernels.decisions.View`: whether it is read at the start
(``state.initial``) and the state's name, worked out once rather than every step."""


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
