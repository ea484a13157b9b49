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
    result: sim.Result | None = None  # the run itself, when drawn from memory (as_results)
    ladder: pd.DataFrame | None = None  # P(each rung) per step (ladder.csv), when recorded

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
    def has_every_replicate(self) -> bool:
        """Whether every replicate's series is at hand (``--full``, or a full run in memory)."""
        return self.full is not None or (self.result is not None and self.result.mode == "full")

    def every_replicate(self, variable: str, below: int | None = None) -> pd.DataFrame:
        """Every replicate's rows of one variable: date (text), replicate, entity, value.

        From ``timeseries.parquet`` or, for a run in memory, its ``timeseries_full``;
        ``below`` keeps the replicates numbered below it.
        """
        if self.full is not None:
            filters = [("variable", "==", variable)]
            if below is not None:
                filters.append(("replicate", "<", below))
            rows = pd.read_parquet(self.full, columns=["date", "replicate", "entity", "value"],
                                   filters=filters)
        else:
            every = self.result.timeseries_full
            keep = every["variable"] == variable
            if below is not None:
                keep &= every["replicate"] < below
            rows = every.loc[keep, ["date", "replicate", "entity", "value"]]
        rows = rows.assign(date=rows["date"].astype(str), entity=rows["entity"].astype(str))
        return rows.reset_index(drop=True)

    @property
    def ensemble(self) -> bool:
        """Whether the series are quantiles across replicates (R > 1)."""
        return bool(self.timeseries["quantile"].notna().any())


def as_results(source: str | Path | sim.Result | RunResults) -> RunResults:
    """A results folder, or a run in memory (``sim.run``'s Result), as figures read it."""
    if isinstance(source, RunResults):
        return source
    if isinstance(source, sim.Result):
        scenario = source.scenario.model_dump(mode="json")
        ts = source.timeseries.copy()
        ts["entity"] = ts["entity"].fillna("").astype(str)
        ladder = source.ladder if source.rung_counts else None
        return RunResults(Path.cwd(), scenario, ts, source.events, source.summary_dict(), None,
                          result=source, ladder=ladder)
    return load_results(source)


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
    ladder = None
    if (folder / "ladder.csv").is_file():
        try:
            ladder = pd.read_csv(folder / "ladder.csv")
        except (OSError, ValueError) as exc:
            raise sim.ScenarioError(str(folder / "ladder.csv"), f"cannot be read: {exc}") from None
    return RunResults(folder, scenario, ts, events, summary, full if full.is_file() else None,
                      ladder=ladder)
