"""The step, as an ordered list of phases; each reads and writes the model's state.

    perceive -> aggregate -> decide -> arms -> sanctions -> economy -> deterrence -> diplomacy
    -> incidents -> tension -> escalation -> external -> record

A phase with a submodel switch is skipped when that submodel is off (``submodels.NAME.enabled``).
Phases call the submodels' pure functions (:mod:`sim.submodels`) with the typed parameters of
:class:`~sim.engine.params.Params`; the order is the ODD's (section 3).
"""

from __future__ import annotations

from collections.abc import Callable
from dataclasses import dataclass
from typing import TYPE_CHECKING

import numpy as np

from ..kernels import arms as arms_kernels
from ..kernels import decisions as decision_kernels
from ..kernels import deterrence as deterrence_kernels
from ..kernels import economy as economy_kernels
from ..kernels import escalation as escalation_kernels
from ..kernels import incidents as incident_kernels
from ..kernels import pairs as pair_kernels
from ..kernels import streams as stream_kernels
from ..kernels import threat as threat_kernels
from ..kernels import views as view_kernels
from ..submodels import tension, threat
from ..variables import BY_NAME
from .agents import decide_all

if TYPE_CHECKING:
    from .model import FlashpointModel

GDP_RANGE = (BY_NAME["gdp_usd_bn"].lo, BY_NAME["gdp_usd_bn"].hi)
"""GDP is held inside its declared range, US$ bn per year."""


# ---- derived quantities (also used at t = 0) -----------------------------------------------------
def update_pressures(m: FlashpointModel) -> None:
    """Sanctions pressure on each actor from the other bloc, per sector and their mean.

    The three sectors' arrays are views of one (3, N, R) array (:func:`sanctions_stack`).
    """
    st = m.state
    sectors, st.sanctions_pressure = view_kernels.pressures(
        st.sanctions_finance, st.sanctions_energy, st.sanctions_defence, m.topology.west)
    st.sanctions_pressure_finance, st.sanctions_pressure_energy, st.sanctions_pressure_defence = (
        sectors)


def update_activity(m: FlashpointModel) -> None:
    """Military activity near the border: exercises and deployment over their reference sizes."""
    st = m.state
    st.activity = view_kernels.activity(st.exercises_troops, st.deployment_troops,
                                        tuple(m.params.threat), False)


def aggregate(m: FlashpointModel) -> None:
    """What each actor perceives: means over its arcs, pairs and rivals; its bloc's pressure."""
    st, topo = m.state, m.topology
    st.threat_mean = view_kernels.weighted(topo.actor_from_arcs, st.perceived_threat)
    st.trust_mean = view_kernels.weighted(topo.actor_from_arcs, st.trust)
    st.tension_mean = view_kernels.weighted(topo.actor_from_pairs, st.tension)
    st.rival_activity = view_kernels.weighted(topo.actor_from_rivals, st.activity)
    if m.params.settings.threat.reading == "deterrence" and topo.challengers.any():
        # a challenger reads the defenders' deployment as defence (threat.read_activity)
        read = view_kernels.weighted(topo.actor_from_rivals, view_kernels.activity(
            st.exercises_troops, st.deployment_troops, tuple(m.params.threat), True))
        st.rival_activity = np.where(topo.challengers[:, None], read, st.rival_activity)
    st.rival_hybrid = view_kernels.weighted(topo.actor_from_rivals, st.hybrid)
    st.bloc_sanctions_pressure = view_kernels.bloc_max(st.sanctions_pressure, topo.west)


def threat_target(m: FlashpointModel) -> np.ndarray:
    """T*_ij for every arc, (2P, R) (compiled)."""
    st, topo, reading = m.state, m.topology, m.params.settings.threat.reading
    # in the deterrence reading a challenger reads only part of the defenders' deployment as threat
    discounted = topo.challengers[topo.arc_i] & (reading == "deterrence")
    return threat_kernels.targets(
        topo.arc_i, topo.arc_j, discounted, reading == "spiral",
        m.params.doctrine.threat_sensitivity, st.deployment_troops, st.exercises_troops,
        st.strategic, st.hybrid, st.capability_usd_bn, st.dialogue, st.aggression,
        m.params.doctrine.exposure, tuple(m.params.threat))


def cooperation(m: FlashpointModel) -> np.ndarray:
    """Net cooperation each arc receives, (2P, R) (compiled)."""
    st = m.state
    return threat_kernels.cooperation(
        m.topology.arc_j, st.dialogue, st.hybrid, st.sanctions_finance, st.sanctions_energy,
        st.sanctions_defence, st.arms_control, tuple(m.params.threat))


def pair_mean(m: FlashpointModel, x: np.ndarray) -> np.ndarray:
    """Mean of an actor quantity over each pair's two actors, (P, R)."""
    return view_kernels.pair_mean(x, m.topology.pair_a, m.topology.pair_b)


def tension_target_raw(m: FlashpointModel, pair_dialogue: np.ndarray | None = None) -> np.ndarray:
    """Tension target before the calibration offset, (P, R) (compiled)."""
    st, topo = m.state, m.topology
    return pair_kernels.raw_target(
        st.perceived_threat, st.trust, st.hybrid, st.sanctions_finance, st.sanctions_energy,
        st.sanctions_defence, pair_mean(m, st.dialogue) if pair_dialogue is None else pair_dialogue,
        topo.pair_a, topo.pair_b, tuple(m.params.tension))


def belief_target(m: FlashpointModel) -> np.ndarray:
    """Article 5 belief each frontline state's challenger holds at the current postures, (F, R).

    Also sets the allied troops each hosts (compiled).
    """
    return belief_update(m, np.zeros(m.R))[0]


def belief_update(m: FlashpointModel, keep: np.ndarray) -> tuple[np.ndarray, np.ndarray]:
    """The target belief (F, R) and the belief after a step keeping the share ``keep`` (R,).

    Also sets the allied troops each frontline state hosts (compiled).
    """
    st, topo = m.state, m.topology
    st.allied_troops, target, after = deterrence_kernels.belief(
        topo.host, st.deployment_troops, st.exercises_troops, st.commitment, st.intel_sharing,
        st.military_aid, topo.west, topo.patrons, topo.unions, st.article5_belief, keep,
        tuple(m.params.deterrence), tuple(m.params.threat))
    return target, after


def deterrence_margin(m: FlashpointModel) -> None:
    """Deterrence margins, the members' mean shortfall and the probability of denial (compiled)."""
    st, topo, params = m.state, m.topology, m.params
    st.deterrence_margin, st.deterrence_shortfall, st.denial = deterrence_kernels.margin(
        st.article5_belief, st.deployment_troops, st.exercises_troops, st.capability_usd_bn,
        m.capability_reference, st.readiness, st.commitment, st.allied_troops, topo.front,
        st.resolve, topo.challengers, topo.patrons, topo.defenders, st.dialogue, topo.west,
        params.settings.threat.reading == "deterrence", m.rates.risk_factor,
        np.ascontiguousarray(m.front_active, dtype=np.bool_), tuple(params.deterrence),
        tuple(params.threat), tuple(params.escalation))


def growth_loss(m: FlashpointModel, lagged: np.ndarray) -> np.ndarray:
    """Growth each actor loses to sanctions, pp/yr (a partnership counts for the whole bloc)."""
    st = m.state
    return economy_kernels.growth_loss(m.topology.bloc_mean, st.partnership,
                                       np.ascontiguousarray(lagged), st.sanctions_energy,
                                       st.energy_dependence, tuple(m.params.sanctions))


def sanctions_stack(m: FlashpointModel) -> np.ndarray:
    """The three sectors' pressures stacked, (3, N, R) (what the sanctions lag delays).

    The array :func:`update_pressures` made, while the three are still its views (no copy).
    """
    st = m.state
    sectors = st.sanctions_pressure_finance.base
    if (sectors is not None and sectors.shape[0] == 3
            and st.sanctions_pressure_energy.base is sectors
            and st.sanctions_pressure_defence.base is sectors):
        return sectors
    return np.stack([st.sanctions_pressure_finance, st.sanctions_pressure_energy,
                     st.sanctions_pressure_defence])


# ---- the phases ------------------------------------------------------------------------------------
@dataclass
class StepValues:
    """Values one phase hands to a later one within a step."""

    previous_threat: np.ndarray | None = None
    pair_dialogue: np.ndarray | None = None
    high_risk: np.ndarray | None = None


def perceive(m: FlashpointModel, v: StepValues) -> None:
    """Threat and trust with memory (Jervis), compiled."""
    st = m.state
    st.aggression = threat.faded_aggression(st.aggression, m.rates.aggression_keep)
    target = threat_target(m)
    st.cooperation = cooperation(m)
    st.perceived_threat, st.trust = threat_kernels.perceive(
        m.topology.arc_i, st.perceived_threat, target, m.rates.memory_step, st.trust,
        st.initial.trust, st.cooperation, st.initial.cooperation, m.rates.trust_step,
        tuple(m.params.threat))


def aggregate_phase(m: FlashpointModel, v: StepValues) -> None:
    """Per-actor means of what was perceived."""
    aggregate(m)


def decide(m: FlashpointModel, v: StepValues) -> None:
    """Each actor's decision rule, in scenario order (Mesa's AgentSet; no shuffling).

    The actors that have joined (all, unless a scenario has accessions) decide in one compiled
    call; ``agent.decide()`` runs the same rule for one actor.
    """
    decide_all(m, m.deciders)
    update_activity(m)
    update_pressures(m)
    v.pair_dialogue = pair_mean(m, m.state.dialogue)


def arms(m: FlashpointModel, v: StepValues) -> None:
    """Richardson arms dynamics and the perpetual-inventory capability stock (compiled)."""
    st, ini, doc = m.state, m.state.initial, m.params.doctrine
    st.milex_usd_bn, order = arms_kernels.spending(
        m.topology.rivals, st.milex_usd_bn, ini.milex_usd_bn, st.threat_mean, ini.threat_mean,
        st.pledge_pct_gdp, st.mobilisation, st.gdp_usd_bn, ini.gdp_usd_bn, st.growth_loss,
        ini.growth_loss, m.grievance, doc.threat_spending, doc.cost_sensitivity, doc.reaction,
        doc.fatigue, float(m.dt_years), m.sanctions_delay.peek()[2],
        ini.sanctions_pressure_defence, bool(m.on["sanctions"]), tuple(m.params.arms),
        tuple(m.params.sanctions))
    delivered = m.procurement_delay.push(order)
    st.capability_usd_bn, st.strategic = arms_kernels.stock(
        st.capability_usd_bn, st.strategic, delivered, m.capability_reference,
        st.strategic_share, m.rates.depreciation, float(m.dt_years))


def sanctions_phase(m: FlashpointModel, v: StepValues) -> None:
    """Sanctions bite after their lag (Hufbauer-Schott-Elliott); the target rallies."""
    st = m.state
    lagged = m.sanctions_delay.push(sanctions_stack(m))
    st.growth_loss = growth_loss(m, lagged)
    st.resolve = economy_kernels.resolve(st.resolve, st.sanctions_pressure, m.previous_pressure,
                                         tuple(m.params.sanctions))


def economy(m: FlashpointModel, v: StepValues) -> None:
    """GDP grows less what sanctions cost; the fiscal ceiling holds against the new GDP."""
    st = m.state
    m.previous_pressure = st.sanctions_pressure
    # inside its declared range: centuries at extreme growth neither underflow nor overflow
    st.gdp_usd_bn = economy_kernels.economy(
        st.gdp_usd_bn, st.growth_pct_yr, st.growth_loss, float(m.dt_years), float(GDP_RANGE[0]),
        float(GDP_RANGE[1]), st.milex_usd_bn, tuple(m.params.arms), bool(m.on["arms"]))


def deterrence_phase(m: FlashpointModel, v: StepValues) -> None:
    """Article 5 belief with memory and the deterrence margin (Kilgour-Zagare)."""
    if not m.topology.F:
        return
    st = m.state
    _, st.article5_belief = belief_update(m, m.rates.belief_keep)
    deterrence_margin(m)


def diplomacy_phase(m: FlashpointModel, v: StepValues) -> None:
    """Protests add tension; arms control erodes or is rebuilt (compiled)."""
    st = m.state
    protest, st.tension_impulse, st.arms_control = pair_kernels.diplomacy_step(
        st.perceived_threat, v.previous_threat, st.tension_impulse, st.arms_control,
        v.pair_dialogue, st.tension, tuple(m.params.diplomacy), float(m.months))
    m.recorder.protests(protest)


def incidents_phase(m: FlashpointModel, v: StepValues) -> None:
    """Poisson incidents by severity (Schelling); each adds a tension impulse (compiled)."""
    st, values, topo = m.state, tuple(m.params.incidents), m.topology
    lam = incident_kernels.expected_counts(
        st.activity, st.readiness, st.hybrid, topo.pair_a, topo.pair_b, v.pair_dialogue,
        st.arms_control, values, float(m.months))
    low, serious, high = stream_kernels.incidents_by_severity(
        *m.key, m.replicate_ids, m.incident_streams, np.uint64(m.steps), lam, values)
    st.tension_impulse, st.incidents = incident_kernels.impulses(
        st.tension_impulse, low, serious, high,
        tuple(map(float, m.params.settings.incidents.impulse)))
    v.high_risk = high
    m.recorder.incidents(low, serious, high)


def tension_phase(m: FlashpointModel, v: StepValues) -> None:
    """Tension relaxes towards its target and takes this step's impulses (compiled)."""
    st = m.state
    st.tension = pair_kernels.relax(st.tension, tension_target_raw(m, v.pair_dialogue),
                                    m.tension_offset, m.rates.relaxation_step, st.tension_impulse,
                                    st.rung, float(m.thresholds[BY_DECISION]), BY_DECISION)
    st.tension_impulse = np.zeros_like(st.tension)


def escalation(m: FlashpointModel, v: StepValues) -> None:
    """The escalation ladder (Kahn) with miscalculation after high-risk incidents (Schelling)."""
    st = m.state
    old = st.rung
    high_risk = NO_INCIDENTS if v.high_risk is None else v.high_risk
    # the miscalculation uniforms are drawn only where a high-risk incident could tip the rung
    new = escalation_kernels.ladder_step(
        *m.key, m.replicate_ids, m.ladder_streams, np.uint64(m.steps), old, st.tension,
        m.thresholds, BY_DECISION - 1, high_risk, TIPPING[0], TIPPING[1],
        tuple(m.params.escalation))
    if m.topology.F and m.on["deterrence"] and m.topology.challengers.any():
        decide_force(m, new)
    st.rung = new
    # a pair that leaves armed conflict this step (the ladder down, or a fait accompli ended)
    # stands below limited conflict now, and its tension with it (the index and ladder agree)
    st.tension = tension.below_conflict(st.tension, new, m.thresholds[BY_DECISION], BY_DECISION)
    m.recorder.rungs(old, new)


BY_DECISION = 5
"""The lowest rung entered only by decision: limited conflict."""

TIPPING = (3, 6)
"""Rungs from which a high-risk incident may tip a pair up a rung by miscalculation: [3, 6)."""

NO_INCIDENTS = np.zeros((0, 0), dtype=np.int64)
"""This step's high-risk incidents when the incidents submodel is off."""


def decide_force(m: FlashpointModel, rung: np.ndarray) -> None:
    """Probes, faits accomplis and war by the challenger's decision (compiled, submodels/decision.py).

    Writes the new rungs into ``rung``, the probes' impulses into the next step's tension impulse.
    """
    st, topo = m.state, m.topology
    # only members are under the alliance's deterrence: states yet to join are not targets here
    members = np.ascontiguousarray(m.front_active, dtype=np.bool_)
    probe, attack, row = escalation_kernels.decide_force(
        *m.key, m.replicate_ids, m.decision_stream, np.uint64(m.steps), st.deterrence_margin,
        members, rung, st.tension, st.tension_impulse, m.thresholds, topo.pair_challenger,
        topo.pair_front, topo.pair_defender, m.rates.risk_tolerance, float(m.months),
        BY_DECISION, tuple(m.params.escalation))
    m.recorder.decisions(probe, attack, row)


def external(m: FlashpointModel, v: StepValues) -> None:
    """Commitment and cohesion return towards their policy level (partial adjustment, compiled)."""
    st = m.state
    st.commitment = decision_kernels.recover(
        st.commitment, st.policy["commitment"], m.rates.recovery_step)


def record(m: FlashpointModel, v: StepValues) -> None:
    """Record the step."""
    m.recorder.record()


@dataclass(frozen=True)
class Phase:
    """One phase of the step: its name, the submodel switch it needs (None: always), its function."""

    name: str
    switch: str | None
    run: Callable[[FlashpointModel, StepValues], None]


PHASES: tuple[Phase, ...] = (
    Phase("perceive", "threat", perceive),
    Phase("aggregate", None, aggregate_phase),
    Phase("decide", None, decide),
    Phase("arms", "arms", arms),
    Phase("sanctions", "sanctions", sanctions_phase),
    Phase("economy", None, economy),
    Phase("deterrence", "deterrence", deterrence_phase),
    Phase("diplomacy", "diplomacy", diplomacy_phase),
    Phase("incidents", "incidents", incidents_phase),
    Phase("tension", None, tension_phase),
    Phase("escalation", "escalation", escalation),
    Phase("external", "external", external),
    Phase("record", None, record),
)
"""The step, in order."""
