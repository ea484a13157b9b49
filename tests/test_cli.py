"""The command line end to end, and the Python API's shapes."""

import datetime as dt
import json
import subprocess
import sys
from pathlib import Path

import numpy as np
import pandas as pd
import pytest
import yaml

import sim
from sim import load_scenario, run
from sim.cli import main

ROOT = Path(__file__).resolve().parent.parent
SCENARIOS = Path(__file__).resolve().parent.parent / "scenarios"

BASE = "baseline"


def test_run_writes_every_file(tmp_path, capsys):
    out = tmp_path / "res"
    code = main(["run", "invasion-2022", "--seed", "5", "--replicates",
                 "8", "--steps", "80", "--out", str(out), "--set",
                 "actors.NATO.posture.deployment_troops=6600"])
    assert code == 0
    names = sorted(p.name for p in out.iterdir())
    assert names == ["events.csv", "ladder.csv", "provenance.json", "reference.yaml", "scenario.yaml",
                     "summary.csv", "summary.json", "tension.png", "timeseries.csv"]
    ts = pd.read_csv(out / "timeseries.csv")
    assert list(ts.columns) == ["step", "date", "replicate", "quantile", "entity", "variable",
                                "value"]
    assert set(ts["quantile"]) == {"p5", "p25", "p50", "p75", "p95", "mean"}
    assert ts["step"].max() == 80
    ev = pd.read_csv(out / "events.csv")
    assert {"shock", "incident", "rung"} <= set(ev["kind"])
    assert (ev.loc[ev.kind == "shock", "date"] == "2022-03-01").any()
    summary = json.loads((out / "summary.json").read_text())
    assert set(summary) == {"overall", "pairs", "actors", "frontline", "run"}
    reach = summary["pairs"]["NATO-Russia"]["p_highest_rung_at_least"]
    assert reach["cooperation"] == 1.0
    assert all(a >= b for a, b in zip(list(reach.values()), list(reach.values())[1:], strict=False))
    prov = json.loads((out / "provenance.json").read_text())
    assert prov["seed"] == 5 and prov["replicates"] == 8
    resolved = yaml.safe_load((out / "scenario.yaml").read_text())
    assert resolved["actors"]["NATO"]["posture"]["deployment_troops"] == 6600
    assert "extends" not in resolved
    assert (out / "tension.png").read_bytes()[:8] == b"\x89PNG\r\n\x1a\n"
    assert "wrote" in capsys.readouterr().out


def test_resolved_scenario_reruns_identically(tmp_path):
    a, b = tmp_path / "a", tmp_path / "b"
    assert main(["run", BASE, "--steps", "24", "-q", "--no-plot", "--out", str(a)]) == 0
    assert main(["run", str(a / "scenario.yaml"), "--steps", "24", "-q", "--no-plot",
                 "--out", str(b)]) == 0
    assert (a / "timeseries.csv").read_bytes() == (b / "timeseries.csv").read_bytes()


def test_full_writes_parquet(tmp_path):
    out = tmp_path / "full"
    assert main(["run", BASE, "-R", "3", "--steps", "12", "--full", "--no-plot", "-q",
                 "--out", str(out)]) == 0
    df = pd.read_parquet(out / "timeseries.parquet")
    assert sorted(df["replicate"].unique()) == [0, 1, 2]
    assert not (out / "tension.png").exists()


def test_rerun_replaces_output_atomically(tmp_path):
    out = tmp_path / "o"
    assert main(["run", BASE, "--steps", "6", "-q", "--no-plot", "--out", str(out)]) == 0
    assert main(["run", BASE, "--steps", "12", "-q", "--no-plot", "--out", str(out)]) == 0
    assert pd.read_csv(out / "timeseries.csv")["step"].max() == 12
    assert sorted(p.name for p in tmp_path.iterdir()) == ["o"]


def test_scenarios_and_validate(capsys):
    assert main(["scenarios"]) == 0
    out = capsys.readouterr().out
    assert "baseline.yaml" in out and "invasion-2022.yaml" in out
    assert main(["validate", *map(str, sorted(SCENARIOS.glob("*.yaml")))]) == 0


def test_python_dash_m(tmp_path):
    proc = subprocess.run([sys.executable, "-m", "sim", "schema"], capture_output=True,
                          text=True, cwd=ROOT, check=True)
    assert json.loads(proc.stdout)["title"] == "flashpoint scenario"
    bad = subprocess.run([sys.executable, "-m", "sim", "run", str(tmp_path / "x.yaml")],
                         capture_output=True, text=True, cwd=tmp_path)
    assert bad.returncode == 2 and "file not found" in bad.stderr


QUICK_EXIT = """
import atexit, sys
from pathlib import Path
from sim.cli import quick_exit
atexit.register(lambda: Path(sys.argv[1]).write_text("handled"))
print("said", end="")  # no newline: still in the buffer when the process ends
quick_exit(3)
"""


def test_the_command_ends_quickly_but_flushes_and_runs_the_exit_handlers(tmp_path):
    done = subprocess.run([sys.executable, "-c", QUICK_EXIT, str(tmp_path / "flag")],
                          capture_output=True, text=True, cwd=ROOT)
    assert done.returncode == 3
    assert done.stdout == "said"
    assert (tmp_path / "flag").read_text() == "handled"


def test_the_console_command_writes_a_whole_run_and_its_output(tmp_path):
    done = subprocess.run([sys.executable, "-m", "sim", "run", "baseline", "-R", "3", "--steps",
                           "4", "--out", str(tmp_path / "r")], capture_output=True, text=True,
                          cwd=ROOT)
    assert done.returncode == 0, done.stderr
    assert "wrote" in done.stdout.splitlines()[-1]
    provenance = json.loads((tmp_path / "r" / "provenance.json").read_text())
    assert sorted(provenance["files"]) == sorted(p.name for p in (tmp_path / "r").iterdir())
    assert (tmp_path / "r" / "tension.png").stat().st_size > 10_000


def test_api_result_shapes(baseline):
    r = run(baseline, seed=1, replicates=4, steps=24)
    assert isinstance(r.timeseries, pd.DataFrame)
    assert isinstance(r.events, pd.DataFrame)
    assert isinstance(r.summary, pd.DataFrame)
    s = r.series("tension", "NATO-Russia")
    assert len(s) == 25 and s.index[0] == pd.Timestamp("2016-07-01")
    one = run(baseline, seed=1, steps=24, replicates=1)
    assert set(one.timeseries["replicate"].dropna()) == {0}
    assert one.series("tension_index").iloc[0] == pytest.approx(55.3, abs=1e-4)
    with pytest.raises(KeyError, match="no series"):
        r.series("tension", "Narnia-Russia")
    with pytest.raises(KeyError, match="not kept"):
        r.series("tension", "NATO-Russia", "p99")
    full = run(baseline, seed=1, replicates=3, steps=6, record="full")
    assert full.series("tension", "NATO-Russia", 2).shape == (7,)


@pytest.mark.parametrize("command", [["--help"], ["validate", "baseline"], ["scenarios"],
                                     ["schema"]])
def test_light_commands_do_not_import_the_engine(command):
    """--help, validate, scenarios and schema import neither Mesa, pandas nor matplotlib."""
    # main() as the console command calls it (command() would end the process right after)
    probe = ("import sys; sys.argv = ['flashpoint', *sys.argv[1:]]\n"
             "from sim.cli import main\n"
             "try:\n    main()\n"
             "except SystemExit:\n    pass\n"
             "heavy = sorted({'mesa', 'pandas', 'matplotlib', 'scipy'} & set(sys.modules))\n"
             "print('HEAVY', heavy, file=sys.stderr)\n")
    out = subprocess.run([sys.executable, "-c", probe, *command], capture_output=True, text=True,
                         check=False)
    assert "HEAVY []" in out.stderr, out.stderr[-500:]


def test_parquet_is_written_in_row_groups_with_the_tidy_tables_rows(tmp_path):
    r = run(load_scenario(BASE), seed=1, replicates=5, steps=20, record="full")
    r.write_parquet(tmp_path / "a.parquet", steps_per_group=3)
    import pyarrow.parquet as pq

    assert pq.ParquetFile(tmp_path / "a.parquet").num_row_groups == 7  # 21 steps, 3 a group
    got = pd.read_parquet(tmp_path / "a.parquet")
    want = r.timeseries_full
    assert "quantile" not in got and want["quantile"].isna().all()  # no all-empty column
    assert str(got["date"].dtype) == "object" and isinstance(got["date"].iloc[0], dt.date)
    labels = {"date": str, "entity": str, "variable": str}  # categoricals in the file
    cols = ["step", "date", "replicate", "entity", "variable", "value"]
    pd.testing.assert_frame_equal(got[cols].astype(labels), want[cols].astype(labels),
                                  check_dtype=False)


def test_parquet_row_groups_carry_step_statistics_so_a_step_filter_skips_groups(tmp_path):
    import pyarrow.dataset as ds
    import pyarrow.parquet as pq

    r = run(load_scenario(BASE), seed=1, replicates=4, steps=20, record="full")
    r.write_parquet(tmp_path / "a.parquet", steps_per_group=3)
    meta = pq.ParquetFile(tmp_path / "a.parquet").metadata
    names = meta.schema.names
    ranges = []
    for g in range(meta.num_row_groups):
        step = meta.row_group(g).column(names.index("step")).statistics
        assert step is not None and step.has_min_max
        ranges.append((step.min, step.max))
        # the labels every group holds in full carry none (they would skip nothing)
        assert meta.row_group(g).column(names.index("replicate")).statistics is None
    assert ranges == [(s, min(s + 2, 20)) for s in range(0, 21, 3)]
    fragment = next(ds.dataset(tmp_path / "a.parquet").get_fragments())
    kept = fragment.split_by_row_group(filter=ds.field("step") >= 18)
    assert len(kept) == 1  # only the last group can hold steps 18-20
    rows = ds.dataset(tmp_path / "a.parquet").to_table(filter=ds.field("step") == 19)
    assert rows.num_rows == 4 * len(r.columns)


def test_version_and_did_you_mean(capsys):
    from sim import __version__

    with pytest.raises(SystemExit) as done:
        main(["--version"])
    assert done.value.code == 0 and capsys.readouterr().out.strip() == f"flashpoint {__version__}"
    assert main(["run", "basline", "--steps", "2"]) == 2
    assert "did you mean the bundled scenario baseline?" in capsys.readouterr().err


def test_record_summary_writes_the_summary_and_outcomes_only(tmp_path):
    out = tmp_path / "s"
    assert main(["run", BASE, "-R", "30", "--steps", "12", "--record", "summary", "-q",
                 "--out", str(out)]) == 0
    names = sorted(p.name for p in out.iterdir())
    assert names == ["events.csv", "outcomes.csv", "provenance.json", "scenario.yaml",
                     "summary.csv", "summary.json"]
    assert len(pd.read_csv(out / "outcomes.csv")) == 30
    assert main(["run", BASE, "--full", "--record", "summary", "--out", str(out)]) == 2


def test_every_run_records_the_ladder_so_plot_ladder_works(tmp_path):
    out = tmp_path / "q"
    assert main(["run", "invasion-2022", "-R", "40", "--steps", "80", "-q", "--no-plot", "--out",
                 str(out)]) == 0
    ladder = pd.read_csv(out / "ladder.csv")
    sums = ladder.groupby(["step", "entity"])["share"].sum()
    assert np.allclose(sums, 1.0)  # every replicate on one rung of each ladder
    assert main(["plot", "ladder", str(out)]) == 0 and (out / "ladder.png").stat().st_size > 20_000
    # the same shares as every replicate's series give
    full = run(load_scenario("invasion-2022"), replicates=40, steps=80, record="full")
    every = full.timeseries_full
    rung = every[every["variable"] == "rung"]
    last = rung[rung["step"] == 80]
    share = (last[last["entity"] == "NATO-Russia"]["value"] >= 3).mean()
    mine = ladder[(ladder["step"] == 80) & (ladder["entity"] == "NATO-Russia")]
    assert mine[mine["rung"].map(sim.RUNGS.index) >= 3]["share"].sum() == pytest.approx(share)
