"""Print what each lever does to the baseline (the README's what-if figures).

Usage: python docs/levers.py [R]   (default R = 200; seed 1; ten years; common random numbers)
Columns: change against the baseline of NATO-Russia final tension, Russia's final forces near the
border, Estonia's lowest deterrence margin and Russia's final GDP (US$ bn), replicate means.
"""

from __future__ import annotations

import sys

from sim import load_scenario, run

EFP = "actors.NATO.posture.deployment_troops=6600"
LEVERS = {
    "eFP doubled (--set)": {"sets": [EFP]},
    "eFP doubled (--event at the start)": {"events": ["2016-07 NATO.deployment_troops*2"]},
    "US commitment 0.3": {"sets": ["actors.US.doctrine.commitment=0.3"]},
    "EU sanctions 0.9 (energy, finance)": {"sets": ["actors.EU.posture.sanctions_energy=0.9",
                                                   "actors.EU.posture.sanctions_finance=0.9"]},
    "Russia's risk tolerance 1": {"sets": ["actors.Russia.doctrine.risk_tolerance=1"]},
    "NATO's threat sensitivity 10": {"sets": ["actors.NATO.doctrine.threat_sensitivity=10"]},
}


def final(replicates: int, sets=(), events=()) -> list[float]:
    """The four figures of one run of the baseline with the given changes."""
    o = run(load_scenario("baseline", list(sets), events=list(events)), seed=1,
            replicates=replicates, record="summary").outcomes
    return [o[c].mean() for c in ("NATO-Russia.final_tension", "Russia.final_deployment_troops",
                                   "Estonia.min_deterrence_margin", "Russia.final_gdp_usd_bn")]


def main() -> None:
    """Print the table, then the eFP doubling under both readings of the security dilemma."""
    replicates = int(sys.argv[1]) if len(sys.argv) > 1 else 200
    base = final(replicates)
    print(f"baseline (R = {replicates}): tension {base[0]:.2f}, Russia's forces {base[1]:,.0f}, "
          f"Estonia's margin {base[2]:.3f}, Russia's GDP {base[3]:,.1f}")
    for label, kw in LEVERS.items():
        d = [x - b for x, b in zip(final(replicates, **kw), base, strict=True)]
        print(f"  {label:<38} tension {d[0]:+.2f}  forces {d[1]:+,.0f}  margin {d[2]:+.3f}  "
              f"GDP {d[3]:+.1f}")
    for reading in ("spiral", "deterrence"):
        sets = [f"submodels.threat.reading={reading}"]
        d = [x - b for x, b in zip(final(replicates, [*sets, EFP]), final(replicates, sets),
                                   strict=True)]
        print(f"  eFP doubled, {reading} reading: tension {d[0]:+.2f}, Russia's forces {d[1]:+,.0f}")


if __name__ == "__main__":
    main()
