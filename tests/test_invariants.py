"""Invariants every actor and pair must hold, on the shipped scenarios and on random doctrines."""

import numpy as np
from conftest import SCENARIOS
from hypothesis import given
from hypothesis import strategies as st

from sim import load_scenario
from sim.engine.model import FlashpointModel
from sim.variables import VARIABLES


def check_state(m: FlashpointModel) -> None:
    """Every state variable of the registry is finite and inside its declared range."""
    st = m.state
    for v in VARIABLES:
        if not v.state:
            continue
        arr = getattr(st, v.name)
        assert np.all(np.isfinite(arr)), v.name
        assert np.all((arr >= v.lo) & (arr <= v.hi)), (v.name, arr.min(), arr.max())
    for name, arr in st.arrays().items():
        assert np.all(np.isfinite(arr)), name
    assert np.all(st.gdp_usd_bn > 0)
    assert st.rung.dtype == np.int8
    assert np.all(st.milex_usd_bn <= m.params.arms.max_spending_pct / 100 * st.gdp_usd_bn
                  * (1 + 1e-12))


def run_checked(sc, R, steps, seed=0):
    m = FlashpointModel(sc, replicates=R, seed=seed, record="summary")
    check_state(m)
    thr = m.thresholds
    h = m.params.escalation.hysteresis
    for _ in range(steps):
        old = m.state.rung.copy()
        m.step()
        check_state(m)
        new = m.state.rung.astype(int)
        d = new - old
        # a rung is entered only with tension at or above its threshold, left only below the
        # threshold minus hysteresis, and at most one rung plus one miscalculation a step
        assert np.all(np.abs(d) <= 2)
        up = d > 0
        assert np.all(m.state.tension[up] >= thr[new[up]])
        down = d < 0
        assert np.all(m.state.tension[down] < thr[old[down].astype(int)] - h)
    return m


def test_invariants_baseline():
    run_checked(load_scenario(SCENARIOS / "baseline.yaml"), R=64, steps=120)


def test_invariants_invasion():
    run_checked(load_scenario(SCENARIOS / "invasion-2022.yaml"), R=64, steps=120)


def test_baseline_is_near_stationary_without_shocks():
    """The calibrated baseline starts in steady state: without incidents and shocks only the
    slow erosion of arms-control regimes at tension above 50 moves it (by design)."""
    sc = load_scenario(SCENARIOS / "baseline.yaml", ["submodels.incidents.enabled=false",
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
def test_invariants_hold_for_any_valid_doctrine(d, who, reading, seed):
    sets = [f"actors.{who}.doctrine.{k}={v!r}" for k, v in d.items()]
    sets.append(f"submodels.threat.reading={reading}")
    sc = load_scenario(SCENARIOS / "invasion-2022.yaml", sets)
    run_checked(sc, R=4, steps=90, seed=seed)
