"""Issue 25, item 1: one registry of uncertain constants, read by parameter_space and sweeps."""

import typing

import numpy as np
import pytest

import sim
from sim.calibration.parameters import CALIBRATED
from sim.calibration.priors import SOURCED, Prior, priors, submodel_priors
from sim.scenario.fields import field_bounds, real_fields
from sim.scenario.schema import Submodels


def test_every_submodel_constant_has_a_prior_unless_it_is_off_by_default():
    hints = typing.get_type_hints(Submodels)
    have = {p.path for p in submodel_priors()}
    for name in Submodels.model_fields:
        model, defaults = hints[name], hints[name]()
        for field in real_fields(model):
            path = f"submodels.{name}.{field}"
            assert path in have or getattr(defaults, field) == 0, path


def test_each_prior_lies_inside_the_schema_and_says_why():
    sc = sim.load_scenario("baseline")
    registry = priors(sc)
    assert len(registry) > 100 and len({p.path for p in registry}) == len(registry)
    for p in registry:
        model_path = p.path.split(".")
        assert p.lo < p.hi and p.reason and p.unit, p
        if model_path[0] == "submodels":
            model = typing.get_type_hints(Submodels)[model_path[1]]
            lo, hi = field_bounds(model, model_path[2])
            assert lo <= p.lo and p.hi <= hi, p
        if p.distribution == "loguniform":
            assert p.lo > 0, p
    sourced = {p.path for p in registry if p.sourced}
    assert set(SOURCED) <= sourced
    assert {c.path for c in CALIBRATED} <= {p.path for p in registry}
    # the fitted ones carry their declared ranges
    for c in CALIBRATED:
        p = next(q for q in registry if q.path == c.path)
        assert (p.lo, p.hi) == (c.lo, c.hi)


def test_prior_sampling_and_density_are_the_closed_forms():
    flat = Prior("x", "uniform", 2.0, 6.0, "u", "r", True)
    assert flat.sample(np.array([0.0, 0.5, 1.0])).tolist() == [2.0, 4.0, 6.0]
    assert flat.density(np.array([1.0, 3.0])).tolist() == [0.0, 0.25]
    log = Prior("y", "loguniform", 1.0, 100.0, "u", "r", True)
    np.testing.assert_allclose(log.sample(np.array([0.0, 0.5, 1.0])), [1.0, 10.0, 100.0])
    # the density integrates to one
    x = np.linspace(1.0, 100.0, 200001)
    assert np.trapezoid(log.density(x), x) == pytest.approx(1.0, rel=1e-4)


def test_parameter_space_reads_the_registry():
    sc = sim.load_scenario("baseline")
    schema_space = sim.parameter_space(sc)
    prior_space = sim.parameter_space(sc, bounds="prior")
    names = schema_space["names"]
    assert names == prior_space["names"]
    w = names.index("submodels.threat.w_aggression")
    assert prior_space["bounds"][w] == [0.0, 3.0] and schema_space["bounds"][w] == [0.0, 3.0]
    scale = names.index("submodels.escalation.decision_scale")
    assert prior_space["bounds"][scale] == [0.03, 0.3]
    assert schema_space["bounds"][scale] == [0.01, 1.0]
    lever = names.index("actors.NATO.posture.deployment_troops")
    assert prior_space["bounds"][lever] == schema_space["bounds"][lever]  # a choice: no prior
    assert "actors.NATO.posture.deployment_troops" not in prior_space["priors"]
    assert prior_space["priors"]["submodels.escalation.decision_scale"]["distribution"] == \
        "loguniform"
    with pytest.raises(ValueError, match="schema.*prior"):
        sim.parameter_space(sc, bounds="wide")


def test_a_sweep_samples_an_uncertainty_from_its_prior(tmp_path):
    from analysis.sweeps import load_sweep
    from analysis.sweeps.samplers import sample

    f = tmp_path / "s.yaml"
    f.write_text("name: s\nscenario: baseline\nuncertainties:\n"
                 "  submodels.threat.w_aggression: {prior: true}\n"
                 "  submodels.escalation.decision_scale: {prior: true}\n"
                 "sampler: latin\nn: 400\nreplicates: 1\nsteps: 2\n"
                 "outcomes: [NATO-Russia.peak_tension]\n")
    spec, _ = load_sweep(f)
    drawn = sample(spec)
    w, s = drawn["submodels.threat.w_aggression"], drawn["submodels.escalation.decision_scale"]
    assert 0 <= w.min() and w.max() <= 3 and abs(w.mean() - 1.5) < 0.1
    assert 0.03 <= s.min() and s.max() <= 0.3
    assert abs(np.log(s).mean() - np.log(np.sqrt(0.03 * 0.3))) < 0.05  # uniform in the log
    lever = tmp_path / "l.yaml"
    lever.write_text("name: l\nscenario: baseline\nlevers:\n"
                     "  actors.NATO.posture.deployment_troops: {prior: true}\n"
                     "sampler: latin\nn: 4\nreplicates: 1\nsteps: 2\n"
                     "outcomes: [NATO-Russia.peak_tension]\n")
    with pytest.raises(sim.ScenarioError, match="lever is a choice"):
        load_sweep(lever)


def test_prior_draws_are_counter_based_and_match_the_reference_formula():
    """A prior draw is uniform 0 of the stream 'prior:<path>' at the reserved step under the
    seed's key for the replicate's number (sim.submodels.streams, the NumPy reference): the same
    in any batch and whatever other paths are drawn beside it."""
    import numpy as np

    from sim.calibration.priors import PRIOR_STEP, quantiles
    from sim.submodels import streams

    seeds, reps = np.array([5, 5, 2**40 + 7]), np.array([0, 9, 3])
    u = quantiles(["x.a", "x.b"], seeds, reps)
    for j, path in enumerate(["x.a", "x.b"]):
        for r in range(3):
            k0, k1 = streams.key_of(int(seeds[r]))
            w = streams.philox4x32(np.uint64(0), PRIOR_STEP, streams.stream_id(f"prior:{path}"),
                                   np.uint64(reps[r]), k0, k1)
            assert u[j, r] == streams.words_to_uniform(w[0], w[1])
    assert np.array_equal(quantiles(["x.b"], seeds[1:], reps[1:])[0], u[1, 1:])
    big = quantiles(["x.a"], np.full(20_000, 3), np.arange(20_000))[0]
    assert 0.0 <= big.min() and big.max() < 1.0 and abs(big.mean() - 0.5) < 0.01
