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
    """The calibrated baseline starts in steady state: without incidents, shocks and the Wales
    pledges only the slow erosion of arms-control regimes at tension above 50 moves it (by
    design), and spending holds its share of a growing GDP."""
    no_pledges = [f"actors.{a}.military.pledge_pct_gdp=0"
                  for a in ("NATO", "Estonia", "Latvia", "Lithuania", "Poland")]
    sc = load_scenario("baseline", ["submodels.incidents.enabled=false", "events=[]",
                                    *no_pledges])
    m = run_checked(sc, R=1, steps=60)
    st = m.state
    np.testing.assert_allclose(st.deployment_troops, st.policy["deployment_troops"], rtol=1e-3)
    np.testing.assert_allclose(st.exercises_troops, st.policy["exercises_troops"], rtol=1e-3)
    # shares hold within 2 % (rivals growing at other rates move the Richardson reaction term)
    np.testing.assert_allclose(st.spending_pct_gdp, st.initial.spending_pct_gdp, rtol=2e-2)
    np.testing.assert_allclose(m.tension_index, 55.3, atol=0.5)  # its starting index


def test_pledges_raise_spending_towards_them(simulate):
    # the mechanism at the reasoned defaults (uncalibrated: no member's pledge rate drawn)
    m = simulate(load_scenario("baseline", ["submodels.incidents.enabled=false", "events=[]"],
                               calibration={}), steps=36)
    share = dict(zip(m.topology.names, m.state.spending_pct_gdp[:, 0], strict=True))
    assert 1.8 < share["Latvia"] < 2.0 and 1.8 < share["Lithuania"] < 2.0  # from ~1.5 %
    assert abs(share["US"] - 3.403) < 0.05  # no pledge gap: holds its share


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
