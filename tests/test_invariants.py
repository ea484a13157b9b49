"""Invariants every actor and pair must hold, on the shipped scenarios and on random doctrines."""

import numpy as np
from hypothesis import given
from hypothesis import strategies as st

from sim import load_scenario


def test_invariants_baseline(run_checked):
    run_checked(load_scenario("baseline"), R=64, steps=120)


def test_invariants_invasion(run_checked):
    run_checked(load_scenario("invasion-2022"), R=64, steps=120)


def test_baseline_is_near_stationary_without_shocks(run_checked):
    """The calibrated baseline starts in steady state: without incidents and shocks only the
    slow erosion of arms-control regimes at tension above 50 moves it (by design)."""
    sc = load_scenario("baseline", ["submodels.incidents.enabled=false",
                                                     "events=[]"])
    m = run_checked(sc, R=1, steps=60)
    np.testing.assert_allclose(m.state.deployment_troops, m.state.policy["deployment_troops"], rtol=1e-3)
    np.testing.assert_allclose(m.state.exercises_troops, m.state.policy["exercises_troops"], rtol=1e-3)
    np.testing.assert_allclose(m.state.milex_usd_bn, m.state.initial.milex_usd_bn, rtol=1e-9)
    np.testing.assert_allclose(m.tension_index, 52.8, atol=0.3)


doctrine = st.fixed_dictionaries({
    "threat_sensitivity": st.floats(0, 10),
    "cost_sensitivity": st.floats(0, 10),
    "reciprocity": st.floats(0, 1),
    "memory": st.floats(0, 0.999),
    "risk_tolerance": st.floats(0, 1),
    "responsiveness": st.floats(0, 1),
    "commitment": st.floats(0, 1),
    "reaction": st.floats(0, 0.5),
    "fatigue": st.floats(0, 5),
})


@given(d=doctrine, who=st.sampled_from(["NATO", "Russia", "US", "EU", "Estonia"]),
       reading=st.sampled_from(["spiral", "deterrence"]), seed=st.integers(0, 2**32))
def test_invariants_hold_for_any_valid_doctrine(d, who, reading, seed, run_checked):
    sets = [f"actors.{who}.doctrine.{k}={v!r}" for k, v in d.items()]
    sets.append(f"submodels.threat.reading={reading}")
    sc = load_scenario("invasion-2022", sets)
    run_checked(sc, R=4, steps=90, seed=seed)
