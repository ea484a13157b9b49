"""Mesa's own tools on the model: batch_run, DataCollector, run_for, agent properties; and the
structure they rely on (every real-valued parameter varies per replicate, outcomes per replicate)."""

import gc
import weakref

import mesa
import numpy as np
import pandas as pd
import pytest

from sim import FlashpointModel, load_scenario, parameter_space, run
from sim.scenario.fields import field_bounds, real_fields
from sim.scenario.schema import Doctrine
from sim.variables import VARIABLES


def test_constructor_takes_a_scenario_a_path_or_a_bundled_name(baseline):

    for spec in (baseline, "baseline", "baseline",
                 "baseline"):
        m = FlashpointModel(spec, replicates=2, seed=3)
        assert m.R == 2 and m.topology.names[0] == "NATO"
    default = FlashpointModel("baseline")
    assert default.R == baseline.replicates and default.seed == baseline.seed


def test_batch_run_returns_rows():
    # Mesa passes each of ``rng`` as the model's ``seed`` (the root seed of every stream)
    rows = mesa.batch_run(FlashpointModel,
                          parameters={"scenario": ["baseline"], "replicates": [3]},
                          rng=[1, 2], max_steps=12, number_processes=1, display_progress=False)
    df = pd.DataFrame(rows)
    assert sorted(df["RunId"].unique()) == [0, 1] and df["Step"].max() == 12
    final = df[df["Step"] == 12].set_index("RunId")["tension_index"]
    assert final[0] != final[1]  # two seeds, two different runs
    again = pd.DataFrame(mesa.batch_run(FlashpointModel, parameters={"scenario": ["baseline"],
                                                                     "replicates": [3]},
                                        rng=[1], max_steps=12, number_processes=1,
                                        display_progress=False))
    assert again[again["Step"] == 12]["tension_index"].iloc[0] == final[0]
    assert {"tension_index", "tension NATO-Russia", "rung NATO-Russia"} <= set(df.columns)
    assert df["tension_index"].between(0, 100).all()


def test_datacollector_with_custom_reporters():
    def nato_russia_p_crisis(model):
        k = model.topology.pair_index("NATO", "Russia")
        return float((model.state.rung[k] >= 2).mean())

    m = FlashpointModel("invasion-2022", replicates=20, seed=4,
                        model_reporters={"p_crisis": nato_russia_p_crisis},
                        agent_reporters={"deployment": lambda a: float(a.deployment_troops.mean())})
    m.run_for(30)
    model_df = m.datacollector.get_model_vars_dataframe()
    assert len(model_df) == 31 and model_df["p_crisis"].between(0, 1).all()
    agents = m.datacollector.get_agent_vars_dataframe()
    assert len(agents) == 31 * len(m.topology.names)


@pytest.mark.parametrize("replicates", [1, 7])
def test_default_reporters_collect_what_mesas_own_collect_does(replicates):
    """The Collector's pass a variable at a time appends what Mesa's collect appends."""
    from sim.engine.recorder import Collector

    fast = FlashpointModel("invasion-2022", replicates=replicates, seed=2)
    mesas = FlashpointModel("invasion-2022", replicates=replicates, seed=2)
    assert isinstance(fast.datacollector, Collector) and fast.datacollector._by_variable
    mesas.datacollector.collect = lambda model: mesa.DataCollector.collect(mesas.datacollector,
                                                                           model)
    fast.run_for(40)
    mesas.run_for(40)
    got = fast.datacollector.get_model_vars_dataframe()
    want = mesas.datacollector.get_model_vars_dataframe()
    assert len(got) == 41 and got.columns.tolist() == want.columns.tolist()
    pd.testing.assert_frame_equal(got, want, check_exact=True)
    assert all(type(v) is float for v in fast.datacollector.model_vars["tension_index"])


def test_run_for_and_step_record_every_step():
    m = FlashpointModel("baseline", replicates=5, seed=2)
    m.run_for(30)
    m.step()
    result_steps = m.recorder
    result_steps.flush()
    assert sum(len(b) for b in result_steps.qblocks) == 32  # steps 0..31
    assert m.steps == 31 and m.running


def test_running_turns_false_at_the_last_step(baseline):
    m = FlashpointModel(baseline.model_copy(update={"steps": 5}), replicates=2)
    m.run_model()
    assert m.steps == 5 and not m.running


def test_agents_expose_their_state_read_only():
    m = FlashpointModel("baseline", replicates=4, seed=1)
    m.run_for(6)
    russia = next(a for a in m.agents if a.name == "Russia")
    assert russia.deployment_troops.shape == (4,)
    np.testing.assert_array_equal(russia.deployment_troops,
                                  m.state.deployment_troops[m.topology.index["Russia"]])
    with pytest.raises(ValueError):
        russia.deployment_troops[0] = 0.0
    means = m.agents.agg("spending_pct_gdp", lambda rows: [float(np.mean(r)) for r in rows])
    assert len(means) == len(m.topology.names) and all(0 <= x < 40 for x in means)
    names = m.agents.get("name")
    assert names == list(m.topology.names)
    for v in VARIABLES:
        if v.level == "actor" and v.state:
            assert getattr(russia, v.name).shape == (4,), v.name


@pytest.mark.filterwarnings("ignore:.*is a lever:UserWarning")  # on purpose
def test_every_real_valued_parameter_varies_per_replicate(baseline):
    """Walk the parameter space: each path varies along the replicate axis without error, and a
    replicate run at one value equals a separate run with the value set in the scenario."""
    problem = parameter_space(baseline)
    assert problem["num_vars"] == len(problem["names"]) == len(problem["bounds"]) > 150
    R = 2
    for name, (lo, hi) in zip(problem["names"], problem["bounds"], strict=True):
        lo_, hi_ = max(lo, -5.0), min(hi, lo + 10.0 if np.isfinite(lo) else 5.0)
        values = np.array([lo_ + 0.25 * (hi_ - lo_), lo_ + 0.5 * (hi_ - lo_)])
        if name.endswith("spending_pct_gdp"):
            values = np.minimum(values, 3.0)  # below the fiscal ceiling
        if name.endswith("max_spending_pct"):
            values = np.array([12.0, 20.0])  # above every actor's spending
        if name.startswith("submodels.deterrence.w_"):
            values = np.array([0.0, 0.05])  # the four weights sum to at most 1
        m = FlashpointModel(baseline, replicates=R, seed=0, record="summary",
                            vary={name: values})
        m.run(3)
        m.check_finite()


def test_varied_replicate_equals_a_run_with_that_value():
    """Deterministic runs (no incidents): a replicate varied by choice (levers=) is the run with
    that value set (--set); structure (submodels) varies as vary=, the reference sharing it."""
    baseline = load_scenario("baseline", ["submodels.incidents.enabled=false"])
    cases = {"actors.NATO.posture.deployment_troops": [4530.0, 9060.0],
             "actors.Russia.military.spending_pct_gdp": [4.0, 5.0],
             "actors.Estonia.economy.gdp_usd_bn": [30.0, 40.0],
             "submodels.arms.depreciation_pct_yr": [6.0, 10.0],
             "submodels.decisions.pain_scale": [5.0, 20.0],
             "relations.NATO-Russia.tension": [50.0, 60.0]}
    for path, values in cases.items():
        kind = "vary" if path.startswith("submodels.") else "levers"
        r = run(baseline, replicates=2, seed=5, steps=24, record="full",
                **{kind: {path: np.array(values)}})
        section = path.split(".")
        setting = (f"relations.0.tension={values[1]}" if section[0] == "relations"
                   else f"{path}={values[1]}")
        if section[0] == "relations":
            assert baseline.relations[0].between == ("NATO", "Russia")
        one = run(load_scenario("baseline", ["submodels.incidents.enabled=false", setting]),
                  replicates=2, seed=5, steps=24, record="full")
        got = r.series("tension", "NATO-Russia", 1)
        want = one.series("tension", "NATO-Russia", 1)
        np.testing.assert_allclose(got.to_numpy(), want.to_numpy(), rtol=1e-5, err_msg=path)


def test_parameter_space_bounds_are_the_schemas():
    assert field_bounds(Doctrine, "memory") == (0.0, 0.999)
    assert "grievance" in real_fields(Doctrine)
    problem = parameter_space(load_scenario("baseline"))
    k = problem["names"].index("submodels.threat.forces_ref")
    assert problem["bounds"][k] == [100.0, 1e7]
    assert "actors.NATO.posture.deployment_troops" in problem["names"]


def test_vary_rejects_values_outside_the_schema(baseline):
    with pytest.raises(ValueError, match="within"):
        FlashpointModel(baseline, replicates=2, vary={"submodels.threat.forces_ref": [1.0, 2.0]})
    with pytest.raises(ValueError, match="finite"):
        FlashpointModel(baseline, replicates=2, vary={"actors.NATO.doctrine.memory": [np.nan, 0.5]})


def test_outcomes_one_row_per_replicate_with_the_varied_parameters(baseline):
    values = np.array([0.0, 0.5, 1.0, 2.0])
    r = run(baseline, replicates=4, seed=3, steps=36, record="summary",
            vary={"actors.Russia.doctrine.threat_sensitivity": values})
    o = r.outcomes
    assert len(o) == 4 and list(o["replicate"]) == [0, 1, 2, 3]
    np.testing.assert_array_equal(o["actors.Russia.doctrine.threat_sensitivity"], values)
    assert (o["NATO-Russia.peak_tension"] >= o["NATO-Russia.final_tension"] - 1e-9).all()
    assert o["NATO-Russia.highest_rung"].between(0, 6).all()
    months = o[[c for c in o.columns if c.startswith("NATO-Russia.months_at.")]].sum(axis=1)
    assert (months == 36).all()
    assert {"Estonia.min_deterrence_margin", "Russia.final_spending_pct_gdp"} <= set(o.columns)
    # the summary's P(highest rung >= k) is the outcomes' share
    reach = r.summary_dict()["pairs"]["NATO-Russia"]["p_highest_rung_at_least"]
    assert reach["diplomatic crisis"] == pytest.approx((o["NATO-Russia.highest_rung"] >= 2).mean())


def test_result_does_not_keep_the_model(baseline):
    import sim.engine.runner as runner

    made = []
    original = runner.FlashpointModel

    class Tracked(original):
        def __init__(self, *args, **kwargs):
            super().__init__(*args, **kwargs)
            made.append(weakref.ref(self))

    runner.FlashpointModel = Tracked
    try:
        r = run(baseline, replicates=3, steps=12)
    finally:
        runner.FlashpointModel = original
    gc.collect()
    assert made and made[0]() is None
    assert len(r.timeseries) > 0 and len(r.outcomes) == 3


def test_vary_checks_the_schemas_cross_field_rules(baseline):
    from sim import load_scenario

    plain = load_scenario("baseline", calibration={})  # nothing drawn that could give way
    with pytest.raises(ValueError, match="p_serious"):
        FlashpointModel(plain, replicates=2, vary={"submodels.incidents.p_serious": [0.2, 0.95]})
    with pytest.raises(ValueError, match="fiscal|max_spending_pct"):
        FlashpointModel(plain, replicates=2,
                        vary={"actors.Russia.military.spending_pct_gdp": [5.0, 13.0]})
    with pytest.raises(ValueError, match="w_commitment"):
        FlashpointModel(plain, replicates=2, vary={"submodels.deterrence.w_tripwire": [0.3, 0.9]})
    # calibrated, the constants beside them are drawn, and a drawn value gives way to the run's
    m = FlashpointModel(baseline, replicates=2,
                        vary={"actors.Russia.military.spending_pct_gdp": [5.0, 24.5]})
    assert m.params.arms.max_spending_pct[1] >= 24.5
    with pytest.raises(ValueError, match="p_serious"):  # both of a rule's sides given: refused
        FlashpointModel(baseline, replicates=2, vary={"submodels.incidents.p_serious": [0.2, 0.95],
                                                      "submodels.incidents.p_high_risk": [0.1, 0.1]})


def test_state_holds_every_state_variable_of_the_registry():
    from dataclasses import fields

    from sim.engine.state import State
    from sim.scenario.schema import Posture
    from sim.variables import POLICY, POSTURES

    names = {f.name for f in fields(State)}
    for v in VARIABLES:
        assert (v.name in names) == v.state or v.name == "spending_pct_gdp", v.name
    assert set(POSTURES) <= set(Posture.model_fields)
    m = FlashpointModel("baseline", replicates=2)
    assert set(m.state.policy) == set(POLICY)
    assert m.state.initial is not None and m.state.initial.initial is None


def test_mesa_conventions_rng_and_iterations_give_different_runs():
    assert FlashpointModel("baseline", replicates=2, rng=7).seed == 7
    generator = np.random.default_rng(3)
    assert FlashpointModel("baseline", replicates=2, rng=generator).seed != \
        FlashpointModel("baseline", replicates=2).seed
    with pytest.raises(ValueError, match="seed or rng"):
        FlashpointModel("baseline", replicates=2, seed=1, rng=2)
    rows = pd.DataFrame(mesa.batch_run(FlashpointModel, parameters={"scenario": ["baseline"],
                                                                    "replicates": [3]},
                                       iterations=3, max_steps=6, number_processes=1,
                                       display_progress=False))
    final = rows[rows["Step"] == 6].groupby("RunId")["tension_index"].first()
    assert final.nunique() == 3  # three iterations, three runs (Mesa: rng None is fresh entropy)
    assert FlashpointModel("baseline", replicates=2).seed == load_scenario("baseline").seed


def test_mesa_scenario_object_coexists():
    from mesa.experimental.scenarios import Scenario as MesaScenario

    from sim.engine.model import MesaRun

    m = FlashpointModel("efp-doubled", replicates=2, seed=4)
    assert isinstance(m.scenario, MesaScenario) and m.spec.name == "efp-doubled"
    rebuilt = FlashpointModel(scenario=type(m.scenario)(), replicates=2, seed=4)  # a reset
    assert rebuilt.spec is m.spec
    own = FlashpointModel(scenario=MesaRun(flashpoint="baseline", rng=5, replicates=3))
    assert own.seed == 5 and own.R == 3 and own.spec.name == "baseline"
