"""The compiled kernels against the equations they compile and against plain Python.

Every submodel equation a kernel uses is compiled from the submodel's own function
(:func:`sim.kernels.compiled`): here each compiled equation, called on scalars, must give bit for
bit what the submodel's function gives on NumPy arrays (which the closed-form tests in
``test_submodels.py`` check). And a whole run with the kernels compiled must equal, byte for
byte, the same run with ``NUMBA_DISABLE_JIT=1`` (the kernels as plain Python).
"""

import importlib
import inspect
import json
import os
import pkgutil
import subprocess
import sys

import numpy as np
import pytest
from numba.core.registry import CPUDispatcher
from numerics import same_equation, submodel_values

import sim
import sim.kernels
from sim import load_scenario, run

EQUATIONS = sorted(
    {(name, getattr(module, name)) for module in (
        importlib.import_module(f"sim.kernels.{info.name}")
        for info in pkgutil.iter_modules(sim.kernels.__path__))
     for name in dir(module)
     if isinstance(getattr(module, name), CPUDispatcher)
     and getattr(module, name).py_func.__module__.startswith("sim.submodels.")
     # the random streams take 32-bit words, not the model's reals: tests/test_streams.py
     and getattr(module, name).py_func.__module__ != "sim.submodels.streams"},
    key=lambda item: item[1].py_func.__qualname__ + item[0])


def test_every_kernel_module_compiles_some_submodel_equation():
    sources = {d.py_func.__module__ for _, d in EQUATIONS}
    assert {"sim.submodels.incidents", "sim.submodels.threat", "sim.submodels.posture",
            "sim.submodels.richardson", "sim.submodels.sanctions", "sim.submodels.deterrence",
            "sim.submodels.tension", "sim.submodels.diplomacy"} <= sources


@pytest.mark.parametrize("name, compiled", EQUATIONS,
                         ids=[f"{d.py_func.__module__.split('.')[-1]}.{n}" for n, d in EQUATIONS])
def test_compiled_equation_is_the_submodels_function(name, compiled):
    rng = np.random.default_rng(7)
    params = inspect.signature(compiled.py_func).parameters.values()
    size = 64
    arrays = []
    for p in params:
        if p.annotation in ("bool", bool):
            arrays.append(bool(rng.integers(2)))
        elif p.annotation in ("int", int):  # rungs and counts
            arrays.append(rng.integers(0, 7, size=size))
        else:  # positive and negative values, some zero, as the model meets them
            values = rng.normal(size=size) * rng.choice([0.1, 1.0, 50.0], size=size)
            values[rng.random(size) < 0.1] = 0.0
            arrays.append(np.abs(values) + 0.05 if p.name.endswith(("ref", "troops", "scale",
                                                                     "span", "max_rate"))
                          else values)
    with np.errstate(all="ignore"):
        want = compiled.py_func(*arrays)
    want = want if isinstance(want, tuple) else (want,)
    for k in range(size):
        got = compiled(*(a[k] if isinstance(a, np.ndarray) else a for a in arrays))
        got = got if isinstance(got, tuple) else (got,)
        for g, w in zip(got, want, strict=True):
            w = np.broadcast_to(w, (size,))[k]
            assert same_equation(g, w), (name, k, g, w)


SCRIPT = """
import json, sys
from sim import load_scenario, run
r = run(load_scenario(sys.argv[1]), seed=3, replicates=4, steps=18)
print(json.dumps(r.timeseries["value"].tolist()))
"""


@pytest.mark.parametrize("scenario", ["invasion-2022", "russia-china"])
def test_compiled_run_equals_the_kernels_as_plain_python(scenario):
    env = {**os.environ, "NUMBA_DISABLE_JIT": "1"}
    plain = subprocess.run([sys.executable, "-c", SCRIPT, scenario], env=env, check=True,
                           capture_output=True, text=True).stdout
    compiled = run(load_scenario(scenario), seed=3, replicates=4, steps=18)
    assert json.loads(plain) == compiled.timeseries["value"].tolist()


def test_compile_kernels_compiles_the_kernels_of_a_run():
    from sim.kernels import decisions, deterrence, incidents, pairs, threat

    took = sim.compile_kernels()
    assert took > 0.0
    for kernel in (decisions.decide, deterrence.belief, incidents.expected_counts,
                   pairs.diplomacy_step, threat.targets):
        assert kernel.signatures, kernel


def test_compile_kernels_says_nothing_when_the_cache_is_warm(capsys):
    import time

    sim.compile_kernels()
    assert sim.compile_kernels(announce=True) < 2.0
    time.sleep(2.2)  # past the announcement's delay: it was cancelled
    assert "compiling" not in capsys.readouterr().err


def test_after_compile_kernels_no_kernel_is_cold():
    from sim.engine import warm

    sim.compile_kernels()
    assert warm.cold_kernels() == []  # else every run would start the compiling child again
    assert set(warm.SECOND) < set(warm.kernels())


def test_compile_kernels_with_the_compiler_switched_off():
    env = {**os.environ, "NUMBA_DISABLE_JIT": "1"}
    done = subprocess.run([sys.executable, "-c", "import sim; from sim.engine import warm; "
                           "sim.compile_kernels(); print(warm.cold_kernels())"], env=env,
                          capture_output=True, text=True, timeout=300)
    assert done.returncode == 0, done.stderr
    assert done.stdout.strip() == "[]"


def test_a_run_with_every_kernel_plain_equals_the_compiled_run():
    from numba.core.registry import CPUDispatcher

    from sim.engine import warm
    from sim.kernels import views

    with warm.only_compiling(("views.activity",)):
        assert not isinstance(views.weighted, CPUDispatcher)
        assert isinstance(views.activity, CPUDispatcher)
        plain = run(load_scenario("invasion-2022"), seed=3, replicates=3, steps=6)
    assert isinstance(views.weighted, CPUDispatcher)  # restored
    compiled = run(load_scenario("invasion-2022"), seed=3, replicates=3, steps=6)
    assert plain.timeseries["value"].tolist() == compiled.timeseries["value"].tolist()


@pytest.mark.slow
def test_a_first_ever_run_says_it_compiles_and_then_runs(tmp_path):
    env = {**os.environ, "NUMBA_CACHE_DIR": str(tmp_path / "numba")}
    exe = os.path.join(os.path.dirname(sys.executable), "flashpoint")
    done = subprocess.run([exe, "run", "baseline", "-R", "3", "--steps", "6", "--no-plot",
                           "--out", str(tmp_path / "out")], env=env, capture_output=True,
                          text=True, timeout=600)
    assert done.returncode == 0, done.stderr
    assert "compiling the model's kernels" in done.stderr
    assert (tmp_path / "out" / "timeseries.csv").is_file()
    # the two processes' halves are all in the cache: a second run compiles nothing
    again = subprocess.run([sys.executable, "-c", "from sim.engine import warm; "
                            "print(len(warm.cold_kernels()))"], env=env, capture_output=True,
                           text=True, timeout=600, check=True)
    assert again.stdout.strip() == "0"


def test_view_kernels_agree_with_the_array_code():
    from sim.kernels import views
    from sim.submodels import sanctions

    rng = np.random.default_rng(5)
    N, R = 7, 301
    s = rng.random((N, R))
    s[2] = 0.0
    for west in (np.array([1, 1, 0, 1, 0, 0, 1], bool), np.ones(N, bool)):
        out = np.empty_like(s)
        views.pressure(s, west, out)
        assert np.array_equal(out, sanctions.pressure(s, west))
        sectors, mean = views.pressures(s, s[::-1].copy(), s * 0.5, west)
        for k, sector in enumerate((s, s[::-1], s * 0.5)):
            assert np.array_equal(sectors[k], sanctions.pressure(sector, west))
        assert np.array_equal(mean, sanctions.mean_intensity(*sectors))
    west = np.array([1, 1, 0, 1, 0, 0, 1], bool)
    top = views.bloc_max(s, west)
    assert np.array_equal(top[west], np.broadcast_to(s[west].max(axis=0), top[west].shape))
    assert np.array_equal(top[~west], np.broadcast_to(s[~west].max(axis=0), top[~west].shape))
    weights = rng.random((4, N)) * (rng.random((4, N)) < 0.5)
    np.testing.assert_allclose(views.weighted(weights, s), weights @ s, rtol=1e-14, atol=0)


# ---- NumPy's samplers, compiled: the same values and the same stream after -----------------------
def _same_stream_after(a: np.random.Generator, b: np.random.Generator) -> bool:
    return a.bit_generator.state == b.bit_generator.state


def test_larger_and_smaller_are_pythons_max_and_min_nan_and_signed_zeros_included():
    from sim.kernels import larger, smaller

    nan = float("nan")
    values = [nan, -np.inf, -1.5, -0.0, 0.0, 2.0, np.inf]
    for a in values:
        for b in values:
            for ours, theirs in ((larger, max), (smaller, min)):
                got, want = ours(a, b), theirs(a, b)
                assert (np.isnan(got) and np.isnan(want)) or (
                    got == want and np.signbit(got) == np.signbit(want)), (ours, a, b, got, want)


@pytest.mark.parametrize("count", [False, True])
def test_recorded_outcomes_kernel_is_the_numpy_updates(count):
    """The recorder's running outcomes (kernels/record.py) against the NumPy calls they replace:
    NaN wins a running extreme as in np.maximum/np.minimum, and the uint16 rung counts wrap."""
    from sim.kernels.record import outcomes_step

    rng = np.random.default_rng(5)
    P, K, F, R = 3, 7, 2, 257
    index, tension, margin = rng.normal(size=R), rng.normal(size=(P, R)), rng.normal(size=(F, R))
    index[3], tension[1, 7], margin[0, 9] = np.nan, np.nan, np.nan
    rung = rng.integers(0, K, size=(P, R)).astype(np.int8)
    incidents = rng.poisson(0.5, size=(P, R)).astype(float)
    state = {"peak_index": rng.normal(size=R), "peak_pair": rng.normal(size=(P, R)),
             "max_rung": rng.integers(0, K, size=(P, R)).astype(np.int8),
             "rung_steps": rng.integers(0, 2**16, size=(P, K, R)).astype(np.uint16),
             "incident_total": rng.random((P, R)), "min_margin": rng.normal(size=(F, R))}
    state["peak_pair"][2, 4] = np.nan
    state["rung_steps"][0, rung[0, 0], 0] = 2**16 - 1  # counted this step: wraps to 0
    want = {k: v.copy() for k, v in state.items()}
    np.maximum(want["peak_index"], index, out=want["peak_index"])
    np.maximum(want["peak_pair"], tension, out=want["peak_pair"])
    np.maximum(want["max_rung"], rung, out=want["max_rung"])
    if count:
        for k in range(K):
            want["rung_steps"][:, k, :] += rung == k
        want["incident_total"] += incidents
    np.minimum(want["min_margin"], margin, out=want["min_margin"])
    # first steps: -1 where not yet reached; rungs above the old highest up to the new are now
    first = np.where(np.arange(K)[None, :, None] <= state["max_rung"][:, None, :], 5, -1)
    first = first.astype(np.int32)
    want_first = first.copy()
    passed = ((np.arange(K)[None, :, None] > state["max_rung"][:, None, :])
              & (np.arange(K)[None, :, None] <= rung[:, None, :]))
    want_first[passed] = 9
    outcomes_step(state["peak_index"], index, state["peak_pair"], tension, state["max_rung"],
                  rung, state["rung_steps"], state["incident_total"], incidents,
                  state["min_margin"], margin, count, first, 9)
    assert passed.any() and np.array_equal(first, want_first)
    for name in state:
        assert state[name].tobytes() == want[name].tobytes(), name
    assert state["rung_steps"][0, rung[0, 0], 0] == (0 if count else 2**16 - 1)


def test_switch_states_and_first_column_check_are_the_numpy_expressions():
    """The event log's compiled checks (kernels/record.py) against the NumPy they replace."""
    from sim.kernels.record import any_change_in_first_columns, any_in_first_columns, switch_states

    rng = np.random.default_rng(9)
    K, N, R, E = 4, 3, 50, 7
    values = tuple(rng.random((N, R)) for _ in range(K))
    values[1][2, 3] = 0.5  # on at exactly 0.5
    want = np.stack([v[:, :E] >= 0.5 for v in values])
    out = np.empty((K, N, E), dtype=np.bool_)
    assert not switch_states(values, want.copy(), out)
    assert (out == want).all() and out[1, 2, 3]
    changed = want.copy()
    changed[2, 0, E - 1] = ~changed[2, 0, E - 1]
    assert switch_states(values, changed, out)
    counts = tuple(np.zeros((N, R), dtype=np.int64) for _ in range(3))
    assert not any_in_first_columns(counts, E)
    counts[2][1, E] = 1  # just past the logged replicates
    assert not any_in_first_columns(counts, E)
    assert any_in_first_columns(counts, E + 1)
    counts[0][2, E - 1] = 2
    assert any_in_first_columns(counts, E)
    assert not any_in_first_columns(counts, 0)
    old = rng.integers(0, 7, size=(N, R)).astype(np.int8)
    new = old.copy()
    assert not any_change_in_first_columns(old, new, E)
    new[1, E] += 1  # just past the logged replicates
    assert not any_change_in_first_columns(old, new, E)
    assert any_change_in_first_columns(old, new, E + 1)
    assert any_change_in_first_columns(old, new, R + 5) == bool((old != new).any())


def test_parameters_are_named_tuples_of_replicate_arrays_generated_from_the_schema():
    """Issue 23, item 3: each submodel's parameters a named tuple of (R,) float arrays, fields
    in the schema's order, built once a run, the varied values in place; nothing kept in the
    model's __dict__ beside its declared attributes."""
    import typing

    from sim import FlashpointModel, load_scenario
    from sim.kernels.parameters import VALUES, DoctrineValues
    from sim.scenario.fields import real_fields
    from sim.scenario.schema import Doctrine, Submodels

    # uncalibrated: no constant is drawn from a prior, so the unvaried ones are the scenario's
    m = FlashpointModel(load_scenario("baseline", calibration={}), replicates=3, seed=1,
                        vary={"submodels.threat.forces_ref": [4000.0, 5000.0, 6000.0]})
    for name in Submodels.model_fields:
        values = getattr(m.params, name)
        assert type(values) is VALUES[name]
        assert values._fields == tuple(real_fields(typing.get_type_hints(Submodels)[name]))
        for field in values._fields:
            array = getattr(values, field)
            assert array.shape == (3,) and array.dtype == np.float64
            assert array.flags.c_contiguous
    assert m.params.threat.forces_ref.tolist() == [4000.0, 5000.0, 6000.0]
    assert m.params.escalation.hysteresis.tolist() == [m.spec.submodels.escalation.hysteresis] * 3
    assert type(m.params.doctrine) is DoctrineValues
    assert m.params.doctrine._fields == tuple(real_fields(Doctrine))
    assert m.params.doctrine.memory.shape == (len(m.spec.actors), 3)
    params, rates = m.params, m.rates
    m.run_for(3)
    assert m.params is params and m.rates is rates  # built once a run
    assert not any("kernel" in key or "cache" in key for key in m.__dict__)
    with pytest.raises(AttributeError):  # read-only: a change goes through set_parameters
        m.params.tension.relaxation = np.zeros(3)


def test_a_parameter_changed_between_steps_takes_effect():
    """set_parameters rebuilds the parameters and the rates derived from them (the monthly
    rates over a step, the challenger's risk factor): the run changes from the next step."""
    from sim import FlashpointModel

    def after(path: str = "", value: float = 0.0) -> np.ndarray:
        m = FlashpointModel("invasion-2022", replicates=50, seed=8, record="summary")
        m.run_for(6)
        if path:
            m.set_parameters({path: value})
        m.run_for(6)
        return np.concatenate([m.state.tension, m.state.deterrence_margin])

    unchanged = after()
    for change in (("submodels.tension.relaxation", 0.9), ("submodels.escalation.risk_weight", 1.5),
                   ("submodels.deterrence.memory", 0.2), ("submodels.threat.trust_rate", 0.9)):
        assert not np.array_equal(after(*change), unchanged), change
    m = FlashpointModel("invasion-2022", replicates=2, seed=8, record="summary")
    with pytest.raises(ValueError, match="within"):
        m.set_parameters({"submodels.tension.relaxation": 7.0})


@pytest.mark.parametrize("seed", [1, 2, 3])
def test_ladder_kernel_is_the_rung_step_then_the_miscalculation_on_its_stream(seed):
    """The compiled ladder: ladder.step, then ladder.miscalculate on the pairs where a high-risk
    incident meets a rung in [3, 6), each with uniform 0 of its pair's ladder stream for its
    replicate at this step (sim.submodels.streams)."""
    from sim.kernels.escalation import ladder_step
    from sim.submodels import ladder, streams

    gen = np.random.default_rng(seed)
    P, R = 7, 400
    thresholds = np.array([-np.inf, 20.0, 35.0, 50.0, 65.0, 80.0, 90.0, np.inf])
    rung = gen.integers(0, 7, (P, R)).astype(np.int8)
    tension = gen.uniform(0, 100, (P, R))
    high = gen.poisson(0.4, (P, R))
    hysteresis = np.full(R, 3.0)
    prob = gen.uniform(0.05, 0.9, R)
    k0, k1 = streams.key_of(seed)
    replicates = np.arange(100, 100 + R, dtype=np.uint64)
    ids = np.array([streams.stream_id(f"ladder:{k}") for k in range(P)], dtype=np.uint64)
    step = np.uint64(5)
    expect_tension = tension.copy()
    expect = ladder.step(rung, tension, thresholds, 3.0, highest=4)
    live = np.nonzero((high > 0) & (expect >= 3) & (expect < 6))
    assert live[0].size > 20
    u = streams.uniform(k0, k1, replicates[live[1]], ids[live[0]], step, np.uint64(0))
    new, t = ladder.miscalculate(expect[live], expect_tension[live], high[live], thresholds,
                                 prob[live[1]], u, 4)
    expect[live] = new
    expect_tension[live] = t
    got_tension = tension.copy()
    values = submodel_values("escalation", R, hysteresis=hysteresis, miscalculation=prob)
    got = ladder_step(k0, k1, replicates, ids, step, rung, got_tension, thresholds, 4, high, 3, 6,
                      values)
    assert np.array_equal(got, expect) and np.array_equal(got_tension, expect_tension)
    assert (got != ladder.step(rung, tension, thresholds, 3.0, highest=4)).any()  # some tipped
    # no incidents: the rung step alone
    plain = ladder_step(k0, k1, replicates, ids, step, rung, tension.copy(), thresholds, 4,
                        np.zeros((0, 0), dtype=np.int64), 3, 6, values)
    assert np.array_equal(plain, ladder.step(rung, tension, thresholds, 3.0, highest=4))


def test_recovery_kernel_is_the_numpy_partial_adjustment_and_sectors_are_one_array():
    """external's compiled recovery is x + r (x* - x) bit for bit (NaN kept); the sanctions
    lag takes the pressures' own (3, N, R) array, whose rows are the state's three sectors."""
    from sim.engine import phases
    from sim.engine.model import FlashpointModel
    from sim.kernels.decisions import recover

    gen = np.random.default_rng(5)
    current, policy = gen.uniform(0, 1, (2, 8, 300))
    current[3, 7] = np.nan
    rate = gen.uniform(0, 1, 300)
    got = recover(current, policy, rate)
    assert np.array_equal(got, current + rate * (policy - current), equal_nan=True)
    m = FlashpointModel("sanctions-fatigue", replicates=20, seed=1)
    m.step()
    st = m.state
    stack = phases.sanctions_stack(m)
    assert stack.shape == (3, m.topology.N, 20)
    for k, name in enumerate(("finance", "energy", "defence")):
        assert getattr(st, f"sanctions_pressure_{name}").base is stack
        assert np.array_equal(stack[k], getattr(st, f"sanctions_pressure_{name}"))
    st.sanctions_pressure_energy = st.sanctions_pressure_energy * 1.0  # no longer a view
    again = phases.sanctions_stack(m)
    assert again is not stack and np.array_equal(again, stack)


def test_the_warm_up_run_calls_every_kernel(monkeypatch):
    """compile_kernels() compiles what its two-step run calls: that must be every kernel, or a
    kernel stays cold after it (and each run would start the compiling child again)."""
    from sim.engine import warm

    called = set()
    for name, k in warm.kernels().items():
        def spy(*args, _kernel=k, _name=name, **kwargs):
            called.add(_name)
            return _kernel(*args, **kwargs)

        monkeypatch.setattr(sys.modules[k.py_func.__module__], k.py_func.__name__, spy)
    warm.two_steps()
    assert sorted(set(warm.kernels()) - called) == []


KERNEL_ARITHMETIC = {
    # reductions over actors (the topology's weighted sums, counts and the bloc products of
    # sanctions.pressure, checked against the array code in test_view_kernels_agree...)
    ("weighted", "out[m, r] += w * x[k, r]"), ("weighted", "w * x[k, r]"),
    ("rows_sum", "count += 1"), ("rows_sum", "total[r] += x[i, r]"),
    ("pressure", "1.0 - (keep_east[r] if west[i] else keep_west[r])"),
    ("pressure", "keep_west[r] * (1.0 - sanctions_sector[i, r])"),
    ("pressure", "keep_east[r] * (1.0 - sanctions_sector[i, r])"),
    ("pressure", "1.0 - sanctions_sector[i, r]"),
    ("spending", "rivals_milex[r] += rivals[i, j] * milex[j, r]"),
    ("spending", "rivals[i, j] * milex[j, r]"),
    ("margin", "count += 1"),
    ("margin", "shortfall[r] += shortfall_of(out[f, r], ep.decision_scale[r])"),
    ("margin", "attacker[r] += attacking_force(\n                    deployment[i, r], "
               "exercises[i, r], p.exercise_share[r],\n                    force_quality("
               "capability[i, r], capability0[i, r], p.quality_elasticity[r]))"),
    # a probe's impulse added to its pair's (as incidents and protests add theirs)
    ("decide_force", "impulse[k, r] += p.probe_impulse[r]"),
    # changes since the start or the last step, and a pair's two sides, as an equation's input
    ("diplomacy_step", "threat[a, r] - previous_threat[a, r]"),
    ("decide", "threat[r] - threat0[r]"), ("decide", "loss[r] - loss0[r]"),
    ("decide", "hybrid[r] - hybrid0[r]"),
    ("raw_target", "hybrid[a, r] + hybrid[b, r]"),
    ("expected_counts", "readiness[a, r] + readiness[b, r]"),
    ("expected_counts", "hybrid[a, r] + hybrid[b, r]"),
    # index arithmetic: arcs P + k, pairs a % P, rungs here + 1
    ("cooperation", "a % P"), ("raw_target", "P + k"), ("diplomacy_step", "A // 2"),
    ("diplomacy_step", "P + k"), ("ladder_step", "here + 1"),
}
"""Every line of arithmetic the model's kernels write themselves: reductions, changes, sums of a
pair's two sides, indices. Everything else is a submodel's equation (compiled from it and checked
above against its NumPy form): a new formula in a kernel fails this test."""


def test_kernels_hold_no_arithmetic_but_reductions_changes_and_indices():
    """Issue 23, item 2: the model's arithmetic lives in sim.submodels."""
    import ast
    from pathlib import Path

    found = set()
    for name in ("views", "threat", "pairs", "economy", "arms", "deterrence", "decisions",
                 "incidents", "escalation"):
        source = (Path(sim.kernels.__file__).parent / f"{name}.py").read_text()
        for fn in ast.parse(source).body:
            if not isinstance(fn, ast.FunctionDef):
                continue
            for node in ast.walk(fn):
                if isinstance(node, ast.BinOp | ast.AugAssign):
                    found.add((fn.name, ast.get_source_segment(source, node)))
    assert found - KERNEL_ARITHMETIC == set()
