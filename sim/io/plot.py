"""The run's figure: overall tension with its uncertainty band, and each pair's median."""

from __future__ import annotations

from pathlib import Path
from typing import TYPE_CHECKING

import matplotlib

matplotlib.use("Agg")
import matplotlib.pyplot as plt  # noqa: E402
import pandas as pd  # noqa: E402

from ..submodels.ladder import RUNGS  # noqa: E402

if TYPE_CHECKING:
    from ..engine.runner import Result


def plot_tension(result: Result, path: str | Path) -> None:
    """Write ``tension.png``: median and 5-95 % band when R > 1, the trajectory when R = 1."""
    arr, labels = result.array()
    cols = result.columns
    dates = pd.to_datetime(result.dates)
    v = next(k for k, c in enumerate(cols) if c[1] == "tension_index")
    fig, ax = plt.subplots(figsize=(10, 5.5), dpi=110)
    thresholds = result.scenario.submodels.escalation.thresholds
    for th, name in zip(thresholds, RUNGS[1:], strict=True):
        ax.axhline(th, color="0.85", lw=0.8, zorder=0)
        ax.text(dates[0], th + 0.6, name, fontsize=7, color="0.45", va="bottom")
    if "p50" not in labels:
        mid = arr[:, 0, v]
        title = "single replicate"
    else:
        mid = arr[:, labels.index("p50"), v]
        lo_l = "p5" if "p5" in labels else labels[0]
        hi_l = "p95" if "p95" in labels else labels[-2]
        ax.fill_between(dates, arr[:, labels.index(lo_l), v], arr[:, labels.index(hi_l), v],
                        color="tab:red", alpha=0.2, label=f"{lo_l[1:]}-{hi_l[1:]} %")
        title = f"median of {result.replicates} replicates"
    ax.plot(dates, mid, color="tab:red", lw=2.2, label=f"NATO-Russia index ({title})")
    stat = labels.index("p50") if "p50" in labels else 0
    palette = [c for k, c in enumerate(plt.get_cmap("tab10").colors) if k != 3]  # red is the index
    pairs = [k for k, c in enumerate(cols) if c[0] == "pair" and c[1] == "tension"]
    for n, k in enumerate(pairs):
        ax.plot(dates, arr[:, stat, k], lw=0.9, alpha=0.85, label=cols[k][2],
                color=palette[n % len(palette)], ls="-" if n < len(palette) else "--")
    for ev in result.scenario.events:
        d = pd.Timestamp(ev.date)
        if dates[0] <= d <= dates[-1]:
            ax.axvline(d, color="0.3", ls=":", lw=1)
            ax.text(d, 98, ev.name, rotation=90, fontsize=7, va="top", ha="right")
    ax.set_ylim(0, 100)
    ax.set_ylabel("tension (0 partnership ... 100 war)")
    ax.set_title(f"{result.scenario.name}: tension trajectories (seed {result.seed})")
    ax.legend(fontsize=7, ncol=2, loc="lower left")
    fig.tight_layout()
    fig.savefig(path)
    plt.close(fig)
