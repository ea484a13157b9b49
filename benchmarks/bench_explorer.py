"""Explorer benchmark: how fast the page answers a step (issue 11's target: under 0.5 s at R = 1,000).

Two measures, both of the baseline with the eFP doubled and the comparison run on:
  * in this process: one model step plus the redraw of each page's views (what the server does
    after "Step"), at the first, middle and last step of the run, the median of three redraws;
  * in a real browser (Debian's chromium through Playwright, when installed): from the click on
    "Step" until the page shows the new step and a redrawn chart, the median over ten steps -
    what a user waits for, including the websocket round trip and the image transfer.

Usage: python benchmarks/bench_explorer.py [--quick] [--json FILE] [--replicates R]
"""

from __future__ import annotations

import argparse
import json
import shutil
import statistics
import subprocess
import sys
import time
from pathlib import Path

ROOT = Path(__file__).resolve().parent.parent
sys.path.insert(0, str(ROOT))


def server_side(replicates: int, steps: int) -> list[dict]:
    from analysis.explorer import views
    from analysis.explorer.model import ExplorerModel

    pages = {
        "tension (page 0)": lambda m: (views.tension_png(m), views.status(m), views.event_log(m)),
        "escalation (page 1)": lambda m: (views.ladder_png(m), views.difference_png(m)),
        "actors (page 2)": lambda m: views.actors_png(m),
        "map (page 3)": lambda m: views.map_png(m),
    }
    m = ExplorerModel(replicates=replicates, seed=1, efp_scale=2.0)
    for view in pages.values():  # warm-up: fonts, caches
        view(m)
    rows = []
    checkpoints = sorted({1, steps // 2, steps})
    for target in checkpoints:
        while m.steps < target - 1:
            m.step()
        t = time.perf_counter()
        m.step()
        step_s = time.perf_counter() - t
        for name, view in pages.items():
            times = []
            for _ in range(3):
                t = time.perf_counter()
                view(m)
                times.append(time.perf_counter() - t)
            rows.append({"page": name, "step": target, "replicates": replicates,
                         "step_s": step_s, "redraw_s": statistics.median(times),
                         "total_s": step_s + statistics.median(times)})
    return rows


def browser_side(replicates: int, clicks: int) -> dict | None:
    chromium = shutil.which("chromium")
    try:
        from playwright.sync_api import sync_playwright
    except ImportError:
        return None
    if chromium is None:
        return None
    from analysis.explorer import start

    proc, url = start(replicates=replicates, output=subprocess.DEVNULL)
    try:
        with sync_playwright() as p:
            browser = p.chromium.launch(executable_path=chromium, args=["--no-sandbox"])
            page = browser.new_page(viewport={"width": 1600, "height": 1100})
            t = time.perf_counter()
            page.goto(url, wait_until="networkidle", timeout=120_000)
            page.locator("img").first.wait_for(timeout=120_000)
            load_s = time.perf_counter() - t
            step = page.get_by_role("button", name="Step", exact=True)
            times = []
            for k in range(1, clicks + 1):
                before = page.locator("img").first.get_attribute("src")
                t = time.perf_counter()
                step.click()
                # one predicate checked every animation frame (a locator's wait retries at
                # growing intervals, which would add up to half a second to the measure)
                page.wait_for_function(
                    "([before, text]) => document.querySelector('img').getAttribute('src') "
                    "!== before && document.body.innerText.includes(text)",
                    arg=[before, f"step {k} of"], polling="raf", timeout=60_000)
                times.append(time.perf_counter() - t)
            browser.close()
    finally:
        proc.terminate()
        proc.wait(timeout=20)
    return {"replicates": replicates, "page_load_s": load_s, "clicks": clicks,
            "step_to_redrawn_median_s": statistics.median(times), "step_to_redrawn_max_s": max(times)}


def main() -> int:
    ap = argparse.ArgumentParser(description=__doc__, formatter_class=argparse.RawTextHelpFormatter)
    ap.add_argument("--quick", action="store_true", help="small sizes (a smoke test for CI)")
    ap.add_argument("--replicates", type=int, default=1000)
    ap.add_argument("--json", help="also write the figures to this file")
    a = ap.parse_args()
    replicates = 100 if a.quick else a.replicates
    steps = 12 if a.quick else 120  # the baseline's 10 years
    rows = server_side(replicates, steps)
    print(f"explorer, one step + the redraw of a page, R = {replicates:,} (in process):")
    for r in rows:
        print(f"  {r['page']:<20} at step {r['step']:>3}: step {r['step_s'] * 1000:6.1f} ms + "
              f"redraw {r['redraw_s']:.3f} s = {r['total_s']:.3f} s")
    browser = browser_side(replicates, 3 if a.quick else 10)
    if browser is None:
        print("in a browser: skipped (needs Debian's chromium and Playwright)")
    else:
        print(f"in chromium, page 0, R = {replicates:,}: page load {browser['page_load_s']:.1f} s; "
              f"click on Step until the chart is redrawn: median "
              f"{browser['step_to_redrawn_median_s']:.3f} s, max "
              f"{browser['step_to_redrawn_max_s']:.3f} s over {browser['clicks']} steps")
    if a.json:
        Path(a.json).write_text(json.dumps({"server": rows, "browser": browser}, indent=1))
    return 0


if __name__ == "__main__":
    sys.exit(main())
