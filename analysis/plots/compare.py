"""``flashpoint compare A B``: two scenarios on common random numbers, and their difference.

Both run with the same seed and replicates, so replicate r of A and replicate r of B draw the
same random streams (Law and Kelton's common random numbers): their difference is the effect of
what differs between the files, not two noises. For every per-replicate outcome the table gives
the mean of the paired differences with a 95 % confidence interval (normal approximation,
1.96 standard errors); the figures overlay both scenarios' tension index and show the paired
difference of the index over time with its 50 % and 90 % bands.
"""

from __future__ import annotations

import json
from pathlib import Path

import numpy as np
import pandas as pd

import sim

from ..figures import pyplot, save_figure


def paired_differences(a: pd.DataFrame, b: pd.DataFrame) -> pd.DataFrame:
    """Mean and 95 % CI of B - A for every numeric outcome column both runs have."""
    rows = []
    cols = [c for c in a.columns if c in b.columns and c != "replicate"
            and pd.api.types.is_numeric_dtype(a[c])]
    for col in cols:
        d = b[col].to_numpy(float) - a[col].to_numpy(float)
        se = d.std(ddof=1) / np.sqrt(len(d)) if len(d) > 1 else np.nan
        rows.append({"outcome": col, "mean_a": a[col].mean(), "mean_b": b[col].mean(),
                     "difference": d.mean(), "ci95_lo": d.mean() - 1.96 * se,
                     "ci95_hi": d.mean() + 1.96 * se})
    return pd.DataFrame(rows)


def compare(a: str | Path, b: str | Path, out: str | Path, replicates: int = 200,
            seed: int = 1, steps: int | None = None) -> dict[str, Path]:
    """Run A and B paired and write ``compare.csv``, ``overlay.png`` and ``difference.png``.

    Raises:
        sim.ScenarioError: a bad scenario file (nothing is written).
        sim.OutputError: an output folder holding files flashpoint did not write.
    """
    sa, sb = sim.load_scenario(a), sim.load_scenario(b)
    out = Path(out)
    if out.exists() and any(out.iterdir()) and not _ours(out):
        raise sim.OutputError(f"--out {out}: holds files flashpoint did not write; name a new "
                              "or empty folder (flashpoint never overwrites files it did not "
                              "write)")
    runs = [sim.run(s, seed=seed, replicates=replicates, steps=steps, record="full")
            for s in (sa, sb)]
    out.mkdir(parents=True, exist_ok=True)
    params = set(runs[0].vary) | set(runs[1].vary)  # the ensemble's parameters: not outcomes
    table = paired_differences(runs[0].outcomes.drop(columns=list(params), errors="ignore"),
                               runs[1].outcomes.drop(columns=list(params), errors="ignore"))
    tmp = out / ".compare.csv.tmp"
    table.to_csv(tmp, index=False, float_format="%.6g")
    tmp.replace(out / "compare.csv")
    index = [r.array(every=True)[0][:, :, _column(r, "tension_index", "")] for r in runs]
    dates = pd.to_datetime(runs[0].dates)
    _overlay(dates, index, [sa.name, sb.name], replicates, seed, out / "overlay.png")
    _difference(dates, index[1] - index[0], sa.name, sb.name, replicates, seed,
                out / "difference.png")
    marker = {"kind": "flashpoint compare", "flashpoint_version": sim.__version__,
              "a": str(a), "b": str(b), "replicates": replicates, "seed": seed,
              "files": list(FILES)}
    (out / ".compare.json.tmp").write_text(json.dumps(marker, indent=2), encoding="utf-8")
    (out / ".compare.json.tmp").replace(out / MARKER)
    return {k: out / k for k in FILES}


FILES = ("compare.csv", "overlay.png", "difference.png")
MARKER = "compare.json"


def _ours(out: Path) -> bool:
    """Whether ``out`` holds only a previous comparison's files (its ``compare.json`` says so)."""
    try:
        doc = json.loads((out / MARKER).read_text(encoding="utf-8"))
    except (OSError, ValueError):
        return False
    return doc.get("kind") == "flashpoint compare" and all(
        p.name in (*FILES, MARKER, "report.html") for p in out.iterdir())


def _column(result: sim.Result, variable: str, entity: str) -> int:
    return next(k for k, c in enumerate(result.columns) if c[1] == variable and c[2] == entity)


def _overlay(dates, index, names, replicates, seed, path: Path) -> None:
    plt = pyplot()
    fig, ax = plt.subplots(figsize=(10, 5), dpi=110)
    for arr, name, colour in zip(index, names, ("#0072B2", "#D55E00"), strict=True):
        q = np.percentile(arr, [5, 50, 95], axis=1)
        ax.fill_between(dates, q[0], q[2], color=colour, alpha=0.15, lw=0)
        ax.plot(dates, q[1], color=colour, lw=2, label=f"{name} (median, 5-95 %)")
    ax.set_ylabel("overall tension index, 0-100")
    ax.set_title(f"{names[0]} and {names[1]} (R = {replicates:,} each, seed {seed}, paired)")
    ax.legend(fontsize=8)
    fig.tight_layout()
    save_figure(fig, path, "png")


def _difference(dates, diff, a, b, replicates, seed, path: Path) -> None:
    plt = pyplot()
    fig, ax = plt.subplots(figsize=(10, 5), dpi=110)
    q = np.percentile(diff, [5, 25, 50, 75, 95], axis=1)
    difference_axes(ax, dates, q, diff.mean(axis=1), a, b)
    ax.set_title(f"effect of {b} against {a}: paired replicates (R = {replicates:,}, seed {seed})")
    fig.tight_layout()
    save_figure(fig, path, "png")


def difference_axes(ax, dates, q: np.ndarray, mean: np.ndarray | None, a: str, b: str) -> None:
    """Draw a paired difference's percentiles ``q`` (5, 25, 50, 75, 95; (5, T)) over ``dates``."""
    ax.fill_between(dates, q[0], q[4], color="#0072B2", alpha=0.15, lw=0, label="90 % of pairs")
    ax.fill_between(dates, q[1], q[3], color="#0072B2", alpha=0.3, lw=0, label="50 %")
    ax.plot(dates, q[2], color="#0072B2", lw=2, label="median difference")
    if mean is not None:
        ax.plot(dates, mean, color="k", lw=1, ls="--", label="mean difference")
    ax.axhline(0, color="0.4", lw=0.8)
    ax.set_ylabel(f"tension index, {b} - {a} (points)")
    ax.legend(fontsize=8)
