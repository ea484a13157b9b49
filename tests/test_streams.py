"""Replicate-addressable random streams (issue 23, item 6): Philox4x32-10 against its published
test vectors, the compiled draws against the NumPy reference, and replicate k the same number
whether run in a batch, alone, in any sweep chunk or through any EMA evaluator."""

import numpy as np
import pandas as pd
import pytest
from numerics import submodel_values

import sim
from sim.kernels import streams as compiled
from sim.submodels import streams

U = np.uint64


@pytest.mark.parametrize(("counter", "key", "expect"), [
    ((0, 0, 0, 0), (0, 0), (0x6627E8D5, 0xE169C58D, 0xBC57AC4C, 0x9B00DBD8)),
    ((0xFFFFFFFF,) * 4, (0xFFFFFFFF,) * 2, (0x408F276D, 0x41C83B0E, 0xA20BC7C6, 0x6D5451FD)),
    ((0x243F6A88, 0x85A308D3, 0x13198A2E, 0x03707344), (0xA4093822, 0x299F31D0),
     (0xD16CFE09, 0x94FDCCEB, 0x5001E420, 0x24126EA1)),
])
def test_philox4x32_10_gives_random123s_known_answers(counter, key, expect):
    """Salmon et al. (2011)'s Random123 known-answer vectors, in NumPy and compiled."""
    args = (*map(U, counter), *map(U, key))
    assert tuple(int(w) for w in streams.philox4x32(*args)) == expect
    assert tuple(int(w) for w in compiled.philox_block(*args)) == expect


def test_compiled_uniforms_are_the_numpy_reference():
    k0, k1 = streams.key_of(2**40 + 17)
    replicates = np.arange(1000, 1300, dtype=np.uint64)
    stream = streams.stream_id("decisions")
    got = compiled.uniforms(k0, k1, replicates, stream, U(7), 5)
    for j in range(5):
        want = streams.uniform(k0, k1, replicates, stream, U(7), U(j))
        np.testing.assert_array_equal(got[j], want)
    assert 0.0 <= got.min() and got.max() < 1.0
    assert abs(got.mean() - 0.5) < 0.03 and abs(got.var() - 1 / 12) < 0.01


def test_uniforms_are_uniform_and_independent_across_replicates_streams_and_steps():
    from scipy import stats

    k0, k1 = streams.key_of(5)
    n = 200_000
    u = streams.uniform(k0, k1, np.arange(n, dtype=np.uint64), streams.stream_id("a"), U(0), U(0))
    assert stats.kstest(u, "uniform").pvalue > 1e-3
    v = streams.uniform(k0, k1, np.arange(n, dtype=np.uint64), streams.stream_id("a"), U(1), U(0))
    w = streams.uniform(k0, k1, np.arange(n, dtype=np.uint64), streams.stream_id("b"), U(0), U(0))
    for other in (v, w):
        assert abs(np.corrcoef(u, other)[0, 1]) < 5 / np.sqrt(n)


@pytest.mark.parametrize("lam", [0.05, 0.8, 4.0, 30.0, 800.0])
def test_poisson_draws_have_the_poisson_mean_and_variance(lam):
    k0, k1 = streams.key_of(9)
    R = 20_000
    low, ser, high = compiled.incidents_by_severity(
        k0, k1, np.arange(R, dtype=np.uint64), np.array([streams.stream_id("x")], dtype=U), U(2),
        np.full((1, R), lam), submodel_values("incidents", R, p_serious=0.275, p_high_risk=0.075))
    n = (low + ser + high)[0]
    assert abs(n.mean() - lam) < 5 * np.sqrt(lam / R)
    assert abs(n.var() / lam - 1) < 5 * np.sqrt(2 / R) + (0.02 if lam > 500 else 0)
    if n.sum() > 1000:
        assert abs(high.sum() / n.sum() - 0.075) < 5 * np.sqrt(0.075 * 0.925 / n.sum())


def test_replicate_k_is_the_same_in_a_batch_and_alone():
    batch = sim.run("invasion-2022", seed=3, replicates=40, record="full",
                    keep_series=["NATO-Russia.tension", "Estonia.deterrence_margin"])
    for k in (0, 17, 39):
        alone = sim.run("invasion-2022", seed=3, replicate_ids=[k], record="full",
                        keep_series=["NATO-Russia.tension", "Estonia.deterrence_margin"])
        pd.testing.assert_frame_equal(alone.outcomes.reset_index(drop=True),
                                      batch.outcomes.iloc[[k]].reset_index(drop=True))
        for name, series in alone.kept_series.items():
            np.testing.assert_array_equal(series[:, 0], batch.kept_series[name][:, k])
    # and a replicate numbered past the batch: replicate 4,711 of a run of 10,000
    one = sim.run("baseline", seed=1, replicate_ids=[4711], steps=24, record="summary")
    assert one.outcomes["replicate"].tolist() == [4711]
    part = sim.run("baseline", seed=1, replicate_ids=np.arange(4700, 4720), steps=24,
                   record="summary")
    pd.testing.assert_frame_equal(one.outcomes.reset_index(drop=True),
                                  part.outcomes.iloc[[11]].reset_index(drop=True))


def test_the_command_line_replays_a_replicate(tmp_path):
    import json

    from sim.cli import main

    assert main(["run", "baseline", "--steps", "12", "-R", "30", "--record", "summary", "-q",
                 "--out", str(tmp_path / "all")]) == 0
    assert main(["run", "baseline", "--steps", "12", "-R", "1", "--replicates-from", "21",
                 "--record", "summary", "-q", "--out", str(tmp_path / "one")]) == 0
    everything = pd.read_csv(tmp_path / "all" / "outcomes.csv")
    one = pd.read_csv(tmp_path / "one" / "outcomes.csv")
    pd.testing.assert_frame_equal(one, everything.iloc[[21]].reset_index(drop=True),
                                  check_dtype=False)  # a whole number reads back as an int
    assert json.loads((tmp_path / "one" / "provenance.json").read_text())["first_replicate"] == 21


def test_a_sweeps_numbers_do_not_depend_on_its_chunks(tmp_path):
    from analysis.sweeps import sweep

    text = ("name: s\nscenario: invasion-2022\nlevers:\n"
            "  actors.NATO.posture.deployment_troops: {values: [0, 3300, 6600]}\n"
            "uncertainties:\n  actors.Russia.doctrine.threat_sensitivity: {values: [0.5, 2.0]}\n"
            "sampler: grid\nreplicates: 5\nsteps: 36\n"
            "outcomes: [NATO-Russia.peak_tension, NATO-Russia.incidents]\n")
    runs = []
    for chunk in (1, 4):
        f = tmp_path / f"s{chunk}.yaml"
        f.write_text(text + f"chunk_points: {chunk}\n")
        runs.append(sweep(f, tmp_path / f"o{chunk}")[1])
    pd.testing.assert_frame_equal(runs[0], runs[1])


def test_ema_evaluators_give_the_vectorised_numbers():
    pytest.importorskip("ema_workbench")
    from analysis.ema import VectorisedEvaluator, ema_model, ema_name

    outcomes = ["NATO-Russia.peak_tension", "NATO-Russia.incidents"]
    model = ema_model("baseline", outcomes,
                      uncertainties={"actors.Russia.doctrine.threat_sensitivity": (0.5, 2.5)},
                      levers={"actors.NATO.posture.deployment_troops": (0, 13200)},
                      replicates=3)
    with VectorisedEvaluator(model) as ev:
        experiments, out = ev.perform_experiments(scenarios=2, policies=3, log_progress=False)
    for i in range(len(experiments)):  # what EMA's sequential and multiprocessing evaluators call
        row = experiments.iloc[i]
        one = model.function(**{n: row[n] for n in ("actors_NATO_posture_deployment_troops",
                                                     "actors_Russia_doctrine_threat_sensitivity")})
        for name in outcomes:
            assert one[ema_name(name)] == out[ema_name(name)][i]


def test_an_added_actor_changes_no_other_pairs_draws():
    """Streams are named after their pairs: with an actor added, the pairs both runs have draw
    the same numbers for the same rates."""
    base = sim.FlashpointModel("baseline", replicates=2, seed=1)
    more = sim.FlashpointModel("historical-2014", replicates=2, seed=1)  # Finland and Sweden too
    shared = [p for p in base.topology.pair_names if p in more.topology.pair_names]
    assert shared and len(more.topology.pair_names) > len(base.topology.pair_names)
    index = {p: k for k, p in enumerate(more.topology.pair_names)}
    for k, pair in enumerate(base.topology.pair_names):
        if pair in index:
            assert base.incident_streams[k] == more.incident_streams[index[pair]]
            assert base.ladder_streams[k] == more.ladder_streams[index[pair]]
    R = 1000
    lam = np.full((len(base.incident_streams), R), 0.9)
    lam_more = np.full((len(more.incident_streams), R), 0.9)
    args = (*streams.key_of(1), np.arange(R, dtype=U))
    shares = submodel_values("incidents", R, p_serious=0.275, p_high_risk=0.075)
    a = compiled.incidents_by_severity(*args, base.incident_streams, U(4), lam, shares)
    b = compiled.incidents_by_severity(*args, more.incident_streams, U(4), lam_more, shares)
    for k, pair in enumerate(base.topology.pair_names):
        if pair in index:
            for x, y in zip(a, b, strict=True):
                np.testing.assert_array_equal(x[k], y[index[pair]])


def test_the_explorer_replays_a_replicate():
    from analysis.explorer.model import ExplorerModel

    batch = sim.FlashpointModel("baseline", replicates=20, seed=3)
    one = ExplorerModel("baseline", replicates=1, seed=3, first_replicate=17, compare=False)
    for _ in range(12):
        batch.step()
        one.step()
    np.testing.assert_array_equal(one.state.tension[:, 0], batch.state.tension[:, 17])
    with pytest.raises(ValueError, match="first replicate"):
        ExplorerModel("baseline", replicates=1, first_replicate="x")
