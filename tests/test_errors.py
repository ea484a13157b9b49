"""Bad input: a clear error naming file, line, field and what is allowed; exit 2; nothing written."""

import json
import textwrap
from pathlib import Path

import pytest

from sim import ScenarioError, load_scenario
from sim.cli import main

BASE = Path(__file__).resolve().parent.parent / "scenarios" / "baseline.yaml"


def write(tmp_path, name, text):
    p = tmp_path / name
    p.write_text(textwrap.dedent(text).replace("BASE", "baseline"))
    return p


CASES = {
    "typo": ("""\
        extends: BASE
        name: typo
        actors:
          Russia:
            doctrine:
              threat_sensitivty: 2
        """, 6, "actors.Russia.doctrine.threat_sensitivty", "did you mean 'threat_sensitivity'"),
    "wrong_type": ("""\
        extends: BASE
        name: t
        steps: ten
        """, 3, "steps", "valid integer"),
    "out_of_range": ("""\
        extends: BASE
        name: r
        actors:
          Estonia:
            doctrine: {memory: 1.5}
        """, 5, "actors.Estonia.doctrine.memory", "less than or equal to 0.999"),
    "bad_kind": ("""\
        extends: BASE
        name: k
        actors:
          Finland: {kind: empire}
        """, 4, "actors.Finland.kind", "'frontline'"),
    "undefined_actor_in_event": ("""\
        extends: BASE
        name: e
        events:
          - date: 2020-01
            name: x
            effects:
              - {target: Finland.deployment_troops, add: 5}
        """, 7, "events.0.effects.0.target", "no actor 'Finland'"),
    "unknown_variable_in_event": ("""\
        extends: BASE
        name: e
        events:
          - date: 2020-01
            name: x
            effects:
              - {target: Russia.troops, add: 5}
        """, 7, "events.0.effects.0.target", "allowed: spending_pct_gdp"),
    "bad_date": ("""\
        extends: BASE
        name: d
        start: 2016-13
        """, 3, "start", "YYYY-MM"),
    "host_not_defined": ("""\
        extends: BASE
        name: h
        actors:
          NATO:
            hosts: {Estonia: 0.5, Narnia: 0.5}
        """, 5, "actors.NATO.hosts.Narnia", "no actor 'Narnia'"),
    "host_not_frontline": ("""\
        extends: BASE
        name: h
        actors:
          NATO:
            hosts: {Estonia: 0.5, US: 0.5}
        """, 5, "actors.NATO.hosts.US", "must be a frontline actor"),
    "duplicate_key": ("""\
        name: a
        name: b
        """, 2, "name", "duplicate key"),
    "yaml_syntax": ("""\
        name: x
        actors: {A: {kind: alliance}
        """, 3, None, "YAML syntax error"),
    "missing_required": ("""\
        start: 2016-07
        """, None, "name", "required"),
}


@pytest.mark.parametrize("case", sorted(CASES))
def test_bad_scenario_error_and_exit_code(tmp_path, capsys, case):
    text, line, field, fragment = CASES[case]
    path = write(tmp_path, f"{case}.yaml", text)
    with pytest.raises(ScenarioError) as info:
        load_scenario(path)
    msg = str(info.value)
    assert str(path) in msg
    if line is not None:
        assert f"{path}:{line}:" in msg
    if field is not None:
        assert field in msg
    assert fragment in msg
    out = tmp_path / "out"
    assert main(["run", str(path), "--out", str(out)]) == 2
    assert fragment in capsys.readouterr().err
    assert not out.exists()
    assert [p.name for p in tmp_path.iterdir()] == [path.name]  # nothing half-written


def test_extends_cycle(tmp_path):
    write(tmp_path, "a.yaml", "extends: b.yaml\nname: a\n")
    write(tmp_path, "b.yaml", "extends: a.yaml\nname: b\n")
    with pytest.raises(ScenarioError, match="cycle"):
        load_scenario(tmp_path / "a.yaml")
    assert main(["validate", str(tmp_path / "a.yaml")]) == 2


def test_extends_missing_parent(tmp_path):
    p = write(tmp_path, "a.yaml", "extends: nowhere.yaml\nname: a\n")
    with pytest.raises(ScenarioError, match=r"a\.yaml:1: extends: 'extends' names a missing"):
        load_scenario(p)


def test_missing_file_exit_2(tmp_path, capsys):
    assert main(["run", str(tmp_path / "nope.yaml"), "--out", str(tmp_path / "o")]) == 2
    assert "file not found" in capsys.readouterr().err
    assert not (tmp_path / "o").exists()


@pytest.mark.parametrize("override, fragment", [
    ("nonsense", "expected path.to.field=value"),
    ("actors.Russia.doctrine.memory=2", "less than or equal to 0.999"),
    ("actors.Russia.doctrin.memory=0.5", "did you mean 'doctrine'"),
    ("submodels.threat.reading=hawkish", "'spiral' or 'deterrence'"),
])
def test_bad_override(tmp_path, capsys, override, fragment):
    out = tmp_path / "o"
    assert main(["run", str(BASE), "--set", override, "--out", str(out)]) == 2
    err = capsys.readouterr().err
    assert fragment in err and "--set" in err
    assert not out.exists()


def test_bad_command_line_numbers(tmp_path, capsys):
    assert main(["run", str(BASE), "--replicates", "0", "--out", str(tmp_path / "o")]) == 2
    assert "--replicates" in capsys.readouterr().err


def test_validate_reports_every_file(tmp_path, capsys):
    bad = write(tmp_path, "bad.yaml", "name: x\nsteps: -1\n")
    assert main(["validate", str(BASE), str(bad)]) == 2
    captured = capsys.readouterr()
    assert "baseline.yaml: ok" in captured.out
    assert "bad.yaml:2: steps" in captured.err


def test_schema_rejects_what_loader_rejects(capsys):
    assert main(["schema"]) == 0
    schema = json.loads(capsys.readouterr().out)
    whole = schema["$defs"]["Scenario"]  # a file without extends
    assert whole["additionalProperties"] is False
    assert "actors" in whole["required"]
    assert schema["$defs"]["PartialScenario"]["additionalProperties"] is False


def test_out_is_a_file(tmp_path, capsys):
    f = tmp_path / "taken"
    f.write_text("keep me")
    assert main(["run", str(BASE), "--steps", "2", "--out", str(f)]) == 2
    assert "not a folder" in capsys.readouterr().err
    assert f.read_text() == "keep me"
    assert sorted(p.name for p in tmp_path.iterdir()) == ["taken"]


def test_out_not_writable(tmp_path, capsys):
    assert main(["run", str(BASE), "--steps", "2", "--out", "/proc/flashpoint-out"]) == 2
    assert "cannot write" in capsys.readouterr().err


def test_spending_above_fiscal_ceiling_names_the_value_where_it_stands(tmp_path):
    p = write(tmp_path, "c.yaml", "extends: BASE\nname: c\nsubmodels:\n  arms: {max_spending_pct: 4}\n")
    with pytest.raises(ScenarioError) as info:
        load_scenario(p)
    msg = str(info.value)
    line = next(i for i, t in enumerate(BASE.read_text().splitlines(), 1)
                if "spending_pct_gdp: 4.849" in t)
    assert f"{BASE}:{line}: actors.Russia.military.spending_pct_gdp" in msg
    assert "above the fiscal ceiling submodels.arms.max_spending_pct = 4" in msg
