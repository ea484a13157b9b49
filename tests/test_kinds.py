"""Issue 23, item 1: one table of kinds generates the schema's literal, the agent classes, the
topology's masks, the default sides and the decision rules' codes."""

import typing

import sim
from sim import kinds
from sim.engine import agents
from sim.kernels import decisions
from sim.scenario.schema import Actor


def test_the_schema_literal_is_the_tables():
    assert typing.get_args(Actor.model_fields["kind"].annotation) == kinds.KIND_NAMES
    enum = sim.json_schema()["$defs"]["Actor"]["properties"]["kind"]["enum"]
    assert tuple(enum) == kinds.KIND_NAMES


def test_agent_classes_and_rules_are_generated_from_the_table():
    assert set(agents.KIND_CLASSES) == set(kinds.KIND_NAMES)
    for kind in kinds.KINDS:
        cls = agents.KIND_CLASSES[kind.name]
        assert cls.__name__ == kind.class_name and cls.__doc__ == kind.description
        assert cls.kind == kind.name and cls.rule == kind.rule
        assert issubclass(cls, agents.Actor) and getattr(agents, kind.class_name) is cls
    assert decisions.KINDS == kinds.RULES
    assert decisions.CHALLENGER == kinds.rule_code("challenger")
    assert kinds.rule_code("frontline") == kinds.rule_code("satellite") == decisions.ACTOR


def test_topology_masks_follow_the_kinds_roles():
    m = sim.FlashpointModel("historical-2014", replicates=1)
    topo = m.topology
    for i, name in enumerate(topo.names):
        kind = kinds.BY_KIND[m.spec.actors[name].kind]
        assert topo.challengers[i] == ("challenger" in kind.roles)
        assert topo.defenders[i] == ("defender" in kind.roles)
        assert (i in topo.front) == ("frontline" in kind.roles)
        assert topo.sides[i] == (m.spec.actors[name].side or kind.side)
    assert {topo.names[i] for i in range(len(topo.names)) if topo.defenders[i]} == {"NATO", "US"}


def test_a_new_kind_is_one_entry():
    new = kinds.Kind("neutral", "Neutral", "west", "actor", frozenset(), "A neutral state.")
    cls = agents._agent_class(new)
    assert cls.__name__ == "Neutral" and cls.rule == "actor" and cls.__doc__ == "A neutral state."
