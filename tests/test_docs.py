"""docs/ODD.md stays in step with the code: its parameter tables are the schema's."""

import sys
from pathlib import Path

ROOT = Path(__file__).resolve().parent.parent
sys.path.insert(0, str(ROOT / "docs"))
from gen_params import ODD, render  # noqa: E402


def test_odd_parameter_tables_match_schema():
    text = ODD.read_text()
    assert render(text) == text, "run: python docs/gen_params.py --write"


def test_every_submodel_module_is_described():
    text = ODD.read_text()
    for mod in ("threat", "agents", "richardson", "capability", "deterrence", "ladder",
                "diplomacy", "incidents", "sanctions", "tension", "shocks"):
        assert f"sim/{mod}.py" in text
