"""Bounded inputs: hostile and broken files, numbers out of range, checks before computing."""

import json
import time
from pathlib import Path

import numpy as np
import pandas as pd
import pytest
import yaml

from sim import ScenarioError, load_scenario, run
from sim.cli import main
from sim.scenario import limits

SHADOW_LIKE = "root:$6$s3cr3tSALT$hashhashhash:19000:0:99999:7:::\ndaemon:*:19000:0:99999:7:::\n"


def run_cli(tmp_path, *args):
    out = tmp_path / "out"
    code = main(["run", *map(str, args), "--no-plot", "-q", "--out", str(out)])
    return code, out


def scenario(tmp_path, text, name="s.yaml"):
    p = tmp_path / name
    p.write_text(text) if isinstance(text, str) else p.write_bytes(text)
    return p


# ---- loader attacks ----------------------------------------------------------------------------
def billion_laughs() -> str:
    lines = ['a: &a ["lol","lol","lol","lol","lol","lol","lol","lol","lol"]']
    for k in range(1, 9):
        prev, cur = chr(ord("a") + k - 1), chr(ord("a") + k)
        lines.append(f"{cur}: &{cur} [" + ",".join([f"*{prev}"] * 9) + "]")
    lines.append("name: laughs")
    return "\n".join(lines) + "\n"


def test_billion_laughs_is_refused_at_once(tmp_path, capsys):
    p = scenario(tmp_path, billion_laughs())
    assert p.stat().st_size < 600
    t = time.perf_counter()
    code, out = run_cli(tmp_path, p)
    assert time.perf_counter() - t < 5
    assert code == 2 and "expands to more than" in capsys.readouterr().err
    assert not out.exists()


def test_aliases_within_the_budget_still_work(tmp_path):
    p = scenario(tmp_path, "extends: baseline\nname: anchors\nactors:\n"
                           "  Estonia: {doctrine: &calm {memory: 0.8, reciprocity: 0.4}}\n"
                           "  Latvia: {doctrine: *calm}\n")
    sc = load_scenario(p)
    assert sc.actors["Latvia"].doctrine.memory == 0.8


def test_deep_nesting_is_refused(tmp_path, capsys):
    p = scenario(tmp_path, "name: deep\nx: " + "[" * 100 + "]" * 100 + "\n")
    code, _ = run_cli(tmp_path, p)
    assert code == 2 and "nests deeper than" in capsys.readouterr().err


def test_devices_and_folders_are_not_read(tmp_path, capsys):
    code, _ = run_cli(tmp_path, "/dev/zero")
    assert code == 2 and "not a regular file" in capsys.readouterr().err
    p = scenario(tmp_path, "extends: /dev/zero\nname: z\n")
    code, _ = run_cli(tmp_path, p)
    assert code == 2 and "not an absolute path" in capsys.readouterr().err
    code, _ = run_cli(tmp_path, tmp_path)
    assert code == 2 and "is a folder" in capsys.readouterr().err


def test_extends_cannot_leave_the_folder_nor_echo_what_it_reaches(tmp_path, capsys):
    secret = tmp_path / "secret"
    secret.write_text(SHADOW_LIKE)
    sub = tmp_path / "scen"
    sub.mkdir()
    (sub / "link.yaml").symlink_to(secret)
    for target in ["/etc/shadow", "../secret", "link.yaml", "~/x.yaml"]:
        p = scenario(sub, f"extends: {target}\nname: s\n")
        code, _ = run_cli(tmp_path, p)
        err = capsys.readouterr().err
        assert code == 2 and "extends" in err, target
        assert "s3cr3t" not in err and "hashhash" not in err
    # a file that is not a scenario, run directly: reported, not echoed
    code, _ = run_cli(tmp_path, secret)
    err = capsys.readouterr().err
    assert code == 2 and "s3cr3t" not in err and "hashhash" not in err


def test_extends_below_the_folder_and_bundled_names(tmp_path):
    (tmp_path / "parts").mkdir()
    scenario(tmp_path / "parts", "extends: baseline\nname: mid\nsteps: 7\n", "mid.yaml")
    p = scenario(tmp_path, "extends: parts/mid.yaml\nname: top\n")
    assert load_scenario(p).steps == 7
    assert load_scenario(scenario(tmp_path, "extends: invasion-2022.yaml\nname: i\n")).events


def test_size_cap_and_its_setting(tmp_path, capsys, monkeypatch):
    big = "extends: baseline\nname: big\ndescription: " + "x" * (5 * 1024 * 1024) + "\n"
    p = scenario(tmp_path, big)
    code, _ = run_cli(tmp_path, p)
    assert code == 2 and "FLASHPOINT_MAX_FILE_MB" in capsys.readouterr().err
    monkeypatch.setenv("FLASHPOINT_MAX_FILE_MB", "8")
    code, _ = run_cli(tmp_path, p)  # read now, but a description is at most MAX_TEXT characters
    assert code == 2 and "description" in capsys.readouterr().err


def test_the_c_loader_is_used_where_pyyaml_has_it():
    if yaml.__with_libyaml__:
        from sim.scenario import reading

        assert reading._Loader is yaml.CSafeLoader


@pytest.mark.parametrize("content, fragment, line", [
    ("name: caf\xe9\n".encode("latin-1"), "not UTF-8", 1),
    ("name: x\n".encode("utf-16"), "UTF-16", 1),
    ("name: x\n".encode("utf-16-le"), "NUL", 1),
    ("name: x\n".encode("utf-32"), "UTF-32", 1),
    (b"extends: baseline\nname: x\ndescription: bell\x07\n", "character YAML does not allow", None),
    (b"name: [unclosed\n", "YAML syntax error", 2),
    (b"name: a\n---\nname: b\n", "YAML syntax error", 2),
    (b"? [a, b]\n: 1\nname: x\n", "plain name", 1),
    (b"!!python/object/apply:os.system [echo hi]: 1\nname: x\n", "plain name", 1),
    (b"!!python/name:os.system x: 1\nname: x\n", "unsupported YAML tag", 1),
    (b"name: !!python/name:os.system x\n", "unsupported YAML tag", 1),
    (b"- a\n- b\n", "top level must be a mapping", 1),
])
def test_undecodable_or_malformed_files(tmp_path, capsys, content, fragment, line):
    p = scenario(tmp_path, content)
    code, out = run_cli(tmp_path, p)
    err = capsys.readouterr().err
    assert code == 2 and fragment in err, err
    if line is not None:
        assert f"{p}:{line}:" in err
    assert not out.exists()


def test_unknown_top_level_key_lists_the_allowed_fields(tmp_path):
    p = scenario(tmp_path, "extends: baseline\nname: x\nstepz: 3\n")
    with pytest.raises(ScenarioError, match=r"s\.yaml:3: stepz: unknown field 'stepz' \(did you "
                                            r"mean 'steps'\?\); allowed: actors, calibration, "
                                            r"calibration_keeps, description"):
        load_scenario(p)


# ---- numbers: finite, bounded, checked before computing ----------------------------------------
@pytest.mark.parametrize("text, field, fragment", [
    ("events:\n  - {date: 2017-01, name: n, effects: [{target: NATO.dialogue, add: .nan}]}",
     "events.0.effects.0.add", "finite number"),
    ("events:\n  - {date: 2017-01, name: n, effects: [{target: Russia.gdp_usd_bn, set: 0}]}",
     "events.0.effects.0.set", "outside Russia.gdp_usd_bn's range [0.1, 1e+06]"),
    ("events:\n  - {date: 2017-01, name: n, effects: [{target: NATO-Russia.tension, add: 1e9}]}",
     "events.0.effects.0.add", "larger than NATO-Russia.tension's whole range"),
    ("events:\n  - {date: 2017-01, name: n, effects: [{target: NATO.hybrid, scale: 1e9}]}",
     "events.0.effects.0.scale", "less than or equal to 100"),
    ("events:\n  - {date: 2017-01, name: n, effects: [{target: Atlantis, add: 1}]}",
     "events.0.effects.0.target", "target 'Atlantis' must be Actor.variable"),
    ("actors:\n  Russia: {economy: {gdp_usd_bn: 1e300}}", "actors.Russia.economy.gdp_usd_bn",
     "less than or equal to 1000000"),
    ("actors:\n  Russia: {economy: {gdp_usd_bn: .inf}}", "actors.Russia.economy.gdp_usd_bn",
     "finite number"),
    ("actors:\n  Russia: {doctrine: {grievance: .nan}}", "actors.Russia.doctrine.grievance",
     "finite number"),
    ("submodels:\n  threat: {forces_ref: 5e-324}", "submodels.threat.forces_ref",
     "greater than or equal to 100"),
    ("time_step_months: 12\nsteps: 8000", "", "calendar ends in 9999"),
    ("replicates: 1000000000", "replicates", "less than or equal to 10000000"),
])
def test_numbers_out_of_range_are_named(tmp_path, capsys, text, field, fragment):
    p = scenario(tmp_path, f"extends: baseline\nname: n\n{text}\n")
    code, out = run_cli(tmp_path, p)
    err = capsys.readouterr().err
    assert code == 2 and fragment in err and field in err, err
    assert not out.exists()


def test_partner_pair_event_is_checked_by_the_models_own_rule(tmp_path, capsys):
    p = scenario(tmp_path, "extends: baseline\nname: p\nactors:\n  China: {kind: partner}\n"
                           "events:\n  - {date: 2017-01, name: n, effects: "
                           "[{target: NATO-China.tension, add: 5}]}\n")
    assert main(["validate", str(p)]) == 2
    assert "do not form an interacting pair" in capsys.readouterr().err
    listed = scenario(tmp_path, p.read_text() + "relations:\n  - {between: [NATO, China]}\n",
                      "listed.yaml")
    assert run(load_scenario(listed), steps=8).summary_dict()["pairs"]["NATO-China"]


@pytest.mark.parametrize("option, value, fragment", [
    ("--replicates", "0", "greater than or equal to 1"),
    ("--replicates", "1000000000", "less than or equal to 10000000"),
    ("--steps", "100000000", "less than or equal to 12000"),
    ("--steps", "0", "greater than or equal to 1"),
    ("--seed", "-1", "greater than or equal to 0"),
])
def test_command_line_numbers_obey_the_schema(tmp_path, capsys, option, value, fragment):
    code, out = run_cli(tmp_path, "baseline", option, value)
    err = capsys.readouterr().err
    assert code == 2 and option in err and fragment in err, err
    assert not out.exists()


def test_runs_that_cannot_fit_in_memory_are_refused_before_computing(tmp_path, capsys,
                                                                     monkeypatch):
    monkeypatch.setattr("sim.engine.runner.FlashpointModel", None)
    code, out = run_cli(tmp_path, "baseline", "-R", "10000000")
    err = capsys.readouterr().err
    assert code == 2 and "GiB of memory" in err and "fewer replicates" in err
    code, out = run_cli(tmp_path, "baseline", "-R", "100000", "--steps", "12000", "--full")
    assert code == 2 and "drop --full" in capsys.readouterr().err
    assert not out.exists()


def test_memory_estimate_bounds_the_traced_peak(baseline, tmp_path):
    import tracemalloc

    from sim import compile_kernels
    from sim.engine.runner import BASE_MEMORY, estimate_memory, with_run_settings

    compile_kernels()  # loading the compiled code is part of the base allowance, not of the run
    for record in ("quantiles", "full"):
        sc = with_run_settings(baseline, replicates=400, steps=48)
        tracemalloc.start()
        res = run(sc, record=record)
        if record == "full":  # as flashpoint run --full writes it
            res.write_parquet(tmp_path / "timeseries.parquet")
        res.timeseries  # noqa: B018 - the quantile table run writes
        peak = tracemalloc.get_traced_memory()[1]
        tracemalloc.stop()
        est = estimate_memory(sc, record) - BASE_MEMORY  # less the interpreter allowance
        assert peak <= est <= 4 * peak + 50 * 1024**2, (record, peak, est)


def test_extreme_but_valid_economies_stay_finite(tmp_path):
    p = scenario(tmp_path, "extends: baseline\nname: x\ntime_step_months: 12\nsteps: 2000\n"
                           "actors:\n  Estonia: {economy: {gdp_usd_bn: 0.1, growth_pct_yr: -20}}\n"
                           "  US: {economy: {gdp_usd_bn: 900000, growth_pct_yr: 20}}\n"
                           "  Russia: {military: {spending_pct_gdp: 12}}\n")
    res = run(load_scenario(p), replicates=3)
    assert np.isfinite(res.timeseries["value"]).all()
    spend = res.series("spending_pct_gdp", "Estonia", "p50")
    assert np.isfinite(spend).all()


def test_no_output_of_a_run_holds_nan_or_inf(tmp_path):
    for name in ("baseline", "invasion-2022"):
        out = tmp_path / name
        assert main(["run", name, "-R", "20", "--steps", "96", "-q", "--full", "--out",
                     str(out)]) == 0
        for csv in ("timeseries.csv", "events.csv"):
            df = pd.read_csv(out / csv)
            values = df.select_dtypes("number").to_numpy(dtype=float)
            assert np.isfinite(values[~np.isnan(values)]).all()
        ts = pd.read_csv(out / "timeseries.csv")
        assert ts["value"].notna().all()
        assert np.isfinite(pd.read_parquet(out / "timeseries.parquet")["value"]).all()
        json.loads((out / "summary.json").read_text(),
                   parse_constant=lambda c: pytest.fail(f"{c} in summary.json"))
        assert "null" not in (out / "summary.json").read_text()


# ---- messages that name the problem -------------------------------------------------------------
def test_set_errors_name_the_override(tmp_path, capsys):
    code, _ = run_cli(tmp_path, "baseline", "--set", "no.such.field=3")
    err = capsys.readouterr().err
    assert code == 2 and "--set no.such.field=3" in err and "unknown field 'no'" in err
    code, _ = run_cli(tmp_path, "baseline", "--set", "actors.NAT0.posture.dialogue=0.3")
    err = capsys.readouterr().err
    assert code == 2 and "no actor 'NAT0'" in err and "did you mean NATO?" in err
    assert "actors are NATO, US, EU" in err


def test_event_error_from_set_is_reported_at_the_set(tmp_path, capsys):
    code, _ = run_cli(tmp_path, "invasion-2022", "--set",
                      "events=[{date: 2017-01, name: x, effects: [{target: Narnia.dialogue, "
                      "add: 1}]}]")
    err = capsys.readouterr().err
    assert code == 2 and "error: --set events=" in err and "no actor 'Narnia'" in err
    assert "invasion-2022.yaml" not in err


def test_validate_reports_every_bad_file(tmp_path, capsys):
    bad1 = scenario(tmp_path, b"name: caf\xe9\n", "latin.yaml")
    bad2 = scenario(tmp_path, "extends: baseline\nname: x\nsteps: -4\n", "steps.yaml")
    assert main(["validate", str(bad1), "baseline", str(tmp_path / "missing.yaml"),
                 str(bad2)]) == 2
    cap = capsys.readouterr()
    assert "latin.yaml:1:" in cap.err and "missing.yaml: file not found" in cap.err
    assert "steps.yaml:3: steps" in cap.err and "baseline: ok" in cap.out


def test_written_scenario_reruns_the_run_on_its_own(tmp_path):
    a, b = tmp_path / "a", tmp_path / "b"
    assert main(["run", "baseline", "--seed", "7", "-R", "20", "--steps", "30", "-q",
                 "--no-plot", "--out", str(a)]) == 0
    written = yaml.safe_load((a / "scenario.yaml").read_text())
    assert (written["seed"], written["replicates"], written["steps"]) == (7, 20, 30)
    assert main(["run", str(a / "scenario.yaml"), "-q", "--no-plot", "--out", str(b)]) == 0
    assert (a / "timeseries.csv").read_bytes() == (b / "timeseries.csv").read_bytes()


def test_limits_are_documented_in_the_readme():
    readme = (Path(__file__).resolve().parent.parent / "README.md").read_text()
    for value in (f"{limits.MAX_FILE_BYTES_DEFAULT // 2**20} MiB", f"{limits.MAX_DEPTH}",
                  f"{limits.MAX_NODES:,}", f"{limits.MAX_EXTENDS}", f"{limits.MAX_ACTORS}",
                  f"{limits.MAX_EVENTS:,}", f"{limits.LAST_YEAR}"):
        assert value in readme, value


def test_nesting_beyond_libyamls_own_limit_is_an_error_too(tmp_path, capsys):
    p = scenario(tmp_path, "name: deep\nx: " + "[" * 50_000 + "]" * 50_000 + "\n")
    code, _ = run_cli(tmp_path, p)
    assert code == 2 and "s.yaml:2:" in capsys.readouterr().err


@pytest.mark.parametrize("field, value", [("reference", "/etc/passwd"),
                                          ("calibration", "../elsewhere.yaml")])
def test_reference_and_calibration_files_obey_the_extends_rule(tmp_path, capsys, field, value):
    p = scenario(tmp_path, f"extends: baseline\nname: x\n{field}: {value}\n")
    code, out = run_cli(tmp_path, p)
    err = capsys.readouterr().err
    assert code == 2 and f"s.yaml:3: {field}: '{field}'" in err and not out.exists()
