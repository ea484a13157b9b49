"""Check a change of the engine's random draws statistically, as golden bytes change.

    python tests/golden/compare_engines.py save DIR      # with the old engine checked out
    python tests/golden/compare_engines.py compare DIR   # with the new one

``save`` writes the per-replicate outcomes of three scenarios at R = 2,000 (seed 1); ``compare``
runs the same with the current engine and, for each main outcome, a two-sample Kolmogorov-Smirnov
test (and, for the 0/1 and rung outcomes, a difference of means in standard errors). It prints
a table and exits 1 when any p-value is below 0.001 or a mean differs by more than 4 standard
errors: the two engines draw the same distributions, not the same numbers.
"""

import sys
from pathlib import Path

import numpy as np
import pandas as pd
from scipy import stats

import sim

SCENARIOS = ("baseline", "invasion-2022", "historical-2014")
OUTCOMES = ("tension_index.peak", "tension_index.final", "NATO-Russia.peak_tension",
            "NATO-Russia.final_tension", "NATO-Russia.highest_rung", "NATO-Russia.incidents",
            "incidents_per_month", "Russia.final_deployment_troops",
            "Estonia.min_deterrence_margin", "Russia.final_spending_pct_gdp")
R = 2000


def outcomes(name: str) -> pd.DataFrame:
    res = sim.run(name, seed=1, replicates=R, record="summary")
    return res.outcomes[[c for c in OUTCOMES if c in res.outcomes]]


def main() -> int:
    action, folder = sys.argv[1], Path(sys.argv[2])
    folder.mkdir(parents=True, exist_ok=True)
    worst = 1.0
    bad = False
    for name in SCENARIOS:
        new = outcomes(name)
        if action == "save":
            new.to_parquet(folder / f"{name}.parquet")
            continue
        old = pd.read_parquet(folder / f"{name}.parquet")
        for col in new.columns:
            a, b = old[col].to_numpy(float), new[col].to_numpy(float)
            p = stats.ks_2samp(a, b).pvalue if np.ptp(np.r_[a, b]) > 0 else 1.0
            se = np.sqrt(a.var(ddof=1) / len(a) + b.var(ddof=1) / len(b))
            z = abs(a.mean() - b.mean()) / se if se > 0 else 0.0
            worst = min(worst, p)
            flag = p < 1e-3 or z > 4
            bad |= flag
            print(f"{name:16s} {col:34s} old {a.mean():10.4f} new {b.mean():10.4f} "
                  f"KS p {p:6.3f} |z| {z:4.1f}{'  <-- differs' if flag else ''}")
    if action == "compare":
        print(f"smallest KS p-value {worst:.3f}; {'DIFFERENT' if bad else 'same distributions'}")
    return 1 if bad else 0


if __name__ == "__main__":
    sys.exit(main())
