"""Behaviour of the whole model: calibration targets, shocks, readings, the replicate axis."""

from pathlib import Path

import numpy as np
import pytest

from sim import load_scenario, run
from sim.engine.model import FlashpointModel

DATA = Path(__file__).resolve().parent / "data"
SCENARIOS = Path(__file__).resolve().parent.parent / "scenarios"


def expected_incidents(sc, replicates: int = 1) -> float:
    """The expected incidents a month at the start, all pairs, the mean over the replicates'
    worlds (replicate r: the calibration's member r mod k)."""
    m = FlashpointModel(sc, replicates=replicates, seed=0, record="summary")
    from sim.submodels import incidents

    pa, pb = m.topology.pair_a, m.topology.pair_b
    dlg = 0.5 * (m.state.dialogue[pa] + m.state.dialogue[pb])
    lam = incidents.rate(m.params.incidents, m.state.activity[pa], m.state.activity[pb],
                         m.state.readiness[pa] + m.state.readiness[pb],
                         m.state.hybrid[pa] + m.state.hybrid[pb],
                         dlg, m.state.arms_control, 1.0)
    return float(np.mean(lam.sum(axis=0)))


def test_incident_calibration_2016_and_2014():
    """ELN: ~17 incidents in 2016-17 (<1 a month), ~40 in Mar-Oct 2014 (~5 a month).

    On the calibrated model (the baseline's default), within the calibration's factor of two.
    """
    base = expected_incidents(load_scenario("baseline"))
    crisis = expected_incidents(load_scenario(DATA / "posture-2014.yaml"))
    assert 0.7 / 2 <= base < 1.0
    assert 5.0 / 2 <= crisis <= 5.0 * 2


def test_simulated_incident_rate_matches_expectation(baseline):
    r = run(baseline, seed=11, replicates=400, steps=12, record="summary")
    per_month = r.outcomes["incidents_per_month"].to_numpy()
    assert per_month.mean() < 1.0
    assert per_month.mean() == pytest.approx(expected_incidents(baseline, 400), rel=0.1)


def test_shock_applies_in_the_right_step_and_reverts(baseline):
    sc = load_scenario("baseline", [
        "events=[{date: 2017-03-15, name: surge, duration_months: 6, effects: "
        "[{target: NATO.deployment_troops, add: 3300}]}]",
        "submodels.incidents.enabled=false"])
    m = FlashpointModel(sc, replicates=1, seed=0, record="summary")
    deps = []
    for _ in range(24):
        m.step()
        deps.append(m.state.policy["deployment_troops"][0, 0])
    # start 2016-07: March 2017 is step 9 (the step that ends on 2017-04-01); six months on
    assert deps[7] == 3300 and deps[8] == 6600
    assert deps[13] == 6600 and deps[14] == 3300


def test_doubling_presence_raises_russian_threat_and_belief(baseline, simulate):
    sets = ["submodels.incidents.enabled=false"]
    ma = simulate(load_scenario("baseline", sets), steps=60)
    mb = simulate(load_scenario("baseline", [
        *sets, "actors.NATO.posture.deployment_troops=6600"]), steps=60)
    ru = ma.topology.index["Russia"]
    assert mb.state.threat_mean[ru, 0] > ma.state.threat_mean[ru, 0]      # Jervis: Russia feels it
    assert np.all(mb.state.article5_belief > ma.state.article5_belief)                          # Schelling: tripwire
    assert mb.state.deployment_troops[ru, 0] > ma.state.deployment_troops[ru, 0]                          # reciprocity


def test_spiral_vs_deterrence_reading_of_dialogue():
    """More western dialogue lowers tension under the spiral reading; under the deterrence
    reading it narrows the deterrence margin instead (concessions embolden)."""
    def final(reading, dlg):
        sc = load_scenario("baseline", [
            f"submodels.threat.reading={reading}", "submodels.incidents.enabled=false",
            "actors.NATO.posture.dialogue=0.2", "events=[]"])
        m = FlashpointModel(sc, replicates=1, seed=0, record="summary")
        m.state.dialogue[m.topology.index["NATO"]] = dlg
        m.state.policy["dialogue"][m.topology.index["NATO"]] = dlg
        m.run(36)
        return m.tension_index[0], m.state.deterrence_margin.mean()
    t_lo, _ = final("spiral", 0.2)
    t_hi, _ = final("spiral", 0.8)
    assert t_hi < t_lo
    _, m_lo = final("deterrence", 0.2)
    _, m_hi = final("deterrence", 0.8)
    assert m_hi < m_lo


def test_us_turning_away_weakens_deterrence(simulate):
    a = simulate(load_scenario("baseline"), steps=48, record="summary")
    b = simulate(load_scenario("baseline", ["actors.US.doctrine.commitment=0.2"]),
            steps=48, record="summary")
    assert np.all(b.state.article5_belief < a.state.article5_belief)
    assert np.all(b.state.deterrence_margin < a.state.deterrence_margin)


def test_sanctions_cost_target_and_rally_resolve(simulate):
    sets = ["actors.EU.posture.sanctions_energy=0.9", "actors.EU.posture.sanctions_finance=0.9"]
    a = simulate(load_scenario("baseline", ["events=[]"]), steps=60,
            record="summary")
    sc = load_scenario("baseline", ["events=[{date: 2017-01, name: s, effects: "
                       "[{target: EU.sanctions_energy, set: 0.9}]}]"])
    b = simulate(sc, steps=60, record="summary")
    ru, eu = a.topology.index["Russia"], a.topology.index["EU"]
    assert b.state.gdp_usd_bn[ru, 0] < a.state.gdp_usd_bn[ru, 0]          # cost to target
    assert b.state.gdp_usd_bn[eu, 0] < a.state.gdp_usd_bn[eu, 0]          # cost to imposer (energy dependence)
    assert b.state.resolve[ru, 0] > a.state.resolve[ru, 0]  # rally round the flag
    assert sets  # the initial-posture form is the calibrated baseline, see test_invariants


def test_vary_along_replicate_axis_equals_separate_runs(simulate):
    sets = ["submodels.incidents.enabled=false", "ensemble=false"]  # one parameter set a run
    sc = load_scenario("invasion-2022", sets)
    vals = np.array([0.5, 1.0, 2.0])
    r = simulate(sc, replicates=3, steps=90,
                 levers={"actors.Russia.doctrine.threat_sensitivity": vals},  # a choice, as --set
                 vary={"submodels.tension.relaxation": np.array([0.1, 0.25, 0.5])})
    for k, (v, rel) in enumerate(zip(vals, (0.1, 0.25, 0.5), strict=True)):
        one = simulate(load_scenario("invasion-2022", [
            *sets, f"actors.Russia.doctrine.threat_sensitivity={v}",
            f"submodels.tension.relaxation={rel}"]), steps=90)
        np.testing.assert_allclose(r.state.tension[:, k], one.state.tension[:, 0], rtol=1e-12)
        np.testing.assert_allclose(r.state.deployment_troops[:, k],
                                   one.state.deployment_troops[:, 0], rtol=1e-12)


def test_vary_rejects_bad_paths(baseline):
    with pytest.raises(ValueError, match="unknown path"):
        FlashpointModel(baseline, replicates=2, vary={"actors.Russia.weight": [1, 2]})
    with pytest.raises(ValueError, match="real-valued"):
        FlashpointModel(baseline, replicates=2, vary={"submodels.arms.procurement_lag_months": 3})
    with pytest.raises(ValueError, match="shape"):
        FlashpointModel(baseline, replicates=2,
                        vary={"actors.Russia.doctrine.memory": [0.1, 0.2, 0.3]})


def test_new_actor_kinds_from_scenario_only(simulate):
    sets = [
        "actors.Finland={kind: frontline, economy: {gdp_usd_bn: 275}, "
        "military: {spending_pct_gdp: 1.43}, posture: {deployment_troops: 20000}}",
        "actors.Belarus={kind: satellite, economy: {gdp_usd_bn: 60}, "
        "military: {spending_pct_gdp: 1.2}, posture: {deployment_troops: 10000, "
        "exercises_troops: 3000}}",
        "actors.China={kind: partner, weight: 0, economy: {gdp_usd_bn: 20000}, "
        "military: {spending_pct_gdp: 1.9}, posture: {partnership: 0.3}}",
    ]
    sc = load_scenario("invasion-2022", sets)
    m = simulate(sc, replicates=4, steps=90, record="summary")
    assert "Finland-Russia" in m.topology.pair_names and "NATO-Belarus" in m.topology.pair_names
    assert not any("China" in p for p in m.topology.pair_names)  # partners act through their bloc
    ch = m.topology.index["China"]
    assert m.state.partnership[ch, 0] > 0.3  # partnership deepens as sanctions bite Russia


def test_commitment_shocks_scale_patron_forces_and_union_sanctions(simulate):
    ev = ("events=[{date: 2018-01, name: turn, effects: [{target: US.commitment, set: 0.3}, "
          "{target: EU.commitment, set: 0.3}]}]")
    sets = ["submodels.incidents.enabled=false"]
    a = simulate(load_scenario("baseline", [*sets, "events=[]"]), steps=48,
            record="summary")
    b = simulate(load_scenario("baseline", [*sets, ev]), steps=48,
            record="summary")
    us, eu = a.topology.index["US"], a.topology.index["EU"]
    assert b.state.commitment[us, 0] == pytest.approx(0.3)  # a policy change persists
    assert b.state.deployment_troops[us, 0] < 0.6 * a.state.deployment_troops[us, 0]
    assert b.state.sanctions_energy[eu, 0] < 0.6 * a.state.sanctions_energy[eu, 0]
    assert np.all(b.state.article5_belief < a.state.article5_belief)


@pytest.mark.filterwarnings("ignore:.*is a lever:UserWarning")  # on purpose
def test_a_posture_varied_along_the_replicate_axis_bites_like_set(simulate, tmp_path):
    """A sweep's lever (levers= on a posture of a scenario that is its own reference) is measured
    against the scenario as written, as --set is: not calibrated away into a new equilibrium;
    the same value as an uncertainty (vary=) is the world, which the equilibrium shares."""
    own = tmp_path / "own.yaml"  # the baseline as a file of its own: no extends, no --set
    own.write_text((SCENARIOS / "baseline.yaml").read_text(encoding="utf-8")
                   + "submodels: {incidents: {enabled: false}}\nensemble: false\n")
    sc = load_scenario(own)
    assert sc.reference_scenario is None
    path = "actors.NATO.posture.deployment_troops"
    r = simulate(sc, replicates=2, steps=60, levers={path: np.array([3300.0, 6600.0])})
    one = simulate(load_scenario(own, [f"{path}=6600"]), steps=60)
    russia = r.topology.index["Russia"]
    np.testing.assert_allclose(r.state.deployment_troops[:, 1], one.state.deployment_troops[:, 0],
                               rtol=1e-12)
    # Russia answers the doubled eFP (spiral reading), by hundreds of troops at least
    assert r.state.deployment_troops[russia, 1] - r.state.deployment_troops[russia, 0] > 500
    world = simulate(sc, replicates=2, steps=60, vary={path: np.array([3300.0, 6600.0])})
    # as the world, 6,600 troops are the equilibrium: Russia has nothing new to answer
    assert abs(world.state.deployment_troops[russia, 1]
               - world.state.deployment_troops[russia, 0]) < 100
