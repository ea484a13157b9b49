"""What-ifs move outcomes in the direction their theory predicts (sign and rough size).

Each pair of runs shares seed and replicates (common random numbers), so differences are the
effect of the lever, not noise. The scenario's reference (its calibrated equilibrium) is the file
without the lever, so the lever is not re-calibrated away.
"""

import numpy as np
import pytest

from sim import load_scenario, run
from sim.cli import main

R, STEPS, SEED = 40, 60, 11
EFP = "actors.NATO.posture.deployment_troops=6600"


def outcomes(overrides=(), events=(), name="baseline"):
    sc = load_scenario(name, list(overrides), events=list(events))
    return run(sc, seed=SEED, replicates=R, steps=STEPS, record="summary").outcomes


@pytest.fixture(scope="module")
def base():
    return outcomes()


def delta(base, column, **lever):
    return float((outcomes(**lever)[column] - base[column]).mean())


def test_efp_doubled_by_set_and_by_event_at_the_start_agree(base):
    by_set = [delta(base, c, overrides=[EFP]) for c in
              ("Russia.final_deployment_troops", "NATO-Russia.final_tension")]
    by_event = [delta(base, c, events=["2016-07 NATO.deployment_troops*2"]) for c in
                ("Russia.final_deployment_troops", "NATO-Russia.final_tension")]
    assert by_set[0] > 1000 and by_set[1] > 1.0  # Russia answers; tension rises (spiral)
    for s, e in zip(by_set, by_event, strict=True):
        assert np.sign(s) == np.sign(e) and abs(s - e) <= 0.25 * abs(s)


def test_extends_child_moves_like_set(base, tmp_path):
    child = tmp_path / "efp-doubled.yaml"
    child.write_text("extends: baseline\nname: efp-doubled\nactors:\n  NATO:\n"
                     "    posture: {deployment_troops: 6600}\n")
    sc = load_scenario(child)
    assert sc.reference_scenario is not None and sc.reference_scenario.name == "baseline"
    got = run(sc, seed=SEED, replicates=R, steps=STEPS, record="summary").outcomes
    d_child = float((got["Russia.final_deployment_troops"]
                     - base["Russia.final_deployment_troops"]).mean())
    d_set = delta(base, "Russia.final_deployment_troops", overrides=[EFP])
    assert d_child == pytest.approx(d_set, rel=1e-9)


def test_spiral_and_deterrence_readings_predict_opposite_responses():
    def russia(reading, *extra):
        return outcomes([f"submodels.threat.reading={reading}", *extra])[
            "Russia.final_deployment_troops"].mean()
    spiral = russia("spiral", EFP) - russia("spiral")
    deterrence = russia("deterrence", EFP) - russia("deterrence")
    assert spiral > 500 and deterrence < -500


def test_us_turning_away_weakens_deterrence(base):
    assert delta(base, "Estonia.min_deterrence_margin",
                 overrides=["actors.US.doctrine.commitment=0.3"]) < -0.1
    assert delta(base, "Poland.final_article5_belief",
                 overrides=["actors.US.doctrine.commitment=0.3"]) < -0.1


def test_deeper_sanctions_cost_russia(base):
    d = delta(base, "Russia.final_gdp_usd_bn",
              overrides=["actors.EU.posture.sanctions_energy=0.9",
                         "actors.EU.posture.sanctions_finance=0.9"])
    assert d < -0.03 * base["Russia.final_gdp_usd_bn"].mean()  # ~1 pp of growth a year


def test_threat_sensitivity_raises_tension(base):
    assert delta(base, "NATO-Russia.peak_tension",
                 overrides=["actors.NATO.doctrine.threat_sensitivity=5"]) > 3.0


def test_dialogue_resumed_lowers_tension(base):
    assert delta(base, "NATO-Russia.final_tension",
                 overrides=["actors.NATO.posture.dialogue=0.6",
                            "actors.Russia.posture.dialogue=0.6"]) < -3.0


def test_event_option_on_the_command_line(tmp_path, capsys):
    out = tmp_path / "o"
    assert main(["run", "baseline", "--event", "2017-01 NATO.deployment_troops*2", "-R", "4",
                 "--steps", "12", "--no-plot", "-q", "--out", str(out)]) == 0
    assert (out / "reference.yaml").exists()
    assert "2017-01 NATO.deployment_troops*2" in (out / "scenario.yaml").read_text()
    assert main(["run", "baseline", "--event", "soon NATO.dialogue=1", "--out", str(out)]) == 2
    assert "--event soon NATO.dialogue=1" in capsys.readouterr().err
