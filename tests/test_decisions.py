"""Escalation by decision: armed conflict is the challenger's choice (closed forms, directions)."""

import numpy as np
import pytest

from sim import FlashpointModel, load_scenario, run
from sim.submodels import decision

UNDEFENDED = ["actors.US.doctrine.commitment=0.05", "actors.NATO.posture.deployment_troops=0",
              "actors.US.posture.deployment_troops=0", "submodels.escalation.attack_margin=0.05",
              "submodels.deterrence.reinforcement_troops=0",
              "actors.Russia.posture.deployment_troops=60000"]


def test_hazards_closed_form():
    """1 - exp(-h r L(v / s) dt), L the logistic function: half the full hazard at indifference."""
    value = np.array([0.4, 0.4, 0.0, -0.3])
    p = decision.hazard(0.3, np.array([0.5, 1.0, 1.0, 1.0]), value, 0.1, 1.0)
    logistic = 1 / (1 + np.exp(-value / 0.1))
    np.testing.assert_allclose(p, 1 - np.exp(-0.3 * np.array([0.5, 1, 1, 1]) * logistic),
                               rtol=1e-12)
    assert p[2] == pytest.approx(1 - np.exp(-0.15), rel=1e-12)
    assert 0 < p[3] < 0.02  # a margin three scales above indifference: small, never zero
    # continuous in the margin: no cliff anywhere (the largest step over a fine grid is small)
    grid = decision.hazard(0.3, 1.0, np.linspace(-1, 1, 2001), 0.1, 1.0)
    assert np.abs(np.diff(grid)).max() < 1e-3
    assert decision.war_probability(0.2, 0.9, 1.0) == pytest.approx(1 - np.exp(-0.02), rel=1e-12)
    assert decision.war_probability(0.2, 1.0, 1.0) == 0.0  # a full brake: no deliberate war
    row, value = decision.weakest(np.array([[0.2, -0.1], [0.1, 0.3]]))
    assert list(row) == [1, 0] and list(value) == [0.1, -0.1]


def test_tension_alone_never_starts_armed_conflict():
    sc = load_scenario("baseline", ["relations.0.tension=99", "submodels.incidents.max_rate=50",
                                    "submodels.escalation.miscalculation=1"])
    m = FlashpointModel(sc, replicates=50, seed=1, record="summary")
    assert m.state.rung.max() <= 4
    m.run(36)
    # deterrence holds in the baseline (margins > 0): no decision, so no armed conflict
    assert m.state.rung.max() <= 4 and m.recorder.fait_accompli_step.max() < 0


def test_invasion_2022_does_not_drag_nato_into_war():
    r = run("invasion-2022", seed=3, replicates=200, record="summary")
    reach = r.summary_dict()["pairs"]["NATO-Russia"]["p_highest_rung_at_least"]
    assert reach["confrontation with incidents"] > 0.5  # a deep crisis ...
    assert reach["limited conflict"] <= 0.05  # ... but war only by decision, deterred


def test_deterrence_failure_brings_probes_and_faits_accomplis():
    r = run(load_scenario("baseline", UNDEFENDED), seed=5, replicates=200, steps=60,
            record="summary")
    o = r.outcomes
    # most worlds; where the drawn defence advantage and reinforcement are high, even an
    # Estonia left undefended by its patrons deters by denial
    assert (o["Estonia.min_deterrence_margin"] < 0).mean() > 0.5
    assert o["probes"].mean() > 0.5 and o["fait_accompli_month"].notna().mean() > 0.2
    reach = r.summary_dict()["pairs"]["NATO-Russia"]["p_highest_rung_at_least"]
    assert reach["limited conflict"] == pytest.approx(o["fait_accompli_month"].notna().mean())
    ev = r.events
    assert {"probe", "fait accompli"} <= set(ev["kind"])


def test_risk_tolerance_raises_the_chance_of_a_fait_accompli():
    rt = np.repeat([0.1, 0.9], 200)
    r = run(load_scenario("baseline", UNDEFENDED), seed=6, replicates=400, steps=60,
            record="summary", vary={"actors.Russia.doctrine.risk_tolerance": rt})
    o = r.outcomes
    low = (o.loc[o["actors.Russia.doctrine.risk_tolerance"] == 0.1, "fait_accompli_month"].notna())
    high = (o.loc[o["actors.Russia.doctrine.risk_tolerance"] == 0.9, "fait_accompli_month"].notna())
    assert high.mean() > low.mean() + 0.2
    assert (o.groupby("actors.Russia.doctrine.risk_tolerance")["Estonia.min_deterrence_margin"]
            .mean().diff().iloc[-1]) < -0.1  # a risk-acceptant challenger is harder to deter


def test_nuclear_brake_holds_limited_conflict_below_major_war():
    def share_war(brake):
        r = run(load_scenario("baseline", [*UNDEFENDED, f"submodels.escalation.nuclear_brake={brake}",
                                           "actors.Russia.doctrine.risk_tolerance=1"]),
                seed=7, replicates=200, steps=60, record="summary")
        return r.summary_dict()["pairs"]["NATO-Russia"]["p_highest_rung_at_least"]["major war"]
    assert share_war(1.0) == 0.0
    assert share_war(0.0) > share_war(0.9) > 0.0


FINLAND = ("actors.Finland={kind: frontline, joins: 2020-01, economy: {gdp_usd_bn: 275}, "
           "military: {spending_pct_gdp: 1.4}, posture: {deployment_troops: 2000}}")


def test_accession_switches_an_actor_on_at_its_date(simulate):
    sc = load_scenario("baseline", [FINLAND, "submodels.incidents.enabled=false"])
    m = FlashpointModel(sc, replicates=2, seed=1, record="summary")
    fi = m.topology.index["Finland"]
    k = m.topology.pair_index("Finland", "Russia")
    weights = m.pair_weight.copy()
    assert not m.active[fi] and m.pair_weight[k] > 0  # the scenario's weights, member or not
    before = m.state.deployment_troops[fi].copy()
    m.run(40)  # to 2019-11: inactive, its postures untouched by any decision
    np.testing.assert_array_equal(m.state.deployment_troops[fi], before)
    m.run(3)   # past January 2020
    assert m.active[fi] and np.array_equal(m.pair_weight, weights)  # joining moves no weight
    assert "Finland joins" in " ".join(str(e[4]) for e in m.recorder.events)


def test_states_yet_to_join_are_not_targets_of_the_challenger():
    r = run(load_scenario("baseline", [*UNDEFENDED, FINLAND]), seed=5, replicates=100, steps=60,
            record="summary")
    ev = r.events
    moves = ev[ev["kind"].isin(["probe", "fait accompli"])]
    assert len(moves) > 0
    assert not ((moves["entity"] == "Finland") & (moves["date"] < "2020-01-01")).any()
