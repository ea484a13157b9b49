"""The Python API: ``run(scenario, ...)`` returns a :class:`Result` of pandas objects."""

from __future__ import annotations

from dataclasses import dataclass, field
from pathlib import Path

import numpy as np
import pandas as pd

from ..arrays import percentile_label
from ..scenario import limits
from ..scenario.errors import ScenarioError
from ..scenario.loader import RUN_FIELDS, load_scenario, validate
from ..scenario.schema import Scenario
from ..submodels.ladder import RUNGS
from .model import FlashpointModel
from .recorder import ACTOR_SERIES, ARC_SERIES, CHUNK, FRONT_SERIES, PAIR_SERIES, quantile_block
from .topology import interacting_pairs


@dataclass
class Result:
    """What one call of :func:`run` produced.

    Attributes:
        scenario: the resolved scenario that ran.
        seed: the root seed.
        replicates: R.
        steps: steps run.
        mode: ``full`` (every replicate), ``quantiles`` or ``summary``.
    """

    scenario: Scenario
    seed: int
    replicates: int
    steps: int
    mode: str
    _model: FlashpointModel = field(repr=False)
    _timeseries: pd.DataFrame | None = field(default=None, repr=False)
    _events: pd.DataFrame | None = field(default=None, repr=False)
    _summary: dict | None = field(default=None, repr=False)

    # ---- time series -------------------------------------------------------------------------
    @property
    def dates(self) -> list[str]:
        """ISO date of each step 0..steps (the end of the step)."""
        return [self._model.date_of(s).isoformat() for s in range(self.steps + 1)]

    def array(self, every: bool = False) -> tuple[np.ndarray, list[str]]:
        """Series as a (steps+1, S, V) float32 array and the labels of its S statistics.

        Args:
            every: with ``record='full'``, every replicate (labels "0".."R-1"); otherwise the
                quantiles and mean across replicates (or the single replicate when R = 1).
        """
        rec = self._model.recorder
        if rec.mode == "full":
            arr = np.stack(rec.blocks)  # (T, V, R)
            if every or self.replicates == 1:
                return arr.transpose(0, 2, 1), [str(r) for r in range(self.replicates)]
            return quantile_block(arr, rec.qs), rec.labels
        if rec.mode == "quantiles":
            return np.concatenate(rec.qblocks, axis=0), rec.labels
        raise ValueError("this run kept no time series (record='summary')")

    @property
    def timeseries(self) -> pd.DataFrame:
        """Tidy series: step, date, replicate, quantile, entity, variable, value.

        For R = 1 the replicate's values; for R > 1 the per-step quantiles and mean.
        """
        if self._timeseries is None:
            self._timeseries = self._tidy(every=False)
        return self._timeseries

    @property
    def timeseries_full(self) -> pd.DataFrame:
        """Every replicate's series, tidy (needs ``record='full'``)."""
        if self.mode != "full":
            raise ValueError("every replicate's series needs record='full' (--full)")
        return self._tidy(every=True)

    def _tidy(self, every: bool) -> pd.DataFrame:
        arr, labels = self.array(every)
        T, S, V = arr.shape
        cols = self._model.recorder.columns
        step = np.repeat(np.arange(T), S * V)
        dates = np.array(self.dates, dtype=object)
        lab = np.tile(np.repeat(np.arange(S), V), T)
        var = np.tile(np.arange(V), T * S)
        full = every or self.replicates == 1
        ent = np.array([c[2] for c in cols], dtype=object)
        name = np.array([c[1] for c in cols], dtype=object)
        labels_a = np.array(labels, dtype=object)
        df = pd.DataFrame({
            "step": step,
            "date": dates[step],
            "replicate": lab if full else pd.array([pd.NA] * len(step), dtype="Int64"),
            "quantile": pd.array([None] * len(step), dtype=object) if full else labels_a[lab],
            "entity": ent[var],
            "variable": name[var],
            "value": arr.reshape(-1).astype(np.float64),
        })
        if full:
            df["replicate"] = df["replicate"].astype("Int64")
        return df

    def series(self, variable: str, entity: str = "", stat: str | int = "p50") -> pd.Series:
        """One variable's trajectory indexed by date.

        Args:
            variable: a series name (``tension``, ``spending_pct_gdp`` ...).
            entity: actor, pair (``NATO-Russia``), arc (``Russia->NATO``) or "" for the index.
            stat: a quantile label (``p50``, ``mean``) when R > 1; ignored when R = 1 (the
                replicate) and a replicate number with ``record='full'``.

        Raises:
            KeyError: for an unknown variable/entity or statistic.
        """
        every = self.mode == "full" and self.replicates > 1 and str(stat).isdigit()
        arr, labels = self.array(every)
        cols = self._model.recorder.columns
        found = [k for k, c in enumerate(cols) if c[1] == variable and c[2] == entity]
        if not found:
            raise KeyError(f"no series {variable!r} for entity {entity!r}")
        v = found[0]
        if len(labels) == 1:
            s = 0
        elif str(stat) in labels:
            s = labels.index(str(stat))
        else:
            raise KeyError(f"statistic {stat!r} not kept; available: {', '.join(labels[:8])}")
        return pd.Series(arr[:, s, v].astype(float), index=pd.to_datetime(self.dates),
                         name=f"{entity} {variable}".strip())

    # ---- events ------------------------------------------------------------------------------
    @property
    def events(self) -> pd.DataFrame:
        """Incidents, rung changes, protests, posture switches and shocks."""
        if self._events is None:
            rows = self._model.recorder.events
            df = pd.DataFrame(rows, columns=["step", "replicate", "entity", "kind", "detail",
                                             "value"])
            df.insert(1, "date", [self._model.date_of(int(s)).isoformat() for s in df["step"]])
            df["replicate"] = df["replicate"].astype("Int64").mask(df["replicate"] < 0)
            df = df.sort_values(["step", "replicate", "kind", "entity"], kind="stable",
                                na_position="first").reset_index(drop=True)
            self._events = df
        return self._events

    # ---- summary -----------------------------------------------------------------------------
    def summary_dict(self) -> dict:
        """Summary statistics across replicates (what summary.json holds)."""
        if self._summary is None:
            self._summary = _summarise(self)
        return self._summary

    @property
    def summary(self) -> pd.DataFrame:
        """The summary as a tidy frame: section, entity, metric, statistic, value."""
        rows = []
        for section, ents in self.summary_dict().items():
            if not isinstance(ents, dict):
                continue
            for ent, metrics in ents.items():
                if not isinstance(metrics, dict):
                    rows.append((section, "", ent, "", metrics))
                    continue
                for metric, val in metrics.items():
                    if isinstance(val, dict):
                        rows += [(section, ent, metric, k, v) for k, v in val.items()]
                    else:
                        rows.append((section, ent, metric, "", val))
        return pd.DataFrame(rows, columns=["section", "entity", "metric", "statistic", "value"])


def _stats(x: np.ndarray, qs: list[float]) -> dict:
    x = np.asarray(x, dtype=float)
    out = {"mean": float(x.mean())}
    for q, v in zip(qs, np.percentile(x, qs), strict=True):
        out[percentile_label(q)] = float(v)
    return out


def _summarise(res: Result) -> dict:
    m = res._model
    rec = m.recorder
    qs = list(m.spec.outputs.quantiles)
    months = max(res.steps * m.months, 1)
    pairs = {}
    for k, name in enumerate(m.pair_names):
        reach = {RUNGS[r]: float((rec.max_rung[k] >= r).mean()) for r in range(len(RUNGS))}
        at = {RUNGS[r]: float(rec.rung_months[k, r] * m.months / m.R) for r in range(len(RUNGS))}
        pairs[name] = {
            "peak_tension": _stats(rec.peak_pair[k], qs),
            "final_tension": _stats(m.tension[k], qs),
            "final_rung": _stats(m.rung[k], qs),
            "p_reaching_rung": reach,
            "months_at_rung": at,
            "incidents_per_month": _stats(rec.incident_total[k] / months, qs),
        }
    actors = {}
    for i, name in enumerate(m.names):
        actors[name] = {
            "final_spending_pct_gdp": _stats(m.spending_pct[i], qs),
            "final_milex_usd_bn": _stats(m.milex[i], qs),
            "final_capability_usd_bn": _stats(m.cap[i], qs),
            "final_gdp_usd_bn": _stats(m.gdp[i], qs),
            "final_deployment_troops": _stats(m.dep[i], qs),
        }
    front = {}
    for k, f in enumerate(m.front):
        front[m.names[f]] = {
            "final_article5_belief": _stats(m.belief[k], qs),
            "min_deterrence_margin": _stats(rec.min_margin[k], qs),
            "p_deterrence_failed": float((rec.min_margin[k] < 0).mean()),
        }
    total_inc = rec.incident_total.sum(axis=0) / months
    return {
        "overall": {
            "tension_index": {
                "initial": float(np.mean(m.tension_index0)),
                "peak": _stats(rec.peak_index, qs),
                "final": _stats(m.tension_index, qs),
            },
            "incidents": {"per_month_all_pairs": _stats(total_inc, qs)},
        },
        "pairs": pairs,
        "actors": actors,
        "frontline": front,
        "run": {"replicates": {"value": res.replicates}, "steps": {"value": res.steps},
                "seed": {"value": res.seed}, "months_per_step": {"value": m.months}},
    }


def run(scenario: Scenario | str | Path, *, seed: int | None = None,
        replicates: int | None = None, steps: int | None = None,
        vary: dict[str, np.ndarray] | None = None, record: str = "quantiles",
        overrides: list[str] | None = None, progress: bool = False) -> Result:
    """Run a scenario.

    Args:
        scenario: a :class:`Scenario` or the path of a scenario file.
        seed: root seed (default: the scenario's).
        replicates: R (default: the scenario's).
        steps: steps to run (default: the scenario's).
        vary: parameters that differ across replicates (see :class:`FlashpointModel`).
        record: ``quantiles``, ``full`` or ``summary``.
        overrides: ``path=value`` strings, when ``scenario`` is a path.
        progress: show a progress bar over the steps (on standard error).

    Returns:
        The run's :class:`Result`; ``.timeseries``, ``.events`` and ``.summary`` are pandas.
    """
    settings = {"seed": seed, "replicates": replicates, "steps": steps}
    if not isinstance(scenario, Scenario):
        scenario = load_scenario(scenario, overrides, run_settings=settings)
    else:
        if overrides:
            raise ValueError("overrides apply to scenario files; pass a path")
        scenario = with_run_settings(scenario, **settings)
    check_memory(scenario, record)
    model = FlashpointModel(scenario, replicates=scenario.replicates, seed=scenario.seed,
                            vary=vary, record=record)
    model.run(scenario.steps, progress=progress)
    model.check_finite()
    return Result(scenario=scenario, seed=scenario.seed, replicates=scenario.replicates,
                  steps=scenario.steps, mode=model.recorder.mode, _model=model)


def with_run_settings(scenario: Scenario, *, seed: int | None = None,
                      replicates: int | None = None, steps: int | None = None) -> Scenario:
    """The scenario with the seed, replicates and steps a run uses, validated by the schema.

    The result is what ``scenario.yaml`` records, so that it reruns the run on its own.

    Raises:
        ScenarioError: a value outside the schema's limits (naming the option).
    """
    update = {k: v for k, v in (("seed", seed), ("replicates", replicates), ("steps", steps))
              if v is not None}
    if not update:
        return scenario
    data = scenario.model_dump()
    data.update(update)
    origins = {(k,): (RUN_FIELDS[k], None) for k in update}
    return validate(data, origins, "run settings")


def estimate_memory(scenario: Scenario, record: str = "quantiles") -> int:
    """Bytes a run of the scenario will need at its peak (resident), a conservative estimate.

    Per replicate: ~60 float64 state rows per actor, arc and frontline state (with NumPy
    temporaries); ``quantiles`` recording sorts a block of ``CHUNK`` steps of every series at once
    (float32, about three copies); ``full`` keeps every series of every replicate and step and
    turns them into a tidy table (~200 bytes a value at its peak). Constants are the peak resident
    memory of ``python benchmarks/bench_memory.py`` rounded up; a test holds the estimate above the
    traced peak.
    """
    pairs = len(interacting_pairs(scenario.actors, [r.between for r in scenario.relations]))
    n = len(scenario.actors)
    front = sum(a.kind == "frontline" for a in scenario.actors.values())
    series = (1 + len(ACTOR_SERIES) * n + len(PAIR_SERIES) * pairs + len(ARC_SERIES) * 2 * pairs
              + len(FRONT_SERIES) * front)
    per_replicate = 8 * (60 * (n + 3 * pairs + front) + 200)
    if record == "full":
        per_replicate += (scenario.steps + 1) * series * 200
    elif record == "quantiles":
        per_replicate += int(3.2 * CHUNK * series * 4)
    return 200 * 1024**2 + scenario.replicates * per_replicate


def check_memory(scenario: Scenario, record: str = "quantiles") -> None:
    """Refuse a run that will not fit in the machine's available memory.

    Raises:
        ScenarioError: with the estimate, what is available and what to do.
    """
    need = estimate_memory(scenario, record)
    have = int(limits.available_memory_bytes() * limits.MEMORY_SHARE)
    if need > have:
        gib = 1024**3
        hint = ("fewer replicates, fewer steps, or record='summary'" if record != "full" else
                "fewer replicates or steps, or drop --full (the quantile series need far less)")
        raise ScenarioError(
            "run settings", f"needs about {need / gib:.1f} GiB of memory and "
            f"{have / gib:.1f} GiB may be used here ({scenario.replicates:,} replicates x "
            f"{scenario.steps:,} steps, record={record}); use {hint}, or split the replicates "
            "over several runs with different seeds", field="replicates")

