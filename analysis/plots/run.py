"""Figures of a run, drawn from its tidy tables: the tension fan chart (``tension.png``).

One code path for ``flashpoint run`` and ``flashpoint plot tension``: both pass the tidy
``timeseries`` and ``events`` tables (a :class:`Result`'s, or a results folder's CSV files).
Quality rules (the plots issue): dates on the time axis, units on the value axis, one fixed
colour per actor from the Okabe-Ito colour-blind-safe palette with line styles as a second cue,
the y-range fitted to the data with the escalation rungs shaded and named, titles that say the
scenario, R and the seed.
"""

from __future__ import annotations

from pathlib import Path

import pandas as pd

import sim

OKABE_ITO = ["#0072B2", "#E69F00", "#009E73", "#CC79A7", "#56B4E9", "#D55E00", "#F0E442"]
"""Okabe and Ito (2008), the colour-blind-safe palette (yellow last: weak on white); its black
is kept for the overall index."""
INDEX_COLOUR = "#000000"
BAND_COLOUR = "#5E3C99"
"""The index's bands: a purple that stays visible on the grey rung shading (and in grey print)."""
ACTOR_STYLES = {  # colour, line style: fixed for every figure
    "NATO": ("#0072B2", "-"), "US": ("#E69F00", "-"), "EU": ("#009E73", "-"),
    "Estonia": ("#CC79A7", "-"), "Latvia": ("#56B4E9", "-"), "Lithuania": ("#009E73", "--"),
    "Poland": ("#E69F00", "--"), "Finland": ("#56B4E9", "-."), "Sweden": ("#CC79A7", "-."),
    "Russia": ("#D55E00", "-"), "Belarus": ("#D55E00", ":"), "China": ("#7F7F7F", "-."),
}
"""Each known actor's colour (Okabe-Ito) and line style, the second cue where colours repeat;
Russia alone in vermillion. Others get a palette colour and a dotted line by their name."""
RUNG_SHADES = ["#ffffff", "#f7f7f7", "#eeeeee", "#e3e3e3", "#d6d6d6", "#f2c9c9", "#e8a3a3"]


def figure_metadata(fmt: str | None) -> dict:
    """Metadata naming flashpoint as a figure's creator (how ``flashpoint plot`` knows its own)."""
    fmt = (fmt or "png").lower()
    return {"png": {"Software": "flashpoint"}, "svg": {"Creator": "flashpoint"},
            "pdf": {"Creator": "flashpoint"}}.get(fmt, {})


def actor_style(name: str) -> dict:
    """Colour and line style of an actor or pair (a pair takes its western member's)."""
    key = name if name in ACTOR_STYLES else name.split("->")[0].split("-")[0]
    if key in ACTOR_STYLES:
        colour, style = ACTOR_STYLES[key]
    else:
        colour, style = OKABE_ITO[sum(map(ord, key)) % len(OKABE_ITO)], ":"
    return {"color": colour, "ls": style}


def shade_rungs(ax, info: sim.RunInfo, lo: float, hi: float) -> None:
    """Shade and name each escalation rung's band inside [lo, hi]."""
    edges = [0.0, *info.thresholds, 100.0]
    for k, name in enumerate(info.rungs):
        a, b = max(edges[k], lo), min(edges[k + 1], hi)
        if a >= b:
            continue
        ax.axhspan(a, b, color=RUNG_SHADES[min(k, len(RUNG_SHADES) - 1)], zorder=0, lw=0)
        if b - a < 0.04 * (hi - lo):
            continue  # too thin a sliver to name
        ax.text(1.005, (a + b) / 2, name, transform=ax.get_yaxis_transform(), fontsize=8,
                va="center", ha="left", color="0.3", clip_on=False)


EVENT_LABEL_ROWS = 4
"""Rows the event labels of a figure take at its top before a label is left out."""


def label_events(ax, events: list, first, last, lo: float, hi: float) -> None:
    """Mark each dated event with a line and label it without labels piling up or leaving the axes.

    A label takes the first of :data:`EVENT_LABEL_ROWS` rows where it does not run into the
    previous label of that row (about 60 characters of the figure's width a row); labels in the
    right quarter run leftwards; an event with no free row keeps its line and loses its label.
    """
    span = (last - first) / pd.Timedelta(days=1) or 1.0
    row_end = [-float("inf")] * EVENT_LABEL_ROWS
    for date, name in sorted(events):
        if not first <= date <= last:
            continue
        ax.axvline(date, color="0.25", ls=":", lw=1)
        x = (date - first) / pd.Timedelta(days=1) / span  # 0-1 across the axes
        text = name if len(name) <= 28 else name[:27] + "…"
        width = (len(text) + 2) / 110  # the share of the axes' width a label takes
        right = x > 0.75
        start, end = (x - width, x) if right else (x, x + width)
        row = next((r for r in range(EVENT_LABEL_ROWS) if row_end[r] < start), None)
        if row is None:
            continue
        row_end[row] = end
        ax.text(date, hi - (hi - lo) * (0.02 + 0.065 * row), f" {text} " , fontsize=8,
                va="top", ha="right" if right else "left", color="0.2", clip_on=True)


def _tension_series(ts: pd.DataFrame) -> dict[tuple[str, str], pd.DataFrame]:
    """The index's and each pair's rows by (variable, entity), dates parsed (one pass over ts)."""
    part = ts[ts["variable"].isin(sim.TENSION_VARIABLES)].copy()
    part["entity"] = part["entity"].fillna("")
    part["date"] = pd.to_datetime(part["date"])
    return {(str(v), str(e)): rows for (v, e), rows in part.groupby(["variable", "entity"],
                                                                  sort=True)}


def _stat(part: pd.DataFrame, label: str) -> pd.Series:
    if part["quantile"].notna().any():
        s = part[part["quantile"] == label]
    else:  # one replicate: its values
        s = part
    return s.set_index("date")["value"].sort_index()


def tension_figure(ts: pd.DataFrame, events: pd.DataFrame, info: sim.RunInfo, path: str | Path,
                   fmt: str | None = None, paths: pd.DataFrame | None = None, dpi: float = 110):
    """The tension fan chart: the overall index, each pair's median, events and incidents.

    An ensemble (quantile rows) shows the index's median with its 50 % and 90 % bands; one
    replicate its trajectory. ``paths`` (columns date, replicate, value: a few replicates'
    index, when every replicate was recorded) are drawn as thin sample paths. ``path`` may be a
    binary file object when ``fmt`` is given (the explorer draws into memory); ``dpi`` is the
    resolution. Returns the matplotlib figure's axes (for tests) after saving.
    """
    import matplotlib

    matplotlib.use("Agg")
    import matplotlib.dates as mdates
    import matplotlib.pyplot as plt

    series = _tension_series(ts)
    index = series[("tension_index", "")]
    ensemble = index["quantile"].notna().any()
    fig, (ax, rug) = plt.subplots(2, 1, figsize=(11, 6.2), dpi=dpi, sharex=True,
                                  gridspec_kw={"height_ratios": [12, 1], "hspace": 0.05})
    mid = _stat(index, "p50")
    values = [mid]
    if ensemble:
        bands = [("p5", "p95", 0.22, "90 % of replicates"), ("p25", "p75", 0.45, "50 %")]
        for lo_l, hi_l, alpha, label in bands:
            lo, hi = _stat(index, lo_l), _stat(index, hi_l)
            if len(lo) and len(hi):
                ax.fill_between(lo.index, lo.to_numpy(), hi.to_numpy(), color=BAND_COLOUR,
                                alpha=alpha, lw=0, label=f"index, {label}", zorder=2)
                values += [lo, hi]
    if paths is not None and len(paths):
        for k, (_, one) in enumerate(paths.groupby("replicate")):
            ax.plot(pd.to_datetime(one["date"]), one["value"].to_numpy(), color=INDEX_COLOUR,
                    lw=0.6, alpha=0.5, label="sample replicates" if k == 0 else None)
    ax.plot(mid.index, mid.to_numpy(), color=INDEX_COLOUR, lw=2.6,
            label="overall tension index" + (" (median)" if ensemble else ""))
    pairs = [entity for variable, entity in series if variable == "tension"]
    for pair in pairs:
        s = _stat(series[("tension", pair)], "p50")
        values.append(s)
        ax.plot(s.index, s.to_numpy(), lw=1.3, alpha=0.9, label=f"pair {pair}",
                **actor_style(pair))
    allv = pd.concat(values)
    lo, hi = max(0.0, float(allv.min()) - 5), min(100.0, float(allv.max()) + 5)
    ax.set_ylim(lo, hi)
    shade_rungs(ax, info, lo, hi)
    first, last = mid.index.min(), mid.index.max()
    label_events(ax, [(pd.Timestamp(d), n) for d, n in info.events], first, last, lo, hi)
    inc = events[events["kind"] == "incident"] if len(events) else events
    if len(inc):  # one sample path's incidents (replicate 0), by severity
        inc = inc[inc["replicate"] == inc["replicate"].min()]
        sev_colour = {"routine": "0.55", "serious": "#E69F00", "high-risk": "#D55E00"}
        for sev in ("routine", "serious", "high-risk"):
            part = inc[inc["detail"] == sev]
            if len(part):
                rug.plot(pd.to_datetime(part["date"]), [0.5] * len(part), "|", ms=12, mew=1.5,
                         color=sev_colour[sev], label=f"{sev} incident (replicate 0)")
    rug.set_yticks([])
    rug.set_ylabel("incidents", fontsize=8, rotation=0, ha="right", va="center")
    ax.set_ylabel("tension, 0 (partnership) - 100 (war)")
    what = "tension" + (", median and bands of the index" if ensemble else ", one replicate")
    ax.set_title(info.title(what))
    handles, labels = ax.get_legend_handles_labels()
    more = rug.get_legend_handles_labels()
    ax.legend(handles + more[0], labels + more[1], fontsize=8, ncol=3, loc="upper left",
              bbox_to_anchor=(0.0, -0.22), frameon=False)
    rug.xaxis.set_major_locator(mdates.YearLocator())
    rug.xaxis.set_major_formatter(mdates.DateFormatter("%Y"))
    fig.subplots_adjust(left=0.07, right=0.84, top=0.93, bottom=0.28)
    fig.savefig(path, format=fmt, metadata=figure_metadata(fmt or Path(path).suffix.lstrip(".")))
    plt.close(fig)
    return ax


def plot_tension(result, path: str | Path) -> None:
    """Write ``tension.png`` for a :class:`sim.Result` (``flashpoint run``)."""
    tension_figure(path=path, **sim.tension_inputs(result))
