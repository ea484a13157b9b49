"""The calibrated starting state: a pure function of a scenario, its parameters and topology.

Calibration at t = 0 makes the starting state a steady state (ODD section 5): Richardson grievance
``auto`` (the initial shares of GDP are the steady path), capability at its steady stock,
perceived threat at its target unless a relation gives it, the tension offsets c_p (the initial
tension is the target), the Article 5 belief at its target and the delay lines prefilled with
the steady flows. :func:`equilibrium` computes all of it and returns it as an
:class:`Equilibrium`; the model adopts a scenario's own, or takes the reference's
(:meth:`sim.engine.model.FlashpointModel._calibrate_on`) so that a what-if moves away from it.
"""

from __future__ import annotations

from dataclasses import dataclass
from typing import TYPE_CHECKING

import numpy as np

from ..kernels.parameters import Rates
from ..submodels import capability, ladder, richardson
from ..variables import POLICY, POSTURES
from . import phases
from .params import Params
from .state import State
from .topology import Topology

if TYPE_CHECKING:
    from ..scenario.schema import Scenario


class DelayLine:
    """A fixed delay of ``lag`` steps: a ring of the arrays pushed (held, never copied).

    The arrays are kept as they were pushed and handed back ``lag`` steps later, the initial
    one ``lag`` times: neither the line nor what comes out of it may be changed in place (the
    phases push new arrays each step and only read what comes out).
    """

    def __init__(self, initial: np.ndarray, lag: int) -> None:
        self.lag = lag
        self.buf = [initial] * max(lag, 1)
        self.pos = 0

    def peek(self) -> np.ndarray:
        """What comes out at the next push."""
        return self.buf[self.pos]

    def push(self, value: np.ndarray) -> np.ndarray:
        """Put ``value`` in and return what was put in ``lag`` steps ago (``value`` if lag 0)."""
        if self.lag == 0:
            return value
        out = self.buf[self.pos]
        self.buf[self.pos] = value
        self.pos = (self.pos + 1) % self.lag
        return out


@dataclass(eq=False)
class Equilibrium:
    """A scenario's calibrated starting state and what the step derives from it.

    Attributes:
        state: the state at t = 0 (``state.initial`` is its snapshot).
        thresholds: the ladder's thresholds with -inf and +inf at the ends, (8,).
        capability_reference: each actor's initial capability stock K_0, (N, R) US$ bn.
        tension_offset: c_p, (P, R).
        auto_grievance: Richardson's grievance that makes the initial shares steady, (N, R).
        grievance: the grievance the run uses (the doctrine's number where given), (N, R).
        previous_pressure: the sanctions pressure before the first step, (N, R).
        procurement_delay: the procurement pipeline, prefilled with the steady flow.
        sanctions_delay: the sanctions lag, prefilled with the initial pressures.
    """

    state: State
    thresholds: np.ndarray
    capability_reference: np.ndarray
    tension_offset: np.ndarray
    auto_grievance: np.ndarray
    grievance: np.ndarray
    previous_pressure: np.ndarray
    procurement_delay: DelayLine
    sanctions_delay: DelayLine


@dataclass(eq=False)
class Frame:
    """What the phases' helpers read while the starting state is built (a model's attributes)."""

    R: int
    months: float
    dt_years: float
    on: dict[str, bool]
    topology: Topology
    front_active: np.ndarray
    params: Params
    rates: Rates
    state: State | None = None
    sanctions_delay: DelayLine | None = None
    capability_reference: np.ndarray | None = None


def equilibrium(scenario: Scenario, params: Params, rates: Rates, topology: Topology,
                on: dict[str, bool], months: float, front_active: np.ndarray) -> Equilibrium:
    """The calibrated starting state of ``scenario`` under ``params`` (module docstring).

    Args:
        scenario: the scenario (its actors' starting values and relations).
        params: its parameters for R replicates.
        rates: the per-step rates of ``params``.
        topology: who interacts (the run's; a reference shares it).
        on: each submodel's switch.
        months: months a step.
        front_active: which frontline states are members at the start.
    """
    topo, R, P = topology, params.replicates, topology.P
    f = Frame(R=R, months=months, dt_years=months / 12.0, on=on, topology=topo,
              front_active=front_active, params=params, rates=rates)
    sc = scenario

    def actor(section: str, name: str, default: float = np.nan) -> np.ndarray:
        return params.actor_values(sc, section, name, default)

    gdp = actor("economy", "gdp_usd_bn")
    milex = gdp * actor("military", "spending_pct_gdp") / 100.0
    ap = params.arms
    steady = capability.steady_stock(milex, ap.procurement_share, ap.depreciation_pct_yr / 100.0)
    given = actor("military", "capability_usd_bn", -1.0)
    cap = np.where(given >= 0, given, steady)
    share = actor("posture", "strategic_share")
    has_spending = actor("military", "spending_pct_gdp") > 0
    strategic = np.where(np.isnan(actor("military", "strategic")),
                         np.where(has_spending, share, 0.0), actor("military", "strategic"))
    # pairs: relations' values where listed, defaults elsewhere
    listed = {frozenset(r.between): r for r in sc.relations}
    tension = np.full((P, R), 30.0)
    arms_control = np.full((P, R), 0.5)
    trust = np.full((2 * P, R), 0.3)
    threat_given = np.full((2 * P, R), np.nan)
    rung_given = np.full(P, -1)
    for k, (a, b) in enumerate(topo.pairs):
        rel = listed.get(frozenset((topo.names[a], topo.names[b])))
        if rel is None:
            continue
        flip = topo.names[a] != rel.between[0]
        tension[k] = params.relation_value(rel.between, "tension", rel.tension)
        arms_control[k] = params.relation_value(rel.between, "arms_control", rel.arms_control)
        trust[k], trust[P + k] = rel.trust[::-1] if flip else rel.trust
        if rel.threat is not None:
            threat_given[k], threat_given[P + k] = rel.threat[::-1] if flip else rel.threat
        if rel.rung is not None:
            rung_given[k] = rel.rung
    posture = {name: actor("posture", name) for name in POSTURES}
    F = topo.F
    st = State(
        gdp_usd_bn=gdp, growth_pct_yr=actor("economy", "growth_pct_yr"),
        energy_dependence=actor("economy", "energy_dependence"), milex_usd_bn=milex,
        capability_usd_bn=cap, strategic=strategic, strategic_share=share,
        pledge_pct_gdp=actor("military", "pledge_pct_gdp"),
        mobilisation=actor("military", "mobilisation"),
        aggression=actor("military", "aggression"),
        readiness=actor("military", "readiness"), resolve=actor("military", "resolve"),
        commitment=params.doctrine.commitment.copy(), **posture,
        tension=tension, arms_control=arms_control, rung=np.zeros((P, R), dtype=np.int8),
        incidents=np.zeros((P, R)), tension_impulse=np.zeros((P, R)),
        perceived_threat=np.zeros((2 * P, R)), trust=trust,
        article5_belief=np.zeros((F, R)), deterrence_margin=np.zeros((F, R)),
        denial=np.zeros((F, R)),
        allied_troops=np.zeros((F, R)), deterrence_shortfall=np.zeros(R))
    st.policy = {name: getattr(st, name).copy() for name in POLICY}
    f.state = st
    f.capability_reference = np.maximum(cap.copy(), 1e-9)
    doc = params.doctrine
    # derived quantities at the start; threat at its target unless a relation gives it
    phases.update_pressures(f)
    phases.update_activity(f)
    st.cooperation = phases.cooperation(f)
    st.perceived_threat = np.where(np.isnan(threat_given), phases.threat_target(f),
                                   np.nan_to_num(threat_given))
    thresholds = params.settings.escalation.thresholds
    rung0 = np.minimum(ladder.initial_rung(tension, np.array(thresholds)),
                       phases.BY_DECISION - 1)  # armed conflict only if a relation says so
    st.rung = np.where(rung_given[:, None] >= 0, rung_given[:, None], rung0).astype(np.int8)
    phases.aggregate(f)
    previous_pressure = st.sanctions_pressure.copy()
    # tension calibration constant c_p: the initial state is a steady state
    tension_offset = st.tension - phases.tension_target_raw(f)
    # delay lines: procurement, prefilled with the steady flow; sanctions
    flow = ap.procurement_share * milex * f.dt_years
    lags = params.settings
    procurement_delay = DelayLine(flow, int(round(lags.arms.procurement_lag_months / months)))
    f.sanctions_delay = DelayLine(phases.sanctions_stack(f),
                                  int(round(lags.sanctions.lag_months / months)))
    st.growth_loss = (phases.growth_loss(f, f.sanctions_delay.peek())
                      if on["sanctions"] else np.zeros_like(gdp))
    # Richardson grievance: 'auto' (NaN here) makes the initial share of GDP the steady path
    # at the economy's net growth (trend less what sanctions cost)
    auto_grievance = richardson.auto_grievance(
        milex, topo.rivals, doc.reaction, doc.fatigue,
        (st.growth_pct_yr - st.growth_loss) / 100.0)
    grievance = np.where(np.isnan(doc.grievance), auto_grievance, np.nan_to_num(doc.grievance))
    if F and on["deterrence"]:
        st.article5_belief = phases.belief_target(f)
        phases.deterrence_margin(f)
    st.initial = st.snapshot()
    return Equilibrium(
        state=st, thresholds=np.array([-np.inf, *thresholds, np.inf]),
        capability_reference=f.capability_reference, tension_offset=tension_offset,
        auto_grievance=auto_grievance, grievance=grievance, previous_pressure=previous_pressure,
        procurement_delay=procurement_delay, sanctions_delay=f.sanctions_delay)
