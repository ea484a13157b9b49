"""A results folder read back for figures: the tidy tables and the facts a title needs."""

from __future__ import annotations

import json
from dataclasses import dataclass
from pathlib import Path

import pandas as pd
import yaml

import sim

DEFAULT_THRESHOLDS = list(sim.Scenario.model_fields["submodels"].default.escalation.thresholds)
"""The schema's rung thresholds, for a scenario.yaml that does not list its own."""


@dataclass
class RunResults:
    """What ``flashpoint run`` wrote into a folder."""

    folder: Path
    scenario: dict            # the resolved scenario (scenario.yaml)
    timeseries: pd.DataFrame  # tidy: step, date, replicate, quantile, entity, variable, value
    events: pd.DataFrame
    summary: dict
    full: Path | None         # timeseries.parquet (every replicate), when written

    @property
    def name(self) -> str:
        """The scenario's name."""
        return str(self.scenario.get("name", self.folder.name))

    @property
    def info(self) -> sim.RunInfo:
        """Title facts: scenario, R, seed, rung thresholds, dated events."""
        thresholds = self.scenario.get("submodels", {}).get("escalation", {}).get(
            "thresholds", DEFAULT_THRESHOLDS)
        return sim.RunInfo(scenario=self.name, replicates=int(self.scenario.get("replicates", 1)),
                           seed=int(self.scenario.get("seed", 0)), thresholds=list(thresholds),
                           rungs=list(sim.RUNGS),
                           events=[(str(e["date"]), str(e["name"]))
                                   for e in self.scenario.get("events", [])])

    @property
    def ensemble(self) -> bool:
        """Whether the series are quantiles across replicates (R > 1)."""
        return bool(self.timeseries["quantile"].notna().any())


def load_results(folder: str | Path) -> RunResults:
    """Read a run's results folder.

    Raises:
        sim.ScenarioError: not a folder of ``flashpoint run`` results (a sweep folder is named).
    """
    folder = Path(folder)
    if not folder.is_dir():
        raise sim.ScenarioError(str(folder), "no such results folder")
    if (folder / "runs.parquet").exists() or (folder / "sweep.yaml").exists():
        raise sim.ScenarioError(str(folder), "is a sweep's folder; use flashpoint plot sweep "
                                             "(or flashpoint analyze)")
    missing = [f for f in ("timeseries.csv", "scenario.yaml", "summary.json", "events.csv")
               if not (folder / f).is_file()]
    if missing:
        raise sim.ScenarioError(str(folder), "is not a results folder of flashpoint run "
                                             f"(missing {', '.join(missing)})")
    try:
        scenario = yaml.safe_load((folder / "scenario.yaml").read_text(encoding="utf-8")) or {}
        ts = pd.read_csv(folder / "timeseries.csv", dtype={"quantile": "string",
                                                           "entity": "string"})
        events = pd.read_csv(folder / "events.csv")
        summary = json.loads((folder / "summary.json").read_text(encoding="utf-8"))
    except (OSError, ValueError, yaml.YAMLError) as exc:
        raise sim.ScenarioError(str(folder), f"cannot read its results: {exc}") from None
    ts["entity"] = ts["entity"].fillna("")
    full = folder / "timeseries.parquet"
    return RunResults(folder, scenario, ts, events, summary, full if full.is_file() else None)
