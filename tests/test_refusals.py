"""Issue 22, item 5: every refusal is exit 2 with a message, and nothing is left behind."""

import fcntl
import json
import os
import signal
import subprocess
import sys
import time
from pathlib import Path

import numpy as np
import pytest

import sim
from sim.cli import main

SWEEP = """name: small
scenario: baseline
uncertainties:
  actors.Russia.doctrine.threat_sensitivity: {range: [0.5, 2.0], num: 2}
sampler: grid
seed: 7
replicates: 2
steps: 6
outcomes: [NATO-Russia.peak_tension]
"""


def sweep_file(tmp_path: Path, text: str = SWEEP, name: str = "s.yaml") -> Path:
    p = tmp_path / name
    p.write_text(text, encoding="utf-8")
    return p


def refused(argv, capsys, *needles) -> str:
    assert main(argv) == 2
    err = capsys.readouterr().err
    assert err.strip() and "internal error" not in err, err
    for needle in needles:
        assert needle in err, err
    return err


def test_a_sweep_breaking_a_joint_rule_is_refused_before_any_folder(tmp_path, capsys):
    text = SWEEP.replace(
        "  actors.Russia.doctrine.threat_sensitivity: {range: [0.5, 2.0], num: 2}",
        "  submodels.deterrence.w_commitment: {values: [0.3, 0.9]}\n"
        "  submodels.deterrence.w_tripwire: {values: [0.3, 0.9]}")
    out = tmp_path / "o"
    refused(["sweep", str(sweep_file(tmp_path, text)), "--out", str(out), "-q"], capsys,
            "must not exceed 1", "w_tripwire=0.9")
    assert not out.exists()
    text = SWEEP.replace("{range: [0.5, 2.0], num: 2}", "{values: [1.0]}") + (
        "levers:\n  actors.Estonia.military.spending_pct_gdp: {values: [2.0, 11.9]}\n"
        "  submodels.arms.max_spending_pct: {values: [6.0, 12.0]}\n")
    refused(["sweep", str(sweep_file(tmp_path, text)), "--out", str(out), "-q"], capsys,
            "max_spending_pct")
    assert not out.exists()


def test_a_grid_with_a_distribution_is_refused(tmp_path, capsys):
    text = SWEEP.replace("{range: [0.5, 2.0], num: 2}",
                         "{distribution: {name: normal, loc: 1.0, scale: 0.1}}")
    refused(["sweep", str(sweep_file(tmp_path, text)), "--out", str(tmp_path / "o")], capsys,
            "not a distribution")
    text = text.replace("sampler: grid", "sampler: full-factorial\nn: 4").replace(
        "uncertainties:", "levers:")
    refused(["sweep", str(sweep_file(tmp_path, text)), "--out", str(tmp_path / "o")], capsys,
            "not a distribution")


@pytest.mark.parametrize(("body", "needle"), [
    ("raise RuntimeError('boom')", "raised RuntimeError: boom"),
    ("return np.zeros(3)", "returned shape (3,)"),
    ("return np.full(result.replicates, np.nan)", "NaN or inf"),
])
def test_a_failing_outcome_function_leaves_no_folder(tmp_path, capsys, body, needle):
    (tmp_path / "bad_metrics.py").write_text(f"import numpy as np\n\ndef f(result):\n    {body}\n")
    text = SWEEP + "outcome_functions: {bad: 'bad_metrics:f'}\n"
    out = tmp_path / "o"
    refused(["sweep", str(sweep_file(tmp_path, text)), "--out", str(out), "-q", "--workers", "1"],
            capsys, needle, "nothing was kept")
    assert not out.exists()


def test_an_oversized_chunk_and_too_much_work_are_refused(tmp_path, capsys):
    text = SWEEP.replace("replicates: 2", "replicates: 100000").replace(
        "num: 2", "num: 400").replace("steps: 6", "steps: 6\nchunk_points: 400")
    refused(["sweep", str(sweep_file(tmp_path, text)), "--out", str(tmp_path / "o")], capsys,
            "chunk_points")
    text = SWEEP.replace("replicates: 2", "replicates: 1000").replace(
        "{range: [0.5, 2.0], num: 2}", "{range: [0.5, 2.0]}").replace(
        "sampler: grid", "sampler: random\nn: 100000").replace("steps: 6", "steps: 240")
    refused(["sweep", str(sweep_file(tmp_path, text)), "--out", str(tmp_path / "o")], capsys,
            "replicate-steps")
    assert not (tmp_path / "o").exists()


def test_unwritable_out_is_refused_for_every_command(tmp_path, capsys):
    afile = tmp_path / "afile"
    afile.write_text("mine")
    refused(["sweep", str(sweep_file(tmp_path)), "--out", str(afile / "x"), "-q"], capsys)
    res = tmp_path / "res"
    assert main(["run", "baseline", "-R", "2", "--steps", "3", "-q", "--no-plot", "--out",
                 str(res)]) == 0
    refused(["plot", "tension", str(res), "--out", str(afile / "t.png")], capsys)
    refused(["report", str(res), "--out", str(afile / "r.html")], capsys)
    refused(["compare", "baseline", "baseline", "-R", "2", "--steps", "3", "--out",
             str(afile / "c")], capsys)
    assert afile.read_text() == "mine"


def test_a_bad_or_silent_scheduler_is_refused_before_any_folder(tmp_path, capsys):
    out = tmp_path / "o"
    refused(["sweep", str(sweep_file(tmp_path)), "--out", str(out), "--scheduler",
             "garbage://x"], capsys, "--scheduler")
    pytest.importorskip("distributed")
    import analysis.sweeps.runner as runner

    start = time.monotonic()
    with pytest.raises(sim.ScenarioError, match="no Dask scheduler answered"):
        runner.check_scheduler("tcp://127.0.0.1:9", timeout=2)
    assert time.monotonic() - start < 20
    assert not out.exists()


def test_analyze_refuses_an_unfinished_or_corrupt_sweep(tmp_path, capsys):
    out = tmp_path / "o"
    assert main(["sweep", str(sweep_file(tmp_path)), "--out", str(out), "-q"]) == 0
    manifest = json.loads((out / "manifest.json").read_text())
    (out / "manifest.json").write_text(json.dumps({**manifest, "complete": False}))
    refused(["analyze", str(out)], capsys, "--resume")
    (out / "manifest.json").write_text(json.dumps(manifest))
    (out / "runs.parquet").write_bytes(b"PAR1 not really")
    refused(["analyze", str(out)], capsys, "runs.parquet", "cannot be read")


def test_a_locked_sweep_folder_is_refused(tmp_path, capsys):
    out = tmp_path / "o"
    assert main(["sweep", str(sweep_file(tmp_path)), "--out", str(out), "-q"]) == 0
    fd = os.open(out, os.O_RDONLY)
    try:
        fcntl.flock(fd, fcntl.LOCK_EX)
        refused(["sweep", str(sweep_file(tmp_path)), "--out", str(out), "--resume", "-q"], capsys,
                "another flashpoint sweep")
    finally:
        os.close(fd)


def test_the_memory_estimate_counts_the_output_tables():
    from sim.engine.runner import estimate_memory

    sc = sim.load_scenario("baseline")
    short = estimate_memory(sim.with_run_settings(sc, replicates=2, steps=100))
    long = estimate_memory(sim.with_run_settings(sc, replicates=2, steps=1000))
    # measured: 268 MB more at the peak for the 1,000-step run's 1.26 million more rows
    assert long - short > 268e6


def test_valid_ranges_keep_the_deterrence_margin_finite_and_in_range():
    sc = sim.load_scenario("baseline", ["submodels.escalation.risk_weight=2",
                                        "actors.Russia.doctrine.risk_tolerance=0"])
    res = sim.run(sc, replicates=8, steps=12, record="summary")
    margins = res.outcomes[[c for c in res.outcomes if c.endswith("min_deterrence_margin")]]
    assert np.isfinite(margins.to_numpy()).all()
    assert ((margins >= -1) & (margins <= 1)).all().all()
    with pytest.raises(sim.ScenarioError, match="risk_weight"):
        sim.load_scenario("baseline", ["submodels.escalation.risk_weight=2.5"])


def test_an_event_outside_the_run_is_refused(tmp_path, capsys):
    refused(["run", "baseline", "--steps", "12", "--event", "2030-01 NATO.deployment_troops*2",
             "--out", str(tmp_path / "o")], capsys, "outside the run")
    assert not (tmp_path / "o").exists()


def test_a_bad_file_size_cap_is_refused(monkeypatch, capsys):
    monkeypatch.setenv("FLASHPOINT_MAX_FILE_MB", "lots")
    refused(["validate", "baseline"], capsys, "FLASHPOINT_MAX_FILE_MB")


def test_tags_on_collections_are_refused(tmp_path, capsys):
    f = tmp_path / "t.yaml"
    f.write_text("name: t\nextends: baseline\nactors: !mine\n  NATO: {posture: {dialogue: 0.3}}\n")
    refused(["validate", str(f)], capsys, "unsupported YAML tag", ":3:")
    f.write_text("name: t\nextends: baseline\nevents: !!set {a: null}\n")
    refused(["validate", str(f)], capsys, "unsupported YAML tag")


def test_an_internal_error_is_one_line(monkeypatch, capsys):
    def broken(*args, **kwargs):
        raise RuntimeError("first line\nsecond line")

    monkeypatch.setattr("sim.scenario.loader.load_scenario", broken)
    assert main(["validate", "baseline"]) == 1
    err = capsys.readouterr().err.strip().splitlines()
    assert len(err) == 1 and "first line" in err[0] and "FLASHPOINT_DEBUG" in err[0]


def test_the_explorer_host_may_be_ipv6():
    from analysis.explorer import _port_free, free_port

    port = free_port("::1")
    assert _port_free("::1", port)
    with pytest.raises(ValueError, match="--host"):
        _port_free("no-such-host.invalid", port)


def test_ctrl_c_says_what_was_kept(tmp_path):
    proc = subprocess.Popen([sys.executable, "-m", "sim", "run", "baseline", "-R", "100000",
                             "--out", str(tmp_path / "o")], stderr=subprocess.PIPE, text=True,
                            cwd=tmp_path)
    time.sleep(4)
    proc.send_signal(signal.SIGINT)
    _, err = proc.communicate(timeout=60)
    assert proc.returncode == 130 and "interrupted: nothing was written" in err, err
    assert not (tmp_path / "o").exists()


@pytest.mark.slow
def test_killing_a_sweep_leaves_no_worker(tmp_path):
    text = SWEEP.replace("num: 2", "num: 64").replace("replicates: 2", "replicates: 2000").replace(
        "steps: 6", "steps: 240\nchunk_points: 4")
    proc = subprocess.Popen([sys.executable, "-m", "sim", "sweep", str(sweep_file(tmp_path, text)),
                             "--out", str(tmp_path / "o"), "--workers", "2", "-q"],
                            start_new_session=True, stdout=subprocess.DEVNULL,
                            stderr=subprocess.DEVNULL)
    session = proc.pid
    time.sleep(8)
    def members():
        out = subprocess.run(["ps", "-o", "pid=", "-s", str(session)], capture_output=True,
                             text=True).stdout
        return [int(p) for p in out.split()]

    assert len(members()) >= 3  # the sweep, its fork server and workers
    os.kill(proc.pid, signal.SIGKILL)
    proc.wait()
    deadline = time.monotonic() + 20
    while members() and time.monotonic() < deadline:
        time.sleep(0.5)
    assert members() == []
