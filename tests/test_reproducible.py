"""Seeded reruns byte for byte; seeds differ; R replicates ~ R runs of one."""

import numpy as np
import pytest
from scipy import stats

from sim import load_scenario, run
from sim.io.output import write_run


def _files(result, out):
    write_run(result, out, plot=False)
    return {f: (out / f).read_bytes() for f in ("timeseries.csv", "events.csv", "summary.json")}


def test_same_seed_is_byte_identical(tmp_path, invasion):
    a = _files(run(invasion, seed=7, replicates=20, steps=80), tmp_path / "a")
    b = _files(run(invasion, seed=7, replicates=20, steps=80), tmp_path / "b")
    assert a == b


def test_single_replicate_byte_identical(tmp_path, baseline):
    a = _files(run(baseline, seed=3, steps=60), tmp_path / "a")
    b = _files(run(baseline, seed=3, steps=60), tmp_path / "b")
    assert a == b


def test_different_seeds_differ(invasion):
    a = run(invasion, seed=1, replicates=5, steps=60).events
    b = run(invasion, seed=2, replicates=5, steps=60).events
    assert not a.equals(b)


@pytest.mark.slow
def test_one_run_of_R_matches_R_runs_of_one(simulate):
    """Distribution check: final NATO-Russia tension and incident totals from one run of R = 300
    against 300 runs of R = 1 (seeds 0..299). Two-sample KS test at alpha = 0.001 and means
    within 4 standard errors. Every replicate takes the best fit (a run of one would otherwise
    always take ensemble member 0, the batch every member in turn)."""
    sc = load_scenario("baseline", ["ensemble=false"])
    R, steps = 300, 36
    big = simulate(sc, seed=12345, replicates=R, steps=steps, record="summary")
    t_big = big.state.tension[0].copy()
    inc_big = big.recorder.incident_total.sum(axis=0)
    t_one, inc_one = [], []
    for s in range(R):
        m = simulate(sc, seed=s, replicates=1, steps=steps, record="summary")
        t_one.append(m.state.tension[0, 0])
        inc_one.append(m.recorder.incident_total.sum())
    for x, y in ((t_big, np.array(t_one)), (inc_big, np.array(inc_one))):
        assert stats.ks_2samp(x, y).pvalue > 1e-3
        se = np.sqrt(x.var(ddof=1) / R + y.var(ddof=1) / R)
        assert abs(x.mean() - y.mean()) < 4 * se


@pytest.mark.parametrize("spare_core", [True, False])
def test_quantile_series_are_the_same_whichever_thread_sorts_them(monkeypatch, spare_core):
    """Large blocks are sorted by a second thread where there is a second core: same bytes."""
    from sim.engine import recorder

    def series() -> bytes:
        result = run("baseline", replicates=800, steps=60, seed=5)
        return result.array()[0].tobytes()

    monkeypatch.setattr(recorder, "_spare_core", lambda: spare_core)
    mine = series()
    monkeypatch.setattr(recorder, "OVERLAP_VALUES", 10**15)  # no thread: sorted in this one
    assert series() == mine
    for replicates in (801, recorder.SELECT_FROM, 3001):  # sorted in place, then selected
        block = np.random.default_rng(2).normal(size=(5, 7, replicates)).astype(np.float32)
        block[0, 0] = np.round(block[0, 0])  # ties
        assert np.array_equal(recorder.quantile_block(block.copy(), [5, 50, 95], overwrite=True),
                              recorder.quantile_block(block, [5, 50, 95]))


def test_quantile_series_are_the_same_whatever_the_block_of_steps(monkeypatch):
    """Large runs sort fewer steps at a time (recorder.chunk_steps): the same bytes, and the
    blocks bounded by BLOCK_VALUES whatever R."""
    from sim.engine import recorder

    assert recorder.chunk_steps(233, 200) == recorder.CHUNK
    assert recorder.chunk_steps(233, 10_000) == 4  # 9.3 million values a block, not 56
    assert recorder.chunk_steps(233, 10**6) == 1
    assert recorder.chunk_steps(0, 0) == recorder.CHUNK

    def series() -> bytes:
        result = run("baseline", replicates=9_000, steps=13, seed=5)  # rows past 8,192 (a buffer)
        return result.array()[0].tobytes()

    mine = series()  # blocks of 4 steps: t = 0 and 13 steps, 4 + 4 + 4 + 2
    monkeypatch.setattr(recorder, "BLOCK_VALUES", 10**12)  # one block of 13 steps
    assert series() == mine
    monkeypatch.setattr(recorder, "BLOCK_VALUES", 1)  # a block a step
    assert series() == mine


def test_kept_series_are_every_replicates_series_whatever_is_recorded():
    """``keep_series``: every replicate's values of the named series, the same bytes as
    ``record="full"`` keeps, in every record mode; the run itself unchanged."""
    import sim
    from sim.engine.recorder import series_name
    from sim.engine.runner import estimate_memory

    keep = ["tension_index", "NATO-Russia.tension", "Russia.deployment_troops",
            "Estonia.deterrence_margin", "NATO->Russia.perceived_threat"]
    full = run("invasion-2022", seed=3, replicates=12, steps=30, record="full", keep_series=keep)
    every, _ = full.array(every=True)  # (T, R, V)
    column = {series_name(*c): v for v, c in enumerate(full.columns)}
    for name in keep:
        assert full.kept_series[name].dtype == np.float32
        assert np.array_equal(full.kept_series[name], every[:, :, column[name]])
    plain = run("invasion-2022", seed=3, replicates=12, steps=30, record="summary")
    for mode in ("summary", "quantiles"):
        kept = run("invasion-2022", seed=3, replicates=12, steps=30, record=mode,
                   keep_series=keep[::-1])
        assert list(kept.kept_series) == keep[::-1]
        for name in keep:
            assert np.array_equal(kept.kept_series[name], full.kept_series[name])
        assert kept.outcomes.equals(plain.outcomes)  # keeping series changes nothing else
    assert plain.kept_series == {}
    assert sim.series_names(load_scenario("baseline"))[:2] == ["tension_index",
                                                               "NATO.spending_pct_gdp"]
    with pytest.raises(ValueError, match=r"unknown series 'NATO\.tension'.*series_names"):
        run("baseline", replicates=2, steps=2, keep_series=["NATO.tension"])
    with pytest.raises(ValueError, match="named twice"):
        run("baseline", replicates=2, steps=2, keep_series=["tension_index"] * 2)
    sc = load_scenario("baseline")  # 4 bytes a replicate-step a series
    assert (estimate_memory(sc, "summary", kept_series=3) - estimate_memory(sc, "summary")
            == 3 * 4 * (sc.steps + 1) * sc.replicates)


def test_kept_series_grow_when_a_model_is_stepped_past_its_last_step():
    """A Mesa user stepping on past the scenario's end keeps every step."""
    from sim import FlashpointModel

    model = FlashpointModel("baseline", replicates=3, seed=1, record="summary",
                            keep_series=["tension_index"])
    steps = model.last_step + 5
    for _ in range(steps):
        model.step()
    kept = model.recorder.kept
    assert kept.shape == (1, steps + 1, 3)
    assert np.array_equal(kept[0, -1], model.tension_index.astype(np.float32))


def test_first_month_at_each_rung_is_where_the_rung_series_first_reaches_it():
    """outcomes' PAIR.first_month_at.RUNG: the first month the pair's recorded rung is RUNG or
    higher (-1 for never), checked against every replicate's rung series."""
    from sim import RUNGS
    from sim.engine.recorder import series_name

    full = run("invasion-2022", seed=4, replicates=40, record="full",
               keep_series=["NATO-Russia.rung", "Estonia-Russia.rung"])
    out = full.outcomes
    months = full.scenario.time_step_months
    reached_some = 0
    for pair in ("NATO-Russia", "Estonia-Russia"):
        rung = full.kept_series[f"{pair}.rung"]  # (T, R)
        for k, name in enumerate(RUNGS):
            at = rung >= k
            expect = np.where(at.any(axis=0), at.argmax(axis=0) * months, -1)
            got = out[f"{pair}.first_month_at.{name}"].fillna(-1).to_numpy(int)
            assert np.array_equal(got, expect), (pair, name)
            reached = out[f"{pair}.first_month_at.{name}"].notna().to_numpy()
            assert np.array_equal(reached, out[f"{pair}.highest_rung"].to_numpy() >= k)
            reached_some += int((got > 0).sum())
    assert reached_some > 0  # some rungs are first reached during the run, not at its start
    assert series_name("pair", "rung", "NATO-Russia") == "NATO-Russia.rung"


def test_full_recording_gives_the_quantile_series_of_quantile_recording():
    """record="full" summarises its stacked series in place: the same bytes as a run that kept
    only the quantile series, and its every-replicate array untouched by that."""
    from sim import run

    quantiles = run("invasion-2022", seed=4, replicates=1200, steps=20)  # selected (SELECT_FROM)
    full = run("invasion-2022", seed=4, replicates=1200, steps=20, record="full")
    before = full.array(every=True)[0].copy()
    assert full.array()[0].tobytes() == quantiles.array()[0].tobytes()
    assert full.array(every=True)[0].tobytes() == before.tobytes()
    assert full.array()[1] == quantiles.array()[1]
