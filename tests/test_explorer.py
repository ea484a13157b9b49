"""The explorer (issue 11): levers, moves, the served model, the views, and the page in a browser.

The browser test starts ``flashpoint explore``'s server on a free loopback port and drives
Debian's chromium through Playwright: it moves a slider, resets, steps, and checks that the
tension chart changed and no error shows; its screenshot is saved with the test's files
(``FLASHPOINT_SCREENSHOT=path`` copies it there: the README's screenshot).
"""

from __future__ import annotations

import json
import os
import shutil
import signal
import socket
import subprocess
import sys
import time
import urllib.request
from pathlib import Path

import numpy as np
import pytest
import yaml
from hypothesis import given, settings
from hypothesis import strategies as st

import sim
from analysis.explorer import answers, free_port, server_command, start
from analysis.explorer.levers import BY_LEVER, LEVERS, READINGS, overrides
from analysis.explorer.model import ExplorerModel
from analysis.explorer.moves import HOTLINE, moves

ROOT = Path(__file__).resolve().parent.parent
PNG = b"\x89PNG\r\n\x1a\n"


@pytest.fixture(scope="module")
def baseline():
    return sim.load_scenario("baseline")


# ---- levers --------------------------------------------------------------------------------------
def test_neutral_levers_change_nothing(baseline):
    assert overrides(baseline, {lever.name: lever.neutral for lever in LEVERS}) == []


def test_a_scale_lever_multiplies_and_a_shift_lever_adds_within_the_schema(baseline):
    nato = baseline.actors["NATO"].posture.deployment_troops
    assert overrides(baseline, {"efp_scale": 2.0}) == [
        f"actors.NATO.posture.deployment_troops={2 * nato!r}"]
    got = overrides(baseline, {"sanctions_finance": 1.0})
    assert {o.split("=")[0] for o in got} == {"actors.US.posture.sanctions_finance",
                                              "actors.EU.posture.sanctions_finance"}
    assert all(float(o.split("=")[1]) == 1.0 for o in got)  # clipped to the schema's [0, 1]
    assert overrides(baseline, {}, "deterrence") == ["submodels.threat.reading=deterrence"]


@pytest.mark.parametrize("values", [{"no_such": 1.0}, {"efp_scale": float("nan")},
                                    {"efp_scale": 9.0}, {"dialogue": -2.0}])
def test_bad_lever_values_are_refused(baseline, values):
    with pytest.raises(ValueError):
        overrides(baseline, values)


def _russia(m):
    return m.topology.index["Russia"]


LEVER_EFFECTS = {
    # lever: (value, outcome, sign, least size): its paired effect after two years, R = 100
    "efp_scale": (2.0, "tension_index", +1, 0.5),              # spiral: defence read as threat
    "exercises_scale": (2.0, "tension_index", +1, 0.5),
    "dialogue": (0.3, "tension_index", -1, 2.0),               # reassurance (Jervis)
    "russia_threat_sensitivity": (2.0, "tension_index", +1, 5.0),
    "us_commitment": (0.1, "article5_belief", +1, 0.01),       # credibility (Schelling)
    "eu_cohesion": (0.2, "russia_gdp", -1, 0.5),               # a cohesive union sanctions more
    "sanctions_finance": (0.3, "russia_gdp", -1, 2.0),         # cost to the target (HSE)
    "sanctions_energy": (0.3, "russia_gdp", -1, 2.0),
    "sanctions_defence": (0.3, "russia_gdp", -1, 0.5),
    "russia_risk_tolerance": (0.3, "deterrence_margin", -1, 0.02),  # Kahn: a risk-taker is
}                                                                    # harder to deter
OUTCOMES = {
    "tension_index": lambda m: m.tension_index,
    "article5_belief": lambda m: m.state.article5_belief.mean(axis=0),
    "russia_gdp": lambda m: m.state.gdp_usd_bn[_russia(m)],
    "deterrence_margin": lambda m: m.state.deterrence_margin.mean(axis=0),
}


def test_every_lever_is_tested():
    assert set(LEVER_EFFECTS) == set(BY_LEVER)


@pytest.mark.parametrize("name", list(LEVER_EFFECTS))
def test_every_lever_moves_its_outcome_the_way_its_theory_says(name):
    value, outcome, sign, least = LEVER_EFFECTS[name]
    m = ExplorerModel(replicates=100, seed=3, **{name: value})
    for _ in range(24):
        m.step()
    measure = OUTCOMES[outcome]
    effect = float(np.median(measure(m) - measure(m.comparison)))
    assert sign * effect > least, (name, outcome, effect)


@given(values=st.fixed_dictionaries({
    lever.name: st.floats(lever.lo, lever.hi, allow_nan=False) for lever in LEVERS}),
    reading=st.sampled_from(READINGS))
@settings(deadline=None)
def test_any_slider_positions_make_a_valid_scenario(baseline, values, reading):
    sets = overrides(baseline, values, reading)
    scenario = sim.load_scenario("baseline", overrides=sets, with_reference=False)
    nato = scenario.actors["NATO"].posture.deployment_troops
    assert nato == pytest.approx(baseline.actors["NATO"].posture.deployment_troops
                                 * values["efp_scale"])


@pytest.mark.parametrize("name", sim.bundled_names())
def test_every_bundled_scenario_opens_and_steps_in_the_explorer(name):
    m = ExplorerModel(scenario_file=name, replicates=3, seed=1, efp_scale=1.5,
                      reading="deterrence")
    m.step()
    m.step()
    assert m.steps == 2 and np.isfinite(m.tension_index).all()
    assert len(m.difference) == 3


# ---- the model -----------------------------------------------------------------------------------
def test_the_page_serves_flashpoints_model_and_neutral_levers_reproduce_it():
    m = ExplorerModel(replicates=50, seed=7)
    plain = sim.FlashpointModel("baseline", replicates=50, seed=7)
    assert isinstance(m, sim.FlashpointModel)
    for _ in range(12):
        m.step()
        plain.step()
    np.testing.assert_array_equal(m.tension_index, plain.tension_index)
    assert np.all(np.array(m.difference) == 0.0)  # the comparison is the same run
    assert len(m.rung_shares) == 13 and np.allclose(np.sum(m.rung_shares, axis=1), 1.0)
    assert m.agents.get("name")  # agents expose their state for Mesa's tools
    assert m.title == "baseline"


def test_bad_model_settings_are_refused():
    with pytest.raises(ValueError, match="replicates"):
        ExplorerModel(replicates=0)
    with pytest.raises(ValueError, match="seed"):
        ExplorerModel(seed="abc")
    with pytest.raises(ValueError, match="unknown lever"):
        ExplorerModel(efp=2.0)
    with pytest.raises(sim.ScenarioError):
        ExplorerModel(scenario_file="no-such-scenario")


def test_invasion_now_raises_tension_and_the_hotline_lowers_it():
    invasion = next(k for k in moves() if k.startswith("Invasion of Ukraine"))
    hotline = next(k for k in moves() if k.startswith("Hotline"))
    effects = {}
    for label in (invasion, hotline):
        m = ExplorerModel(replicates=100, seed=5)
        for _ in range(6):
            m.step()
        assert m.move(label) == []
        for _ in range(12):
            m.step()
        effects[label] = m.difference[-1][2]
        assert m.moves_applied[0][:2] == (6, label)
        assert any(kind == "shock" for _, _, _, kind, *_ in m.recorder.events)
    assert effects[invasion] > 5.0
    assert effects[hotline] < -0.5


def test_the_page_reports_a_bad_seed_or_file_instead_of_failing(tmp_path):
    from analysis.explorer import views
    from analysis.explorer.app import PageModel

    m = PageModel(seed="abc", replicates=3, efp_scale=2.0)
    assert m.seed == 1 and m.lever_values["efp_scale"] == 2.0
    assert "seed must be a whole number" in views.status(m)
    broken = tmp_path / "broken.yaml"
    broken.write_text("name: [\n")
    m = PageModel(scenario_file=str(broken), seed="x", replicates=3)
    assert m.spec.name == "baseline" and "broken.yaml" in m.input_error
    assert PageModel(replicates=3).input_error is None


def test_a_move_skips_what_the_scenario_lacks():
    finland = next(k for k in moves() if k.startswith("Finland's pledge"))
    m = ExplorerModel(replicates=5, compare=False)
    skipped = m.move(finland)
    assert skipped and all(s.startswith("Finland.") for s in skipped)
    m.step()  # and the run goes on


def test_the_hotline_is_the_hotline_scenarios_postures():
    data = yaml.safe_load((ROOT / "scenarios" / "baltic-incident-hotline.yaml").read_text())
    want = {f"{actor}.{key}": value for actor, spec in data["actors"].items()
            for key, value in spec["posture"].items()}
    got = {e["target"]: e["set"] for e in HOTLINE["effects"]}
    assert got == want


def test_moves_are_the_bundled_scenarios_events_once_each():
    labels = list(moves())
    names = [label.rsplit(" (", 1)[0] for label in labels]
    assert len(names) == len(set(names))
    assert any(n == "Invasion of Ukraine" for n in names)
    assert all(sim.Event.model_validate(e) for e in moves().values())


# ---- views ---------------------------------------------------------------------------------------
def test_every_view_draws_the_live_run():
    from analysis.explorer import views

    m = ExplorerModel(replicates=20, seed=2, efp_scale=2.0)
    for _ in range(5):
        m.step()
    m.move(next(k for k in moves() if k.startswith("Invasion of Ukraine")))
    m.step()
    for draw in (views.tension_png, views.ladder_png, views.difference_png, views.actors_png,
                 views.map_png):
        assert draw(m).startswith(PNG)
    assert views.map_png(m, "deterrence_margin").startswith(PNG)
    for group in views.ACTOR_PANELS:
        assert views.actors_png(m, group).startswith(PNG)
    log = views.event_log(m)
    assert list(log.columns) == ["date", "kind", "entity", "detail"]
    assert (log["kind"] == "shock").any()
    text = views.status(m)
    assert "eFP troops × 2" in text and "Invasion of Ukraine (step 5)" in text
    assert views.difference_png(ExplorerModel(replicates=2, compare=False)) is None


def test_one_replicate_draws_too():
    from analysis.explorer import views

    m = ExplorerModel(replicates=1)
    m.step()
    assert views.tension_png(m).startswith(PNG)


def test_the_map_names_every_frontline_state_of_the_bundled_scenarios():
    from analysis.explorer.views import shapes

    countries = {c["name"] for c in shapes()["countries"]}
    for name in sim.bundled_names():
        sc = sim.load_scenario(name, with_reference=False)
        front = {a for a, spec in sc.actors.items() if spec.kind in ("frontline", "challenger")}
        assert front <= countries, (name, front - countries)


# ---- the command ---------------------------------------------------------------------------------
def test_explore_refuses_a_bad_scenario_and_a_busy_port(tmp_path, capsys):
    from sim.cli import main

    bad = tmp_path / "bad.yaml"
    bad.write_text("name: x\nactors: 3\n")
    assert main(["explore", str(bad)]) == 2
    assert "bad.yaml" in capsys.readouterr().err
    assert main(["explore", "--seed", "-1"]) == 2
    assert main(["explore", "-R", "0"]) == 2
    assert main(["explore", "--port", "70000"]) == 2
    capsys.readouterr()
    with socket.socket() as s:
        s.bind(("127.0.0.1", 0))
        s.listen()
        port = s.getsockname()[1]
        assert main(["explore", "--port", str(port)]) == 2
        assert "in use" in capsys.readouterr().err


def test_the_server_is_told_to_stay_offline_and_given_the_files(tmp_path):
    scenario = ROOT / "scenarios" / "efp-doubled.yaml"
    mine = tmp_path / "mine.yaml"
    mine.write_text("extends: baseline\nname: mine\n")
    cmd, env = server_command([scenario, "invasion-2022", mine], port=free_port(), seed=0,
                              replicates=9000)
    assert "--no-check-version" in cmd and "127.0.0.1" in cmd
    assert env["SOLARA_TELEMETRY_MIXPANEL_ENABLE"] == "false"
    given = json.loads(env["FLASHPOINT_EXPLORE"])
    assert given["scenario"] == str(scenario.resolve())
    assert given["choices"] == [str(scenario.resolve()), str(mine.resolve())]
    env_before = os.environ.get("FLASHPOINT_EXPLORE")
    try:
        os.environ["FLASHPOINT_EXPLORE"] = env["FLASHPOINT_EXPLORE"]
        from analysis.explorer.app import settings as page_settings

        config = page_settings()
    finally:
        if env_before is None:
            os.environ.pop("FLASHPOINT_EXPLORE", None)
        else:
            os.environ["FLASHPOINT_EXPLORE"] = env_before
    assert config["choices"][:2] == given["choices"] and "baseline" in config["choices"]
    assert (config["seed"], config["replicates"]) == (0, 9000)
    from analysis.explorer.app import model_params

    assert model_params(config)["replicates"]["max"] == 9000
    m = ExplorerModel(scenario_file=config["choices"][1], replicates=2)
    assert m.spec.name == "mine"


def test_stopping_flashpoint_explore_stops_its_server():
    port = free_port()
    exe = str(Path(sys.executable).with_name("flashpoint"))
    parent = subprocess.Popen([exe, "explore", "--port", str(port), "-R", "5"],
                              stdout=subprocess.DEVNULL, stderr=subprocess.DEVNULL)
    url = f"http://127.0.0.1:{port}/"
    try:
        assert answers(url, parent, 90)
        parent.send_signal(signal.SIGTERM)
        assert parent.wait(timeout=30) == 0
        with pytest.raises(OSError):  # the server went with it
            urllib.request.urlopen(url, timeout=2)
    finally:
        parent.kill()


# ---- the page in a real browser ------------------------------------------------------------------
def _browser() -> str:
    browser = shutil.which("chromium") or shutil.which("chromium-browser")
    try:
        import playwright  # noqa: F401
    except ImportError:
        browser = None
    if browser is None:
        if os.environ.get("CI"):
            pytest.fail("CI must have Debian's chromium and Playwright (.ci/run installs them)")
        pytest.skip("Debian's chromium or Playwright is not installed")
    return browser


@pytest.fixture
def server():
    try:
        proc, url = start(replicates=200, output=subprocess.PIPE)
    except RuntimeError as exc:
        pytest.fail(str(exc))
    yield url
    log = _stop(proc)
    assert "Traceback" not in log, log[-3000:]
    assert "Could not load URL" not in log, log[-3000:]  # nothing fetched from a CDN
    assert "samesite" not in log.lower(), log[-3000:]  # the cookie warning is silenced


def _stop(proc: subprocess.Popen) -> str:
    """Stop a page's server and return what it printed."""
    proc.terminate()
    try:
        out, _ = proc.communicate(timeout=20)
    except subprocess.TimeoutExpired:
        proc.kill()
        out, _ = proc.communicate()
    return out.decode(errors="replace")


def _wait_for_text(page, text: str, timeout_ms: int = 60_000) -> None:
    """Wait until ``text`` shows on the page; on a time-out, fail with what the page shows."""
    from playwright.sync_api import TimeoutError as PlaywrightTimeout

    try:
        page.get_by_text(text).wait_for(timeout=timeout_ms)
    except PlaywrightTimeout:
        pytest.fail(f"{text!r} did not show in {timeout_ms / 1000:g} s; the page showed:\n"
                    + page.inner_text("body")[-3000:])


@pytest.mark.slow  # chromium driving the page: about 30 s (CI runs the slow tests)
@pytest.mark.browser  # CI runs it alone, after the other slow tests
def test_the_page_steps_in_a_headless_browser(server, tmp_path):
    from playwright.sync_api import sync_playwright

    browser_path = _browser()
    outside: list[str] = []
    with sync_playwright() as p:
        browser = p.chromium.launch(executable_path=browser_path,
                                    args=["--no-sandbox", "--disable-gpu"])
        page = browser.new_page(viewport={"width": 1600, "height": 1100})

        def local_only(route):
            url = route.request.url
            if "katex" in url or "mermaid" in url:  # what solara.Markdown would fetch
                outside.append(url)
            if url.startswith(("http://127.0.0.1", "ws://127.0.0.1", "data:", "blob:")):
                route.continue_()
            else:  # the page must work offline: anything else is recorded and refused
                outside.append(url)
                route.abort()

        page.route("**/*", local_only)
        page.goto(server, wait_until="networkidle", timeout=90_000)
        chart = page.locator("img").first
        chart.wait_for(timeout=90_000)
        before = chart.get_attribute("src")
        slider = page.locator("[role=slider][aria-label='eFP troops ×']")
        slider.focus()
        for _ in range(4):
            slider.press("ArrowRight")  # x1 -> x2 in steps of 0.25, at a person's pace
            page.wait_for_timeout(250)
        assert slider.get_attribute("aria-valuenow") == "2"
        page.wait_for_timeout(500)
        page.get_by_role("button", name="Reset", exact=True).click()
        _wait_for_text(page, "Levers: eFP troops × 2")
        for k in range(1, 4):
            page.get_by_role("button", name="Step", exact=True).click()
            _wait_for_text(page, f"step {k} of")
        after = page.locator("img").first.get_attribute("src")
        assert after != before  # the tension chart was redrawn with the new steps
        body = page.inner_text("body")
        assert "error" not in body.lower() and "Traceback" not in body
        page.get_by_role("button", name="Apply now", exact=True).click()
        _wait_for_text(page, "Invasion of Ukraine at step 3")
        page.get_by_role("button", name="Step", exact=True).click()
        _wait_for_text(page, "step 4 of")
        if os.environ.get("FLASHPOINT_SCREENSHOT"):  # the README's: two more years
            for k in range(5, 29):
                page.get_by_role("button", name="Step", exact=True).click()
                page.get_by_text(f"step {k} of").wait_for(timeout=60_000)
        time.sleep(1.0)  # let the last image arrive
        assert page.get_by_role("tab", name="Escalation").count() == 1  # tabs named
        assert page.get_by_text("This website runs on").count() == 0  # no Solara badge
        assert page.locator(".v-slider__thumb-label").count() >= len(LEVERS)  # values shown
        page.get_by_text("Overview").first.scroll_into_view_if_needed()
        shot = tmp_path / "explorer.png"
        page.screenshot(path=str(shot))
        other = browser.new_context().new_page()  # another session has its own model
        other.route("**/*", local_only)
        other.goto(server, wait_until="networkidle", timeout=90_000)
        other.get_by_text("step 0 of").wait_for(timeout=90_000)
        assert "Levers: as the scenario" in other.inner_text("body")
        browser.close()
    assert outside == []
    assert shot.stat().st_size > 50_000
    if os.environ.get("FLASHPOINT_SCREENSHOT"):
        shutil.copy(shot, os.environ["FLASHPOINT_SCREENSHOT"])


@pytest.mark.slow
@pytest.mark.browser
def test_a_page_built_as_mesas_tutorial_resets_and_steps(tmp_path):
    """SolaraViz as Mesa's tutorial teaches (tests/pages/mesa_tutorial_page.py): Reset rebuilds
    the same flashpoint scenario through Mesa's own scenario object, and Step runs it."""
    from playwright.sync_api import sync_playwright

    from analysis.explorer import OFFLINE_ENVIRONMENT

    browser_path = _browser()
    root = Path(__file__).resolve().parent.parent
    port = free_port()
    proc = subprocess.Popen([sys.executable, "-m", "solara", "run",
                             str(root / "tests" / "pages" / "mesa_tutorial_page.py"),
                             "--host", "127.0.0.1", "--port", str(port), "--production",
                             "--no-open", "--no-check-version", "--log-level", "warning"],
                            env={**os.environ, **OFFLINE_ENVIRONMENT}, cwd=root,
                            stdout=subprocess.PIPE, stderr=subprocess.STDOUT)
    url = f"http://127.0.0.1:{port}/"
    try:
        assert answers(url, proc, 120), "the tutorial page's server did not answer"
        with sync_playwright() as p:
            browser = p.chromium.launch(executable_path=browser_path,
                                        args=["--no-sandbox", "--disable-gpu"])
            page = browser.new_page(viewport={"width": 1400, "height": 1000})
            page.goto(url, wait_until="networkidle", timeout=90_000)
            _wait_for_text(page, "Reset")
            page.get_by_role("button", name="Reset", exact=True).click()
            page.wait_for_timeout(2000)
            for _ in range(2):
                page.get_by_role("button", name="Step", exact=True).click()
                page.wait_for_timeout(1500)
            body = page.inner_text("body")
            browser.close()
        assert "Traceback" not in body and "Error" not in body, body[-2000:]
    finally:
        log = _stop(proc)
    assert "Traceback" not in log, log[-3000:]
