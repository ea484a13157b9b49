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


def test_the_readmes_worked_sweep_is_what_the_sweep_gives(tmp_path):
    """The README's efp-threat table is the shipped sweep's output, value for value."""
    import pandas as pd

    from analysis.sweeps import run_sweep
    from sim.cli import main

    text = (ROOT / "README.md").read_text()
    header = "| threat sensitivity | 0 | 1,650 | 3,300 | 6,600 | 13,200 |"
    rows = text[text.index(header):].splitlines()[2:8]
    shown = {float(r.split("|")[1]): [float(v) for v in r.split("|")[2:7]] for r in rows}
    out = run_sweep(ROOT / "sweeps" / "efp-threat.yaml", tmp_path / "out", progress=False)
    assert main(["analyze", str(out), "-q"]) == 0
    means = pd.read_csv(out / "point_means.csv").pivot_table(
        index="actors.Russia.doctrine.threat_sensitivity",
        columns="actors.NATO.posture.deployment_troops",
        values="NATO-Russia.rung_at_least.confrontation with incidents")
    for sensitivity, values in shown.items():
        assert [round(v, 2) for v in means.loc[sensitivity]] == values, sensitivity
