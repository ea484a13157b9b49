"""The model's variables, each declared once: name, level, range, unit, role.

Everything else is generated from this table: the state's arrays (:class:`sim.engine.state.State`
has one field per state variable, by the same name), the postures a scenario sets and an event may
change, the event targets and their ranges (checked by the loader and held by the shocks), the
recorded time series and their order, the posture switches written to ``events.csv``, and the
variable tables of the README and ODD.

Levels: ``actor`` (N, R), ``pair`` (P, R) across the blocs, ``arc`` (2P, R) ordered pairs (A's view of
B), ``frontline`` (F, R) per frontline state, ``overall`` (R,).
"""

from __future__ import annotations

from dataclasses import dataclass
from typing import Literal

Level = Literal["actor", "pair", "arc", "frontline", "overall"]


@dataclass(frozen=True)
class Variable:
    """One variable of the model.

    Attributes:
        name: the full name, used alike in YAML, in the state, in events and in the outputs.
        level: what it is defined on (see the module docstring).
        lo: lowest value.
        hi: highest value.
        unit: unit and meaning.
        posture: an actor posture (``actors.X.posture.NAME``); an event on it is a policy change.
        policy: an event on it moves the actor's policy level too (postures, readiness, commitment).
        target: an event may ``set``, ``add`` to or ``scale`` it.
        state: held in the state as an array (False: derived from the state when recorded).
        recorded: written to the time series.
        switch: a 0-1 posture whose crossing of 0.5 is written to ``events.csv``.
    """

    name: str
    level: Level
    lo: float
    hi: float
    unit: str
    posture: bool = False
    policy: bool = False
    target: bool = False
    state: bool = True
    recorded: bool = True
    switch: bool = False

    @property
    def label(self) -> str:
        """The long name figures and tables show (:data:`LABELS`; else the name in words)."""
        return LABELS.get(self.name, self.name.replace("_", " "))


LABELS = {
    "tension_index": "Overall tension index",
    "spending_pct_gdp": "Defence spending, share of GDP",
    "milex_usd_bn": "Military expenditure",
    "capability_usd_bn": "Military capability (stock)",
    "strategic": "Strategic (nuclear) posture",
    "gdp_usd_bn": "GDP",
    "gdp_index": "GDP relative to the start",
    "growth_pct_yr": "Economic growth",
    "pledge_pct_gdp": "Spending pledge",
    "mobilisation": "War mobilisation",
    "readiness": "Force readiness",
    "resolve": "Resolve",
    "commitment": "Commitment (patrons) or cohesion (unions)",
    "threat": "Mean perceived threat",
    "exercises_troops": "Troops in exercises near borders",
    "deployment_troops": "Troops deployed forward",
    "sanctions_finance": "Financial sanctions",
    "sanctions_energy": "Energy sanctions",
    "sanctions_defence": "Defence-sector sanctions",
    "dialogue": "Dialogue",
    "hybrid": "Hybrid operations",
    "military_aid": "Military aid",
    "partnership": "Strategic partnership",
    "intel_sharing": "Intelligence sharing",
    "tension": "Pair tension",
    "rung": "Escalation rung",
    "incidents": "Military incidents",
    "arms_control": "Arms control",
    "perceived_threat": "Perceived threat",
    "trust": "Trust",
    "article5_belief": "Belief in Article 5",
    "deterrence_margin": "Deterrence margin",
    "denial": "Probability of denial",
    "aggression": "Demonstrated aggression",
}
"""Each variable's long name, for figures and tables (its unit is the variable's ``unit``)."""


def _posture(name: str, hi: float, unit: str, switch: bool = True) -> Variable:
    return Variable(name, "actor", 0.0, hi, unit, posture=True, policy=True, target=True,
                    switch=switch)


VARIABLES: tuple[Variable, ...] = (
    Variable("tension_index", "overall", 0.0, 100.0, "points 0-100, weighted mean over pairs",
             state=False),
    # actors: economy and military
    Variable("spending_pct_gdp", "actor", 0.0, 40.0, "% of GDP", target=True, state=False),
    Variable("milex_usd_bn", "actor", 0.0, 1e6, "US$ bn per year", target=True),
    Variable("capability_usd_bn", "actor", 0.0, 1e8, "US$ bn", target=True),
    Variable("strategic", "actor", 0.0, 1.0, "index 0-1", target=True),
    Variable("gdp_usd_bn", "actor", 0.1, 1e6, "US$ bn per year", target=True),
    Variable("gdp_index", "actor", 0.0, 1e7, "GDP / initial GDP", state=False),
    Variable("growth_pct_yr", "actor", -20.0, 20.0, "% per year", target=True, recorded=False),
    Variable("pledge_pct_gdp", "actor", 0.0, 40.0, "% of GDP pledged", target=True,
             recorded=False),
    Variable("mobilisation", "actor", 0.0, 1.0, "war mobilisation 0-1", target=True),
    Variable("aggression", "actor", 0.0, 10.0, "demonstrated aggression (1 = Crimea and Donbas "
             "2014)", target=True),
    # actors: postures
    _posture("exercises_troops", 500_000.0, "troops", switch=False),
    _posture("deployment_troops", 2_000_000.0, "troops", switch=False),
    Variable("readiness", "actor", 0.0, 1.0, "share 0-1", policy=True, target=True),
    Variable("resolve", "actor", 0.0, 1.0, "index 0-1", target=True),
    _posture("sanctions_finance", 1.0, "intensity 0-1"),
    _posture("sanctions_energy", 1.0, "intensity 0-1"),
    _posture("sanctions_defence", 1.0, "intensity 0-1"),
    _posture("dialogue", 1.0, "intensity 0-1"),
    _posture("hybrid", 1.0, "intensity 0-1"),
    _posture("military_aid", 1.0, "intensity 0-1"),
    _posture("partnership", 1.0, "intensity 0-1"),
    _posture("intel_sharing", 1.0, "intensity 0-1"),
    Variable("commitment", "actor", 0.0, 1.0, "share 0-1 (patrons: commitment; unions: cohesion)",
             policy=True, target=True),
    Variable("threat", "actor", 0.0, 1.0, "mean perceived threat 0-1", state=False),
    # pairs, arcs, frontline states
    Variable("tension", "pair", 0.0, 100.0, "points 0-100", target=True),
    Variable("rung", "pair", 0.0, 6.0, "escalation rung 0-6"),
    Variable("incidents", "pair", 0.0, 1e6, "incidents in the step"),
    Variable("arms_control", "pair", 0.0, 1.0, "index 0-1", target=True),
    Variable("perceived_threat", "arc", 0.0, 1.0, "A's perceived threat from B, 0-1"),
    Variable("trust", "arc", 0.0, 1.0, "A's trust in B, 0-1"),
    Variable("article5_belief", "frontline", 0.0, 1.0, "probability the alliance defends it"),
    Variable("deterrence_margin", "frontline", -1.0, 1.0, "P(defence) - challenger's value of a "
             "fait accompli"),
    Variable("denial", "frontline", 0.0, 1.0, "probability local forces deny a fait accompli"),
)
"""Every variable, in the order the time series lists them."""

BY_NAME: dict[str, Variable] = {v.name: v for v in VARIABLES}

POSTURES: tuple[str, ...] = tuple(v.name for v in VARIABLES if v.posture)
"""Posture fields of ``actors.X.posture`` that are state variables (besides ``strategic_share``)."""

POLICY: tuple[str, ...] = tuple(v.name for v in VARIABLES if v.policy)
"""Variables with a policy level the decision rules steer towards (postures, readiness,
commitment)."""

SANCTIONS: tuple[str, ...] = ("sanctions_finance", "sanctions_energy", "sanctions_defence")

SWITCHES: tuple[str, ...] = tuple(v.name for v in VARIABLES if v.switch)

ACTOR_TARGETS: dict[str, tuple[float, float, str]] = {
    v.name: (v.lo, v.hi, v.unit) for v in VARIABLES if v.target and v.level == "actor"}
"""Actor variables an event may change (``target: Actor.variable``), with their ranges."""

PAIR_TARGETS: dict[str, tuple[float, float, str]] = {
    v.name: (v.lo, v.hi, v.unit) for v in VARIABLES if v.target and v.level == "pair"}
"""Pair variables an event may change (``target: A-B.variable``), with their ranges."""


def recorded(level: Level) -> tuple[str, ...]:
    """Names of the recorded variables of one level, in table order."""
    return tuple(v.name for v in VARIABLES if v.recorded and v.level == level)
