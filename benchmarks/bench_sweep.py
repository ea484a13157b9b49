"""Sweep benchmark: 1,000 points x 100 replicates x 240 steps (10^5 runs) on 2 workers, the
peak memory of a 10^6-run sweep, and the 10^5-run sweep keeping three series' trajectories.

Targets (speed issue and sweep issue): 10^5 runs in <= 20 s with 2 workers; a 10^6-run sweep in
<= 2 GB. Peak memory: the parent's resident set, and the largest of any worker (each worker
reports its own; the sweep's manifest.json keeps it); the sweep's total is the parent's plus
the workers'.

Usage: python benchmarks/bench_sweep.py [--quick]
"""

from __future__ import annotations

import argparse
import json
import resource
import sys
import tempfile
import time
from pathlib import Path

SWEEP = """name: bench
scenario: baseline
levers:
  actors.NATO.posture.deployment_troops: {{range: [0, 13200]}}
uncertainties:
  actors.Russia.doctrine.threat_sensitivity: {{range: [0.3, 3.0]}}
sampler: latin
n: {points}
seed: 1
replicates: {replicates}
steps: {steps}
outcomes: [NATO-Russia.peak_tension, NATO-Russia.rung_at_least.confrontation with incidents,
           Russia.final_deployment_troops, Estonia.min_deterrence_margin]
"""

TRAJECTORIES = """trajectories:
  series: [tension_index, NATO-Russia.tension, Russia.deployment_troops]
"""
"""Per-point quantile trajectories of three series (the third configuration)."""


def one(points: int, replicates: int, steps: int, workers: int, paths: bool = False) -> dict:
    """Run one sweep in a temporary folder; its time and peak memory (MiB)."""
    from analysis.sweeps import run_sweep

    with tempfile.TemporaryDirectory() as tmp:
        f = Path(tmp) / "bench.yaml"
        f.write_text(SWEEP.format(points=points, replicates=replicates, steps=steps)
                     + (TRAJECTORIES if paths else ""))
        t = time.perf_counter()
        out = run_sweep(f, Path(tmp) / "out", workers=workers, progress=False)
        seconds = time.perf_counter() - t
        worker = json.loads((out / "manifest.json").read_text())["worker_peak_rss_mib"]
    own = resource.getrusage(resource.RUSAGE_SELF).ru_maxrss / 1024
    return {"runs": points * replicates, "steps": steps, "workers": workers, "seconds": seconds,
            "peak_mib": own, "worker_peak_mib": worker}


def main() -> int:
    ap = argparse.ArgumentParser(description=__doc__)
    ap.add_argument("--quick", action="store_true", help="small sizes (a smoke test for CI)")
    a = ap.parse_args()
    configs = ([(100, 20, 24, 2, True)] if a.quick else
               [(1_000, 100, 240, 2, False), (10_000, 100, 12, 2, False),
                (1_000, 100, 240, 2, True)])
    for points, replicates, steps, workers, paths in configs:
        r = one(points, replicates, steps, workers, paths)
        print(f"{r['runs']:>9,} runs x {steps:>3} steps, {workers} workers"
              f"{', 3 trajectories' if paths else ''}: "
              f"{r['seconds']:7.1f} s, peak {r['peak_mib']:6.0f} MiB (parent), "
              f"{r['worker_peak_mib']:6.0f} MiB (a worker)")
    if not a.quick:
        print("targets: 10^5 runs x 240 steps in <= 20 s on 2 workers; 10^6 runs in <= 2 GB")
    return 0


if __name__ == "__main__":
    sys.exit(main())
