"""Generate docs/scenarios.md: every bundled scenario, the question it answers, and its figures.

Usage: python docs/gen_scenarios.py [--write]   (R = 200 replicates, seed 1, each scenario's steps)
Each what-if is compared with its reference on common random numbers (the same seed).
"""

from __future__ import annotations

import sys
from pathlib import Path

import yaml

from sim import load_scenario, run
from sim.scenario.bundled import bundled_names, scenario_dir

DOC = Path(__file__).resolve().parent / "scenarios.md"
R, SEED = 200, 1


def figures(name: str) -> dict[str, float]:
    """The headline figures of one scenario."""
    res = run(load_scenario(name), seed=SEED, replicates=R, record="summary")
    o, s = res.outcomes, res.summary_dict()
    reach = s["pairs"]["NATO-Russia"]["p_highest_rung_at_least"]
    return {"tension": float(o["NATO-Russia.final_tension"].median()),
            "peak": float(o["tension_index.peak"].median()),
            "crisis": reach["confrontation with incidents"],
            "conflict": reach["limited conflict"],
            "war": reach["major war"],
            "russia": float(o["Russia.final_deployment_troops"].median()),
            "margin": float(o["Estonia.min_deterrence_margin"].median()),
            "probes": float(o["probes"].mean())}


def render() -> str:
    """The whole document."""
    rows, paras = [], []
    for name in bundled_names():
        text = (scenario_dir() / f"{name}.yaml").read_text(encoding="utf-8")
        data = yaml.safe_load(text)
        comment = " ".join(line.lstrip("# ").strip() for line in text.splitlines()
                           if line.startswith("#") and "flashpoint:" not in line)
        f = figures(name)
        rows.append(f"| `{name}` | {f['tension']:.1f} | {f['peak']:.1f} | {f['crisis']:.2f} | "
                    f"{f['conflict']:.2f} | {f['war']:.2f} | {f['russia']:,.0f} | "
                    f"{f['margin']:.2f} | {f['probes']:.2f} |")
        ref = data.get("extends", "itself").removesuffix(".yaml")
        paras.append(f"### `{name}`\n\n{data.get('description', '')}\n\n{comment}\n\n"
                     f"Calibrated on: {ref}. NATO–Russia tension at the end {f['tension']:.1f} "
                     f"(median), P(confrontation with incidents) {f['crisis']:.2f}, "
                     f"P(limited conflict) {f['conflict']:.2f}.\n")
    head = ("# The scenario library\n\nEvery bundled scenario (`flashpoint scenarios` lists them; "
            "`flashpoint run NAME` runs one). A what-if `extends` its reference and is calibrated on "
            "it, so its figures differ from the reference's by the lever's effect. Figures: "
            f"`python docs/gen_scenarios.py --write` (R = {R}, seed {SEED}; NATO–Russia pair; "
            "Estonia's lowest deterrence margin; Russia's forces near the border at the end).\n\n"
            "| scenario | final tension | peak index | P(confrontation) | P(limited conflict) | "
            "P(major war) | Russia's forces | Estonia's min margin | probes |\n"
            "|---|---:|---:|---:|---:|---:|---:|---:|---:|\n")
    return head + "\n".join(rows) + "\n\n" + "\n".join(paras)


if __name__ == "__main__":
    text = render()
    if "--write" in sys.argv:
        DOC.write_text(text, encoding="utf-8")
        print("wrote", DOC)
    else:
        print(text)
