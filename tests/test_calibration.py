"""flashpoint calibrate: a real optimiser on data up to 2019, seeded, reproducible."""

from pathlib import Path

import numpy as np
import pandas as pd
import pytest
import yaml

from sim import load_scenario, run
from sim.calibration.fit import calibrate, evaluate
from sim.calibration.parameters import CALIBRATED
from sim.calibration.shipped import SHIPPED, load_calibration, load_ensemble
from sim.calibration.targets import observed
from sim.cli import main

ROOT = Path(__file__).resolve().parent.parent
DATA = ROOT / "data"


def test_declared_parameters_are_few_and_variable():
    from sim import parameter_space

    names = set(parameter_space(load_scenario("historical-2014"))["names"])
    assert len(CALIBRATED) <= 15
    for p in CALIBRATED:
        assert p.path in names and p.lo < p.hi and p.reason


def test_the_optimiser_lowers_the_loss_and_is_seeded():
    a = calibrate(data_dir=DATA, popsize=2, maxiter=3, replicates=2, seed=3)
    b = calibrate(data_dir=DATA, popsize=2, maxiter=3, replicates=2, seed=3)
    assert a.best == b.best and a.best_loss == b.best_loss
    base = load_scenario("historical-2014", calibration={})
    from sim.calibration.fit import FIT_END, steps_to
    from sim.calibration.priors import unfitted
    from sim.engine.runner import with_run_settings

    sc = with_run_settings(base, steps=steps_to(base, FIT_END), seed=3)
    centre = np.array([[(p.lo + p.hi) / 2 for p in CALIBRATED]])
    centre_loss, _ = evaluate(centre, sc, observed(DATA), 2, 3,
                              unfitted=unfitted(base, {p.path for p in CALIBRATED}))
    assert a.best_loss <= float(centre_loss[0])  # better than the middle of the priors


def test_calibrated_runs_differ_and_bad_files_are_refused(tmp_path, capsys):
    best = load_calibration()
    assert set(best) == {p.path for p in CALIBRATED}
    assert load_scenario("historical-2014").calibration == "shipped"  # the hindcast uses it
    plain = run(load_scenario("historical-2014", calibration={}), seed=1, replicates=20,
                record="summary")
    fitted = run(load_scenario("historical-2014", calibration=best), seed=1, replicates=20,
                 record="summary")
    assert not np.allclose(plain.outcomes["incidents_per_month"],
                           fitted.outcomes["incidents_per_month"])
    out = tmp_path / "o"
    assert main(["run", "historical-2014", "--calibrated", "-R", "3", "--steps", "12",
                 "--no-plot", "-q", "--out", str(out)]) == 0
    written = yaml.safe_load((out / "scenario.yaml").read_text())
    assert written["submodels"]["incidents"]["base_rate"] == pytest.approx(
        best["submodels.incidents.base_rate"])
    bad = tmp_path / "bad.yaml"
    bad.write_text("best: 3\n")
    assert main(["run", "baseline", "--calibrated", str(bad), "--out", str(tmp_path / "b")]) == 2
    assert "not a calibration file" in capsys.readouterr().err
    # bounded like a scenario: aliases counted as they expand, before anything is built
    bomb = tmp_path / "bomb.yaml"
    lines = ["flashpoint_calibration: 1", "a0: &a0 [1, 1, 1, 1, 1, 1, 1, 1, 1, 1]"]
    lines += [f"a{k}: &a{k} [{', '.join([f'*a{k - 1}'] * 10)}]" for k in range(1, 8)]
    bomb.write_text("\n".join(lines + ["best: {x: 1.0}"]) + "\n")
    assert main(["run", "baseline", "--calibrated", str(bomb), "--out", str(tmp_path / "c")]) == 2
    assert "YAML nodes" in capsys.readouterr().err
    assert not (tmp_path / "c").exists()


def test_calibrate_command_writes_its_files_and_never_over_user_files(tmp_path, capsys):
    out = tmp_path / "cal"
    assert main(["calibrate", "--method", "de", "--data", str(DATA), "--out", str(out),
                 "--popsize", "2", "--maxiter", "2", "--replicates", "2", "-q"]) == 0
    assert sorted(p.name for p in out.iterdir()) == sorted(
        ["calibration.yaml", "ensemble.csv", "report.md", "fit.png", "provenance.json"])
    # its own earlier output is replaced; a folder holding only a user's report.md is not
    assert main(["calibrate", "--method", "de", "--data", str(DATA), "--out", str(out),
                 "--popsize", "2", "--maxiter", "1", "--replicates", "2", "-q"]) == 0
    theirs = tmp_path / "theirs"
    theirs.mkdir()
    (theirs / "report.md").write_text("my report")
    assert main(["calibrate", "--data", str(DATA), "--out", str(theirs), "--maxiter", "1",
                 "-q"]) == 2
    assert (theirs / "report.md").read_text() == "my report"
    mine = tmp_path / "mine"
    mine.mkdir()
    (mine / "notes.txt").write_text("keep")
    assert main(["calibrate", "--data", str(DATA), "--out", str(mine), "--maxiter", "1",
                 "-q"]) == 2
    assert (mine / "notes.txt").read_text() == "keep"
    assert main(["calibrate", "--data", str(tmp_path), "--out", str(tmp_path / "x")]) == 2
    assert "milex_gdp.csv" in capsys.readouterr().err


@pytest.mark.slow
def test_calibrate_reproduces_the_shipped_calibration(tmp_path):
    """The shipped posterior is what `flashpoint calibrate --method abc` writes (seeded)."""
    settings = yaml.safe_load(SHIPPED.read_text())["settings"]
    method = ["--method", "abc", "--particles", str(settings["particles"]), "--generations",
              str(settings["generations"])] if settings.get("method") == "abc-smc" else []
    out = tmp_path / "cal"
    method = method or ["--method", "de"]
    assert main(["calibrate", *method, "--data", str(DATA), "--out", str(out), "-q"]) == 0
    assert (out / "calibration.yaml").read_text() == SHIPPED.read_text()


def test_replicates_draw_from_the_ensemble_so_bands_carry_parameter_uncertainty():
    r = run("historical-2014", seed=1, replicates=40, steps=24, record="summary")
    rate = r.outcomes["submodels.incidents.base_rate"]
    members = [m["submodels.incidents.base_rate"] for m in load_ensemble()][:40]
    assert rate.iloc[0] == pytest.approx(members[0])  # replicate r takes member r mod k
    assert set(np.round(rate, 6)) == set(np.round(members, 6)) and rate.nunique() > 5
    fixed = run(load_scenario("historical-2014", ["ensemble=false"]), seed=1, replicates=40,
                steps=24, record="summary").outcomes
    assert "submodels.incidents.base_rate" not in fixed.columns
    # parameter uncertainty widens the spread of outcomes beyond incident noise alone
    assert (r.outcomes["Russia.final_spending_pct_gdp"].std()
            > fixed["Russia.final_spending_pct_gdp"].std())


@pytest.mark.parametrize("source", ["shipped", "file"])
def test_calibrated_results_rerun_identically(tmp_path, source):
    a, b = tmp_path / "a", tmp_path / "b"
    flag = ["--calibrated"] if source == "shipped" else ["--calibrated", str(SHIPPED)]
    assert main(["run", "baseline", *flag, "-R", "6", "--steps", "18", "--no-plot", "-q",
                 "--out", str(a)]) == 0
    written = yaml.safe_load((a / "scenario.yaml").read_text())
    assert written["calibration"] == ("shipped" if source == "shipped" else "calibration.yaml")
    assert (a / "calibration.yaml").exists() == (source == "file")
    assert main(["run", str(a / "scenario.yaml"), "--no-plot", "-q", "--out", str(b)]) == 0
    assert (a / "timeseries.csv").read_bytes() == (b / "timeseries.csv").read_bytes()


def test_bundled_scenarios_run_on_the_calibration_by_default():
    for name in ("baseline", "invasion-2022", "efp-doubled", "historical-2014"):
        sc = load_scenario(name)
        assert sc.ensemble_members, name
        best = load_calibration()
        assert sc.actors["Russia"].doctrine.cost_sensitivity == best[
            "actors.Russia.doctrine.cost_sensitivity"]


def test_a_child_that_changes_nothing_reproduces_its_parent_exactly(tmp_path):
    """The reference draws each replicate's ensemble member too: an unchanged what-if is its
    parent, replicate for replicate (it was not when only the run drew the ensemble)."""
    child = tmp_path / "same.yaml"
    child.write_text("extends: baseline\nname: same\n")
    a = run(load_scenario("baseline"), seed=4, replicates=12, steps=36, record="summary")
    b = run(load_scenario(child), seed=4, replicates=12, steps=36, record="summary")
    cols = [c for c in a.outcomes.columns if c != "scenario"]
    pd.testing.assert_frame_equal(a.outcomes[cols], b.outcomes[cols])


def test_a_calibrated_parameter_chosen_by_set_or_by_a_child_is_kept_in_every_replicate(tmp_path):
    path = "actors.Russia.doctrine.reciprocity"
    by_set = run(load_scenario("baseline", [f"{path}=0.9"]), seed=2, replicates=6, steps=24,
                 record="summary")
    child = tmp_path / "reciprocal.yaml"
    child.write_text("extends: baseline\nname: reciprocal\nactors:\n  Russia:\n"
                     "    doctrine: {reciprocity: 0.9}\n")
    sc = load_scenario(child)
    assert sc.actors["Russia"].doctrine.reciprocity == 0.9  # not calibrated away
    by_child = run(sc, seed=2, replicates=6, steps=24, record="summary")
    plain = run(load_scenario("baseline"), seed=2, replicates=6, steps=24, record="summary")
    assert path in plain.outcomes and plain.outcomes[path].nunique() > 3  # drawn per replicate
    for res in (by_set, by_child):
        assert path not in res.outcomes  # not redrawn: every replicate has the chosen 0.9
        assert res.outcomes["actors.NATO.doctrine.reciprocity"].nunique() > 3  # others are


@pytest.mark.parametrize("options", [["--set", "actors.Russia.doctrine.reciprocity=0.9"],
                                     ["--calibrated", "none"]])
def test_a_chosen_parameter_and_no_calibration_rerun_identically(tmp_path, options):
    a, b = tmp_path / "a", tmp_path / "b"
    assert main(["run", "baseline", *options, "-R", "6", "--steps", "18", "--no-plot", "-q",
                 "--out", str(a)]) == 0
    written = yaml.safe_load((a / "scenario.yaml").read_text())
    if options[0] == "--set":
        assert written["calibration"] == "shipped"
        assert written["calibration_keeps"] == ["actors.Russia.doctrine.reciprocity"]
        assert written["actors"]["Russia"]["doctrine"]["reciprocity"] == 0.9
    else:
        assert written["calibration"] is None
        assert written["actors"]["Russia"]["doctrine"]["reciprocity"] == 0.4  # the file's own
    assert main(["run", str(a / "scenario.yaml"), "--no-plot", "-q", "--out", str(b)]) == 0
    assert (a / "timeseries.csv").read_bytes() == (b / "timeseries.csv").read_bytes()


def test_a_runs_own_vary_is_held_where_the_draws_meet_a_joint_rule():
    """The calibration draws the other deterrence weights; a study's own w_tripwire of 0.6 is
    kept in every replicate and the drawn weights give way, so the belief's weights still sum to
    at most 1 (the rule) instead of the run failing."""
    from sim import FlashpointModel

    m = FlashpointModel("baseline", replicates=40, seed=1,
                        vary={"submodels.deterrence.w_tripwire": np.full(40, 0.6)})
    p = m.params.deterrence
    assert (p.w_tripwire == 0.6).all()
    total = p.w_commitment + p.w_tripwire + p.w_exercises + p.w_signals
    assert total.max() <= 1.0 + 1e-9 and np.unique(p.w_commitment).size > 5


def test_a_what_ifs_own_constants_are_its_premise_not_draws():
    """baltic-buildup sets the reinforcement in time to 500 troops (its premise): a fitted
    constant, but the what-if's choice, so every replicate keeps it while the baseline's
    replicates take their members' values."""
    from sim import FlashpointModel

    path = "submodels.deterrence.reinforcement_troops"
    sc = load_scenario("baltic-buildup")
    assert path in sc.calibrated_on.chosen_paths
    assert (FlashpointModel(sc, replicates=6).params.deterrence.reinforcement_troops == 500).all()
    base = FlashpointModel("baseline", replicates=6).params.deterrence.reinforcement_troops
    assert np.unique(base).size > 3 and path not in load_scenario("baseline").calibrated_on.chosen_paths


@pytest.mark.parametrize(("ensemble", "message"), [
    ("{paths: [submodels.incidents.base_rate], members: \"1.0\\nnan\\n\"}", "finite"),
    ("{paths: [submodels.incidents.base_rate], members: \"1.0 2.0\\n3.0\\n\"}", "same count"),
    ("{paths: [a, b], members: \"1.0\\n2.0\\n\"}", "name each column"),
    ("{paths: [submodels.incidents.base_rate], members: \"1.0\\nx\\n\"}", "not a number"),
    ("{paths: [submodels.incidents.base_rate], members: \"1.0\\n2.0\\n\", draws: \"5 0\\n\"}",
     "one 'seed replicate' line a member"),
    ("{paths: [submodels.incidents.base_rate], members: \"1.0\\n\", draws: \"5 -1\\n\"}",
     "whole numbers >= 0"),
])
def test_a_malformed_posterior_block_is_refused_before_anything_runs(tmp_path, capsys, ensemble,
                                                                     message):
    bad = tmp_path / "cal.yaml"
    bad.write_text("flashpoint_calibration: 1\nbest: {submodels.incidents.base_rate: 1.0}\n"
                   f"ensemble: {ensemble}\n")
    out = tmp_path / "out"
    assert main(["run", "baseline", "--calibrated", str(bad), "-R", "2", "--steps", "2",
                 "--no-plot", "-q", "--out", str(out)]) == 2
    err = capsys.readouterr().err
    assert message in err and "cal.yaml" in err and not out.exists()
