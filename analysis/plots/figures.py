"""``flashpoint plot KIND``: each kind of figure from a results folder (matplotlib, Agg).

Kinds: ``tension`` (fan chart; the same code as ``flashpoint run``'s ``tension.png``),
``postures`` (each posture, one panel each, a line per actor), ``actors`` (spending, capability,
forces, perceived threat, Article 5 belief), ``ladder`` (rung over time: one run's steps, or an
ensemble's P(rung >= k) per step from every replicate's series), ``sweep`` (a heatmap of each
outcome over two parameters, Sobol and Morris charts with confidence intervals, PRIM boxes),
``compare`` (several runs' tension index overlaid).
Every figure: dates on time axes, units on value axes, the fixed actor colours of
``analysis.plots.run.actor_style``, a title with the scenario, R and the seed.
"""

from __future__ import annotations

from functools import partial
from pathlib import Path

import numpy as np
import pandas as pd

import sim

from ..sweeps.runner import read_spec
from .base import pyplot, save_figure, short_name
from .results import RunResults, as_results, load_results
from .run import actor_style, tension_figure

UNITS = {v.name: v.unit for v in sim.VARIABLES}
LABELS = {v.name: v.label for v in sim.VARIABLES}
SPANS = {v.name: v.hi - v.lo for v in sim.VARIABLES}
MIN_VISIBLE_SHARE = 0.05
"""A panel's y axis spans at least this share of its variable's range where that range is 0-1
(intensities, shares), so that a change of 10^-4 stays a flat line instead of a deep curve."""
POSTURES = [v.name for v in sim.VARIABLES if v.posture]
USED_BY = {"commitment": ("patron", "union"), "intel_sharing": ("alliance",),
           "military_aid": ("patron",), "partnership": ("challenger", "partner")}
"""Variables only some kinds of actor have: the others' constant defaults are not drawn."""
ACTOR_PANELS = ["spending_pct_gdp", "milex_usd_bn", "capability_usd_bn", "deployment_troops",
                "threat", "article5_belief"]


def _dates(ax) -> None:
    import matplotlib.dates as mdates

    ax.xaxis.set_major_locator(mdates.YearLocator(2))
    ax.xaxis.set_major_formatter(mdates.DateFormatter("%Y"))


def _median(res: RunResults, variable: str) -> pd.DataFrame:
    """Entity x date table of a variable's median (or its one replicate)."""
    ts = res.timeseries
    part = ts[ts["variable"] == variable]
    if res.ensemble:
        part = part[part["quantile"] == "p50"]
    table = part.pivot(index="date", columns="entity", values="value")  # one row per pair
    table.index = pd.to_datetime(table.index)
    return table


def _small_multiples(res: RunResults, variables: list[str], what: str, path: Path,
                     fmt: str | None):
    fig, axes = small_multiples_figure(res, variables, what)
    return save_figure(fig, path, fmt), axes


def small_multiples_figure(res: RunResults, variables: list[str], what: str):
    """One panel per variable, a line per actor (its median): the figure and its axes."""
    plt = pyplot()
    shown = [v for v in variables if (res.timeseries["variable"] == v).any()]
    cols = 3
    rows = -(-len(shown) // cols)
    fig, axes = plt.subplots(rows, cols, figsize=(5.2 * cols, 3.0 * rows), squeeze=False,
                             sharex=True)
    seen: dict[str, object] = {}
    for ax, var in zip(axes.flat, shown, strict=False):
        table = _median(res, var)
        kinds = {n: a.get("kind") for n, a in res.scenario.get("actors", {}).items()}
        for entity in table.columns:
            series = table[entity]
            if var in POSTURES and np.allclose(series.to_numpy(), 0.0):
                continue  # an actor without this posture
            if var in USED_BY and kinds.get(entity) not in USED_BY[var]:
                continue
            (line,) = ax.plot(series.index, series.to_numpy(), lw=1.4, label=entity,
                              **actor_style(entity))
            seen.setdefault(entity, line)
        ax.set_title(LABELS.get(var, var), fontsize=10)
        ax.set_ylabel(UNITS.get(var, ""), fontsize=8)
        if SPANS.get(var, 0) <= 1.0 + 1e-9 and len(table.columns):  # a share or an intensity
            low, high = ax.get_ylim()
            need = MIN_VISIBLE_SHARE * SPANS[var]
            if high - low < need:
                middle = (high + low) / 2
                ax.set_ylim(middle - need / 2, middle + need / 2)
        ax.tick_params(labelsize=8)
        _dates(ax)
    for ax in list(axes.flat)[len(shown):]:
        ax.axis("off")
    fig.legend(list(seen.values()), list(seen), loc="lower center", ncol=min(len(seen), 9),
               fontsize=8, frameon=False)
    stat = "medians" if res.ensemble else "one replicate"
    fig.suptitle(res.info.title(f"{what}, {stat}"), y=1 - 0.02 / rows)
    # fixed margins (tight_layout measured every tick label and took most of the time); the top
    # leaves the suptitle its own line above the first row's panel titles
    fig.subplots_adjust(left=0.06, right=0.98, bottom=0.08 + 0.12 / rows, top=1 - 0.2 / rows,
                        hspace=0.38, wspace=0.22)
    return fig, axes


def plot_tension(res: RunResults, path: Path, fmt: str | None = None):
    """The tension fan chart (see :func:`analysis.plots.run.tension_figure`)."""
    res = as_results(res)
    paths = None
    if res.has_every_replicate and res.ensemble:  # a few sample replicates' index
        paths = res.every_replicate("tension_index", below=5)[["date", "replicate", "value"]]
    ax = tension_figure(res.timeseries, res.events, res.info, path, fmt, paths=paths)
    return (Path(path) if isinstance(path, str | Path) else path), ax


def plot_postures(res: RunResults, path: Path, fmt: str | None = None):
    """Each posture's intensity or size over time, a line per actor (small multiples)."""
    return _small_multiples(as_results(res), POSTURES + ["readiness", "commitment"], "postures",
                            path, fmt)


def plot_actors(res: RunResults, path: Path, fmt: str | None = None):
    """Spending (% of GDP and US$), capability, forces, perceived threat, Article 5 belief."""
    return _small_multiples(as_results(res), ACTOR_PANELS, "actors", path, fmt)


def plot_ladder(res: RunResults, path: Path, fmt: str | None = None):
    """The escalation ladder of each pair with the challenger.

    One replicate: the rung over time. An ensemble: the share of replicates on each rung per
    step, stacked, from the run's ``ladder.csv`` (recorded by every run), or from every
    replicate's series (``timeseries.parquet``: ``--full``) for an older folder.
    """
    res = as_results(res)
    plt = pyplot()
    pairs = sorted(set(res.timeseries.loc[res.timeseries["variable"] == "rung", "entity"]))
    fig, axes = plt.subplots(len(pairs), 1, figsize=(10, 1.9 * len(pairs)), sharex=True,
                             squeeze=False)
    if not res.ensemble:
        table = _median(res, "rung")
        for ax, pair in zip(axes[:, 0], pairs, strict=True):
            ax.step(table.index, table[pair].to_numpy(), where="post", **actor_style(pair))
            ax.set_yticks(range(len(sim.RUNGS)), sim.RUNGS, fontsize=7)
            ax.set_ylim(-0.5, len(sim.RUNGS) - 0.5)
            ax.set_title(pair, fontsize=9, loc="left")
        what = "rung, one replicate"
    else:
        if res.ladder is not None:
            ladder = res.ladder.assign(date=pd.to_datetime(res.ladder["date"].astype(str)),
                                       rung=res.ladder["rung"].map(sim.RUNGS.index))
            for ax, pair in zip(axes[:, 0], pairs, strict=True):
                part = ladder[ladder["entity"] == pair]
                rung_shares_axes(ax, part.pivot(index="date", columns="rung", values="share"),
                                 pair)
        elif res.has_every_replicate:
            full = res.every_replicate("rung")
            full["date"] = pd.to_datetime(full["date"])
            for ax, pair in zip(axes[:, 0], pairs, strict=True):
                part = full[full["entity"] == pair]
                shares = pd.crosstab(part["date"], part["value"].astype(int), normalize="index")
                rung_shares_axes(ax, shares, pair)
        else:
            raise sim.ScenarioError(str(res.folder), "a ladder of an ensemble needs its shares "
                                    "(ladder.csv) or every replicate's series: run it again")
        axes[0, 0].legend(fontsize=7, ncol=4, loc="lower left", bbox_to_anchor=(0, 1.15),
                          frameon=False)
        what = "P(each rung) over time"
    _dates(axes[-1, 0])
    fig.suptitle(res.info.title(what))
    fig.tight_layout()
    return save_figure(fig, path, fmt), axes


RUNG_COLOURS = ["#f7f7f7", "#d9d9d9", "#bdbdbd", "#969696", "#E69F00", "#D55E00", "#7f0000"]
"""Each rung's colour in the ladder's stacked shares: greys for peace, warm for conflict."""


def rung_shares_axes(ax, shares: pd.DataFrame, title: str) -> None:
    """Stack the share of replicates on each rung over time (``shares``: date x rung number)."""
    shares = shares.reindex(columns=range(len(sim.RUNGS)), fill_value=0.0)
    ax.stackplot(shares.index, shares.T.to_numpy(), colors=RUNG_COLOURS, labels=list(sim.RUNGS))
    ax.set_ylim(0, 1)
    ax.set_ylabel("share of replicates", fontsize=7)
    ax.set_title(title, fontsize=9, loc="left")


def plot_sweep(folder: Path, path: Path, fmt: str | None = None):
    """A sweep's analysis figure (run ``flashpoint analyze`` first).

    Heatmaps over the first two parameters, Sobol or Morris indices with confidence intervals,
    PRIM boxes.
    """
    plt = pyplot()
    folder = Path(folder)
    if not (folder / "point_means.csv").is_file():
        raise sim.ScenarioError(str(folder), "is not an analysed sweep folder (run flashpoint "
                                             "analyze on it first)")
    spec = read_spec(folder)
    means = pd.read_csv(folder / "point_means.csv")
    dims = list(spec.dimensions)
    outcomes = spec.outcome_names
    panels = []
    if len(dims) >= 2:
        panels += [("heat", o) for o in outcomes]
    for name in ("sobol", "morris"):
        if (folder / f"{name}.csv").is_file():
            panels += [(name, o) for o in outcomes]
    if (folder / "prim.csv").is_file() and len(dims) >= 2:
        prim = pd.read_csv(folder / "prim.csv")
        panels += [("prim", o) for o in dict.fromkeys(prim["outcome"])]
    if not panels:
        panels = [("line", o) for o in outcomes]
    cols = min(3, len(panels))
    rows = -(-len(panels) // cols)
    fig, axes = plt.subplots(rows, cols, figsize=(5.4 * cols, 4.0 * rows), squeeze=False)
    x, y = (dims + dims)[:2]
    for ax, (kind, outcome) in zip(axes.flat, panels, strict=False):
        short = outcome.replace("rung_at_least.", "P(rung >= ") + (
            ")" if "rung_at_least" in outcome else "")
        if kind == "heat":
            grid = means.pivot_table(index=y, columns=x, values=outcome)
            if grid.shape[0] * grid.shape[1] <= 400:
                im = ax.imshow(grid.to_numpy(), origin="lower", aspect="auto", cmap="viridis")
                ax.set_xticks(range(grid.shape[1]), [f"{v:g}" for v in grid.columns],
                              fontsize=7, rotation=45)
                ax.set_yticks(range(grid.shape[0]), [f"{v:g}" for v in grid.index], fontsize=7)
            else:  # sampled points: a scatter coloured by the outcome
                im = ax.scatter(means[x], means[y], c=means[outcome], s=12, cmap="viridis")
            fig.colorbar(im, ax=ax, shrink=0.8)
            ax.set_xlabel(short_name(x), fontsize=8)
            ax.set_ylabel(short_name(y), fontsize=8)
            ax.set_title(short, fontsize=9)
        elif kind in ("sobol", "morris"):
            table = pd.read_csv(folder / f"{kind}.csv")
            part = table[table["outcome"] == outcome]
            labels = [short_name(p) for p in part["parameter"]]
            pos = np.arange(len(part))
            if kind == "sobol":
                ax.barh(pos - 0.2, part["S1"], 0.4, xerr=part["S1_conf"], label="first order")
                ax.barh(pos + 0.2, part["ST"], 0.4, xerr=part["ST_conf"], label="total")
                ax.set_xlabel("Sobol index (95 % CI)", fontsize=8)
            else:
                ax.barh(pos, part["mu_star"], 0.6, xerr=part["mu_star_conf"], label="mu*")
                ax.set_xlabel("Morris mu* (95 % CI)", fontsize=8)
            ax.set_yticks(pos, labels, fontsize=7)
            ax.legend(fontsize=7)
            ax.set_title(short, fontsize=9)
        elif kind == "prim":
            box = prim[prim["outcome"] == outcome].set_index("parameter")
            hit = means[outcome.split(" > ")[0]] > float(outcome.split(" > ")[1])
            ax.scatter(means.loc[~hit, x], means.loc[~hit, y], c="0.7", s=10, zorder=1,
                       label=f"{short} not reached")
            ax.scatter(means.loc[hit, x], means.loc[hit, y], c="#D55E00", s=10, zorder=1,
                       label=f"{short} reached")
            lo_x, hi_x = (box.loc[x, ["lo", "hi"]] if x in box.index
                          else (means[x].min(), means[x].max()))
            lo_y, hi_y = (box.loc[y, ["lo", "hi"]] if y in box.index
                          else (means[y].min(), means[y].max()))
            ax.add_patch(plt.Rectangle((lo_x, lo_y), hi_x - lo_x, hi_y - lo_y, fill=False,
                                       lw=2, ec="#0072B2", label="PRIM box", zorder=3))
            ax.set_xlabel(short_name(x), fontsize=8)
            ax.set_ylabel(short_name(y), fontsize=8)
            ax.set_title(f"PRIM: {short}", fontsize=9)
            ax.legend(fontsize=7)
        else:
            ax.plot(means[x], means[outcome], "o", ms=3)
            ax.set_xlabel(short_name(x), fontsize=8)
            ax.set_ylabel(short, fontsize=8)
    for ax in list(axes.flat)[len(panels):]:
        ax.axis("off")
    fig.suptitle(f"sweep {spec.name}: {spec.sampler} design, {len(means):,} points x "
                 f"{spec.replicates} replicates, seed {spec.seed}")
    fig.tight_layout()
    return save_figure(fig, path, fmt), axes


def plot_overlay(results: list[RunResults], path: Path, fmt: str | None = None):
    """Several runs' overall tension index overlaid: median and 5-95 % band of each."""
    plt = pyplot()
    fig, ax = plt.subplots(figsize=(10, 5.5), dpi=110)
    colours = ["#0072B2", "#D55E00", "#009E73", "#CC79A7", "#E69F00", "#56B4E9"]
    for k, res in enumerate(results):
        ts = res.timeseries[res.timeseries["variable"] == "tension_index"].copy()
        ts["date"] = pd.to_datetime(ts["date"])
        colour = colours[k % len(colours)]
        label = f"{res.name} (R = {res.info.replicates:,}, seed {res.info.seed})"
        if res.ensemble:
            q = ts.pivot_table(index="date", columns="quantile", values="value")
            if {"p5", "p95"} <= set(q.columns):
                ax.fill_between(q.index, q["p5"], q["p95"], color=colour, alpha=0.15, lw=0)
            ax.plot(q.index, q["p50"], color=colour, lw=2, ls=["-", "--", "-.", ":"][k % 4],
                    label=label + ", median and 5-95 %")
        else:
            s = ts.set_index("date")["value"]
            ax.plot(s.index, s.to_numpy(), color=colour, lw=2, label=label)
    ax.set_ylabel("overall tension index, 0 (partnership) - 100 (war)")
    ax.set_title("tension index: " + ", ".join(r.name for r in results))
    ax.legend(fontsize=8)
    _dates(ax)
    fig.tight_layout()
    return save_figure(fig, path, fmt), ax


KINDS = {"tension": plot_tension, "postures": plot_postures, "actors": plot_actors,
         "ladder": plot_ladder, "sweep": plot_sweep, "compare": plot_overlay}
"""Each kind of figure and the function drawing it."""


def plot(kind: str, folder: str | Path | list, out: str | Path | None = None,
         fmt: str | None = None) -> Path:
    """Draw one kind of figure from a results folder (default: ``FOLDER/KIND.FMT``).

    ``compare`` takes several folders (a list) and overlays them.

    Raises:
        sim.ScenarioError: an unknown kind, or a folder that does not hold what it needs.
    """
    if isinstance(folder, sim.Result):  # a run in memory: drawn straight into ``out``
        if out is None:
            raise sim.ScenarioError(kind, "a run in memory has no folder: give out=PATH")
        fmt = fmt or Path(out).suffix.lstrip(".") or "png"
        return sim.publish(out, partial(_kind_of_a_run(kind), as_results(folder), fmt=fmt))
    folders = [Path(f) for f in folder] if isinstance(folder, list | tuple) else [Path(folder)]
    if kind != "compare" and len(folders) != 1:
        raise sim.ScenarioError(kind, "takes one results folder (compare takes several)")
    folder = folders[0]
    if kind not in KINDS:
        raise sim.ScenarioError(kind, f"no such figure; kinds are {', '.join(KINDS)}")
    fmt = fmt or (Path(out).suffix.lstrip(".") if out else "png")
    if fmt not in ("png", "svg", "pdf"):
        raise sim.ScenarioError("--format", f"png, svg or pdf, not {fmt!r}")
    if not folder.is_dir():
        raise sim.ScenarioError(str(folder), "no such results folder")
    target = Path(out) if out else folder / f"{kind}.{fmt}"
    sim.check_output_file(target)  # before drawing: a user's file is never replaced
    if kind == "sweep":
        draw = partial(plot_sweep, folder, fmt=fmt)
    elif kind == "compare":
        draw = partial(plot_overlay, [load_results(f) for f in folders], fmt=fmt)
    else:
        draw = partial(KINDS[kind], load_results(folder), fmt=fmt)
    return sim.publish(target, draw)  # the figure drawn into a temporary file, then renamed


def _kind_of_a_run(kind: str):
    """The function drawing ``kind`` of one run (not the sweep's or the comparison's)."""
    if kind not in KINDS or kind in ("sweep", "compare"):
        raise sim.ScenarioError(kind, "no such figure of a run; kinds are tension, postures, "
                                      "actors and ladder")
    return KINDS[kind]


class Drawn:
    """A figure drawn in memory (:func:`figure`): shown inline by Jupyter, saved with :meth:`save`."""

    def __init__(self, png: bytes, kind: str) -> None:
        self.png, self.kind = png, kind

    def __repr__(self) -> str:
        return f"<flashpoint {self.kind} figure, {len(self.png):,} bytes of PNG>"

    def _repr_png_(self) -> bytes:
        return self.png

    def save(self, path: str | Path) -> Path:
        """Write the PNG to ``path`` (never over a file flashpoint did not write)."""
        return sim.publish(path, self._write)

    def _write(self, tmp: Path) -> None:
        tmp.write_bytes(self.png)


def figure(kind: str, source) -> Drawn:
    """Draw one kind of figure of a run in memory (``sim.run``'s Result) or a results folder.

    In a notebook the returned object shows as the figure; ``.save(path)`` writes it.

    Raises:
        sim.ScenarioError: an unknown kind, or a run that lacks what the kind needs.
    """
    import io

    draw = _kind_of_a_run(kind)
    buffer = io.BytesIO()
    draw(as_results(source), buffer, "png")
    return Drawn(buffer.getvalue(), kind)
