"""Figure helpers shared by every analysis figure, and a sweep's response figure.

``pyplot`` (matplotlib on the Agg backend), ``save_figure`` (atomic, with the metadata that
marks a figure as flashpoint's, ``analysis.plots.run.figure_metadata``) and ``short_name`` serve the sweep
figures here and the figures of :mod:`analysis.plots`.
"""

from __future__ import annotations

from pathlib import Path

import pandas as pd

import sim

from .run import figure_metadata


def pyplot():
    """Matplotlib's pyplot on the Agg backend (no display needed)."""
    import matplotlib

    matplotlib.use("Agg")
    import matplotlib.pyplot as plt

    return plt


def save_figure(fig, path: str | Path, fmt: str | None = None, dpi: float = 110) -> Path:
    """Write ``fig`` through a temporary file and a rename, marked as flashpoint's; close it.

    ``path`` may be a binary file object (a figure drawn in memory), then ``fmt`` is needed.
    """
    if not isinstance(path, str | Path):
        fig.savefig(path, format=fmt or "png", dpi=dpi, metadata=figure_metadata(fmt))
        pyplot().close(fig)
        return path
    path = Path(path)
    fmt = fmt or path.suffix.lstrip(".") or "png"
    tmp = path.with_name(f".{path.stem}.tmp{path.suffix}")
    fig.savefig(tmp, format=fmt, dpi=dpi, metadata=figure_metadata(fmt))
    pyplot().close(fig)
    tmp.replace(path)
    return path


def response_figure(response: pd.DataFrame, path: str | Path, by: str | None = None,
                    means: pd.DataFrame | None = None) -> Path:
    """Each outcome against each parameter: the mean over points and its 5-95 % band.

    With ``by`` (a parameter) and the point means, one line per value of ``by`` instead, so the
    dependence of one parameter's effect on another shows (an interaction).
    """
    plt = pyplot()
    outcomes = list(dict.fromkeys(response["outcome"]))
    params = [p for p in dict.fromkeys(response["parameter"]) if p != by]
    fig, axes = plt.subplots(len(outcomes), len(params), squeeze=False,
                             figsize=(4.2 * len(params), 2.8 * len(outcomes)))
    for i, name in enumerate(outcomes):
        for j, par in enumerate(params):
            ax = axes[i][j]
            if by is not None and means is not None:
                for level, part in means.groupby(by):
                    line = part.groupby(par)[name].mean()
                    ax.plot(line.index, line.to_numpy(), marker="o", ms=3,
                            label=f"{short_name(by)} = {level:g}")
                if i == 0 and j == 0:
                    ax.legend(fontsize=7)
            else:
                part = response[(response["outcome"] == name) & (response["parameter"] == par)]
                ax.fill_between(part["value"], part["p5"], part["p95"], alpha=0.25,
                                label="5-95 % of points")
                ax.plot(part["value"], part["mean"], marker="o", ms=3, label="mean")
            ax.set_xlabel(short_name(par), fontsize=8)
            ax.set_ylabel(short_name(name), fontsize=8)
            ax.tick_params(labelsize=7)
    fig.tight_layout()
    return save_figure(fig, path, "png", dpi=100)


TRAJECTORY_LINES = 200
"""Points a trajectories figure draws at most (evenly spaced through the sweep's points)."""


DISCRETE_LEVELS = 8
"""A colouring parameter with at most this many distinct values gets a legend of its values."""


def trajectories_figure(points: pd.DataFrame, trajectories: pd.DataFrame, series: list[str],
                        quantiles: list[float], path: str | Path, colour: str) -> Path:
    """Each kept series over time, one line per point coloured by parameter ``colour``.

    The line is the point's median (or its middle percentile) across replicates; with 12 points or
    fewer the band between its lowest and highest kept percentiles is shaded too. A sweep of
    more points draws :data:`TRAJECTORY_LINES` of them, evenly spaced.
    """
    import numpy as np

    plt = pyplot()
    labels = [sim.percentile_label(q) for q in quantiles]
    middle = labels[int(np.argmin([abs(q - 50.0) for q in quantiles]))]
    low, high = labels[int(np.argmin(quantiles))], labels[int(np.argmax(quantiles))]
    shown = np.unique(np.linspace(0, len(points) - 1, min(len(points), TRAJECTORY_LINES))
                      .round().astype(int))
    values = points.set_index("point")[colour]
    norm = plt.Normalize(values.min(), values.max() if values.max() > values.min()
                         else values.min() + 1.0)
    cmap = plt.get_cmap("viridis")
    fig, axes = plt.subplots(len(series), 1, squeeze=False, sharex=True,
                             figsize=(7.5, 2.9 * len(series)))
    shaded = len(shown) <= 12 and low != high
    by_point = dict(tuple(trajectories.groupby("point", sort=False)))
    for ax, name in zip(axes[:, 0], series, strict=True):
        for point in points["point"].to_numpy()[shown]:
            rows = by_point[point]
            when = pd.to_datetime(rows["date"])
            c = cmap(norm(values[point]))
            if shaded:
                ax.fill_between(when, rows[f"{name}.{low}"], rows[f"{name}.{high}"], color=c,
                                alpha=0.12, lw=0)
            ax.plot(when, rows[f"{name}.{middle}"], color=c, lw=1.1 if len(shown) <= 12 else 0.6)
        ax.set_ylabel(name if len(name) <= 28 else "..." + name[-25:], fontsize=8)
        ax.tick_params(labelsize=7)
    levels = np.unique(values.to_numpy())
    if len(levels) <= DISCRETE_LEVELS:  # a few levels (a grid): a legend of them, not a scale
        from matplotlib.lines import Line2D

        handles = [Line2D([], [], color=cmap(norm(v)), lw=2, label=f"{v:g}") for v in levels]
        axes[0, 0].legend(handles=handles, title=short_name(colour), fontsize=7,
                          title_fontsize=7, loc="upper left", bbox_to_anchor=(1.01, 1.0))
    else:
        bar = fig.colorbar(plt.cm.ScalarMappable(norm=norm, cmap=cmap),
                           ax=axes[:, 0].tolist(), shrink=0.8)
        bar.set_label(short_name(colour), fontsize=8)
    band = f", shaded {low}-{high}" if shaded else ""
    axes[0, 0].set_title(f"{middle} across each point's replicates{band}; "
                         f"{len(shown):,} of {len(points):,} points", fontsize=9)
    return save_figure(fig, path, "png", dpi=100)


def short_name(name: str) -> str:
    """``actors.NATO.posture.deployment_troops`` -> ``NATO deployment_troops``."""
    parts = name.split(".")
    if parts[0] == "actors" and len(parts) == 4:
        return f"{parts[1]} {parts[3]}"
    return name if len(name) <= 40 else "..." + name[-37:]
