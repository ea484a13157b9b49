"""Sensitivity analysis and response tables of a finished sweep (SALib; pure functions).

* Sobol first-order and total indices (and second order where sampled), with bootstrap
  confidence intervals: Saltelli (2002), Saltelli et al. (2010), SALib's ``sobol.analyze``;
* Morris elementary effects mu*, sigma with confidence intervals (Morris 1991; Campolongo et al.
  2007), SALib's ``morris.analyze``;
* response tables: each outcome's point mean against each parameter, in quantile bins, with the
  5-95 % band across points (what dependence looks like, whatever the sampler).

Every index is computed on the replicate mean of each point (a probability for 0/1 outcomes such
as ``NATO-Russia.rung_at_least.limited conflict``).
"""

from __future__ import annotations

import json
from functools import partial
from pathlib import Path

import numpy as np
import pandas as pd

import sim

from .sweeps.runner import read_sweep, read_trajectories
from .sweeps.samplers import problem
from .sweeps.spec import SweepSpec


def point_means(points: pd.DataFrame, runs: pd.DataFrame, outcomes: list[str]) -> pd.DataFrame:
    """Each point's parameters and the mean of each outcome over its replicates.

    A month outcome (``PAIR.first_month_at.RUNG``, ``fait_accompli_month``: missing where it
    never happened) gives two columns: ``NAME.p_reached``, the share of replicates where it
    happened, and ``NAME``, the mean month among those (empty where none did). No mean ever
    counts "never" as a month.
    """
    grouped = runs.groupby("point")
    means = grouped[outcomes].mean()
    for name in outcomes:
        if sim.is_when_outcome(name):
            means[name] = means[name].astype("Float64")
            means.insert(means.columns.get_loc(name), f"{name}.p_reached",
                         grouped[name].count() / grouped[name].size())
    return points.set_index("point").join(means).reset_index()


def analysed_outcomes(means: pd.DataFrame, outcomes: list[str]) -> list[str]:
    """The columns of :func:`point_means` that indices are computed on.

    A month outcome is analysed as its ``.p_reached``, and as the month itself only where
    every point reaches it (a mean over no replicate is not a number to decompose).
    """
    names = []
    for name in outcomes:
        if sim.is_when_outcome(name):
            names.append(f"{name}.p_reached")
            if means[name].notna().all():
                names.append(name)
        else:
            names.append(name)
    return names


def sobol_indices(spec: SweepSpec, means: pd.DataFrame, outcomes: list[str],
                  seed: int = 1) -> pd.DataFrame:
    """Sobol indices per outcome and parameter (needs ``sampler: sobol``).

    Columns ``S1``, ``ST`` and their confidence intervals; with ``second_order: true`` also
    ``S2:<other>`` (and ``S2_conf:<other>``) for each pair, on the row of the earlier parameter.
    """
    from SALib.analyze import sobol

    prob = problem(spec)
    rows = []
    for name in outcomes:
        y = means.sort_values("point")[name].to_numpy(float)
        res = sobol.analyze(prob, y, calc_second_order=spec.second_order, seed=seed)
        for j, par in enumerate(prob["names"]):
            row = {"outcome": name, "parameter": par, "S1": res["S1"][j],
                   "S1_conf": res["S1_conf"][j], "ST": res["ST"][j], "ST_conf": res["ST_conf"][j]}
            if spec.second_order:  # S2 with each later parameter, as "S2:<other>" columns
                for k, other in enumerate(prob["names"]):
                    if k > j:
                        row[f"S2:{other}"] = res["S2"][j, k]
                        row[f"S2_conf:{other}"] = res["S2_conf"][j, k]
            rows.append(row)
    return pd.DataFrame(rows)


def morris_indices(spec: SweepSpec, means: pd.DataFrame, outcomes: list[str],
                   seed: int = 1) -> pd.DataFrame:
    """Morris mu*, its confidence interval and sigma per outcome and parameter."""
    from SALib.analyze import morris

    prob = problem(spec)
    ordered = means.sort_values("point")
    x = ordered[prob["names"]].to_numpy(float)
    rows = []
    for name in outcomes:
        res = morris.analyze(prob, x, ordered[name].to_numpy(float),
                             num_levels=spec.morris_levels, seed=seed)
        for j, par in enumerate(prob["names"]):
            rows.append({"outcome": name, "parameter": par, "mu_star": res["mu_star"][j],
                         "mu_star_conf": res["mu_star_conf"][j], "sigma": res["sigma"][j]})
    return pd.DataFrame(rows)


def response_table(means: pd.DataFrame, parameters: list[str], outcomes: list[str],
                   bins: int = 8) -> pd.DataFrame:
    """Each outcome's point mean by bins of each parameter: mean and the 5-95 % band."""
    rows = []
    for par in parameters:
        values = means[par]
        if values.nunique() <= bins:
            groups = values
        else:
            groups = pd.qcut(values, bins, duplicates="drop").apply(lambda iv: iv.mid)
        for level, part in means.groupby(groups, observed=True):
            for name in outcomes:
                y = part[name].astype("Float64").dropna().to_numpy(float)
                if not len(y):  # a month no point of this bin reaches: no mean to give
                    continue
                rows.append({"parameter": par, "value": float(level), "outcome": name,
                             "points": len(y), "mean": float(np.mean(y)),
                             "p5": float(np.percentile(y, 5)),
                             "p95": float(np.percentile(y, 95))})
    return pd.DataFrame(rows)


def scenario_discovery(means: pd.DataFrame, parameters: list[str], outcomes: list[str],
                       threshold: float = 0.5) -> pd.DataFrame | None:
    """PRIM boxes of the points where P(rung >= k) exceeds ``threshold``, per rung outcome.

    Returns None when EMA Workbench (the ``ema`` extra) is not installed or no outcome is a
    ``PAIR.rung_at_least.RUNG`` probability.
    """
    rungs = [o for o in outcomes if ".rung_at_least." in o]
    try:
        from .ema import discover
    except ImportError:
        return None
    if not rungs:
        return None
    frames = []
    for name in rungs:
        y = means[name].to_numpy(float) > threshold
        if y.all() or not y.any():
            continue  # nothing to tell apart
        box = discover(means[parameters], y)
        box.insert(0, "outcome", f"{name} > {threshold:g}")
        frames.append(box)
    return pd.concat(frames, ignore_index=True) if frames else pd.DataFrame(
        columns=["outcome", "parameter", "lo", "hi", "coverage", "density", "mass"])


ANALYSIS_FILES = ("point_means.csv", "response.csv", "sobol.csv", "morris.csv", "prim.csv",
                  "response.png", "trajectories.png", "analysis.json")


def analyze_sweep(folder: str | Path) -> dict[str, Path]:
    """Write the analyses of a finished sweep into its folder; returns the files written.

    ``point_means.csv``, ``response.csv`` and ``response.png`` always (with two parameters of
    which the second takes few values, one line per value of it); ``sobol.csv`` for a Sobol
    design; ``morris.csv`` for a Morris design; ``prim.csv`` (scenario discovery) for outcomes
    ``PAIR.rung_at_least.RUNG`` when EMA Workbench is installed; ``trajectories.png`` for a
    sweep that kept trajectories (each series over time, a line per point coloured by its first
    parameter); ``analysis.json`` lists them.
    """
    folder = Path(folder)
    spec, points, runs = read_sweep(folder)
    # never over a file flashpoint did not write: each target is new or holds the bytes
    # flashpoint recorded writing there (sim.io.ledger), checked before computing
    for name in ANALYSIS_FILES:
        sim.check_output_file(folder / name, option=str(folder))
    means = point_means(points, runs, spec.outcome_names)
    outcomes = analysed_outcomes(means, spec.outcome_names)
    written = {"point_means": folder / "point_means.csv", "response": folder / "response.csv"}
    frames = {"point_means": means,
              "response": response_table(means, list(spec.dimensions), outcomes)}
    if spec.sampler == "sobol":
        frames["sobol"] = sobol_indices(spec, means, outcomes, spec.seed)
        written["sobol"] = folder / "sobol.csv"
    if spec.sampler == "morris":
        frames["morris"] = morris_indices(spec, means, outcomes, spec.seed)
        written["morris"] = folder / "morris.csv"
    discovered = scenario_discovery(means, list(spec.dimensions), outcomes)
    if discovered is not None:
        frames["prim"] = discovered
        written["prim"] = folder / "prim.csv"
    for key, frame in frames.items():
        sim.publish(written[key], partial(_write_table, frame), option=str(folder))
    from .plots.base import response_figure

    dims = list(spec.dimensions)
    by = dims[-1] if len(dims) == 2 and means[dims[-1]].nunique() <= 8 else None
    written["figure"] = sim.publish(folder / "response.png", partial(
        response_figure, frames["response"], by=by, means=means), option=str(folder))
    if spec.trajectories is not None:
        from .plots.base import trajectories_figure

        written["trajectories"] = sim.publish(folder / "trajectories.png", partial(
            _trajectories, trajectories_figure, points, read_trajectories(folder),
            spec.trajectories.series, spec.trajectories.quantiles, dims[0]), option=str(folder))
    listing = json.dumps({k: v.name for k, v in written.items()}, indent=2)
    sim.publish(folder / "analysis.json", listing, option=str(folder))
    return written


def _write_table(frame: pd.DataFrame, path: Path) -> None:
    frame.to_csv(path, index=False, float_format="%.6g")


def _trajectories(figure, points, trajectories, series, quantiles, colour, path: Path) -> None:
    figure(points, trajectories, series, quantiles, path, colour=colour)
