"""``flashpoint report RESULTS``: one self-contained HTML page (images embedded, no network).

For a run's folder: the scenario's description, a table of the summary's main figures, and the
tension, postures, actors (and, with ``--full``, ladder) figures. For a sweep's folder (analysed):
the sweep's question, the indices tables and its figures. For a ``compare`` folder: the paired
differences and both figures.
"""

from __future__ import annotations

import base64
import html
from pathlib import Path

import pandas as pd

import sim

from ..sweeps.runner import read_spec
from .figures import KINDS, plot_sweep
from .results import load_results


def _img(path: Path) -> str:
    data = base64.b64encode(path.read_bytes()).decode("ascii")
    return f'<figure><img alt="{html.escape(path.stem)}" src="data:image/png;base64,{data}"></figure>'


def _table(frame: pd.DataFrame, limit: int = 40) -> str:
    return frame.head(limit).to_html(index=False, float_format=lambda v: f"{v:,.3g}", border=0)


def _summary_rows(summary: dict) -> pd.DataFrame:
    rows = []
    idx = summary.get("tension_index", {})
    for metric in ("initial", "peak", "final"):
        value = idx.get(metric)
        if isinstance(value, dict):
            rows.append(("tension index", metric, value.get("p50"), value.get("p5"),
                         value.get("p95")))
        elif value is not None:
            rows.append(("tension index", metric, value, None, None))
    for pair, metrics in summary.get("pairs", {}).items():
        p = metrics.get("p_highest_rung_at_least", {})
        for rung in ("confrontation with incidents", "limited conflict", "major war"):
            if rung in p:
                rows.append((pair, f"P(reaches {rung})", p[rung], None, None))
    return pd.DataFrame(rows, columns=["what", "measure", "median or value", "p5", "p95"])


def report(folder: str | Path, out: str | Path | None = None) -> Path:
    """Write the HTML report of a results, sweep or compare folder (default: FOLDER/report.html).

    Raises:
        sim.ScenarioError: a folder that is none of these.
        sim.OutputError: ``out`` exists and was not written by flashpoint.
    """
    folder = Path(folder)
    if not folder.is_dir():
        raise sim.ScenarioError(str(folder), "no such results folder")
    target = Path(out) if out else folder / "report.html"
    if target.exists() and b"flashpoint report" not in target.read_bytes()[:400]:
        raise sim.OutputError(f"--out {target}: exists and is not a flashpoint report; "
                              "flashpoint never overwrites files it did not write")
    parts: list[str] = []
    figures_dir = folder / ".report-figures"
    figures_dir.mkdir(exist_ok=True)
    try:
        if (folder / "compare.csv").is_file():
            title = f"comparison: {folder.name}"
            parts += ["<h2>Paired differences (B - A, 95 % CI)</h2>",
                      _table(pd.read_csv(folder / "compare.csv")),
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
            parts += ["<h2>Summary</h2>", _table(_summary_rows(res.summary))]
            kinds = ["tension", "postures", "actors"] + (
                ["ladder"] if res.full is not None or not res.ensemble else [])
            for kind in kinds:
                path, _ = KINDS[kind](res, figures_dir / f"{kind}.png", "png")
                parts += [f"<h2>{kind}</h2>", _img(path)]
    finally:
        for f in figures_dir.glob("*.png"):
            f.unlink()
        figures_dir.rmdir()
    page = (f"<!DOCTYPE html>\n<!-- flashpoint report -->\n<html lang=\"en\"><head>"
            f"<meta charset=\"utf-8\"><title>{html.escape(title)}</title><style>"
            "body{font-family:sans-serif;max-width:1200px;margin:2em auto;color:#222}"
            "img{max-width:100%}table{border-collapse:collapse;font-size:13px}"
            "td,th{padding:3px 8px;border-bottom:1px solid #ddd;text-align:right}"
            "</style></head><body>"
            f"<h1>{html.escape(title)}</h1>" + "\n".join(parts)
            + f"<p><small>flashpoint {html.escape(sim.__version__)}</small></p></body></html>\n")
    tmp = target.with_name(f".{target.name}.tmp")
    tmp.write_text(page, encoding="utf-8")
    tmp.replace(target)
    if target.parent.resolve() == folder.resolve():
        sim.register_output(folder, target.name)
    return target

