"""Print the 2014-2024 hindcast's patterns against the data (the README's figures).

Usage: python docs/hindcast.py [R] [seed]    (default R = 60, seed 1)
Spending targets are SIPRI shares of GDP 2015-2019 (data/); events through 2024 are inputs.
"""

from __future__ import annotations

import sys
from pathlib import Path

import numpy as np

from sim import run
from sim.calibration.targets import SPENDING_ACTORS as ACTORS
from sim.calibration.targets import annual_median, spending_data

DATA = Path(__file__).resolve().parent.parent / "data"


def main() -> None:
    """Run the hindcast and print spending by year, its error, and the tension and rung patterns."""
    replicates = int(sys.argv[1]) if len(sys.argv) > 1 else 60
    seed = int(sys.argv[2]) if len(sys.argv) > 2 else 1
    res = run("historical-2014", seed=seed, replicates=replicates)
    data = spending_data(DATA)
    annual = annual_median(res, "spending_pct_gdp")
    model, hold = [], []
    print(f"historical-2014, R = {replicates}, seed {seed}: spending % of GDP, model (data)")
    for actor in ACTORS:
        cells = []
        for year in range(2014, 2025):
            observed = data[actor].get(year)
            cells.append(f"{year}: {annual[(actor, year)]:.2f}"
                         + (f" ({observed:.2f})" if observed is not None else ""))
            if 2015 <= year <= 2019:
                model.append(abs(annual[(actor, year)] - observed))
                hold.append(abs(data[actor][2014] - observed))
        print(f"  {actor}: " + ", ".join(cells))
    print(f"mean absolute error 2015-2019: {np.mean(model):.3f} pp; holding 2014's shares: "
          f"{np.mean(hold):.3f} pp ({len(model)} actor-years)")
    index = res.series("tension_index", "", "p50")
    print(f"tension index (median): start {index.iloc[0]:.1f}, peak 2014-15 "
          f"{index['2014':'2015'].max():.1f}, mean 2017-19 {index['2017':'2019'].mean():.1f}, "
          f"peak 2022 {index['2022'].max():.1f}")
    reach = res.summary_dict()["pairs"]["NATO-Russia"]["p_highest_rung_at_least"]
    print("P(NATO-Russia highest rung >= k):", {k: round(v, 3) for k, v in reach.items()})


if __name__ == "__main__":
    main()
