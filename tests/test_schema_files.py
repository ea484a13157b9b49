"""Issue 22, item 8: the JSON Schemas accept the files users edit (every bundled scenario and
sweep, partial children included) and still catch mistakes; validate knows sweep files."""

import json
from pathlib import Path

import jsonschema
import pytest
import yaml

from sim.cli import main

ROOT = Path(__file__).resolve().parent.parent
SCENARIOS = sorted((ROOT / "scenarios").glob("*.yaml"))
SWEEPS = sorted((ROOT / "sweeps").glob("*.yaml"))


@pytest.fixture(scope="module")
def schemas(tmp_path_factory):
    folder = tmp_path_factory.mktemp("schemas")
    assert main(["schema", "--out", str(folder / "scenario.json")]) == 0
    assert main(["schema", "--sweep", "--out", str(folder / "sweep.json")]) == 0
    return {kind: json.loads((folder / f"{kind}.json").read_text()) for kind in ("scenario",
                                                                                 "sweep")}


@pytest.mark.parametrize("path", SCENARIOS, ids=lambda p: p.name)
def test_every_bundled_scenario_validates_with_jsonschema(schemas, path):
    jsonschema.validate(yaml.safe_load(path.read_text()), schemas["scenario"])


@pytest.mark.parametrize("path", SWEEPS, ids=lambda p: p.name)
def test_every_bundled_sweep_validates_with_jsonschema(schemas, path):
    jsonschema.validate(yaml.safe_load(path.read_text()), schemas["sweep"])


@pytest.mark.parametrize("document", [
    {"name": "x", "extends": "baseline", "actors": {"NATO": {"posture": {"dialogue": 7}}}},
    {"name": "x", "extends": "baseline", "nonsense": 1},
    {"name": "x"},  # no extends: a whole scenario is needed
])
def test_the_schema_still_catches_mistakes(schemas, document):
    with pytest.raises(jsonschema.ValidationError):
        jsonschema.validate(document, schemas["scenario"])


def test_validate_recognises_sweep_files(capsys):
    assert main(["validate", *map(str, SWEEPS), str(SCENARIOS[0])]) == 0
    out = capsys.readouterr().out
    assert out.count("ok (sweep") == len(SWEEPS)
