"""docs/ODD.md stays in step with the code: its tables are generated from the schema and the
variable registry, and every module it names exists."""

import re
from pathlib import Path

ROOT = Path(__file__).resolve().parent.parent


def test_odd_tables_match_the_code(gen_params):
    text = gen_params.ODD.read_text()
    assert gen_params.render(text) == text, "run: python docs/gen_params.py --write"


def test_every_submodel_module_is_described(gen_params):
    text = gen_params.ODD.read_text()
    for mod in ("threat", "richardson", "capability", "deterrence", "ladder", "diplomacy",
                "incidents", "sanctions", "tension", "shocks", "pledges", "decision", "posture"):
        assert f"sim/submodels/{mod}.py" in text
    for path in ("sim/engine/agents.py", "sim/engine/phases.py", "sim/engine/state.py",
                 "sim/engine/topology.py", "sim/variables.py"):
        assert path in text


def test_every_module_path_in_the_docs_exists():
    for doc in (ROOT / "README.md", ROOT / "docs" / "ODD.md"):
        for path in set(re.findall(r"`((?:sim|tests|benchmarks|docs|scenarios)/[\w/.-]+)`",
                                   doc.read_text())):
            assert (ROOT / path).exists(), f"{doc.name} names {path}, which does not exist"
