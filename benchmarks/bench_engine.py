"""Engine benchmark: throughput of the vectorised step, the batching gain, peak memory.

For the baseline scenario with every submodel on, run for 240 monthly steps:
  * runs x steps per second at R = 1, 100 and 10,000 replicates (record="summary", the mode sweeps use);
  * the same R = 10,000 run keeping per-step quantile time series (what `flashpoint run -R` does);
  * the ratio between one R = 10,000 run and 10,000 runs of R = 1 (extrapolated from --single runs);
  * peak resident memory of each configuration (each runs in a fresh process);
  * the command line: `flashpoint --help`, `flashpoint run` of the baseline with and without its
    plot, and `invasion-2022 -R 1000 --full` (time and peak memory, fresh processes);
  * the first-ever run: `flashpoint run` of the baseline with an empty Numba cache, every
    compiled kernel compiled (target <= 20 s).
Pinned to one core (targets: 10,000 x 240 in <= 2 s; >= 100x faster per replicate than R = 1).

Usage: python benchmarks/bench_engine.py [--quick] [--json FILE]
"""

from __future__ import annotations

import argparse
import json
import os
import resource
import subprocess
import sys
import time
from pathlib import Path

ROOT = Path(__file__).resolve().parent.parent
SCENARIO = ROOT / "scenarios" / "baseline.yaml"
STEPS = 240


def one(replicates: int, record: str, repeats: int) -> dict:
    """Run in this process: the best of ``repeats`` timings and the peak RSS."""
    if hasattr(os, "sched_setaffinity"):
        os.sched_setaffinity(0, {min(os.sched_getaffinity(0))})
    from sim import load_scenario, run
    from sim.engine.perf import tune_malloc

    tune_malloc()
    sc = load_scenario(SCENARIO)
    # load every kernel the timed runs call (the quantile selection from 1,000 replicates) first:
    # a single timed repeat would otherwise include loading them, about 0.4 s
    run(sc, seed=0, replicates=min(replicates, 1000), steps=2, record=record)
    best = float("inf")
    for k in range(repeats):
        t = time.perf_counter()
        run(sc, seed=k, replicates=replicates, steps=STEPS, record=record)
        best = min(best, time.perf_counter() - t)
    rss_mb = resource.getrusage(resource.RUSAGE_SELF).ru_maxrss / 1024
    return {"replicates": replicates, "record": record, "steps": STEPS, "seconds": best,
            "replicate_steps_per_s": replicates * STEPS / best, "peak_rss_mb": rss_mb}


def single_runs(n: int) -> dict:
    """``n`` runs of R = 1 in one process (as a naive loop over runs would do)."""
    if hasattr(os, "sched_setaffinity"):
        os.sched_setaffinity(0, {min(os.sched_getaffinity(0))})
    from sim import load_scenario, run
    from sim.engine.perf import tune_malloc

    tune_malloc()
    sc = load_scenario(SCENARIO)
    run(sc, seed=0, replicates=1, steps=STEPS, record="summary")  # warm-up
    t = time.perf_counter()
    for s in range(n):
        run(sc, seed=s, replicates=1, steps=STEPS, record="summary")
    dt = time.perf_counter() - t
    return {"runs": n, "seconds": dt, "seconds_per_run": dt / n}


def command(args: list[str], repeats: int, cold: bool = False) -> dict:
    """The best wall time and the peak memory of ``flashpoint ARGS`` in fresh processes.

    ``cold``: with an empty Numba cache (``NUMBA_CACHE_DIR`` a new directory), so every kernel
    is compiled: the first-ever run on a machine. The project's own cache is left alone.
    """
    import shutil
    import tempfile

    exe = str(Path(sys.executable).with_name("flashpoint"))
    best, peak = float("inf"), 0.0
    for _ in range(repeats):
        with tempfile.TemporaryDirectory() as tmp:
            argv = [exe, *[a.replace("{out}", str(Path(tmp) / "out")) for a in args]]
            env = {**os.environ, "NUMBA_CACHE_DIR": str(Path(tmp) / "numba")} if cold else None
            t = time.perf_counter()
            proc = subprocess.Popen(argv, stdout=subprocess.DEVNULL, cwd=ROOT, env=env)
            _, status, usage = os.wait4(proc.pid, 0)
            best = min(best, time.perf_counter() - t)
            if os.waitstatus_to_exitcode(status) != 0:
                raise SystemExit(f"flashpoint {' '.join(args)} failed")
            peak = max(peak, usage.ru_maxrss / 1024)
            shutil.rmtree(Path(tmp) / "out", ignore_errors=True)
    return {"command": ("first-ever " if cold else "") + "flashpoint " + " ".join(args),
            "seconds": best, "peak_rss_mb": peak}


def child(args: list[str]) -> dict:
    out = subprocess.run([sys.executable, __file__, *args], capture_output=True, text=True,
                         check=True, cwd=ROOT)
    return json.loads(out.stdout.strip().splitlines()[-1])


def main() -> int:
    ap = argparse.ArgumentParser(description=__doc__, formatter_class=argparse.RawTextHelpFormatter)
    ap.add_argument("--quick", action="store_true", help="small sizes (a smoke test for CI)")
    ap.add_argument("--json", help="also write the figures to this file")
    ap.add_argument("--single", type=int, default=200, help="R = 1 runs to extrapolate from")
    ap.add_argument("--child", nargs=3, metavar=("R", "RECORD", "REPEATS"), help=argparse.SUPPRESS)
    ap.add_argument("--child-single", type=int, help=argparse.SUPPRESS)
    a = ap.parse_args()
    if a.child:
        print(json.dumps(one(int(a.child[0]), a.child[1], int(a.child[2]))))
        return 0
    if a.child_single:
        print(json.dumps(single_runs(a.child_single)))
        return 0

    big = 1000 if a.quick else 10_000
    n_single = 20 if a.quick else a.single
    rows = [child(["--child", str(r), "summary", str(rep)])
            for r, rep in ((1, 5), (100, 3), (big, 2))]
    rows.append(child(["--child", str(big), "quantiles", "1"]))
    single = child(["--child-single", str(n_single)])
    batch = rows[2]["seconds"]
    loop = single["seconds_per_run"] * big
    print(f"flashpoint engine benchmark: {SCENARIO.name}, {STEPS} monthly steps, one core")
    print(f"{'R':>7} {'record':>9} {'seconds':>9} {'replicate-steps/s':>18} {'peak RSS MB':>12}")
    for r in rows:
        print(f"{r['replicates']:>7} {r['record']:>9} {r['seconds']:>9.3f} "
              f"{r['replicate_steps_per_s']:>18,.0f} {r['peak_rss_mb']:>12.0f}")
    print(f"R = 1 loop: {single['seconds_per_run'] * 1000:.1f} ms a run (mean of {n_single}); "
          f"{big:,} runs would take {loop:.1f} s")
    print(f"one R = {big:,} run: {batch:.2f} s -> {loop / batch:.0f}x faster per replicate "
          f"(target >= 100x)")
    if not a.quick:
        verdict = "meets" if batch <= 2.0 else f"misses by {batch / 2.0:.1f}x"
        print(f"target 10,000 x 240 in <= 2 s: {batch:.2f} s, {verdict}")
    full_r = 100 if a.quick else 1000
    commands = [command(["--help"], 5),
                command(["run", "scenarios/baseline.yaml", "-q", "--out", "{out}"], 3),
                command(["run", "scenarios/baseline.yaml", "-q", "--no-plot", "--out", "{out}"], 3),
                command(["run", "scenarios/invasion-2022.yaml", "-R", str(full_r), "--full",
                         "--no-plot", "-q", "--out", "{out}"], 1),
                command(["run", "scenarios/baseline.yaml", "-q", "--out", "{out}"], 1, cold=True)]
    print("command line (warm, best of repeats; both cores; first-ever: every kernel compiled):")
    for c in commands:
        print(f"  {c['command'].replace('{out}', 'DIR'):<78} {c['seconds']:6.2f} s "
              f"{c['peak_rss_mb']:7.0f} MB")
    if a.json:
        Path(a.json).write_text(json.dumps({"rows": rows, "single": single,
                                            "speedup": loop / batch, "commands": commands},
                                           indent=2))
    return 0


if __name__ == "__main__":
    sys.exit(main())
