"""Issue 22, item 7: the parameter space marks levers, states its joint rules, and a design can
be mapped into the valid region; sensitivity runs choose whether calibration draws are on."""

import numpy as np
import pytest
from SALib.sample import sobol

import sim

WEIGHTS = [f"submodels.deterrence.{w}" for w in ("w_commitment", "w_tripwire", "w_exercises",
                                                 "w_signals")]


@pytest.fixture(scope="module")
def baseline():
    return sim.load_scenario("baseline")


def test_postures_are_levers_and_the_rest_uncertainties(baseline):
    space = sim.parameter_space(baseline)
    kinds = dict(zip(space["names"], space["kinds"], strict=True))
    assert kinds["actors.NATO.posture.deployment_troops"] == "lever"
    assert kinds["actors.Russia.doctrine.risk_tolerance"] == "uncertainty"
    assert kinds["submodels.tension.relaxation"] == "uncertainty"
    rules = {r["rule"] for r in space["constraints"]}
    assert any("deterrence weights" in r for r in rules)
    assert sum("fiscal ceiling" in r for r in rules) == len(baseline.actors)


def test_a_rectangular_design_is_mapped_into_the_valid_region(baseline):
    space = sim.parameter_space(baseline)
    names = [*WEIGHTS, "actors.Estonia.military.spending_pct_gdp", "submodels.arms.max_spending_pct",
             "submodels.decisions.phi_min", "submodels.decisions.phi_max"]
    bounds = [space["bounds"][space["names"].index(n)] for n in names]
    rows = sobol.sample({"num_vars": len(names), "names": names, "bounds": bounds}, 64,
                        calc_second_order=False, seed=1)
    before = sim.satisfies(space, rows, names, baseline)
    assert 0 < before.mean() < 0.5  # the raw design breaks the rules in most rows
    with pytest.raises(sim.ScenarioError, match="must not exceed 1"):
        sim.check_vary(baseline, {n: rows[:, k] for k, n in enumerate(names)})
    fixed = sim.enforce_rules(space, rows, names, baseline)
    assert sim.satisfies(space, fixed, names, baseline).all()
    np.testing.assert_array_equal(fixed[before], rows[before])  # valid rows are untouched
    weights = fixed[:, :4].sum(axis=1)
    assert weights.max() == pytest.approx(1.0) and (weights <= 1 + 1e-9).all()
    sim.check_vary(baseline, {n: fixed[:, k] for k, n in enumerate(names)})  # every row runs


def test_a_lever_given_as_an_uncertainty_is_flagged(baseline):
    with pytest.warns(UserWarning, match="levers="):
        sim.run(baseline, replicates=2, steps=2, record="summary",
                vary={"actors.NATO.posture.deployment_troops": np.array([3300.0, 6600.0])})


def test_sweeps_and_ema_can_turn_calibration_draws_off(tmp_path):
    from analysis.sweeps import load_sweep

    text = ("name: s\nscenario: baseline\nuncertainties:\n"
            "  actors.Russia.doctrine.threat_sensitivity: {values: [1.0]}\n"
            "sampler: grid\nreplicates: 2\nsteps: 3\noutcomes: [NATO-Russia.peak_tension]\n")
    (tmp_path / "on.yaml").write_text(text)
    (tmp_path / "off.yaml").write_text(text + "calibration_draws: false\n")
    assert load_sweep(tmp_path / "on.yaml")[1].ensemble_members
    assert load_sweep(tmp_path / "off.yaml")[1].ensemble_members is None
