"""Memory benchmark: the up-front estimate that refuses oversized runs, against measured peaks.

Each configuration runs in a fresh process (peak resident memory is per process) and writes its
results the way ``flashpoint run`` does (``--full`` builds the tidy every-replicate table). The
estimate (``sim.engine.runner.estimate_memory``) must stay at or above the measured peak: it decides
whether a run may start.

Usage: python benchmarks/bench_memory.py [--quick]
"""

from __future__ import annotations

import argparse
import json
import resource
import subprocess
import sys
import tempfile
from pathlib import Path

ROOT = Path(__file__).resolve().parent.parent
CONFIGS = [  # scenario, replicates, steps, record
    ("baseline", 10_000, 240, "summary"),
    ("baseline", 10_000, 240, "quantiles"),
    ("baseline", 50_000, 24, "quantiles"),
    ("invasion-2022", 300, 240, "full"),
    ("invasion-2022", 1_000, 120, "full"),
]
QUICK = [("baseline", 2_000, 48, "quantiles"), ("baseline", 50, 48, "full")]


def one(name: str, replicates: int, steps: int, record: str) -> dict:
    """Run one configuration in this process; return its estimate and measured peak (MiB)."""
    from sim import load_scenario, run
    from sim.engine.runner import estimate_memory, with_run_settings

    sc = with_run_settings(load_scenario(name), replicates=replicates, steps=steps)
    result = run(sc, record=record)
    if record == "full":  # as flashpoint run --full writes it
        with tempfile.TemporaryDirectory() as tmp:
            result.write_parquet(Path(tmp) / "timeseries.parquet")
    if record != "summary":
        result.timeseries  # noqa: B018 - the tidy quantile table is part of the peak
    result.summary_dict()
    peak = resource.getrusage(resource.RUSAGE_SELF).ru_maxrss / 1024
    return {"scenario": name, "replicates": replicates, "steps": steps, "record": record,
            "estimate_mib": round(estimate_memory(sc, record) / 2**20), "peak_rss_mib": round(peak)}


def main() -> None:
    """Print one line per configuration; exit 1 if an estimate is below its measured peak."""
    ap = argparse.ArgumentParser()
    ap.add_argument("--quick", action="store_true")
    ap.add_argument("--one", nargs=4, help=argparse.SUPPRESS)
    args = ap.parse_args()
    if args.one:
        name, reps, steps, record = args.one
        print(json.dumps(one(name, int(reps), int(steps), record)))
        return
    low = False
    for cfg in QUICK if args.quick else CONFIGS:
        out = subprocess.run([sys.executable, __file__, "--one", *map(str, cfg)], cwd=ROOT,
                             capture_output=True, text=True, check=True).stdout
        row = json.loads(out.strip().splitlines()[-1])
        ok = row["estimate_mib"] >= row["peak_rss_mib"]
        low |= not ok
        print(f"{row['scenario']:>14} R={row['replicates']:>6} x {row['steps']:>3} steps "
              f"{row['record']:>9}: estimate {row['estimate_mib']:>6} MiB, peak RSS "
              f"{row['peak_rss_mib']:>6} MiB {'ok' if ok else 'ESTIMATE TOO LOW'}")
    sys.exit(1 if low else 0)


if __name__ == "__main__":
    main()
