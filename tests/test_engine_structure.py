"""Issue 23, items 3 and 4: parameters by name, calibration as data, the equilibrium a pure function."""

import numpy as np
import pytest

import sim
from sim.engine.equilibrium import Equilibrium, equilibrium
from sim.engine.params import Params, rates
from sim.engine.topology import Topology
from sim.scenario.schema import CalibratedOn, Scenario


def test_a_loaded_scenario_carries_its_calibration_as_typed_data():
    assert Scenario.__private_attributes__ == {}
    sc = sim.load_scenario("efp-doubled")
    on = sc.calibrated_on
    assert isinstance(on, CalibratedOn)
    assert on.reference is not None and on.reference.name == "baseline"
    assert on.source == "shipped" and on.members and len(sc.ensemble_members) == len(on.members)
    assert isinstance(on.chosen_paths, frozenset)
    # not part of the file: neither dumped, nor in the JSON Schema, nor accepted from a file
    assert "calibrated_on" not in sc.model_dump()
    assert "calibrated_on" not in str(sim.json_schema())
    with pytest.raises(ValueError, match="not a scenario field"):
        Scenario.model_validate({**sc.model_dump(), "calibrated_on": {}})
    # the run settings keep it
    again = sim.with_run_settings(sc, seed=5)
    assert again.seed == 5 and again.calibrated_on is on
    plain = sim.load_scenario("baseline", with_reference=False)
    assert plain.calibrated_on.reference is None


def _inputs(name: str, R: int = 4):
    sc = sim.load_scenario(name, with_reference=False)
    sc = sc.model_copy(update={"ensemble": False})  # every replicate the best fit
    topo = Topology.from_scenario(sc)
    params = Params.build(sc, R)
    on = {k: getattr(sc.submodels, k).enabled for k in
          ("threat", "arms", "deterrence", "escalation", "incidents", "sanctions", "diplomacy",
           "external")}
    return sc, params, rates(params, sc.time_step_months, topo.challengers), topo, on


@pytest.mark.parametrize("name", ["baseline", "historical-2014"])
def test_the_equilibrium_is_a_pure_function_of_its_inputs(name):
    sc, params, step_rates, topo, on = _inputs(name)
    front = np.ones(topo.F, dtype=bool)
    first = equilibrium(sc, params, step_rates, topo, on, sc.time_step_months, front)
    second = equilibrium(sc, params, step_rates, topo, on, sc.time_step_months, front)
    assert isinstance(first, Equilibrium) and first.state is not second.state
    for field in ("tension_offset", "grievance", "auto_grievance", "capability_reference",
                  "previous_pressure", "thresholds"):
        assert np.array_equal(getattr(first, field), getattr(second, field))
    for key, value in first.state.arrays().items():
        assert np.array_equal(value, second.state.arrays()[key]), key
    # the starting state is a steady state: the tension target with its offset is the tension
    assert np.allclose(first.state.tension, first.state.initial.tension)
    # and a model built on the scenario adopts exactly it
    m = sim.FlashpointModel(sc, replicates=4, seed=1)
    assert np.array_equal(m.tension_offset, first.tension_offset)
    assert np.array_equal(m.state.initial.perceived_threat, first.state.perceived_threat)
