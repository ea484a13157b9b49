"""Regenerate the golden trajectories (only after a deliberate model change; say why in the commit).

Usage: python tests/golden/make_golden.py
"""

from pathlib import Path

from sim import load_scenario, run

HERE = Path(__file__).resolve().parent
ROOT = HERE.parent.parent
CASES = {
    "baseline_seed1": ("baseline.yaml", 1, 36),
    "invasion_seed2": ("invasion-2022.yaml", 2, 84),
}
KEEP = [("", "tension_index"), ("NATO-Russia", "tension"), ("NATO-Russia", "rung"),
        ("Russia", "deployment_troops"), ("NATO", "exercises_troops"),
        ("Russia", "spending_pct_gdp"), ("Russia", "gdp_usd_bn"), ("Estonia", "article5_belief"),
        ("Estonia", "deterrence_margin"), ("NATO-Russia", "incidents")]


def golden_frame(name):
    scenario, seed, steps = CASES[name]
    r = run(load_scenario(ROOT / "scenarios" / scenario), seed=seed, steps=steps, replicates=1)
    ts = r.timeseries
    keep = ts.set_index(["entity", "variable"]).index.isin(KEEP)
    return ts[keep][["step", "entity", "variable", "value"]].reset_index(drop=True)


if __name__ == "__main__":
    for name in CASES:
        golden_frame(name).to_csv(HERE / f"{name}.csv", index=False, float_format="%.12g")
        print("wrote", HERE / f"{name}.csv")
