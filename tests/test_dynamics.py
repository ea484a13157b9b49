"""Behaviour of the whole model: calibration targets, shocks, readings, the replicate axis."""

import numpy as np
import pytest
from conftest import DATA, SCENARIOS

from sim import load_scenario, run
from sim.engine.model import FlashpointModel


def expected_incidents(sc) -> float:
    m = FlashpointModel(sc, replicates=1, seed=0, record="summary")
    from sim.submodels import incidents

    dlg = 0.5 * (m.dlg[m.pa] + m.dlg[m.pb])
    lam = incidents.rate(m.p["incidents"], m.activity[m.pa], m.activity[m.pb],
                         m.ready[m.pa] + m.ready[m.pb], m.hyb[m.pa] + m.hyb[m.pb],
                         dlg, m.ac, 1.0)
    return float(lam.sum())


def test_incident_calibration_2016_and_2014():
    """ELN: ~17 incidents in 2016-17 (<1 a month), ~40 in Mar-Oct 2014 (~5 a month)."""
    base = expected_incidents(load_scenario(SCENARIOS / "baseline.yaml"))
    crisis = expected_incidents(load_scenario(DATA / "posture-2014.yaml"))
    assert base < 1.0
    assert 4.0 <= crisis <= 6.0


def test_simulated_incident_rate_matches_expectation(baseline):
    r = run(baseline, seed=11, replicates=400, steps=12, record="summary")
    per_month = r._model.recorder.incident_total.sum(axis=0) / 12
    assert per_month.mean() < 1.0
    assert per_month.mean() == pytest.approx(expected_incidents(baseline), rel=0.1)


def test_shock_applies_in_the_right_step_and_reverts(baseline):
    sc = load_scenario(SCENARIOS / "baseline.yaml", [
        "events=[{date: 2017-03-15, name: surge, duration_months: 6, effects: "
        "[{target: NATO.deployment_troops, add: 3300}]}]",
        "submodels.incidents.enabled=false"])
    m = FlashpointModel(sc, replicates=1, seed=0, record="summary")
    deps = []
    for _ in range(24):
        m.step()
        deps.append(m.baseline["dep"][0, 0])
    # start 2016-07: March 2017 is step 9 (the step that ends on 2017-04-01); six months on
    assert deps[7] == 3300 and deps[8] == 6600
    assert deps[13] == 6600 and deps[14] == 3300


def test_doubling_presence_raises_russian_threat_and_belief(baseline):
    sets = ["submodels.incidents.enabled=false"]
    a = run(load_scenario(SCENARIOS / "baseline.yaml", sets), steps=60, record="summary")
    b = run(load_scenario(SCENARIOS / "baseline.yaml", [
        *sets, "actors.NATO.posture.deployment_troops=6600"]), steps=60, record="summary")
    ma, mb = a._model, b._model
    ru = ma.index["Russia"]
    assert mb.threat_actor[ru, 0] > ma.threat_actor[ru, 0]      # Jervis: Russia feels it
    assert np.all(mb.belief > ma.belief)                          # Schelling: tripwire
    assert mb.dep[ru, 0] > ma.dep[ru, 0]                          # reciprocity


def test_spiral_vs_deterrence_reading_of_dialogue():
    """More western dialogue lowers tension under the spiral reading; under the deterrence
    reading it narrows the deterrence margin instead (concessions embolden)."""
    def final(reading, dlg):
        sc = load_scenario(SCENARIOS / "baseline.yaml", [
            f"submodels.threat.reading={reading}", "submodels.incidents.enabled=false",
            "actors.NATO.posture.dialogue=0.2", "events=[]"])
        m = FlashpointModel(sc, replicates=1, seed=0, record="summary")
        m.dlg[m.index["NATO"]] = dlg
        m.baseline["dlg"][m.index["NATO"]] = dlg
        m.run(36)
        return m.tension_index[0], m.margin.mean()
    t_lo, _ = final("spiral", 0.2)
    t_hi, _ = final("spiral", 0.8)
    assert t_hi < t_lo
    _, m_lo = final("deterrence", 0.2)
    _, m_hi = final("deterrence", 0.8)
    assert m_hi < m_lo


def test_us_turning_away_weakens_deterrence():
    a = run(load_scenario(SCENARIOS / "baseline.yaml"), steps=48, record="summary")._model
    b = run(load_scenario(SCENARIOS / "baseline.yaml", ["actors.US.doctrine.commitment=0.2"]),
            steps=48, record="summary")._model
    assert np.all(b.belief < a.belief) and np.all(b.margin < a.margin)


def test_sanctions_cost_target_and_rally_resolve():
    sets = ["actors.EU.posture.sanctions_energy=0.9", "actors.EU.posture.sanctions_finance=0.9"]
    a = run(load_scenario(SCENARIOS / "baseline.yaml", ["events=[]"]), steps=60,
            record="summary")._model
    sc = load_scenario(SCENARIOS / "baseline.yaml", ["events=[{date: 2017-01, name: s, effects: "
                       "[{target: EU.sanctions_energy, set: 0.9}]}]"])
    b = run(sc, steps=60, record="summary")._model
    ru, eu = a.index["Russia"], a.index["EU"]
    assert b.gdp[ru, 0] < a.gdp[ru, 0]          # cost to target
    assert b.gdp[eu, 0] < a.gdp[eu, 0]          # cost to imposer (energy dependence)
    assert b.resolve[ru, 0] > a.resolve[ru, 0]  # rally round the flag
    assert sets  # the initial-posture form is the calibrated baseline, see test_invariants


def test_vary_along_replicate_axis_equals_separate_runs():
    sets = ["submodels.incidents.enabled=false"]
    sc = load_scenario(SCENARIOS / "invasion-2022.yaml", sets)
    vals = np.array([0.5, 1.0, 2.0])
    r = run(sc, replicates=3, steps=90, record="summary",
            vary={"actors.Russia.doctrine.threat_sensitivity": vals,
                  "submodels.tension.relaxation": np.array([0.1, 0.25, 0.5])})
    for k, (v, rel) in enumerate(zip(vals, (0.1, 0.25, 0.5), strict=True)):
        one = run(load_scenario(SCENARIOS / "invasion-2022.yaml", [
            *sets, f"actors.Russia.doctrine.threat_sensitivity={v}",
            f"submodels.tension.relaxation={rel}"]), steps=90, record="summary")
        np.testing.assert_allclose(r._model.tension[:, k], one._model.tension[:, 0], rtol=1e-12)
        np.testing.assert_allclose(r._model.dep[:, k], one._model.dep[:, 0], rtol=1e-12)


def test_vary_rejects_bad_paths(baseline):
    with pytest.raises(ValueError, match="unsupported path"):
        FlashpointModel(baseline, replicates=2, vary={"actors.Russia.weight": [1, 2]})
    with pytest.raises(ValueError, match="real-valued"):
        FlashpointModel(baseline, replicates=2, vary={"submodels.arms.procurement_lag_months": 3})
    with pytest.raises(ValueError, match="shape"):
        FlashpointModel(baseline, replicates=2,
                        vary={"actors.Russia.doctrine.memory": [0.1, 0.2, 0.3]})


def test_new_actor_kinds_from_scenario_only():
    sets = [
        "actors.Finland={kind: frontline, economy: {gdp_usd_bn: 275}, "
        "military: {spending_pct_gdp: 1.43}, posture: {deployment_troops: 20000}}",
        "actors.Belarus={kind: satellite, economy: {gdp_usd_bn: 60}, "
        "military: {spending_pct_gdp: 1.2}, posture: {deployment_troops: 10000, "
        "exercises_troops: 3000}}",
        "actors.China={kind: partner, weight: 0, economy: {gdp_usd_bn: 20000}, "
        "military: {spending_pct_gdp: 1.9}, posture: {partnership: 0.3}}",
    ]
    sc = load_scenario(SCENARIOS / "invasion-2022.yaml", sets)
    m = run(sc, replicates=4, steps=90, record="summary")._model
    assert "Finland-Russia" in m.pair_names and "NATO-Belarus" in m.pair_names
    assert not any("China" in p for p in m.pair_names)  # partners act through their bloc
    ch = m.index["China"]
    assert m.part[ch, 0] > 0.3  # partnership deepens as sanctions bite Russia


def test_commitment_shocks_scale_patron_forces_and_union_sanctions():
    ev = ("events=[{date: 2018-01, name: turn, effects: [{target: US.commitment, set: 0.3}, "
          "{target: EU.commitment, set: 0.3}]}]")
    sets = ["submodels.incidents.enabled=false"]
    a = run(load_scenario(SCENARIOS / "baseline.yaml", [*sets, "events=[]"]), steps=48,
            record="summary")._model
    b = run(load_scenario(SCENARIOS / "baseline.yaml", [*sets, ev]), steps=48,
            record="summary")._model
    us, eu = a.index["US"], a.index["EU"]
    assert b.commit[us, 0] == pytest.approx(0.3)  # a policy change persists
    assert b.dep[us, 0] < 0.6 * a.dep[us, 0]
    assert b.sene[eu, 0] < 0.6 * a.sene[eu, 0]
    assert np.all(b.belief < a.belief)
