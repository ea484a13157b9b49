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


def test_the_sweep_docs_examples_are_valid(tmp_path):
    """docs/sweeps.md's sweep file is accepted as written, and its outcome function runs."""
    import pandas as pd

    from analysis.sweeps import load_sweep, run_sweep
    from analysis.sweeps.outcomes import outcome_function

    text = (ROOT / "docs" / "sweeps.md").read_text()
    blocks = re.findall(r"```(yaml|python)\n(.*?)```", text, flags=re.S)
    sweep = next(body for kind, body in blocks if kind == "yaml" and body.startswith("name:"))
    spec, _ = load_sweep(_write(tmp_path / "doc.yaml", sweep))
    assert spec.trajectories is not None and any(".by_month." in o for o in spec.outcomes)
    module = next(body for kind, body in blocks if kind == "python" and "fp_metrics" in body)
    _write(tmp_path / "fp_metrics.py", module)
    functions = next(body for kind, body in blocks
                     if kind == "yaml" and body.startswith("outcome_functions"))
    small = ("name: doc-functions\nscenario: baseline\nlevers:\n"
             "  actors.NATO.posture.deployment_troops: {values: [3300, 13200]}\n"
             "sampler: grid\nreplicates: 3\nsteps: 6\n" + functions)
    out = run_sweep(_write(tmp_path / "small.yaml", small), tmp_path / "out", progress=False)
    assert callable(outcome_function("fp_metrics:escalated", tmp_path))
    runs = pd.read_parquet(out / "runs.parquet")
    assert set(runs["escalated"]) <= {0.0, 1.0} and len(runs) == 6


def _write(path: Path, text: str) -> Path:
    path.write_text(text, encoding="utf-8")
    return path
