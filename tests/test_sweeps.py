"""Sweeps: samplers, byte-identical results whatever the execution, resume, analysis, bad files."""

from __future__ import annotations

import json
import math
import os
import re
import signal
import subprocess
import sys
import time
from pathlib import Path

import numpy as np
import pandas as pd
import pytest

import sim
from analysis.sensitivity import sobol_indices
from analysis.sweeps import SAMPLERS, SweepSpec, load_sweep, run_sweep, sample, sweep
from analysis.sweeps.samplers import count_points, points_per_chunk
from sim import ScenarioError
from sim.cli import main

ROOT = Path(__file__).resolve().parent.parent

SMALL = """name: small
scenario: baseline
levers:
  actors.NATO.posture.deployment_troops: {values: [3300, 6600]}
uncertainties:
  actors.Russia.doctrine.threat_sensitivity: {range: [0.5, 2.0], num: 3}
sampler: grid
seed: 7
replicates: 4
steps: 24
chunk_points: 2
outcomes: [NATO-Russia.peak_tension, Russia.final_deployment_troops,
           NATO-Russia.rung_at_least.confrontation with incidents]
"""


PATHS = SMALL + """trajectories:
  series: [tension_index, NATO-Russia.tension, Russia.deployment_troops]
  quantiles: [10, 50, 90]
"""
"""SMALL with per-point quantile trajectories."""


def write(tmp_path: Path, text: str, name: str = "s.yaml") -> Path:
    p = tmp_path / name
    p.write_text(text, encoding="utf-8")
    return p


def spec_of(sampler: str, **extra) -> SweepSpec:
    dims = {"a.x": {"range": [0.0, 2.0]}, "b.y": {"range": [10.0, 20.0]}}
    return SweepSpec.model_validate({"name": "t", "scenario": "baseline", "uncertainties": dims,
                                     "sampler": sampler, "n": 16, "seed": 3,
                                     "outcomes": ["probes"], **extra})


@pytest.mark.parametrize("sampler", SAMPLERS)
def test_samplers_cover_their_ranges_and_count_their_points(sampler):
    lever = {"range": [1.0, 3.0]} if sampler in ("sobol", "morris") else {"values": [1.0, 2.0,
                                                                                  3.0]}
    spec = spec_of(sampler, levers={"c.z": lever})
    pts = sample(spec)
    assert len(pts) == count_points(spec)
    assert pts["a.x"].between(0.0, 2.0).all() and pts["b.y"].between(10.0, 20.0).all()
    assert pts["c.z"].between(1.0, 3.0).all()
    assert pts.equals(sample(spec))  # seeded: the same file, the same points
    if sampler == "latin":  # one point in each of n strata of every dimension
        for col, (lo, hi) in (("a.x", (0, 2)), ("b.y", (10, 20))):
            strata = np.floor((pts[col] - lo) / (hi - lo) * 16).astype(int)
            assert sorted(strata) == list(range(16))
    if sampler == "grid":
        assert len(pts) == 3 * 5 * 5
    if sampler == "full-factorial":
        assert sorted(pts["c.z"].unique()) == [1.0, 2.0, 3.0] and len(pts) == 3 * 16
    if sampler == "sobol":
        assert len(pts) == 16 * (3 + 2)


def test_one_and_two_workers_write_identical_bytes(tmp_path):
    f = write(tmp_path, PATHS)
    one = run_sweep(f, tmp_path / "one", workers=1, progress=False)
    two = run_sweep(f, tmp_path / "two", workers=2, progress=False)
    for name in ("runs.parquet", "points.parquet", "sweep.yaml", "trajectories.parquet"):
        assert (one / name).read_bytes() == (two / name).read_bytes()
    runs = pd.read_parquet(one / "runs.parquet")
    assert len(runs) == 6 * 4 and list(runs["point"].unique()) == list(range(6))
    assert not (one / "chunks").exists()
    assert json.loads((one / "manifest.json").read_text())["complete"] is True


def test_the_workers_server_starts_before_the_sweep_is_read_only_when_workers_may_run(
        monkeypatch, tmp_path):
    """run_sweep and the command line start the fork server first (it loads the engine while the
    sweep is read and sampled), never for one worker or Dask, and a bad file still fails cleanly."""
    from analysis.sweeps import runner

    calls = []
    monkeypatch.setattr(runner, "_start_fork_server", lambda: calls.append("server"))
    monkeypatch.setattr(runner, "load_sweep", lambda *a: calls.append("read") or load_sweep(*a))
    monkeypatch.setattr(runner.sim, "available_cores", lambda: 2)
    f = write(tmp_path, SMALL)
    run_sweep(f, tmp_path / "one", workers=1, progress=False)
    runner.start_workers(None, "local")
    assert calls == ["read"]
    calls.clear()
    run_sweep(f, tmp_path / "auto", workers=None, progress=False)  # small: runs in this process
    assert calls == ["server", "read"]  # the server first, then the file is read
    calls.clear()
    runner.start_workers(None, None)
    runner.start_workers(2, None)
    assert calls == ["server", "server"]
    monkeypatch.setattr(runner.sim, "available_cores", lambda: 1)
    runner.start_workers(None, None)
    assert calls == ["server", "server"]
    bad = tmp_path / "bad.yaml"
    bad.write_text(SMALL.replace("deployment_troops", "nope"))
    monkeypatch.setattr(runner.sim, "available_cores", lambda: 2)
    assert main(["sweep", str(bad), "--out", str(tmp_path / "never"), "-q"]) == 2
    assert calls[-1] == "server" and not (tmp_path / "never").exists()


@pytest.mark.slow
def test_dask_local_cluster_writes_the_same_bytes(tmp_path):
    pytest.importorskip("distributed")
    (tmp_path / "fp_metrics.py").write_text(METRICS)  # Dask's workers import it too
    f = write(tmp_path, PATHS + "outcome_functions: {escalated: fp_metrics:escalated}\n")
    one = run_sweep(f, tmp_path / "one", workers=1, progress=False)
    dask = run_sweep(f, tmp_path / "dask", workers=2, dask="local", progress=False)
    for name in ("runs.parquet", "trajectories.parquet"):
        assert (one / name).read_bytes() == (dask / name).read_bytes()
    assert "escalated" in pd.read_parquet(dask / "runs.parquet")


def test_a_lever_swept_moves_the_outcome_as_its_theory_says(tmp_path):
    points, runs = sweep(write(tmp_path, SMALL), tmp_path / "o")
    means = runs.groupby("point")["Russia.final_deployment_troops"].mean()
    df = points.set_index("point").join(means)
    by_efp = df.groupby("actors.NATO.posture.deployment_troops")[
        "Russia.final_deployment_troops"].mean()
    assert by_efp[6600.0] - by_efp[3300.0] > 300  # spiral reading: Russia answers the eFP


def test_resume_after_sigkill_gives_the_bytes_of_an_uninterrupted_sweep(tmp_path):
    text = PATHS.replace("chunk_points: 2", "chunk_points: 1").replace("steps: 24", "steps: 120")
    f = write(tmp_path, text)
    whole = run_sweep(f, tmp_path / "whole", workers=1, progress=False)
    out = tmp_path / "cut"
    proc = subprocess.Popen([sys.executable, "-m", "sim", "sweep", str(f), "--out", str(out),
                             "--workers", "1", "-q"], cwd=ROOT)
    deadline = time.monotonic() + 120
    killed = False
    while time.monotonic() < deadline and proc.poll() is None:
        try:
            done = json.loads((out / "manifest.json").read_text())["chunks_done"]
        except (OSError, ValueError, KeyError):
            done = []
        if 1 <= len(done) < 6:
            os.kill(proc.pid, signal.SIGKILL)
            killed = True
            break
        time.sleep(0.01)
    proc.wait()
    assert killed, "the sweep finished before it could be killed"
    assert not (out / "runs.parquet").exists()
    assert main(["sweep", str(f), "--out", str(out), "--workers", "1", "-q"]) == 2  # not resumed
    assert main(["sweep", str(f), "--out", str(out), "--resume", "--workers", "2", "-q"]) == 0
    for name in ("runs.parquet", "trajectories.parquet"):
        assert (out / name).read_bytes() == (whole / name).read_bytes()
    assert not (out / "chunks").exists()


def test_trajectories_are_each_points_percentiles_of_its_runs(tmp_path):
    """trajectories.parquet: per point and step, the mean and percentiles across that point's
    replicates of every replicate's series (recomputed here from a record="full" rerun of the
    chunk), and a figure from flashpoint analyze."""
    from analysis.sweeps import read_trajectories
    from sim.engine.recorder import series_name

    f = write(tmp_path, PATHS)
    points, _ = sweep(f, tmp_path / "o")
    paths = read_trajectories(tmp_path / "o")
    spec, scenario = load_sweep(f)
    steps = spec.steps + 1
    assert len(paths) == len(points) * steps
    assert list(paths.columns[:3]) == ["point", "step", "date"]
    assert "NATO-Russia.tension.p10" in paths and "Russia.deployment_troops.mean" in paths
    # chunk 1 is points 2 and 3, 4 replicates each: rerun it keeping every replicate's series
    chunk = points.iloc[2:4]
    columns = {p: np.repeat(chunk[p].to_numpy(), 4) for p in spec.dimensions}
    full = sim.run(scenario, seed=spec.seed, replicate_ids=np.tile(np.arange(4), 2), record="full",
                   events_max_replicates=0,
                   vary={k: v for k, v in columns.items() if k not in spec.levers},
                   levers={k: v for k, v in columns.items() if k in spec.levers})
    every, _ = full.array(every=True)  # (T, R, V)
    column = {series_name(*c): v for v, c in enumerate(full.columns)}
    for k, point in enumerate((2, 3)):
        rows = paths[paths["point"] == point]
        assert rows["step"].tolist() == list(range(steps))
        assert rows["date"].tolist() == full.dates
        for name in spec.trajectories.series:
            values = every[:, 4 * k: 4 * k + 4, column[name]]  # (T, 4) float32
            expect = np.percentile(values, [10, 50, 90], axis=1)
            for q, label in zip(expect, ("p10", "p50", "p90"), strict=True):
                assert np.array_equal(rows[f"{name}.{label}"].to_numpy(), q.astype(float))
            assert np.allclose(rows[f"{name}.mean"], values.mean(axis=1, dtype=float),
                               rtol=1e-12)
    # the lever moves the trajectories as the outcomes: Russia answers a larger eFP
    final = paths[paths["step"] == steps - 1].set_index("point")
    efp = points.set_index("point")["actors.NATO.posture.deployment_troops"]
    by_efp = final["Russia.deployment_troops.p50"].groupby(efp).mean()
    assert by_efp[6600.0] > by_efp[3300.0]
    assert main(["analyze", str(tmp_path / "o"), "-q"]) == 0
    figure = tmp_path / "o" / "trajectories.png"
    assert figure.stat().st_size > 10_000
    assert "trajectories.png" in (tmp_path / "o" / "analysis.json").read_text()
    with pytest.raises(FileNotFoundError, match="kept no trajectories"):
        read_trajectories(run_sweep(write(tmp_path, SMALL, "plain.yaml"), tmp_path / "plain",
                                    progress=False))


def test_rung_reached_by_month_t_outcomes(tmp_path):
    """PAIR.rung_at_least.RUNG.by_month.T: reached by month T, from first_month_at; by the
    run's last month it is rung_at_least itself; bad names and months are refused."""
    rung = "NATO-Russia.rung_at_least.confrontation with incidents"
    text = (SMALL.replace("outcomes: [", f"outcomes: [{rung}.by_month.24, {rung}.by_month.48, "
                          "NATO-Russia.first_month_at.confrontation with incidents, ")
            .replace("[3300, 6600]", "[6600, 13200]").replace("steps: 24", "steps: 48")
            .replace("replicates: 4", "replicates: 10"))
    _, runs = sweep(write(tmp_path, text), tmp_path / "o")
    first = runs["NATO-Russia.first_month_at.confrontation with incidents"]
    by_24 = runs[f"{rung}.by_month.24"]
    assert by_24.tolist() == (first <= 24).fillna(False).astype(int).tolist()  # <NA>: never
    whole = runs["NATO-Russia.rung_at_least.confrontation with incidents"]
    assert runs[f"{rung}.by_month.48"].tolist() == whole.tolist()  # 48 steps: the whole run
    assert 0 < by_24.sum() < whole.sum()
    for bad, message in (("NATO-Russia.rung_at_least.military posture.by_month.6", "no outcome"),
                         (f"Nato-{rung.split('-', 1)[1]}.by_month.12", "no outcome"),
                         ("NATO-Russia.rung_at_least.confrontation with incidents.by_month.999999",
                          "past the longest run")):
        f = write(tmp_path, SMALL.replace("outcomes: [", f"outcomes: [{bad}, "), "bad.yaml")
        with pytest.raises(ScenarioError, match=message):
            load_sweep(f)


METRICS = """import numpy as np

def escalated(result):
    return (result.outcomes["NATO-Russia.highest_rung"].to_numpy() >= 4).astype(float)

def peak_gap(result):
    out = result.outcomes
    return out["NATO-Russia.peak_tension"] - out["NATO-Russia.final_tension"]

def wrong_shape(result):
    return np.zeros(3)

def words(result):
    return "many"

def gaps(result):
    return np.full(result.replicates, np.nan)

def broken(result):
    return result.outcomes["no such column"]

not_a_function = 3
"""


def test_outcome_functions_run_in_the_workers_and_are_checked(tmp_path, capsys):
    """outcome_functions: NAME: MODULE:FUNCTION from the sweep file's folder, in 1 and 2 worker
    processes alike, analysed like any outcome; bad references and results are refused."""
    (tmp_path / "fp_metrics.py").write_text(METRICS)
    text = SMALL + ("outcome_functions:\n  escalated: fp_metrics:escalated\n"
                    "  peak_gap: fp_metrics:peak_gap\n")
    f = write(tmp_path, text)
    one = run_sweep(f, tmp_path / "one", workers=1, progress=False)
    two = run_sweep(f, tmp_path / "two", workers=2, progress=False)
    assert (one / "runs.parquet").read_bytes() == (two / "runs.parquet").read_bytes()
    runs = pd.read_parquet(one / "runs.parquet")
    assert runs["escalated"].tolist() == runs[
        "NATO-Russia.rung_at_least.confrontation with incidents"].astype(float).tolist()
    assert (runs["peak_gap"] >= 0).all()
    assert main(["analyze", str(one), "-q"]) == 0
    assert "peak_gap" in pd.read_csv(one / "point_means.csv").columns
    # another sweep's folder with its own fp_metrics.py: its module, not the one loaded above
    other = tmp_path / "other"
    other.mkdir()
    (other / "fp_metrics.py").write_text("def twice(result):\n    return 2.0 + 0 * "
                                         "result.outcomes['probes']\n")
    mine = write(other, SMALL + "outcome_functions:\n  twice: fp_metrics:twice\n")
    assert set(pd.read_parquet(run_sweep(mine, other / "o", progress=False) / "runs.parquet")
               ["twice"]) == {2.0}
    # resuming after the function's code changed would mix results: a different sweep
    assert "outcome function escalated: fp_metrics:escalated sha256:" in (
        one / "sweep.yaml").read_text()
    (tmp_path / "fp_metrics.py").write_text(METRICS + "\n# edited\n")
    assert main(["sweep", str(f), "--out", str(one), "--resume", "-q"]) == 2
    assert "holds a different sweep" in capsys.readouterr().err
    with pytest.raises(ScenarioError, match="has no 'twice'"):  # and back: each folder's own
        load_sweep(write(tmp_path, SMALL + "outcome_functions:\n  t: fp_metrics:twice\n",
                         "back.yaml"))
    for ref, message in (("fp_nowhere:f", r"outcome_functions\.bad: cannot import 'fp_nowhere'"),
                         ("fp_metrics:missing", "has no 'missing'"),
                         ("fp_metrics:not_a_function", "is not a function"),
                         ("fp metrics", "is not MODULE:FUNCTION")):
        bad = write(tmp_path, SMALL + f"outcome_functions:\n  bad: {ref}\n", "bad.yaml")
        with pytest.raises(ScenarioError, match=message):
            load_sweep(bad)
        assert main(["sweep", str(bad), "--out", str(tmp_path / "never")]) == 2
        assert not (tmp_path / "never").exists()
    for name in ("point", "replicate", "NATO-Russia.peak_tension", "a b"):
        bad = write(tmp_path, SMALL + f"outcome_functions:\n  {name}: fp_metrics:escalated\n",
                    "bad.yaml")
        with pytest.raises(ScenarioError, match="must be a new name"):
            load_sweep(bad)
    for ref, message in (("wrong_shape", r"returned shape \(3,\); it must give one number for "
                                         "each of the chunk's 8 runs"),
                         ("words", "returned str, not numbers"),
                         ("gaps", "returned NaN or inf for 8 of 8 runs"),
                         ("broken", "outcome_functions.bad: raised KeyError: 'no such column'")):
        bad = write(tmp_path, SMALL + f"outcome_functions:\n  bad: fp_metrics:{ref}\n",
                    "bad.yaml")
        assert main(["sweep", str(bad), "--out", str(tmp_path / ref), "--workers", "2",
                     "-q"]) == 2
        assert re.search(message, capsys.readouterr().err)


def test_sobol_indices_of_the_ishigami_function_match_the_closed_form():
    """SALib's machinery as we call it (sobol_indices), against Ishigami's analytic indices."""
    a, b = 7.0, 0.1
    spec = SweepSpec.model_validate({
        "name": "ishigami", "scenario": "baseline", "sampler": "sobol", "n": 2048, "seed": 2,
        "uncertainties": {f"x{i}": {"range": [-math.pi, math.pi]} for i in (1, 2, 3)},
        "outcomes": ["y"]})
    pts = sample(spec)
    x1, x2, x3 = (pts[f"x{i}"].to_numpy() for i in (1, 2, 3))
    y = np.sin(x1) + a * np.sin(x2) ** 2 + b * x3 ** 4 * np.sin(x1)
    means = pts.assign(point=np.arange(len(pts)), y=y)
    got = sobol_indices(spec, means, ["y"]).set_index("parameter")
    var = 0.5 + a**2 / 8 + b * math.pi**4 / 5 + b**2 * math.pi**8 / 18
    v1 = 0.5 * (1 + b * math.pi**4 / 5) ** 2
    v2 = a**2 / 8
    v13 = b**2 * math.pi**8 * (1 / 18 - 1 / 50)
    want_s1 = {"x1": v1 / var, "x2": v2 / var, "x3": 0.0}
    want_st = {"x1": (v1 + v13) / var, "x2": v2 / var, "x3": v13 / var}
    for p in ("x1", "x2", "x3"):
        assert got.loc[p, "S1"] == pytest.approx(want_s1[p], abs=0.05)
        assert got.loc[p, "ST"] == pytest.approx(want_st[p], abs=0.05)
    # second order where sampled: only x1-x3 interact (S13 = V13 / V)
    spec2 = spec.model_copy(update={"second_order": True, "n": 1024})
    pts2 = sample(spec2)
    z1, z2, z3 = (pts2[f"x{i}"].to_numpy() for i in (1, 2, 3))
    y2 = np.sin(z1) + a * np.sin(z2) ** 2 + b * z3 ** 4 * np.sin(z1)
    got2 = sobol_indices(spec2, pts2.assign(point=np.arange(len(pts2)), y=y2), ["y"]).set_index(
        "parameter")
    assert got2.loc["x1", "S2:x3"] == pytest.approx(v13 / var, abs=0.08)
    assert abs(got2.loc["x1", "S2:x2"]) < 0.08 and abs(got2.loc["x2", "S2:x3"]) < 0.08


def test_analyze_writes_response_and_morris_tables(tmp_path, capsys):
    text = SMALL.replace("sampler: grid", "sampler: morris\nn: 3").replace(
        "{values: [3300, 6600]}", "{range: [0, 6600]}").replace(", num: 3", "")
    f = write(tmp_path, text)
    assert main(["sweep", str(f), "--out", str(tmp_path / "m"), "-q", "--workers", "1"]) == 0
    assert main(["analyze", str(tmp_path / "m")]) == 0
    morris = pd.read_csv(tmp_path / "m" / "morris.csv")
    assert set(morris["parameter"]) == {"actors.NATO.posture.deployment_troops",
                                        "actors.Russia.doctrine.threat_sensitivity"}
    assert (morris["mu_star"] >= 0).all()
    response = pd.read_csv(tmp_path / "m" / "response.csv")
    assert {"parameter", "value", "outcome", "mean", "p5", "p95"} <= set(response.columns)


@pytest.mark.parametrize(("edit", "message"), [
    (("actors.Russia.doctrine.threat_sensitivity", "actors.Russia.doctrine.threat_sensitivit"),
     r"s\.yaml:6: uncertainties\.actors\.Russia\.doctrine\.threat_sensitivit: not a parameter"),
    (("[0.5, 2.0]", "[0.5, 200.0]"), r"200.0 is outside the allowed"),
    (("sampler: grid", "sampler: grid\nsamplr: x"), r"s\.yaml:8: samplr: unknown field 'samplr' "
                                                    r"\(did you mean sampler\?\)"),
    (("sampler: grid", "sampler: sobol"), r"the sobol sampler needs a range for every dimension"),
    (("Russia.final_deployment_troops", "Russia.final_troops"), r"no outcome 'Russia.final_tr"),
    (("{values: [3300, 6600]}", "{values: [3300, .nan]}"), r"finite number"),
    (("{values: [3300, 6600]}", "{range: [1, 2], values: [3]}"), r"exactly one of values"),
    (("scenario: baseline", "scenario: nowhere"), r"scenario: cannot load the scenario"),
    (("chunk_points: 2",
      "chunk_points: 2\ntrajectories: {series: [tension_index, NATO.tension]}"),
     r"s\.yaml:12: trajectories\.series\.1: no series 'NATO\.tension'.*series_names"),
    (("chunk_points: 2", "chunk_points: 2\ntrajectories: {series: [tension_index], "
                         "quantiles: [50, 101]}"), r"percentiles are between 0 and 100"),
    (("chunk_points: 2", "chunk_points: 2\ntrajectories: {series: []}"), r"at least 1 item"),
])
def test_bad_sweep_files_are_refused_clearly_and_nothing_is_written(tmp_path, capsys, edit,
                                                                    message):
    f = write(tmp_path, SMALL.replace(*edit))
    with pytest.raises(ScenarioError, match=message):
        load_sweep(f)
    assert main(["sweep", str(f), "--out", str(tmp_path / "o")]) == 2
    assert not (tmp_path / "o").exists()
    assert "error" in capsys.readouterr().err


def test_the_output_folder_rules(tmp_path, capsys):
    f = write(tmp_path, SMALL)
    user = tmp_path / "user"
    user.mkdir()
    (user / "notes.txt").write_text("mine")
    assert main(["sweep", str(f), "--out", str(user), "-q"]) == 2
    assert (user / "notes.txt").read_text() == "mine" and len(list(user.iterdir())) == 1
    assert main(["sweep", str(f), "--out", str(tmp_path / "o"), "-q", "--workers", "1"]) == 0
    other = write(tmp_path, SMALL.replace("seed: 7", "seed: 8"), "other.yaml")
    assert main(["sweep", str(other), "--out", str(tmp_path / "o"), "--resume", "-q"]) == 2
    assert "different sweep" in capsys.readouterr().err
    assert main(["sweep", str(f), "--out", str(tmp_path / "o"), "--resume", "-q"]) == 0


def test_the_shipped_sweeps_are_valid():
    files = sorted((ROOT / "sweeps").glob("*.yaml"))
    assert len(files) >= 3
    for f in files:
        load_sweep(f)


def test_analysis_uses_only_sims_public_api():
    import ast

    for path in (ROOT / "analysis").rglob("*.py"):
        tree = ast.parse(path.read_text(encoding="utf-8"))
        for node in ast.walk(tree):
            if isinstance(node, ast.ImportFrom) and node.module and node.level == 0:
                assert not node.module.startswith("sim."), (path, node.module)
            if isinstance(node, ast.Import):
                assert not any(a.name.startswith("sim.") for a in node.names), path
            if isinstance(node, ast.Attribute) and isinstance(node.value, ast.Name) and \
                    node.value.id == "sim":
                import sim

                assert node.attr in sim.__all__, (path, node.attr)


def test_prim_finds_a_known_box():
    pytest.importorskip("ema_workbench")
    from analysis.ema import discover

    rng = np.random.default_rng(0)
    x = pd.DataFrame({"a": rng.random(3000), "b": rng.random(3000), "c": rng.random(3000)})
    box = discover(x, ((x.a > 0.7) & (x.b < 0.4)).to_numpy()).set_index("parameter")
    assert set(box.index) == {"a", "b"}  # c is not restricted
    assert box.loc["a", "lo"] == pytest.approx(0.7, abs=0.05)
    assert box.loc["b", "hi"] == pytest.approx(0.4, abs=0.05)
    assert box["density"].iloc[0] > 0.9


def test_ema_model_and_the_vectorised_evaluator():
    pytest.importorskip("ema_workbench")
    import warnings

    from analysis.ema import VectorisedEvaluator, ema_model, ema_name

    outcomes = ["NATO-Russia.peak_tension", "Russia.final_deployment_troops",
                "NATO-Russia.rung_at_least.confrontation with incidents"]
    with warnings.catch_warnings(record=True) as caught:
        warnings.simplefilter("always")
        model = ema_model("baseline", outcomes,
                          uncertainties={"submodels.tension.relaxation": None},  # schema bounds
                          levers={"actors.NATO.posture.deployment_troops": (0, 13200)},
                          replicates=4)
    assert not [w for w in caught if "identifier" in str(w.message)]  # EMA 3's names
    assert ema_name(outcomes[2]) == "NATO_Russia_rung_at_least_confrontation_with_incidents"
    assert model.uncertainties["submodels_tension_relaxation"].upper_bound == 1.0
    assert model.function.paths["actors_NATO_posture_deployment_troops"] == (
        "actors.NATO.posture.deployment_troops")
    with VectorisedEvaluator(model) as ev:
        experiments, out = ev.perform_experiments(scenarios=2, policies=12,
                                                  log_progress=False)
    assert len(experiments) == 24 and set(out) == {ema_name(o) for o in outcomes}
    assert all(np.isfinite(v).all() and len(v) == 24 for v in out.values())
    # the sign the theory predicts (spiral reading): a larger eFP, a larger Russian answer
    r = np.corrcoef(experiments["actors_NATO_posture_deployment_troops"],
                    out["Russia_final_deployment_troops"])[0, 1]
    assert r > 0.5
    # one experiment through the model's own function (what EMA's other evaluators call)
    one = model.function(actors_NATO_posture_deployment_troops=3300.0,
                         submodels_tension_relaxation=0.3)
    assert set(one) == set(out)
    with pytest.raises(ValueError, match="the same EMA name"):
        ema_model("baseline", ["NATO-Russia.peak_tension", "NATO_Russia.peak_tension"])


def test_analyze_writes_scenario_discovery_for_rung_outcomes(tmp_path):
    pytest.importorskip("ema_workbench")
    text = SMALL.replace("replicates: 4", "replicates: 10").replace(
        "{range: [0.5, 2.0], num: 3}", "{range: [0.5, 3.0], num: 6}")
    assert main(["sweep", str(write(tmp_path, text)), "--out", str(tmp_path / "o"), "-q",
                 "--workers", "1"]) == 0
    assert main(["analyze", str(tmp_path / "o")]) == 0
    prim = pd.read_csv(tmp_path / "o" / "prim.csv")
    assert list(prim.columns) == ["outcome", "parameter", "lo", "hi", "coverage", "density",
                                  "mass"]


def test_analyze_never_overwrites_a_users_file(tmp_path, capsys):
    f = write(tmp_path, SMALL)
    out = tmp_path / "o"
    assert main(["sweep", str(f), "--out", str(out), "-q", "--workers", "1"]) == 0
    (out / "response.csv").write_text("mine")
    assert main(["analyze", str(out)]) == 2
    assert (out / "response.csv").read_text() == "mine"
    (out / "response.csv").unlink()
    assert main(["analyze", str(out)]) == 0
    assert main(["analyze", str(out)]) == 0  # its own files: rewritten


def test_a_chunk_keeps_no_events_and_the_same_outcomes():
    """Sweep chunks run with events_max_replicates=0: no per-replicate log, the same outcomes."""
    with_log = sim.run("invasion-2022", replicates=60, steps=48, record="summary")
    without = sim.run("invasion-2022", replicates=60, steps=48, record="summary",
                      events_max_replicates=0)
    assert with_log.outcomes.equals(without.outcomes)
    assert set(with_log.events["kind"]) > {"shock"} and set(without.events["kind"]) == {"shock"}
    with pytest.raises(ValueError, match="events_max_replicates"):
        sim.run("baseline", replicates=2, steps=2, events_max_replicates=-1)


def test_chunks_follow_the_sweep_file_alone():
    """About 2,000 runs a chunk, 5,000 from 10^5 runs in all, or the file's chunk_points."""
    small = spec_of("random", replicates=100)  # 16 points: 1,600 runs
    assert points_per_chunk(small) == 20
    large = spec_of("random", replicates=100, n=1_000)  # 10^5 runs
    assert points_per_chunk(large) == 50
    assert points_per_chunk(spec_of("random", replicates=100, n=999)) == 20
    assert points_per_chunk(spec_of("random", replicates=100, n=1_000, chunk_points=7)) == 7
    assert points_per_chunk(spec_of("random", replicates=20_000, n=1_000)) == 1


def test_a_small_sweep_runs_in_one_process_unless_told():
    """Left to choose, a sweep starts workers only when its work outweighs starting them."""
    from analysis.sweeps.runner import useful_workers

    small = spec_of("random", replicates=100, n=30)  # 3,000 runs
    assert useful_workers(small, 30, 120, cores=2) == 1
    large = spec_of("random", replicates=100, n=1_000)  # 10^5 runs, 20 chunks
    assert useful_workers(large, 1_000, 240, cores=2) == 2
    assert useful_workers(large, 1_000, 240, cores=64) == 20
    assert useful_workers(large, 1_000, 240, cores=1) == 1


def test_the_sampler_table_is_the_sweep_files_list():
    from analysis.sweeps.samplers import SAMPLER_TABLE

    assert tuple(SAMPLER_TABLE) == SAMPLERS
    for name in SAMPLERS:
        extra = {"levers": {"c.z": {"values": [1.0, 2.0]}}} if name == "full-factorial" else {}
        spec = spec_of(name, **extra) if name not in ("grid",) else SweepSpec.model_validate(
            {"name": "t", "scenario": "baseline", "uncertainties": {"a.x": {"values": [1, 2, 3]}},
             "sampler": "grid", "outcomes": ["probes"]})
        assert len(sample(spec)) == SAMPLER_TABLE[name].count(spec), name
