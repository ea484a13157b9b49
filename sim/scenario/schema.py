"""Scenario schema: every field a scenario YAML file may hold, with units, ranges and defaults.

The pydantic models here are the single source of truth for what a scenario can say. They forbid
unknown keys (so a typo is an error, not a silent default) and carry each parameter's unit and the
reason for its default in the field description, which ``flashpoint schema`` exports as JSON Schema.
Cross-references (events naming actors, hosts naming frontline states) are checked in
:mod:`sim.loader`, which knows the file and line of every key.
"""

from __future__ import annotations

import datetime as dt
import re
from dataclasses import dataclass
from pathlib import Path
from typing import Annotated, Literal

import numpy as np
from pydantic import BaseModel, ConfigDict, Field, field_validator, model_validator
from pydantic.json_schema import SkipJsonSchema

from ..kinds import KIND_NAMES
from .limits import LAST_YEAR, MAX_ACTORS, MAX_EFFECTS, MAX_EVENTS, MAX_SHORT_TEXT, MAX_TEXT

KINDS = KIND_NAMES
"""Actor kinds, as :mod:`sim.kinds` declares them (each a Mesa agent class with its rule)."""


MAX_SCALE = 100.0
"""Largest factor an event may ``scale`` a variable by."""

_NAME = re.compile(r"^[A-Za-z][A-Za-z0-9_]*$")
SCENARIO_NAME = r"^[A-Za-z0-9][A-Za-z0-9_.=,+-]*$"
"""A scenario name is a plain file name: it becomes the default output folder results/<name>
(``+``, ``=`` and ``,`` for the names of ``--set`` and ``--event`` variants)."""


class _Strict(BaseModel):
    # No NaN or inf anywhere; no string longer than a description may be.
    model_config = ConfigDict(extra="forbid", validate_assignment=True, allow_inf_nan=False,
                              str_max_length=MAX_TEXT)


class Economy(_Strict):
    """An actor's economy."""

    gdp_usd_bn: float = Field(
        1000.0, ge=0.1, le=1e6,
        description="GDP, US$ bn per year (constant US$ of SIPRI's release): SIPRI milex / share. "
        "Bounded by "
        "world GDP (~1e5) with room to spare.",
    )
    growth_pct_yr: float = Field(
        1.5, ge=-20, le=20, description="Trend real growth, % per year, before sanctions and war."
    )
    energy_dependence: float = Field(
        0.0,
        ge=0,
        le=1,
        description="Share of energy supply bought from the other bloc (0-1): scales the cost an "
        "energy sanction imposes on the imposer. EU ~0.4 of gas from Russia in 2016.",
    )


class Military(_Strict):
    """An actor's military state at the start."""

    spending_pct_gdp: float = Field(
        2.0, ge=0, le=40, description="Defence spending, % of GDP (SIPRI definition)."
    )
    capability_usd_bn: float | None = Field(
        None,
        ge=0,
        le=1e8,
        description="Capability stock, US$ bn of equipment (perpetual inventory). Default: the "
        "steady state of the stock under the initial spending (procurement / depreciation).",
    )
    strategic: float | None = Field(
        None,
        ge=0,
        le=1,
        description="Strategic systems index 0-1: missile defence (west), hypersonic and "
        "air-defence systems (east). Default: its steady state, the posture's strategic_share.",
    )
    pledge_pct_gdp: float = Field(
        0.0, ge=0, le=40,
        description="Spending the actor has pledged, % of GDP (the Wales pledge of September 2014: "
        "2); 0 for none. Spending below it rises towards it (submodels.arms.pledge_rate).")
    mobilisation: float = Field(
        0.0, ge=0, le=1,
        description="War mobilisation 0-1: spending rises towards submodels.arms.war_pct_gdp.")
    aggression: float = Field(
        0.0, ge=0, le=10,
        description="Demonstrated aggression: the actor's recent uses of force against third "
        "states, in units of Russia's 2014 seizure of Crimea and war in Donbas (1); it fades with "
        "submodels.threat.aggression_half_life and raises the threat others perceive from the "
        "actor (submodels.threat.w_aggression). A dated event adds to it.")
    readiness: float = Field(0.5, ge=0, le=1, description="Share of forces at short notice, 0-1.")
    resolve: float = Field(
        0.5, ge=0, le=1, description="Willingness to bear costs for its stakes, 0-1."
    )


class Posture(_Strict):
    """The intensities of the postures open to an actor (its baseline; the decision rule moves them)."""

    exercises_troops: float = Field(
        0.0,
        ge=0,
        le=500000,
        description="Troops in exercises near the other bloc's borders in an average month "
        "(Zapad 2017 declared 12,700; Trident Juncture 2018 ~50,000).",
    )
    deployment_troops: float = Field(
        0.0,
        ge=0,
        le=2000000,
        description="Troops stationed near the contact line (the eFP battlegroups: about 4,500 in "
        "2017, data/efp_battlegroups.csv).",
    )
    sanctions_finance: float = Field(0.0, ge=0, le=1, description="Finance-sector sanctions, 0-1.")
    sanctions_energy: float = Field(0.0, ge=0, le=1, description="Energy-sector sanctions, 0-1.")
    sanctions_defence: float = Field(
        0.0, ge=0, le=1, description="Defence/dual-use sanctions, 0-1."
    )
    dialogue: float = Field(
        0.0, ge=0, le=1, description="Dialogue and confidence-building effort, 0-1."
    )
    hybrid: float = Field(
        0.0, ge=0, le=1, description="Hybrid, cyber and information operations, 0-1."
    )
    military_aid: float = Field(
        0.0, ge=0, le=1, description="Military aid to frontline states, 0-1."
    )
    partnership: float = Field(
        0.0, ge=0, le=1, description="Strategic partnership across the same bloc, 0-1."
    )
    intel_sharing: float = Field(0.0, ge=0, le=1, description="Intelligence sharing, 0-1.")
    strategic_share: float = Field(
        0.1,
        ge=0,
        le=1,
        description="Share of procurement going to strategic systems (missile defence / "
        "hypersonic and air defence).",
    )


class Doctrine(_Strict):
    """Doctrine parameters of an actor's decision rule."""

    threat_sensitivity: float = Field(
        1.0,
        ge=0,
        le=10,
        description="Gain from military signal to perceived threat (-); 1 reads a full-scale "
        "signal as threat 0.63.",
    )
    cost_sensitivity: float = Field(
        1.0,
        ge=0,
        le=10,
        description="Damping of costly postures by economic pain (-); 1 cuts them 10 % per pp of "
        "growth lost.",
    )
    reciprocity: float = Field(
        0.5,
        ge=0,
        le=1,
        description="Weight on matching the other side's moves (tit for tat), 0-1; 0.5 "
        "half-matches, which keeps exchanges stable."
    )
    memory: float = Field(
        0.9,
        ge=0,
        le=0.999,
        description="Monthly persistence of perceived threat and trust: 0.9 is a half-life of "
        "about 6.6 months.",
    )
    risk_tolerance: float = Field(
        0.3, ge=0, le=1, description="Readiness to probe when deterrence looks weak, 0-1; 0.3 is cautious."
    )
    responsiveness: float = Field(
        0.15,
        ge=0,
        le=1,
        description="Share of the gap between posture and its target closed each month; 0.15 is a "
        "half-life of about 4 months (budget and deployment cycles).",
    )
    commitment: float = Field(
        0.8,
        ge=0,
        le=1,
        description="For patrons: commitment to defend frontline states; for unions: cohesion; 0.8 "
        "is a firm but not unconditional pledge.",
    )
    reaction: float = Field(
        0.0,
        ge=0,
        le=5,
        description="Richardson reaction coefficient k, 1/yr: spending response per US$ of the "
        "opponents' spending; 0 (no arms race) unless a scenario sets it.",
    )
    threat_spending: float = Field(
        1.0, ge=0, le=10,
        description="This actor's multiplier of submodels.arms.threat_coupling: how much its "
        "spending answers a rise in perceived threat (frontline states more than distant allies).")
    fatigue: float = Field(
        0.2,
        ge=0,
        le=5,
        description="Richardson fatigue coefficient a, 1/yr: 0.2 is a 5-year adjustment time.",
    )
    exposure: Annotated[float, Field(ge=0, le=1)] | Literal["auto"] = Field(
        "auto",
        description="How exposed the actor is to a neighbour's demonstrated aggression, 0-1 "
        "(proximity and history: Walt 1987's balance of threat weighs geography). 'auto': 1 for "
        "a frontline state, 0.5 for any other.")
    grievance: Annotated[float, Field(ge=-1e4, le=1e4)] | Literal["auto"] = Field(
        "auto",
        description="Richardson grievance g, US$ bn/yr per yr. 'auto' sets it so that the "
        "initial spending is a fixed point (calibrated steady state).",
    )


class Actor(_Strict):
    """One actor: a state, an alliance or a union."""

    kind: Literal[KIND_NAMES]  # type: ignore[valid-type] - generated from sim.kinds
    side: Literal["west", "east"] | None = Field(
        None, description="Bloc; default by kind (alliance/frontline/patron/union west)."
    )
    label: str | None = Field(None, max_length=MAX_SHORT_TEXT)
    weight: float = Field(
        1.0, ge=0, le=100, description="Weight in the overall NATO-Russia tension index."
    )
    economy: Economy = Economy()
    military: Military = Military()
    posture: Posture = Posture()
    doctrine: Doctrine = Doctrine()
    hosts: dict[str, float] = Field(
        default_factory=dict,
        description="Where this actor's deployment stands: frontline actor -> share (sums to 1).",
    )
    joins: str | None = Field(
        None, max_length=10,
        description="Accession date, YYYY-MM or YYYY-MM-DD: before it the actor is present but "
        "inactive (it takes no decisions, its pairs do not count in the tension index and, as a "
        "frontline state, it is outside the alliance's deterrence). Default: active from the start.")

    @field_validator("joins")
    @classmethod
    def _joins(cls, v: str | None) -> str | None:
        if v is not None:
            parse_date(v)
        return v


class Relation(_Strict):
    """Initial state of a pair of actors."""

    between: tuple[str, str]
    tension: float = Field(30.0, ge=0, le=100, description="Initial tension, 0-100.")
    threat: tuple[float, float] | None = Field(
        None, description="Perceived threat (a of b, b of a), 0-1; default from tension."
    )
    trust: tuple[float, float] = Field((0.3, 0.3), description="Trust (a in b, b in a), 0-1.")
    arms_control: float = Field(
        0.5, ge=0, le=1, description="Arms-control and transparency regime in force, 0-1."
    )
    rung: int | None = Field(None, ge=0, le=6, description="Initial rung; default from tension.")

    @field_validator("threat", "trust")
    @classmethod
    def _unit_pair(cls, v: tuple[float, float] | None) -> tuple[float, float] | None:
        if v is not None and not all(0.0 <= x <= 1.0 for x in v):
            raise ValueError("both values must lie in [0, 1]")
        return v


class TensionModel(_Strict):
    """Tension: relaxation towards a target set by threat, hostile acts, trust and dialogue."""

    relaxation: float = Field(
        0.25,
        gt=0,
        le=1,
        description="Share of the gap to target tension closed per month; 0.25 lets a shock's "
        "impulse fade with a half-life of about 2.4 months.",
    )
    w_threat: float = Field(
        50.0, ge=0, le=200, description="Tension points per unit mean threat: 50, the span from the 2016 level to war."
    )
    w_hybrid: float = Field(10.0, ge=0, le=200, description="Tension points per unit hybrid ops.")
    w_sanctions: float = Field(
        5.0, ge=0, le=200, description="Tension points per unit sanctions across the pair."
    )
    w_trust: float = Field(30.0, ge=0, le=200, description="Tension points removed per unit trust.")
    w_dialogue: float = Field(
        15.0, ge=0, le=200, description="Tension points removed per unit dialogue."
    )


class ThreatModel(_Strict):
    """Jervis's security dilemma: perceived threat with memory."""

    enabled: bool = True
    reading: Literal["spiral", "deterrence"] = Field(
        "spiral",
        description="spiral: reassurance calms and firmness provokes; deterrence: firmness "
        "deters and concessions embolden.",
    )
    forces_ref: float = Field(
        30000.0,
        ge=100,
        le=1e7,
        description="Troops near the border that read as a full-scale signal (RAND 2016: ~7 "
        "brigades, ~30,000 troops, deny a fait accompli in the Baltics).",
    )
    exercises_ref: float = Field(
        50000.0, ge=100, le=1e7,
        description="Exercise size that reads as a full signal (Trident Juncture)."
    )
    w_forces: float = Field(0.45, ge=0, le=5, description="Weight of forces near the border.")
    w_exercises: float = Field(0.25, ge=0, le=5, description="Weight of exercises.")
    w_capability: float = Field(
        0.2, ge=0, le=5, description="Weight of the capability share K_j / (K_i + K_j)."
    )
    w_strategic: float = Field(0.15, ge=0, le=5, description="Weight of strategic systems.")
    w_hybrid: float = Field(0.3, ge=0, le=5, description="Weight of hybrid operations.")
    reassurance: float = Field(
        0.3, ge=0, le=5, description="Threat removed per unit of the other side's dialogue."
    )
    trust_rate: float = Field(
        0.05, ge=0, le=1, description="Monthly change of trust per unit net cooperation."
    )
    trust_gain: float = Field(
        0.5, ge=0, le=1,
        description="Share of a rise in the other side's cooperation that becomes trust (a fall "
        "counts in full): trust is hard to gain and easy to lose (Slovic 1993, the asymmetry "
        "principle; Kydd 2005 on why cheap talk builds little trust).")
    defensive_discount: float = Field(
        0.2,
        ge=0,
        le=1,
        description="Deterrence reading: share of the defenders' forward deployment a challenger "
        "reads as threat (the rest it reads as defence); 0.2, tripwires of a few battalions "
        "cannot invade.",
    )
    sanctions_hostility: float = Field(
        0.5,
        ge=0,
        le=5,
        description="Hostility read per unit of mean sanctions, against 1 per unit of hybrid "
        "operations: sanctions are public and lawful, so they count half.",
    )
    w_aggression: float = Field(
        0.3, ge=0, le=3,
        description="Threat signal per unit of another actor's demonstrated aggression at full "
        "exposure (balance of threat, Walt 1987: states balance against demonstrated aggressive "
        "intent). Prior 0-3: from none to a signal that alone reads as a grave threat; fitted on "
        "the 2014 response (flashpoint calibrate).")
    aggression_half_life: float = Field(
        48.0, ge=3, le=600,
        description="Months for the memory of a use of force to halve. 48: the answer to Crimea "
        "was still growing in 2018-19 budgets (data/milex_gdp.csv), while the Georgian war of "
        "2008 no longer stopped the NATO-Russia Council from meeting in 2009 (data/events.csv).")


class ArmsModel(_Strict):
    """Richardson arms dynamics plus the perpetual-inventory capability stock."""

    enabled: bool = True
    threat_coupling: float = Field(
        0.9,
        ge=0,
        le=5,
        description="Extra spending, share of initial milex per year, per unit rise in perceived "
        "threat beyond threat_threshold. 0.9: Ukraine's answer to attack, 2.39 % of GDP in 2013 "
        "to 3.85 % in 2015 (data/milex_gdp.csv), +61 % in two years for a rise of about 0.35 "
        "beyond the threshold. Prior 0-2.",
    )
    threat_threshold: float = Field(
        0.15, ge=0, le=1,
        description="Rise in perceived threat since the start that budgets ignore: budgets move "
        "by punctuations once a threat commands attention (Jones and Baumgartner 2005, *The "
        "Politics of Attention*; Jones et al. 2009 on the leptokurtic law of public budgets). "
        "0.15: above the rise the 2014 shock gave the frontline states in the hindcast, whose "
        "budgets outside the Wales pledge hardly moved (Finland and Sweden 2014-19, "
        "data/milex_gdp.csv). Prior 0-0.5.")
    pledge_rate: float = Field(
        1.0, ge=0, le=10,
        description="Share of the gap to a pledged spending level closed a year (1/yr): with "
        "fatigue 0.2 a 1 pp gap closes to 0.17 pp in about two years, as the Baltic states' did "
        "from 2015 to 2018 (data/milex_gdp.csv).")
    war_pct_gdp: float = Field(
        5.5, ge=0, le=40,
        description="Spending of a fully mobilised belligerent, % of GDP, short of total "
        "mobilisation. Prior 3.5-10, from data up to 2019: Russia's highest share 1992-2019 was "
        "5.4 % (2016, Syria and Donbas), Ukraine's at war in Donbas 3.8-4.1 % (2015-19), the US's "
        "4.9 % (2010, Iraq and Afghanistan; data/milex_gdp.csv); Georgia's 8.5 % in 2008 "
        "(SIPRI, reported) marks the upper part of the range.")
    mobilisation_rate: float = Field(
        0.5, ge=0, le=10,
        description="Share of the gap to the war footing closed a year at full mobilisation (1/yr).")
    procurement_share: float = Field(
        0.25,
        ge=0,
        le=1,
        description="Share of milex spent on equipment (NATO's 20% guideline; Russia ~0.3).",
    )
    depreciation_pct_yr: float = Field(
        8.0, ge=1, le=100,
        description="Capability stock depreciation, % per year (8%: ~12-yr life); at least 1 % (a "
        "stock that never wears out has no steady state to start from)."
    )
    procurement_lag_months: int = Field(
        24, ge=0, le=120, description="Months from spending to fielded capability."
    )
    max_spending_pct: float = Field(
        12.0, ge=0.5, le=40, description="Fiscal ceiling on defence spending, % of GDP."
    )


class DeterrenceModel(_Strict):
    """Kilgour-Zagare deterrence with an Article 5 belief per frontline state."""

    enabled: bool = True
    tripwire_troops: float = Field(
        1000.0,
        ge=10,
        le=1e6,
        description="Allied troops at which the tripwire signal reaches 63% (one battalion, "
        "the eFP battlegroup size).",
    )
    defence_advantage: float = Field(
        3.0, ge=1, le=10,
        description="The defender's advantage m in the denial contest (D x m against the "
        "challenger's local force): Mearsheimer 1989's 3:1 rule, an attacker needs about three "
        "times the defender's local force.")
    decisiveness: float = Field(
        2.0, ge=0.5, le=8,
        description="Decisiveness k of the denial contest (Hirshleifer 1989's ratio form): 2 is "
        "Lanchester's square law for aimed fire; higher makes the local force ratio more "
        "decisive.")
    reinforcement_troops: float = Field(
        5000.0, ge=0, le=1e6,
        description="Allied troops that can reach a frontline state before a fait accompli is "
        "complete, at full readiness and commitment: NATO's spearhead force, the Very High "
        "Readiness Joint Task Force of ~5,000 (Wales 2014). RAND 2016 (Shlapak and Johnson) found "
        "Russian forces at the Baltic capitals in 36-60 hours, before the rest of the NATO "
        "Response Force could arrive.")
    exercise_share: float = Field(
        0.5, ge=0, le=1,
        description="Share of the challenger's exercise troops near the border that could join "
        "an attack (Crimea 2014 was launched from a snap exercise).")
    quality_elasticity: float = Field(
        0.5, ge=0, le=2,
        description="Elasticity q of a force's effectiveness in its capability stock relative to "
        "the start, (K / K_0)^q: diminishing returns to equipment (Biddle 2004).")
    w_commitment: float = Field(0.45, ge=0, le=1, description="Weight of the patron's commitment.")
    w_tripwire: float = Field(0.3, ge=0, le=1, description="Weight of the allied tripwire.")
    w_exercises: float = Field(0.1, ge=0, le=1, description="Weight of allied exercises.")
    w_signals: float = Field(
        0.15, ge=0, le=1, description="Weight of signals (intelligence sharing, aid, cohesion)."
    )
    memory: float = Field(0.9, ge=0, le=0.999, description="Monthly persistence of the belief.")
    stakes: float = Field(
        1.0, ge=0.01, le=10, description="Challenger's value of a fait accompli, in units of war cost."
    )
    probe_gain: float = Field(
        0.6, ge=0, le=5, description="Hybrid pressure per unit deterrence shortfall (x risk tolerance)."
    )

    @model_validator(mode="after")
    def _weights(self) -> DeterrenceModel:
        total = self.w_commitment + self.w_tripwire + self.w_exercises + self.w_signals
        if np.any(total > 1.0 + 1e-9):  # np.any: also checks parameters varied per replicate
            raise ValueError(f"w_commitment + w_tripwire + w_exercises + w_signals must not exceed 1 "
                             f"(a belief is a probability), got {np.max(total):g}")
        return self


class EscalationModel(_Strict):
    """Escalation ladder: seven rungs per pair, moved by tension with hysteresis."""

    enabled: bool = True
    thresholds: tuple[float, float, float, float, float, float] = Field(
        (20.0, 40.0, 55.0, 70.0, 85.0, 95.0),
        description="Tension at which rungs 1..6 are entered (competition, diplomatic crisis, "
        "military posturing, confrontation with incidents, limited conflict, major war).",
    )
    hysteresis: float = Field(
        6.0, ge=0, le=50, description="Tension points below a threshold before the rung is left."
    )
    miscalculation: float = Field(
        0.1,
        ge=0,
        le=1,
        description="Chance that a high-risk incident at rung >= 3 forces one rung up (Schelling); "
        "never into armed conflict, which is decided (submodels.escalation.*_hazard).",
    )
    decision_scale: float = Field(
        0.1, ge=0.01, le=1,
        description="Spread s of the challenger's reading of a deterrence margin: its hazards are "
        "logistic in the margin with this scale (a logit choice, McFadden 1974; quantal response, "
        "McKelvey and Palfrey 1995; Fearon 1995's private information): with 0.1 a margin of 0.3 "
        "above indifference leaves about 5 % of the full hazard.")
    probe_hazard: float = Field(
        0.5, ge=0, le=50,
        description="Monthly hazard of a hybrid probe against the weakest frontline state at full "
        "shortfall x risk tolerance (logistic in the margin, decision_scale).")
    probe_impulse: float = Field(
        5.0, ge=0, le=50, description="Tension points a probe adds to the challenger-state pair.")
    attack_hazard: float = Field(
        0.08, ge=0, le=50,
        description="Monthly hazard of a fait accompli at full shortfall beyond attack_margin x "
        "risk tolerance (logistic in the margin, decision_scale): with risk tolerance 0.5, 4 % a "
        "month against a clearly undefended state (a decision taken within a year or two, as "
        "Crimea's within weeks of the chance), 2 % at attack_margin.")
    attack_margin: float = Field(
        0.2, ge=0, le=2,
        description="Shortfall at which a fait accompli is half as likely as against an "
        "undefended state: a challenger moves against a clearly undefended state (Russia 2014 in "
        "Crimea, not in the Baltics).")
    war_hazard: float = Field(
        0.2, ge=0, le=50,
        description="Monthly hazard of a limited conflict becoming major war before the nuclear "
        "brake.")
    nuclear_brake: float = Field(
        0.9, ge=0, le=1,
        description="Share of that hazard removed by the risk of nuclear use (0.9: ~2 % a month).")
    settle_hazard: float = Field(
        0.1, ge=0, le=50,
        description="Monthly hazard of a ceasefire ending an armed conflict (back to rung 4): a "
        "mean of ten months.")
    risk_weight: float = Field(
        1.0, ge=0, le=2,
        description="How much the challenger's risk tolerance scales its value of a fait accompli "
        "in the deterrence margin: V x (1 + risk_weight (r - 0.5)); 0 ignores risk attitude. At "
        "most 2, so that the factor stays >= 0 for every risk tolerance r in [0, 1] (a negative "
        "value of a fait accompli has no meaning and would break the margin's [-1, 1]).")

    @field_validator("thresholds")
    @classmethod
    def _increasing(cls, v: tuple[float, ...]) -> tuple[float, ...]:
        if any(b <= a for a, b in zip(v, v[1:], strict=False)) or v[0] <= 0 or v[-1] > 100:
            raise ValueError("thresholds must increase strictly within (0, 100]")
        return v


class IncidentModel(_Strict):
    """Poisson incidents whose rate grows with activity and falls with transparency."""

    enabled: bool = True
    base_rate: float = Field(
        0.65,
        ge=0,
        le=100,
        description="Incidents per month per pair at unit activity and readiness 0.5; calibrated "
        "so a 2016-17 posture gives <1 a month and a 2014 one about 5 (ELN counts).",
    )
    max_rate: float = Field(
        1.5,
        ge=0.001,
        le=1000,
        description="Saturation of the incident rate per pair, incidents per month.",
    )
    activity_exponent: float = Field(
        2.0, ge=0, le=5, description="Elasticity of the rate to activity (exercises, forces)."
    )
    transparency: float = Field(
        3.0, ge=0, le=10, description="Rate reduction per unit dialogue + arms control (log scale)."
    )
    p_serious: float = Field(0.275, ge=0, le=1, description="Share serious (ELN 2014: 11/40).")
    p_high_risk: float = Field(0.075, ge=0, le=1, description="Share high-risk (ELN 2014: 3/40).")
    impulse: tuple[float, float, float] = Field(
        (0.3, 1.0, 4.0),
        description="Tension points added by a near-routine, serious, high-risk incident.",
    )

    @model_validator(mode="after")
    def _shares(self) -> IncidentModel:
        if np.any(self.p_serious + self.p_high_risk > 1.0):
            raise ValueError("p_serious + p_high_risk must not exceed 1")
        return self


class SanctionsModel(_Strict):
    """Hufbauer-Schott-Elliott sanctions: cost to target and imposer, lag, rally effect."""

    enabled: bool = True
    cost_finance: float = Field(
        1.5, ge=0, le=20, description="Target GDP growth lost at full finance sanctions, pp/yr."
    )
    cost_energy: float = Field(
        2.0, ge=0, le=20, description="Target GDP growth lost at full energy sanctions, pp/yr."
    )
    cost_defence: float = Field(
        0.5, ge=0, le=20, description="Target GDP growth lost at full defence sanctions, pp/yr."
    )
    imposer_cost: float = Field(
        1.0, ge=0, le=20, description="Imposer GDP growth lost per unit energy sanction x dependence, pp/yr."
    )
    procurement_penalty: float = Field(
        0.3, ge=0, le=1, description="Share of procurement lost at full defence sanctions (lagged)."
    )
    lag_months: int = Field(12, ge=0, le=120, description="Months before sanctions bite.")
    rally: float = Field(
        0.15,
        ge=0,
        le=5,
        description="Target resolve gained per unit sanctions (rally round the flag).",
    )
    partner_offset: float = Field(
        0.4, ge=0, le=1, description="Share of sanctions cost a full partnership offsets."
    )


class DiplomacyModel(_Strict):
    """Dialogue, arms control and protest."""

    enabled: bool = True
    dialogue_drive: float = Field(
        0.5,
        ge=0,
        le=5,
        description="Dialogue an actor seeks per unit rise (since the start) of its tension above 50, "
        "x its trust and x 2.",
    )
    protest_threshold: float = Field(
        0.02, ge=0, le=1, description="Monthly rise in perceived threat that triggers a protest."
    )
    protest_impulse: float = Field(1.0, ge=0, le=20, description="Tension points per protest.")
    arms_control_decay: float = Field(
        0.01,
        ge=0,
        le=1,
        description="Monthly erosion of arms control per 40 tension points above arms_control_tension.",
    )
    arms_control_tension: float = Field(
        50.0, ge=0, le=100, description="Tension above which arms-control regimes erode."
    )
    arms_control_span: float = Field(
        40.0,
        ge=1,
        le=100,
        description="Tension points above arms_control_tension at which erosion reaches "
        "arms_control_decay a month: 40 spans the range from the 2016 level to war.",
    )
    arms_control_rebuild: float = Field(
        0.002,
        ge=0,
        le=1,
        description="Monthly rebuilding of arms control per unit dialogue (x the missing share).",
    )


class ExternalModel(_Strict):
    """External factors: US attention and commitment, EU cohesion, dated shocks."""

    enabled: bool = True
    commitment_recovery: float = Field(
        0.02, ge=0, le=1, description="Monthly return of commitment towards its doctrine value."
    )


class DecisionModel(_Strict):
    """Constants of the actors' decision rules (sim.engine.agents), named with their reasons."""

    phi_min: float = Field(
        0.25, ge=0, le=1,
        description="Lowest escalation factor: a military posture falls at most to a quarter of "
        "its policy level (forces are not disbanded in months).")
    phi_max: float = Field(
        3.0, ge=1, le=20,
        description="Highest escalation factor: a posture rises at most to three times its policy "
        "level (Zapad-scale surges; beyond that is mobilisation).")
    pain_scale: float = Field(
        10.0, ge=0.5, le=100,
        description="Growth lost to sanctions (pp/yr) that cancels one unit of escalation factor "
        "at cost sensitivity 1: 10 pp is a deep recession. The fit to 2014-19 prefers it to a "
        "weaker pain channel (40 pp: loss 5.3 against 4.2, docs/calibration.md).")
    readiness_gain: float = Field(
        0.5, ge=0, le=5,
        description="Readiness added per unit rise of perceived threat: half, since readiness "
        "is costly to hold.")
    dialogue_cut: float = Field(
        0.5, ge=0, le=5,
        description="Deterrence reading: dialogue withdrawn per unit rise of perceived threat "
        "(talks read as weakness).")
    hybrid_answer: float = Field(
        0.5, ge=0, le=5,
        description="Challenger: hybrid operations added per unit rise of sanctions pressure, x "
        "reciprocity (asymmetric retaliation).")
    deterrence_response: float = Field(
        4.0, ge=0, le=20,
        description="Deterrence reading: escalation factor the challenger gives up per unit rise "
        "of the mean deterrence margin since the reference (firmness deters). 4: a rise of 0.05 "
        "in the margin offsets a rise of 0.1 in perceived threat at threat sensitivity 2 "
        "(Russia's fitted ~1.9), so that in this reading firmness restrains at least as much as "
        "it provokes; with the force-ratio margin an eFP doubled raises the members' mean margin "
        "by about 0.03.")
    partnership_answer: float = Field(
        0.5, ge=0, le=5,
        description="Challenger: partnership sought per unit rise of sanctions pressure (the "
        "pivot to China after 2014).")

    @model_validator(mode="after")
    def _phi_range(self) -> DecisionModel:
        if np.any(self.phi_min > self.phi_max):
            raise ValueError("phi_min must not exceed phi_max")
        return self


class Submodels(_Strict):
    """Switches and parameters of every mechanism."""

    tension: TensionModel = TensionModel()
    threat: ThreatModel = ThreatModel()
    arms: ArmsModel = ArmsModel()
    deterrence: DeterrenceModel = DeterrenceModel()
    escalation: EscalationModel = EscalationModel()
    incidents: IncidentModel = IncidentModel()
    sanctions: SanctionsModel = SanctionsModel()
    diplomacy: DiplomacyModel = DiplomacyModel()
    external: ExternalModel = ExternalModel()
    decisions: DecisionModel = DecisionModel()


class Effect(_Strict):
    """One change an event makes: ``target`` is ``Actor.variable`` or ``A-B.variable``."""

    target: str = Field(max_length=MAX_SHORT_TEXT)
    set: float | None = Field(None, description="New value, inside the target's range.")
    add: float | None = Field(None, description="Change, at most the width of the target's range.")
    scale: float | None = Field(None, ge=0, le=MAX_SCALE, description="Factor, 0 to 100.")


class Event(_Strict):
    """A dated event or shock."""

    date: str = Field(max_length=10, description="YYYY-MM or YYYY-MM-DD.")
    name: str = Field(max_length=MAX_SHORT_TEXT)
    description: str = ""
    effects: list[Effect] = Field(default_factory=list, max_length=MAX_EFFECTS)
    duration_months: int | None = Field(
        None, ge=1, le=1200, description="Undo the effects after this many months."
    )

    @field_validator("date")
    @classmethod
    def _date(cls, v: str) -> str:
        parse_date(v)
        return v


class Outputs(_Strict):
    """What a run writes."""

    quantiles: list[float] = Field(
        [5.0, 25.0, 50.0, 75.0, 95.0], max_length=99,
        description="Percentiles reported when replicates > 1."
    )
    events_max_replicates: int = Field(
        100, ge=0, le=10_000, description="Replicates whose events are listed in events.csv."
    )
    plot: bool = True

    @field_validator("quantiles")
    @classmethod
    def _q(cls, v: list[float]) -> list[float]:
        if not v or any(not 0 <= q <= 100 for q in v):
            raise ValueError("quantiles must be a non-empty list of percentiles in [0, 100]")
        return sorted(v)


@dataclass(frozen=True)
class CalibratedOn:
    """What a loaded scenario is calibrated on: not in its file, resolved by the loader.

    Attributes:
        reference: the scenario whose starting state is the run's calibrated equilibrium
            (None: the scenario is its own reference).
        members: the calibration's ensemble, one ``{path: value}`` a member (None: no ensemble).
        source: where the calibration came from: ``"shipped"``, its file's path, or None.
        chosen_paths: paths the scenario sets by choice (a what-if's own values, ``--set``,
            ``calibration_keeps``, a submodel constant its files set): kept, not calibrated
            away nor drawn.
        draws: each member's (seed, replicate) of the draw of the constants the calibration
            did not fit (None: they keep the scenario's values), :func:`sim.calibration.priors.draw`.
    """

    reference: Scenario | None = None
    members: tuple[dict[str, float], ...] | None = None
    source: str | Path | None = None
    chosen_paths: frozenset[str] = frozenset()
    draws: tuple[tuple[int, int], ...] | None = None


class Scenario(_Strict):
    """A whole scenario file."""

    name: str = Field(
        max_length=100, pattern=SCENARIO_NAME,
        description="A plain name (letters, digits, '_', '.', '-', '+', '=', ','; no folders): "
        "results go to "
        "results/<name> by default.",
    )
    description: str = ""
    extends: str | None = Field(None, max_length=1000)
    reference: str | None = Field(
        None, max_length=1000,
        description="The scenario whose starting state is the calibrated equilibrium (tension "
        "offsets, Richardson grievances, the perceptions and levels the decision rules compare "
        "with): a path below this file's folder or a bundled name, or 'self'. Default: the "
        "scenario this one extends; for a file run with --set or --event, the file as written; "
        "else itself. A what-if then moves away from its reference instead of being "
        "re-calibrated to its own start.")
    calibration: str | None = Field(
        None, max_length=1000,
        description="Fitted parameters to use: 'shipped' (sim/calibration/calibrated.yaml) or a "
        "calibration.yaml of flashpoint calibrate (a path below this file's folder); applied to "
        "the scenario and its reference before --set. Default: none (the reasoned defaults).")
    calibration_keeps: list[str] = Field(
        default_factory=list, max_length=64,
        description="Parameter paths this scenario keeps at its own values, neither calibrated "
        "nor drawn from the ensemble or a prior (a results folder's scenario.yaml lists what "
        "--set or a what-if chose). Without it, a file extending a calibrated one keeps the "
        "doctrine and submodel constants it sets; with it, the list is the whole of the "
        "scenario's choices.")
    ensemble: bool = Field(
        True,
        description="With a calibration: replicate r takes the ensemble's member r mod k (a "
        "posterior's draws, or the best members of a fit), so bands carry parameter uncertainty "
        "as well as incident noise; false: every replicate takes the best fit.")
    start: str = Field("2016-07", max_length=10, description="First month, YYYY-MM.")
    time_step_months: int = Field(1, ge=1, le=12, description="Months per step.")
    steps: int = Field(120, ge=1, le=12000)
    seed: int = Field(0, ge=0, le=2**63 - 1)
    replicates: int = Field(1, ge=1, le=10_000_000)
    actors: dict[str, Actor] = Field(min_length=2, max_length=MAX_ACTORS)
    relations: list[Relation] = Field(default_factory=list, max_length=MAX_ACTORS**2)
    submodels: Submodels = Submodels()
    events: list[Event] = Field(default_factory=list, max_length=MAX_EVENTS)
    outputs: Outputs = Outputs()

    calibrated_on: SkipJsonSchema[CalibratedOn] = Field(
        default_factory=lambda: CalibratedOn(), exclude=True, repr=False,
        description="Set by the loader, never read from a file (see CalibratedOn).")

    @model_validator(mode="before")
    @classmethod
    def _not_from_a_file(cls, data: object) -> object:
        if isinstance(data, dict) and "calibrated_on" in data:
            raise ValueError("calibrated_on is not a scenario field: the loader resolves the "
                             "reference and the calibration from 'reference' and 'calibration'")
        return data

    @property
    def ensemble_members(self) -> list[dict[str, float]] | None:
        """The calibration's ensemble this scenario draws replicate parameters from, if any."""
        members = self.calibrated_on.members
        return list(members) if self.ensemble and members is not None else None

    @property
    def reference_scenario(self) -> Scenario | None:
        """The resolved reference (None: the scenario is its own reference)."""
        return self.calibrated_on.reference

    def calibrated(self, calibrated_on: CalibratedOn) -> Scenario:
        """A copy of this scenario calibrated on ``calibrated_on`` (what the loader returns)."""
        return self.model_copy(update={"calibrated_on": calibrated_on})

    @field_validator("start")
    @classmethod
    def _start(cls, v: str) -> str:
        parse_date(v)
        return v

    @field_validator("actors")
    @classmethod
    def _names(cls, v: dict[str, Actor]) -> dict[str, Actor]:
        bad = [k for k in v if not _NAME.match(k) or len(k) > 40]
        if bad:
            shown = ", ".join(repr(k[:40]) for k in bad[:5])
            raise ValueError(f"actor names must match {_NAME.pattern} (at most 40 characters): {shown}")
        return v

    @model_validator(mode="after")
    def _calendar(self) -> Scenario:
        start = parse_date(self.start)
        last = start.year * 12 + start.month - 1 + self.steps * self.time_step_months
        if last // 12 > LAST_YEAR:
            raise ValueError(
                f"the run would end in year {last // 12} ({self.steps} steps of "
                f"{self.time_step_months} months from {self.start}); the calendar ends in "
                f"{LAST_YEAR}: use fewer steps")
        return self


def add_months(start: dt.date, months: int) -> dt.date:
    """The first day of the month ``months`` after ``start``'s month."""
    y, m = divmod(start.month - 1 + months, 12)
    return dt.date(start.year + y, m + 1, 1)


def parse_date(text: str) -> dt.date:
    """Parse ``YYYY-MM`` or ``YYYY-MM-DD`` into a date (day 1 for months).

    Raises:
        ValueError: when the text is neither form.
    """
    s = str(text)
    for fmt in ("%Y-%m-%d", "%Y-%m"):
        try:
            return dt.datetime.strptime(s, fmt).date()
        except ValueError:
            continue
    raise ValueError(f"date must be YYYY-MM or YYYY-MM-DD, got {s!r}")


def json_schema() -> dict:
    """Return the schema of a scenario file as JSON Schema (draft 2020-12), for editors.

    A file with ``extends`` is partial (it gives only what differs from its parent), so it is
    checked against a copy of the schema in which nothing is required (``if``/``then``); a file
    without it against the whole schema. Dates are text (``"2019-08"``: quote them, as YAML 1.1
    readers such as PyYAML otherwise read ``2019-08-02`` as a date).
    """
    full = Scenario.model_json_schema()
    defs = full.pop("$defs", {})
    partial = _partial({**full, "$defs": defs})  # a new tree: _partial copies as it goes
    schema = {
        "$schema": "https://json-schema.org/draft/2020-12/schema",
        "title": "flashpoint scenario",
        "description": full.get("description", ""),
        "type": "object",
        "$defs": {**defs, **{f"Partial{k}": v for k, v in partial.pop("$defs").items()},
                  "Scenario": full, "PartialScenario": partial},
        "if": {"required": ["extends"]},
        "then": {"$ref": "#/$defs/PartialScenario"},
        "else": {"$ref": "#/$defs/Scenario"},
    }
    return schema


def _partial(node):
    """A schema in which nothing is required: its ``$ref`` s point at the Partial copies."""
    if isinstance(node, dict):
        out = {}
        for key, value in node.items():
            if key in ("required", "minProperties"):
                continue
            if key == "$ref" and isinstance(value, str) and value.startswith("#/$defs/"):
                out[key] = "#/$defs/Partial" + value.removeprefix("#/$defs/")
            else:
                out[key] = _partial(value)
        return out
    if isinstance(node, list):
        return [_partial(v) for v in node]
    return node
