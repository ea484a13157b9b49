"""``flashpoint report RESULTS``: one self-contained HTML page (images embedded, no network).

For a run's folder: the scenario's description, a table of the summary's main figures, and the
tension, postures, actors and ladder figures. For a sweep's folder (analysed):
the sweep's question, the indices tables and its figures. For a ``compare`` folder: the paired
differences and both figures.
"""

from __future__ import annotations

import base64
import html
import os
import tempfile
from pathlib import Path

import pandas as pd

import sim

from ..sweeps.runner import read_spec
from .figures import KINDS, plot_sweep
from .results import load_results


def _img(path: Path) -> str:
    data = base64.b64encode(path.read_bytes()).decode("ascii")
    return f'<figure><img alt="{html.escape(path.stem)}" src="data:image/png;base64,{data}"></figure>'


def _table(frame: pd.DataFrame) -> str:
    """A table in full (the page never cuts rows without saying so)."""
    return frame.to_html(index=False, float_format=lambda v: f"{v:,.3g}", border=0, na_rep="")


def _summary_rows(summary: dict) -> tuple[pd.DataFrame, pd.DataFrame]:
    """The run's headline statistics: (quantities with their bands, probabilities)."""
    rows = []
    idx = summary.get("overall", {}).get("tension_index", {})
    for metric in ("initial", "peak", "final"):
        value = idx.get(metric)
        if isinstance(value, dict):
            rows.append(("tension index", metric, value.get("p50"), value.get("p5"),
                         value.get("p95")))
        elif value is not None:  # the same in every replicate: its value is its band
            rows.append(("tension index", metric, value, value, value))
    probabilities = []
    for pair, metrics in summary.get("pairs", {}).items():
        p = metrics.get("p_highest_rung_at_least", {})
        for rung in ("confrontation with incidents", "limited conflict", "major war"):
            if rung in p:
                probabilities.append((pair, f"reaches {rung} or higher", p[rung]))
    return (pd.DataFrame(rows, columns=["what", "measure", "median", "p5", "p95"]),
            pd.DataFrame(probabilities, columns=["pair", "event", "probability"]))


def report(folder: str | Path, out: str | Path | None = None) -> Path:
    """Write the HTML report of a results, sweep or compare folder (default: FOLDER/report.html).

    Raises:
        sim.ScenarioError: a folder that is none of these.
        sim.OutputError: ``out`` exists and was not written by flashpoint.
    """
    folder = Path(folder)
    if not folder.is_dir():
        raise sim.ScenarioError(str(folder), "no such results folder")
    target = sim.check_output_file(Path(out) if out else folder / "report.html")
    parts: list[str] = []
    # the figures are drawn in a private temporary folder, never in the results folder
    with tempfile.TemporaryDirectory(prefix="flashpoint-report-") as scratch:
        figures_dir = Path(scratch)
        if (folder / "compare.csv").is_file():
            title = f"comparison: {folder.name}"
            table = pd.read_csv(folder / "compare.csv")
            link = html.escape(os.path.relpath(folder / "compare.csv", target.parent))
            headline = table[table["headline"]] if "headline" in table else table
            rest = table.drop(headline.index)
            differs = rest[(rest["ci95_lo"] > 0) | (rest["ci95_hi"] < 0)]
            parts += ["<h2>Headline outcomes: paired differences (B - A, 95 % CI)</h2>",
                      _table(headline.drop(columns=["headline"], errors="ignore")),
                      f"<h2>Other outcomes whose difference is clear of zero ({len(differs)} of "
                      f"{len(rest)})</h2>",
                      _table(differs.drop(columns=["headline"], errors="ignore")),
                      f'<p>All {len(table)} outcomes: <a href="{link}">compare.csv</a>.</p>',
                      _img(folder / "overlay.png"), _img(folder / "difference.png")]
        elif (folder / "sweep.yaml").is_file():
            spec = read_spec(folder)
            title = f"sweep {spec.name}"
            parts.append(f"<p>{html.escape(spec.description)}</p>")
            if not (folder / "point_means.csv").is_file():
                raise sim.ScenarioError(str(folder), "run flashpoint analyze on the sweep first")
            for name in ("sobol", "morris", "prim"):
                if (folder / f"{name}.csv").is_file():
                    parts += [f"<h2>{name}</h2>", _table(pd.read_csv(folder / f"{name}.csv"))]
            path, _ = plot_sweep(folder, figures_dir / "sweep.png", "png")
            parts.append(_img(path))
            if (folder / "response.png").is_file():
                parts.append(_img(folder / "response.png"))
        else:
            res = load_results(folder)
            title = f"{res.name}: R = {res.info.replicates:,}, seed {res.info.seed}"
            parts.append(f"<p>{html.escape(str(res.scenario.get('description', '')))}</p>")
            bands, probabilities = _summary_rows(res.summary)
            parts += ["<h2>Summary</h2>", _table(bands), _table(probabilities)]
            kinds = ["tension", "postures", "actors"] + (
                ["ladder"] if res.ladder is not None or res.full is not None or not res.ensemble
                else [])
            for kind in kinds:
                path, _ = KINDS[kind](res, figures_dir / f"{kind}.png", "png")
                parts += [f"<h2>{kind}</h2>", _img(path)]
    page = (f"<!DOCTYPE html>\n<!-- flashpoint report -->\n<html lang=\"en\"><head>"
            f"<meta charset=\"utf-8\"><title>{html.escape(title)}</title><style>"
            "body{font-family:sans-serif;max-width:1200px;margin:2em auto;color:#222}"
            "img{max-width:100%}table{border-collapse:collapse;font-size:13px}"
            "td,th{padding:3px 8px;border-bottom:1px solid #ddd;text-align:right}"
            "</style></head><body>"
            f"<h1>{html.escape(title)}</h1>" + "\n".join(parts)
            + f"<p><small>flashpoint {html.escape(sim.__version__)}</small></p></body></html>\n")
    return sim.publish(target, page)

