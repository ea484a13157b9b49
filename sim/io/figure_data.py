"""What a run's figure shows: its facts and the rows it draws, taken from a :class:`Result`.

Data, not drawing: the figures themselves are ``analysis.plots`` (``analysis.plots.run`` draws
a run's ``tension.png``). ``flashpoint run`` hands :func:`tension_inputs` to the process that
draws the figure, so the run's own process never imports the plotting code.
"""

from __future__ import annotations

from dataclasses import dataclass, field

import pandas as pd

from ..submodels.ladder import RUNGS


@dataclass
class RunInfo:
    """What a figure says about its run: the title's facts and the rungs' thresholds."""

    scenario: str
    replicates: int
    seed: int
    thresholds: list[float]
    rungs: list[str]
    events: list[tuple[str, str]] = field(default_factory=list)  # (date, name) of dated events

    def title(self, what: str) -> str:
        """A figure title: the scenario, what is shown, R and the seed.

        A variant's long name (``baseline+NATO.posture.deployment_troops=6600+...``) takes a line
        of its own, its overrides one a line past three, so that the title fits the figure.
        """
        name = self.scenario
        if len(name) > 50:
            parts = name.split("+")
            name = parts[0] + "\n" + " + ".join(parts[1:4]) + (" + ..." if len(parts) > 4 else "")
        return f"{name}: {what} (R = {self.replicates:,}, seed {self.seed})"



def run_info(result) -> RunInfo:
    """The figure facts of a :class:`Result`."""
    sc = result.scenario
    return RunInfo(scenario=sc.name, replicates=result.replicates, seed=result.seed,
                   thresholds=list(sc.submodels.escalation.thresholds), rungs=list(RUNGS),
                   events=[(e.date, e.name) for e in sc.events])


def tension_inputs(result) -> dict:
    """What :func:`tension_figure` draws of a :class:`Result`: its keyword arguments but ``path``.

    Only the rows the figure shows (the tension series, the incidents), so that they travel cheaply
    to the process that draws them (``analysis.plots.worker``).
    """
    paths = None
    if result.mode == "full" and result.replicates > 1:
        arr, _ = result.array(every=True)
        v = next(k for k, c in enumerate(result.columns) if c[1] == "tension_index")
        n = min(SAMPLE_PATHS, result.replicates)
        paths = pd.DataFrame({"date": list(result.dates) * n,
                              "replicate": [r for r in range(n) for _ in result.dates],
                              "value": arr[:, :n, v].T.reshape(-1)})
    ts, events = result.timeseries, result.events
    if len(events):
        events = events[events["kind"] == "incident"]
    return {"ts": ts[ts["variable"].isin(TENSION_VARIABLES)], "events": events,
            "info": run_info(result), "paths": paths}


TENSION_VARIABLES = ("tension_index", "tension")
"""The series the tension figure draws."""


SAMPLE_PATHS = 5
"""Sample replicates drawn thinly in the fan chart when every replicate was recorded."""
