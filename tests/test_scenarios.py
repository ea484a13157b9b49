"""Every bundled scenario runs, is listed, is documented, and its what-if moves the way it says."""

from pathlib import Path

import pytest

from sim import load_scenario, run
from sim.cli import main
from sim.scenario.bundled import bundled_names

ROOT = Path(__file__).resolve().parent.parent
NAMES = bundled_names()


def test_the_library_is_there():
    assert len(NAMES) >= 15 and {"baseline", "historical-2014", "invasion-2022"} <= set(NAMES)


@pytest.mark.parametrize("name", NAMES)
def test_each_scenario_runs_and_is_documented(name, tmp_path):
    out = tmp_path / name
    assert main(["run", name, "-R", "3", "--steps", "24", "--no-plot", "-q", "--out",
                 str(out)]) == 0
    assert (out / "summary.json").exists()
    assert f"`{name}`" in (ROOT / "docs" / "scenarios.md").read_text()


def test_flashpoint_scenarios_lists_every_one(capsys):
    assert main(["scenarios"]) == 0
    listed = capsys.readouterr().out
    assert all(f"{n}.yaml" in listed for n in NAMES)


def final_tension(name, replicates=30):
    r = run(load_scenario(name), seed=2, replicates=replicates, record="summary")
    return r.outcomes["NATO-Russia.final_tension"].mean()


def test_hotline_lowers_tension_after_the_same_incident():
    assert final_tension("baltic-incident-hotline") < final_tension("baltic-incident") - 3


def test_dialogue_resumed_lowers_tension_against_the_baseline():
    assert final_tension("dialogue-resumed") < final_tension("baseline") - 10


def test_us_disengagement_weakens_deterrence():
    def margin(name):
        r = run(load_scenario(name), seed=2, replicates=30, record="summary")
        return r.outcomes["Estonia.min_deterrence_margin"].mean()
    assert margin("us-disengagement") < margin("baseline") - 0.1
