"""What the explorer shows, drawn from the live model: each view a function returning PNG bytes.

The figures are the plots issue's own (``analysis.plots.run.tension_figure``, the small multiples and ladder
shares of :mod:`analysis.plots.figures`, the paired difference of :mod:`analysis.plots.comparison`)
fed with the live run's series instead of a results folder, plus the map of the Baltic region.
They are pure functions of the model so that tests can call them without a browser.
"""

from __future__ import annotations

import io
import json
from functools import cache
from pathlib import Path

import numpy as np
import pandas as pd

import sim

from ..plots.base import pyplot
from ..plots.comparison import difference_axes
from ..plots.figures import rung_shares_axes, small_multiples_figure
from ..plots.results import RunResults
from ..plots.run import figure_metadata, tension_figure
from .levers import BY_LEVER
from .model import DIFFERENCE_QUANTILES, ExplorerModel

DPI = 72
"""Screen resolution of the page's figures (lower than the files' 110: faster to draw and send)."""
TENSION_VARIABLES = ("tension_index", "tension")
ACTOR_PANELS = {
    "forces and spending": ["deployment_troops", "exercises_troops", "spending_pct_gdp",
                            "capability_usd_bn"],
    "sanctions and economy": ["sanctions_finance", "sanctions_energy", "sanctions_defence",
                              "gdp_index"],
    "diplomacy and alliance": ["dialogue", "commitment", "hybrid", "article5_belief"],
}
"""The actors view's groups of four panels (four keep a redraw under 0.4 s at R = 1,000)."""
SHADES = {"article5_belief": ("Article 5 belief (median, 0-1)", "cividis", 0.0, 1.0),
          "deterrence_margin": ("deterrence margin (median)", "PuOr", -1.0, 1.0)}
"""How the map can shade the frontline states: label, colour map, range."""
LOG_ROWS = 40
"""Rows the event log shows (the latest)."""


def png(fig, dpi: float = DPI) -> bytes:
    """A figure as PNG bytes (the figure is closed)."""
    buf = io.BytesIO()
    fig.savefig(buf, format="png", dpi=dpi, metadata=figure_metadata("png"))
    pyplot().close(fig)
    return buf.getvalue()


def run_info(model: ExplorerModel) -> sim.RunInfo:
    """Title facts of the live run: its dated events and the moves made so far."""
    sc = model.spec
    events = [(e.date, e.name) for e in sc.events]
    events += [(model.date_of(step).isoformat(), label.rsplit(" (", 1)[0])
               for step, label, _ in model.moves_applied]
    return sim.RunInfo(scenario=model.title, replicates=model.R, seed=model.seed,
                       thresholds=list(sc.submodels.escalation.thresholds),
                       rungs=list(sim.RUNGS), events=events)


def live_results(model: ExplorerModel, variables: list[str] | tuple[str, ...]) -> RunResults:
    """The live run so far as a results folder's tables (only ``variables``' series)."""
    result = sim.Result.from_model(model, model.spec)
    ts = result.tidy(list(variables))
    ts["entity"] = ts["entity"].fillna("")
    info = run_info(model)
    scenario = {"name": info.scenario, "replicates": model.R, "seed": model.seed,
                "submodels": {"escalation": {"thresholds": info.thresholds}},
                "events": [{"date": d, "name": n} for d, n in info.events],
                "actors": {name: {"kind": a.kind} for name, a in model.spec.actors.items()}}
    return RunResults(Path(model.title), scenario, ts, result.events, {}, None)


def tension_png(model: ExplorerModel) -> bytes:
    """The tension fan chart of the run so far (the index and each pair, rung bands)."""
    res = live_results(model, TENSION_VARIABLES)
    buf = io.BytesIO()
    tension_figure(res.timeseries, res.events, res.info, buf, "png", dpi=DPI)
    return buf.getvalue()


def _dates(model: ExplorerModel, n: int) -> pd.DatetimeIndex:
    return pd.to_datetime([model.date_of(s) for s in range(n)])


def ladder_png(model: ExplorerModel) -> bytes:
    """P(each rung) over time: the share of replicates whose highest rung is each rung."""
    plt = pyplot()
    fig, ax = plt.subplots(figsize=(9, 3.4))
    shares = pd.DataFrame(np.array(model.rung_shares), index=_dates(model, len(model.rung_shares)))
    rung_shares_axes(ax, shares, "highest rung over all pairs")
    ax.legend(fontsize=7, ncol=4, loc="lower left", bbox_to_anchor=(0, 1.08), frameon=False)
    fig.suptitle(run_info(model).title("P(each rung) over time"), fontsize=10, y=0.99)
    fig.subplots_adjust(left=0.08, right=0.98, bottom=0.1, top=0.72)  # tight_layout: 0.2 s more
    return png(fig)


def difference_png(model: ExplorerModel) -> bytes | None:
    """The paired difference of the tension index against the comparison run; None without it."""
    if model.comparison is None:
        return None
    plt = pyplot()
    fig, ax = plt.subplots(figsize=(9, 3.6))
    q = np.array(model.difference).T  # (5, T)
    dates = _dates(model, q.shape[1])
    assert list(DIFFERENCE_QUANTILES) == [5.0, 25.0, 50.0, 75.0, 95.0]
    difference_axes(ax, dates, q, None, "as written", "with levers")
    ax.set_title(run_info(model).title("effect of the levers and moves, paired replicates"),
                 fontsize=10)
    fig.subplots_adjust(left=0.1, right=0.98, bottom=0.1, top=0.9)
    return png(fig)


def actors_png(model: ExplorerModel, group: str = "forces and spending") -> bytes:
    """One group of :data:`ACTOR_PANELS` per actor (medians), as ``flashpoint plot actors``."""
    variables = ACTOR_PANELS[group]
    res = live_results(model, variables)
    fig, _ = small_multiples_figure(res, variables, group)
    return png(fig)


@cache
def shapes() -> dict:
    """The Baltic region's outlines (``baltic.json`` beside this module)."""
    return json.loads((Path(__file__).with_name("baltic.json")).read_text(encoding="utf-8"))


def map_png(model: ExplorerModel, shade: str = "article5_belief") -> bytes:
    """The Baltic region: frontline states shaded, forces as symbols sized by troops.

    Frontline states are shaded by the median of ``shade`` (Article 5 belief or deterrence
    margin); each frontline state carries a square for the allied troops it hosts and each
    challenger a diamond for its forces near the border (median troops, area proportional).
    """
    from matplotlib import colormaps
    from matplotlib.colors import Normalize
    from matplotlib.patches import Polygon

    label, cmap_name, lo, hi = SHADES[shade]
    cmap, norm = colormaps[cmap_name], Normalize(lo, hi)
    st, topo = model.state, model.topology
    value = {name: float(np.median(getattr(st, shade)[k])) for k, name in
             enumerate(topo.front_names)}
    hosted = {name: float(np.median(st.allied_troops[k])) for k, name in
              enumerate(topo.front_names)}
    forces = {name: float(np.median(st.deployment_troops[topo.index[name]]))
              for name, a in model.spec.actors.items() if a.kind == "challenger"}
    plt = pyplot()
    fig, ax = plt.subplots(figsize=(7.2, 6.4))
    ax.set_facecolor("#dbe9f4")  # the sea
    data = shapes()
    for country in data["countries"]:
        name = country["name"]
        colour = cmap(norm(value[name])) if name in value else "#efefef"
        for poly in country["polygons"]:
            ax.add_patch(Polygon(poly, closed=True, facecolor=colour, edgecolor="0.45", lw=0.7))
    anchors = {c["name"]: c["anchor"] for c in data["countries"]}
    biggest = max([*hosted.values(), *forces.values(), 1.0])
    for troops_by, marker, colour, text in ((hosted, "s", "#0072B2", "#003c5e"),
                                            (forces, "D", "#D55E00", "#7a2e00")):
        for name, troops in troops_by.items():
            if name not in anchors or troops <= 0:
                continue
            x, y = anchors[name]
            ax.scatter(x, y, s=40 + 900 * troops / biggest, marker=marker, color=colour,
                       edgecolor="white", zorder=3)
            ax.annotate(f"{troops / 1000:.1f}k", (x, y), xytext=(0, -16),
                        textcoords="offset points", ha="center", fontsize=8, color=text)
    for name, (x, y) in anchors.items():
        above = 9 + (0.5 * np.sqrt(40 + 900 * forces[name] / biggest) if name in forces else 0)
        ax.annotate(name, (x, y), xytext=(0, above), textcoords="offset points", ha="center",
                    fontsize=8, color="0.15" if name in value else "0.45")
    x0, x1, y0, y1 = data["extent"]
    ax.set_xlim(x0, x1)
    ax.set_ylim(y0, y1)
    ax.set_aspect(1 / np.cos(np.radians((y0 + y1) / 2)))
    ax.set_xticks([])
    ax.set_yticks([])
    bar = fig.colorbar(plt.cm.ScalarMappable(norm=norm, cmap=cmap), ax=ax, shrink=0.7, pad=0.02)
    bar.set_label(label, fontsize=8)
    ax.scatter([], [], marker="s", color="#0072B2", label="allied troops hosted")
    ax.scatter([], [], marker="D", color="#D55E00", label="challenger's forces near the border")
    ax.legend(fontsize=7, loc="lower left", framealpha=0.9)
    ax.set_title(f"{model.title}, {model.date_of(model.steps):%b %Y} "
                 f"(R = {model.R:,}; outlines simplified)", fontsize=9)
    fig.subplots_adjust(left=0.02, right=0.92, bottom=0.02, top=0.95)
    return png(fig)


def event_log(model: ExplorerModel, rows: int = LOG_ROWS) -> pd.DataFrame:
    """The latest events: shocks and moves, and replicate 0's incidents, rung changes, switches."""
    result = sim.Result.from_model(model, model.spec)
    ev = result.events
    ev = ev[(ev["replicate"].isna()) | (ev["replicate"] == 0)]
    ev = ev[["date", "kind", "entity", "detail"]]
    return ev.tail(rows).iloc[::-1].reset_index(drop=True)


def status(model: ExplorerModel) -> str:
    """One paragraph of Markdown: date, step, the index's median and band, levers and moves."""
    index = model.tension_index
    lo, mid, hi = np.percentile(index, [5, 50, 95])
    text = (f"**{model.date_of(model.steps):%B %Y}**, step {model.steps} of {model.last_step}: "
            f"tension index {mid:.1f} (90 % of replicates {lo:.1f}-{hi:.1f}), R = {model.R:,}, "
            f"seed {model.seed}.")
    changed = [f"{BY_LEVER[k].label} {v:g}" for k, v in model.lever_values.items()
               if v != BY_LEVER[k].neutral]
    if model.reading_choice != "as scenario":
        changed.append(f"reading {model.reading_choice}")
    text += f" Levers: {', '.join(changed) if changed else 'as the scenario'}."
    if model.moves_applied:
        text += " Moves: " + "; ".join(f"{label.rsplit(' (', 1)[0]} (step {step})"
                                       for step, label, _ in model.moves_applied) + "."
    if getattr(model, "input_error", None):
        text = f"**Not applied: {model.input_error}.** " + text
    if model.comparison is not None and model.difference:
        text += (f" Paired difference from the scenario as written: "
                 f"{model.difference[-1][2]:+.1f} (median).")
    return text
