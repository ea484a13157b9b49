"""The kinds of actor, declared once: side, roles, decision rule and description.

Everything that depends on an actor's kind is generated from :data:`KINDS`: the scenario
schema's ``kind`` literal (:mod:`sim.scenario.schema`), the Mesa agent classes
(:mod:`sim.engine.agents`), the topology's masks (challengers, patrons, unions, frontline states,
defenders; :mod:`sim.engine.topology`), each bloc's default side, and the decision rules' codes
of the compiled decision kernel (:data:`RULES`, :mod:`sim.kernels.decisions`). Adding a kind is
one entry here plus, if it decides differently from the others, its rule in that kernel.

Roles:

* ``frontline`` - a member state on the border: it has a deterrence margin and hosts allies;
* ``challenger`` - decides on probes and faits accomplis against the weakest frontline state;
* ``defender`` - its pairs with the challenger go to war when a fait accompli has no target
  state (the alliance and the patron);
* ``patron`` - its commitment anchors the frontline states' belief in Article 5;
* ``union`` - its cohesion scales its sanctions;
* ``partner`` - interacts only in pairs a scenario lists (the challenger's partner).
"""

from __future__ import annotations

from dataclasses import dataclass


@dataclass(frozen=True)
class Kind:
    """One kind of actor.

    Attributes:
        name: as scenario files write it (``kind: alliance``).
        class_name: the Mesa agent class generated for it.
        side: its bloc when the scenario does not say (``west`` or ``east``).
        rule: its decision rule in the compiled kernel (one of :data:`RULES`).
        roles: what else the model asks of it (see the module docstring).
        description: the agent class's docstring.
    """

    name: str
    class_name: str
    side: str
    rule: str
    roles: frozenset[str]
    description: str


RULES = ("actor", "alliance", "challenger", "patron", "union", "partner")
"""The decision rules by code: ``RULES.index(kind.rule)`` is what the decision kernel takes
(``actor``, the base rule, is the frontline states' and satellites': exercises and forces
scaled by the escalation factor)."""

KINDS: tuple[Kind, ...] = (
    Kind("alliance", "Alliance", "west", "alliance", frozenset({"defender"}),
         "NATO at alliance level: exercises, the enhanced Forward Presence, intelligence sharing."),
    Kind("challenger", "Challenger", "east", "challenger", frozenset({"challenger"}),
         "Russia: posture near the border, hybrid operations, counter-sanctions, partnership."),
    Kind("frontline", "Frontline", "west", "actor", frozenset({"frontline"}),
         "A frontline member (Estonia, Latvia, Lithuania, Poland, Finland): own forces and "
         "exercises."),
    Kind("patron", "Patron", "west", "patron", frozenset({"patron", "defender"}),
         "The US: commitment, forward forces, military aid, sanctions."),
    Kind("union", "Union", "west", "union", frozenset({"union"}),
         "The EU: sanctions scaled by its cohesion, and dialogue."),
    Kind("partner", "Partner", "east", "partner", frozenset({"partner"}),
         "A partner of the challenger (China): partnership deepens as sanctions bite its "
         "partner."),
    Kind("satellite", "Satellite", "east", "actor", frozenset(),
         "A state beside the challenger (Belarus): hosts its forces and exercises."),
)
"""Every kind of actor (see the module docstring)."""

BY_KIND: dict[str, Kind] = {k.name: k for k in KINDS}
KIND_NAMES: tuple[str, ...] = tuple(k.name for k in KINDS)
DEFAULT_SIDE: dict[str, str] = {k.name: k.side for k in KINDS}
"""Bloc of each kind when the scenario does not say: pairs across blocs interact."""


def with_role(role: str) -> frozenset[str]:
    """The kinds that have ``role``."""
    return frozenset(k.name for k in KINDS if role in k.roles)


def rule_code(kind: str) -> int:
    """The decision kernel's code of ``kind``'s rule."""
    return RULES.index(BY_KIND[kind].rule)


def _check() -> None:
    for k in KINDS:
        if k.rule not in RULES or k.side not in ("west", "east"):
            raise ValueError(f"kind {k.name}: rule {k.rule!r} or side {k.side!r} is not known")


_check()
