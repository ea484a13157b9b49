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

from .base import pyplot, save_figure

HEADLINE = ("tension_index.peak", "tension_index.final", "NATO-Russia.peak_tension",
            "NATO-Russia.final_tension", "NATO-Russia.highest_rung",
            "NATO-Russia.first_month_at.confrontation with incidents.p_reached",
            "NATO-Russia.first_month_at.confrontation with incidents",
            "NATO-Russia.first_month_at.limited conflict.p_reached", "fait_accompli_month.p_reached",
            "incidents_per_month", "Russia.final_deployment_troops", "NATO.final_deployment_troops",
            "Estonia.min_deterrence_margin", "Estonia.final_article5_belief",
            "Russia.final_spending_pct_gdp")
"""The outcomes a comparison shows first (on screen, and at the top of its table and report)."""


def _row(outcome: str, statistic: str, a: np.ndarray, b: np.ndarray, paired: bool) -> dict:
    """Means of A and B and of B - A with a 95 % CI (paired; or Welch's for unequal subsets)."""
    mean_a = float(a.mean()) if len(a) else np.nan
    mean_b = float(b.mean()) if len(b) else np.nan
    if paired:
        d = b - a
        se = d.std(ddof=1) / np.sqrt(len(d)) if len(d) > 1 else np.nan
    else:  # the month among the replicates that reach it: two different subsets
        se = np.sqrt((a.var(ddof=1) / len(a) if len(a) > 1 else np.nan)
                     + (b.var(ddof=1) / len(b) if len(b) > 1 else np.nan))
    diff = mean_b - mean_a
    return {"outcome": outcome, "statistic": statistic, "mean_a": mean_a, "mean_b": mean_b,
            "difference": diff, "ci95_lo": diff - 1.96 * se, "ci95_hi": diff + 1.96 * se,
            "n_a": len(a), "n_b": len(b)}


def paired_differences(a: pd.DataFrame, b: pd.DataFrame) -> pd.DataFrame:
    """Mean and 95 % CI of B - A for every numeric outcome column both runs have.

    Headline outcomes (:data:`HEADLINE`) first. A month outcome (missing where it never
    happened, ``sim.is_when_outcome``) gives two rows, never a mean over "never": ``NAME.p_reached``
    (the share of replicates where it happened; paired) and ``NAME``, the mean month among the
    replicates of each run that reach it (A's and B's subsets differ, so its interval is Welch's,
    unpaired; empty where a run never reaches it). ``n_a``/``n_b`` count the replicates behind
    each mean.
    """
    rows = []
    cols = [c for c in a.columns if c in b.columns and c != "replicate"
            and pd.api.types.is_numeric_dtype(a[c])]
    for col in cols:
        if sim.is_when_outcome(col):
            va = a[col].astype("Float64").to_numpy(float, na_value=np.nan)
            vb = b[col].astype("Float64").to_numpy(float, na_value=np.nan)
            rows.append(_row(f"{col}.p_reached", "P(reached)", np.isfinite(va).astype(float),
                             np.isfinite(vb).astype(float), paired=True))
            rows.append(_row(col, "mean month among replicates that reach it",
                             va[np.isfinite(va)], vb[np.isfinite(vb)], paired=False))
        else:
            rows.append(_row(col, "mean", a[col].to_numpy(float), b[col].to_numpy(float),
                             paired=True))
    table = pd.DataFrame(rows)
    rank = {name: k for k, name in enumerate(HEADLINE)}
    table["headline"] = table["outcome"].map(lambda n: n in rank)
    order = table["outcome"].map(lambda n: rank.get(n, len(rank)))
    return table.iloc[np.argsort(order.to_numpy(), kind="stable")].reset_index(drop=True)


def headline_text(table: pd.DataFrame, a: str, b: str) -> str:
    """The headline rows of a comparison, for the screen."""
    lines = [f"{b} against {a} (B - A, 95 % CI):"]
    for row in table[table["headline"]].itertuples():
        if not np.isfinite(row.difference):
            lines.append(f"  {row.outcome}: A {row.mean_a:.3g}, B {row.mean_b:.3g} (no difference: "
                         "a run never reaches it)")
            continue
        lines.append(f"  {row.outcome}: {row.mean_a:.3g} -> {row.mean_b:.3g}, "
                     f"{row.difference:+.3g} [{row.ci95_lo:+.3g}, {row.ci95_hi:+.3g}]")
    return "\n".join(lines)


def compare(a: str | Path, b: str | Path, out: str | Path, replicates: int = 200,
            seed: int = 1, steps: int | None = None, force: bool = False,
            table_out: list | None = None) -> dict[str, Path]:
    """Run A and B paired and write ``compare.csv``, ``overlay.png`` and ``difference.png``.

    The folder follows ``flashpoint run``'s rules (checked before computing; written whole, then
    moved into place; never over a file flashpoint did not write).

    Raises:
        sim.ScenarioError: a bad scenario file (nothing is written).
        sim.OutputError: an output folder holding files flashpoint did not write.
    """
    sa, sb = sim.load_scenario(a), sim.load_scenario(b)
    plan = sim.prepare_output(out, force=force)
    runs = [sim.run(s, seed=seed, replicates=replicates, steps=steps, record="full")
            for s in (sa, sb)]
    params = set(runs[0].vary) | set(runs[1].vary)  # the ensemble's parameters: not outcomes
    table = paired_differences(runs[0].outcomes.drop(columns=list(params), errors="ignore"),
                               runs[1].outcomes.drop(columns=list(params), errors="ignore"))
    if table_out is not None:
        table_out.append(table)
    index = [r.array(every=True)[0][:, :, _column(r, "tension_index", "")] for r in runs]
    dates = pd.to_datetime(runs[0].dates)
    marker = {"kind": "flashpoint compare", "flashpoint_version": sim.__version__,
              "a": str(a), "b": str(b), "scenario_a": sa.name, "scenario_b": sb.name,
              "replicates": replicates, "seed": seed, "files": list(FILES)}

    def write(tmp: Path) -> list[str]:
        table.to_csv(tmp / "compare.csv", index=False, float_format="%.6g")
        _overlay(dates, index, [sa.name, sb.name], replicates, seed, tmp / "overlay.png")
        _difference(dates, index[1] - index[0], sa.name, sb.name, replicates, seed,
                    tmp / "difference.png")
        (tmp / MARKER).write_text(json.dumps(marker, indent=2), encoding="utf-8")
        written = [*FILES, MARKER]
        sim.write_provenance(tmp, {"flashpoint_version": sim.__version__, "command": marker},
                         written)
        return [*written, "provenance.json"]

    folder = sim.write_folder(plan, write)
    return {k: folder / k for k in FILES}


FILES = ("compare.csv", "overlay.png", "difference.png")
MARKER = "compare.json"


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
