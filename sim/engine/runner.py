"""The Python API: ``run(scenario, ...)`` returns a :class:`Result` of pandas objects."""

from __future__ import annotations

import datetime as dt
from dataclasses import dataclass, field
from pathlib import Path

import numpy as np
import pandas as pd

from ..arrays import percentile_label
from ..scenario import limits
from ..scenario.errors import ScenarioError
from ..scenario.loader import RUN_FIELDS, load_scenario, validate
from ..scenario.schema import Scenario, add_months
from ..submodels.ladder import RUNGS
from .model import FlashpointModel
from .recorder import chunk_steps, quantile_block, resolve_series, series_columns, series_name
from .topology import Topology


def text_column(codes: np.ndarray, values: list[str]) -> pd.api.extensions.ExtensionArray:
    """Pandas text column ``values[codes]``, built by pyarrow (100x faster than from objects)."""
    import pyarrow as pa

    decoded = pa.DictionaryArray.from_arrays(pa.array(codes.astype(np.int32)),
                                             pa.array(list(values), pa.string()))
    return pd.array(decoded.dictionary_decode(), dtype=pd.StringDtype(na_value=np.nan))


@dataclass
class Outcomes:
    """Per-replicate results captured from a finished model (the model itself is not kept)."""

    pair_names: list[str]
    actor_names: list[str]
    front_names: list[str]
    months_per_step: int
    initial_tension_index: np.ndarray
    peak_index: np.ndarray
    final_index: np.ndarray
    peak_pair: np.ndarray
    final_pair: np.ndarray
    final_rung: np.ndarray
    max_rung: np.ndarray
    first_step: np.ndarray
    rung_steps: np.ndarray
    incident_total: np.ndarray
    final_actor: dict[str, np.ndarray]
    final_belief: np.ndarray
    final_margin: np.ndarray
    final_denial: np.ndarray
    min_margin: np.ndarray
    probes: np.ndarray
    fait_accompli_step: np.ndarray

    @classmethod
    def capture(cls, m: FlashpointModel) -> Outcomes:
        """Copy what the summary and the outcomes table need out of a model."""
        st, rec, topo = m.state, m.recorder, m.topology
        return cls(
            pair_names=list(topo.pair_names), actor_names=list(topo.names),
            front_names=list(topo.front_names), months_per_step=m.months,
            initial_tension_index=topo.pair_weight @ st.initial.tension,
            peak_index=rec.peak_index.copy(), final_index=m.tension_index.copy(),
            peak_pair=rec.peak_pair.copy(), final_pair=st.tension.copy(),
            final_rung=st.rung.copy(), max_rung=rec.max_rung.copy(),
            first_step=rec.first_step.copy(),
            rung_steps=rec.rung_steps.copy(), incident_total=rec.incident_total.copy(),
            final_actor={"spending_pct_gdp": st.spending_pct_gdp.copy(),
                         "milex_usd_bn": st.milex_usd_bn.copy(),
                         "capability_usd_bn": st.capability_usd_bn.copy(),
                         "gdp_usd_bn": st.gdp_usd_bn.copy(),
                         "deployment_troops": st.deployment_troops.copy()},
            final_belief=st.article5_belief.copy(), final_margin=st.deterrence_margin.copy(),
            final_denial=st.denial.copy(), min_margin=rec.min_margin.copy(),
            probes=rec.probes.copy(), fait_accompli_step=rec.fait_accompli_step.copy())


@dataclass
class Result:
    """What one call of :func:`run` produced (it holds the results, not the model).

    Attributes:
        scenario: the resolved scenario that ran (with the seed, replicates and steps used).
        seed: the root seed.
        replicates: R.
        steps: steps run.
        mode: ``full`` (every replicate), ``quantiles`` or ``summary``.
        vary: the parameters varied along the replicate axis, ``{path: (R,) array}``.
        kept_series: the series ``run(..., keep_series=...)`` kept, ``{name: (steps+1, R)
            float32 array}``: every replicate at every step, whatever ``mode`` is.
    """

    scenario: Scenario
    seed: int
    replicates: int
    steps: int
    mode: str
    dates: list[str] = field(repr=False)
    columns: list[tuple[str, str, str]] = field(repr=False)
    labels: list[str] = field(repr=False)
    _series: list[np.ndarray] = field(repr=False)
    _event_rows: list[tuple] = field(repr=False)
    _outcomes: Outcomes = field(repr=False)
    vary: dict[str, np.ndarray] = field(default_factory=dict, repr=False)
    kept_series: dict[str, np.ndarray] = field(default_factory=dict, repr=False)
    rung_counts: list[np.ndarray] = field(default_factory=list, repr=False)
    replicate_ids: np.ndarray | None = field(default=None, repr=False)
    _timeseries: pd.DataFrame | None = field(default=None, repr=False)
    _events: pd.DataFrame | None = field(default=None, repr=False)
    _summary: dict | None = field(default=None, repr=False)

    def __repr__(self) -> str:
        """One line: what ran and what the result holds (not its numbers)."""
        return (f"<flashpoint Result {self.scenario.name!r}: {self.replicates:,} replicate(s) x "
                f"{self.steps:,} steps from {self.dates[0][:7]} to {self.dates[-1][:7]}, seed "
                f"{self.seed}, record={self.mode!r}; .timeseries .events .summary .outcomes>")

    def _repr_html_(self) -> str:
        """A notebook's view: the run and its headline figures (median, 5-95 % band)."""
        import html

        overall = self.summary_dict()["overall"]["tension_index"]
        rows = []
        for label, stats in (("peak tension index", overall["peak"]),
                             ("final tension index", overall["final"])):
            rows.append(f"<tr><td>{label}</td><td>{stats['p50']:.1f}</td><td>"
                        f"{stats.get('p5', stats['p50']):.1f} - {stats.get('p95', stats['p50']):.1f}"
                        "</td></tr>")
        for pair, values in self.summary_dict()["pairs"].items():
            reach = values["p_highest_rung_at_least"]
            rows.append(f"<tr><td>P({html.escape(pair)} reaches confrontation or higher)</td>"
                        f"<td>{reach['confrontation with incidents']:.2f}</td><td></td></tr>")
        return (f"<div><b>flashpoint Result</b> {html.escape(self.scenario.name)}: "
                f"{self.replicates:,} replicate(s) x {self.steps:,} steps "
                f"({self.dates[0][:7]} to {self.dates[-1][:7]}), seed {self.seed}, record "
                f"{html.escape(self.mode)}<table><tr><th></th><th>median</th><th>5-95 %</th></tr>"
                + "".join(rows) + "</table></div>")

    @classmethod
    def from_model(cls, model: FlashpointModel, scenario: Scenario,
                   vary: dict[str, np.ndarray] | None = None) -> Result:
        """The results of a model that has run (its recorder is flushed)."""
        rec = model.recorder
        rec.flush()
        series = rec.blocks if rec.mode == "full" else rec.qblocks
        R = model.R
        kept = rec.kept  # (K, T, R), the recorder's own buffer (the model is not kept)
        return cls(scenario=scenario, seed=model.seed, replicates=R, steps=model.steps,
                   mode=rec.mode,
                   dates=[model.date_of(s).isoformat() for s in range(model.steps + 1)],
                   columns=list(rec.columns), labels=rec.labels, _series=list(series),
                   _event_rows=list(rec.events), _outcomes=Outcomes.capture(model),
                   vary={k: np.broadcast_to(np.asarray(v, dtype=float), (R,)).copy()
                         for k, v in (vary or {}).items()},
                   kept_series={name: kept[k] for k, name in enumerate(rec.kept_names)},
                   rung_counts=list(rec.rung_counts),
                   replicate_ids=model.replicate_ids.astype(np.int64))

    @property
    def replicate_numbers(self) -> np.ndarray:
        """Each replicate's number in the experiment (``run(..., replicate_ids=...)``; 0 .. R-1)."""
        if self.replicate_ids is None:
            return np.arange(self.replicates)
        return np.asarray(self.replicate_ids, dtype=np.int64)

    @property
    def ladder(self) -> pd.DataFrame:
        """P(each rung) per step: the share of replicates on each rung of each pair's ladder.

        Columns ``step, date, entity`` (the pair), ``rung`` (its name), ``share``; recorded
        every step whatever ``record`` is but ``summary`` (empty then).
        """
        if not self.rung_counts:
            return pd.DataFrame(columns=["step", "date", "entity", "rung", "share"])
        counts = np.stack(self.rung_counts)  # (T, P, rungs)
        T, P, K = counts.shape
        pairs = self._outcomes.pair_names
        return pd.DataFrame({
            "step": np.repeat(np.arange(T), P * K),
            "date": np.repeat(np.asarray(self.dates[:T], dtype=object), P * K),
            "entity": np.tile(np.repeat(np.asarray(pairs, dtype=object), K), T),
            "rung": np.tile(np.asarray(RUNGS, dtype=object), T * P),
            "share": counts.reshape(-1) / self.replicates,
        })

    # ---- time series -------------------------------------------------------------------------
    def array(self, every: bool = False) -> tuple[np.ndarray, list[str]]:
        """Series as a (steps+1, S, V) float32 array and the labels of its S statistics.

        Args:
            every: with ``record='full'``, every replicate (labels "0".."R-1"); otherwise the
                quantiles and mean across replicates (or the single replicate when R = 1).
        """
        if self.mode == "full":
            arr = np.stack(self._series)  # (T, V, R)
            if every or self.replicates == 1:
                return arr.transpose(0, 2, 1), [str(r) for r in range(self.replicates)]
            # ``arr`` is this call's own stack: its percentiles are selected in place, no copy
            return (quantile_block(arr, list(self.scenario.outputs.quantiles), overwrite=True),
                    self.labels)
        if self.mode == "quantiles":
            return np.concatenate(self._series, axis=0), self.labels
        raise ValueError("this run kept no time series (record='summary')")

    @property
    def timeseries(self) -> pd.DataFrame:
        """Tidy series: step, date, replicate, quantile, entity, variable, value.

        For R = 1 the replicate's values; for R > 1 the per-step quantiles and mean.
        """
        if self._timeseries is None:
            self._timeseries = self.tidy()
        return self._timeseries

    @property
    def timeseries_full(self) -> pd.DataFrame:
        """Every replicate's series, tidy (needs ``record='full'``)."""
        if self.mode != "full":
            raise ValueError("every replicate's series needs record='full' (--full)")
        return self.tidy(every=True)

    def write_parquet(self, path: str | Path, steps_per_group: int = 8) -> None:
        """Write every replicate's series (``timeseries_full``'s rows) to a Parquet file.

        Written a row group of ``steps_per_group`` steps at a time with pyarrow's writer, so the
        tidy table is never built whole: memory stays at one group's rows beyond the run's own
        float32 series (the tidy table of ``invasion-2022 -R 1000`` was ~3 GB).

        Raises:
            ValueError: the run kept no every-replicate series (``record='full'``).
        """
        import pyarrow as pa
        import pyarrow.parquet as pq

        if self.mode != "full":
            raise ValueError("every replicate's series needs record='full' (--full)")
        R, V = self.replicates, len(self.columns)
        # labels as dictionaries (read back by pandas as categoricals): a few hundred distinct
        # strings over tens of millions of rows
        text = pa.dictionary(pa.int32(), pa.string())
        # dates as dates (date32), and no quantile column: every row is one replicate's value
        schema = pa.schema([("step", pa.int64()), ("date", pa.date32()), ("replicate", pa.int64()),
                            ("entity", text), ("variable", text), ("value", pa.float64())])
        entity = pa.array([c[2] for c in self.columns], pa.string())
        variable = pa.array([c[1] for c in self.columns], pa.string())
        dates = pa.array([dt.date.fromisoformat(d) for d in self.dates], pa.date32())
        var = np.arange(V, dtype=np.int32)
        # the values are near-unique reals: no dictionary attempt for them (invasion-2022 at
        # R = 1,000: 5.6 -> 4.9 s, the same table read back). Min/max statistics for the step
        # only: a row group holds a few steps, so a reader filtering on steps skips the others;
        # every group holds every replicate, entity and variable, so theirs would skip nothing
        # (and cost 3.5 -> 2.7 s of the same file's writing)
        keys = [name for name in schema.names if name != "value"]
        with pq.ParquetWriter(str(path), schema, use_dictionary=keys,
                              write_statistics=["step"]) as writer:
            for first in range(0, len(self._series), steps_per_group):
                block = np.stack(self._series[first:first + steps_per_group])  # (t, V, R)
                t = len(block)
                steps = np.repeat(np.arange(first, first + t), R * V)
                var_rows = pa.array(np.tile(var, t * R))
                writer.write_table(pa.table({
                    "step": pa.array(steps),
                    "date": dates.take(pa.array(steps)),
                    "replicate": pa.array(np.tile(np.repeat(self.replicate_numbers, V), t)),
                    "entity": pa.DictionaryArray.from_arrays(var_rows, entity),
                    "variable": pa.DictionaryArray.from_arrays(var_rows, variable),
                    "value": pa.array(block.transpose(0, 2, 1).reshape(-1).astype(np.float64)),
                }, schema=schema))

    def tidy(self, variables: list[str] | None = None, every: bool = False) -> pd.DataFrame:
        """The tidy series (as :attr:`timeseries`), of the named ``variables`` only if given.

        Args:
            variables: series names to keep (``tension_index``, ``tension`` ...); None: all.
            every: every replicate (``record='full'``) instead of the quantiles.
        """
        arr, labels = self.array(every)
        cols = self.columns
        if variables is not None:
            wanted = set(variables)
            keep = [k for k, c in enumerate(cols) if c[1] in wanted]
            arr, cols = arr[:, :, keep], [cols[k] for k in keep]
        T, S, V = arr.shape
        n = T * S * V
        step = np.repeat(np.arange(T), S * V)
        lab = np.tile(np.repeat(np.arange(S), V), T)
        var = np.tile(np.arange(V), T * S)
        full = every or self.replicates == 1
        df = pd.DataFrame({
            "step": step,
            "date": text_column(step, self.dates),
            "replicate": self.replicate_numbers[lab] if full else pd.arrays.IntegerArray(
                np.zeros(n, np.int64), np.ones(n, bool)),
            "quantile": np.full(n, None, dtype=object) if full else text_column(lab, labels),
            "entity": text_column(var, [c[2] for c in cols]),
            "variable": text_column(var, [c[1] for c in cols]),
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
        cols = self.columns
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
            df = pd.DataFrame(self._event_rows, columns=["step", "replicate", "entity", "kind",
                                                         "detail", "value"])
            start = dt.date.fromisoformat(self.dates[0])
            months = self._outcomes.months_per_step
            steps = df["step"].to_numpy(dtype=np.int64)
            unique, codes = np.unique(steps, return_inverse=True)
            df.insert(1, "date", text_column(codes, [add_months(start, int(s) * months).isoformat()
                                                     for s in unique]))
            index = df["replicate"].to_numpy(dtype=np.int64)  # the replicate's place in the run
            numbers = self.replicate_numbers[np.clip(index, 0, None)] if len(index) else index
            df["replicate"] = pd.array(np.where(index >= 0, numbers, 0), dtype="Int64")
            df["replicate"] = df["replicate"].mask(index < 0)  # a dated shock: every replicate
            df = df.sort_values(["step", "replicate", "kind", "entity"], kind="stable",
                                na_position="first").reset_index(drop=True)
            self._events = df
        return self._events

    # ---- summary -----------------------------------------------------------------------------
    @property
    def outcomes(self) -> pd.DataFrame:
        """Per-replicate outcomes: one row per replicate, the varied parameters first.

        Columns: ``replicate``; each ``vary`` path; ``tension_index.peak``/``.final``; per pair
        ``peak_tension``, ``final_tension``, ``highest_rung`` (0-6), ``first_month_at.<rung>``
        (the month it first stood on that rung or higher; missing, ``<NA>``, for never),
        ``months_at.<rung>``,
        ``incidents``; ``incidents_per_month`` (all pairs); ``probes`` (the challenger's probes);
        ``fait_accompli_month`` (month of the first fait accompli, ``<NA>`` for none); per actor
        ``final_spending_pct_gdp``,
        ``final_milex_usd_bn``, ``final_capability_usd_bn``, ``final_gdp_usd_bn``,
        ``final_deployment_troops``; per frontline state ``min_deterrence_margin``,
        ``final_deterrence_margin``, ``final_denial`` (the probability of denial) and
        ``final_article5_belief``.
        """
        return outcomes_frame(self)

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
    o = res._outcomes
    qs = list(res.scenario.outputs.quantiles)
    months = max(res.steps * o.months_per_step, 1)
    pairs = {}
    for k, name in enumerate(o.pair_names):
        reach = {RUNGS[r]: float((o.max_rung[k] >= r).mean()) for r in range(len(RUNGS))}
        at = {RUNGS[r]: float(o.rung_steps[k, r].sum(dtype=np.int64) * o.months_per_step
                              / res.replicates) for r in range(len(RUNGS))}
        pairs[name] = {
            "peak_tension": _stats(o.peak_pair[k], qs),
            "final_tension": _stats(o.final_pair[k], qs),
            "final_rung": _stats(o.final_rung[k], qs),
            "p_highest_rung_at_least": reach,
            "months_at_rung": at,
            "incidents_per_month": _stats(o.incident_total[k] / months, qs),
        }
    actors = {}
    for i, name in enumerate(o.actor_names):
        actors[name] = {f"final_{var}": _stats(values[i], qs)
                        for var, values in o.final_actor.items()}
    front = {}
    for k, name in enumerate(o.front_names):
        front[name] = {
            "final_article5_belief": _stats(o.final_belief[k], qs),
            "min_deterrence_margin": _stats(o.min_margin[k], qs),
            "final_deterrence_margin": _stats(o.final_margin[k], qs),
            "final_denial": _stats(o.final_denial[k], qs),
            "p_deterrence_failed": float((o.min_margin[k] < 0).mean()),
        }
    total_inc = o.incident_total.sum(axis=0) / months
    return {
        "overall": {
            "tension_index": {
                "initial": float(np.mean(o.initial_tension_index)),
                "peak": _stats(o.peak_index, qs),
                "final": _stats(o.final_index, qs),
            },
            "incidents": {"per_month_all_pairs": _stats(total_inc, qs)},
            "decisions": {"probes": _stats(o.probes, qs),
                          "p_fait_accompli": {"value": float((o.fait_accompli_step >= 0).mean())}},
        },
        "pairs": pairs,
        "actors": actors,
        "frontline": front,
        "run": {"replicates": {"value": res.replicates}, "steps": {"value": res.steps},
                "seed": {"value": res.seed}, "months_per_step": {"value": o.months_per_step}},
    }


WHEN_OUTCOMES = (".first_month_at.", "fait_accompli_month")
"""Outcomes that give the month something first happened: missing (never a number) in the
replicates where it never did. Their statistics are P(reached) and the month among the
replicates that reach it (:func:`is_when_outcome`)."""


def is_when_outcome(name: str) -> bool:
    """Whether an outcome column is a month of first occurrence, missing where it never happened."""
    return any(part in name for part in WHEN_OUTCOMES)


def month_or_missing(first_step: np.ndarray, months_per_step: int) -> pd.arrays.IntegerArray:
    """The month of a first occurrence (step x months a step), missing (``<NA>``) for never.

    Missing, not a marker such as -1, so that no mean, median or difference can count a
    replicate where it never happened as an early month.
    """
    first = np.asarray(first_step).astype(np.int64)
    return pd.arrays.IntegerArray(np.where(first >= 0, first * months_per_step, 0), first < 0)


def outcomes_frame(res: Result) -> pd.DataFrame:
    """One row per replicate: the varied parameters, then the outcome metrics."""
    o = res._outcomes
    months = max(res.steps * o.months_per_step, 1)
    cols: dict[str, np.ndarray] = {"replicate": res.replicate_numbers}
    cols.update(res.vary)
    cols["tension_index.peak"] = o.peak_index
    cols["tension_index.final"] = o.final_index
    for k, name in enumerate(o.pair_names):
        cols[f"{name}.peak_tension"] = o.peak_pair[k]
        cols[f"{name}.final_tension"] = o.final_pair[k]
        cols[f"{name}.highest_rung"] = o.max_rung[k].astype(np.int64)
        for r, rung in enumerate(RUNGS):  # the month it first stood on the rung or higher
            cols[f"{name}.first_month_at.{rung}"] = month_or_missing(o.first_step[k, r],
                                                                     o.months_per_step)
        for r, rung in enumerate(RUNGS):
            cols[f"{name}.months_at.{rung}"] = o.rung_steps[k, r].astype(np.int64) * o.months_per_step
        cols[f"{name}.incidents"] = o.incident_total[k]
    cols["incidents_per_month"] = o.incident_total.sum(axis=0) / months
    cols["probes"] = o.probes
    cols["fait_accompli_month"] = month_or_missing(o.fait_accompli_step, o.months_per_step)
    for var, values in o.final_actor.items():
        for i, name in enumerate(o.actor_names):
            cols[f"{name}.final_{var}"] = values[i]
    for k, name in enumerate(o.front_names):
        cols[f"{name}.min_deterrence_margin"] = o.min_margin[k]
        cols[f"{name}.final_deterrence_margin"] = o.final_margin[k]
        cols[f"{name}.final_denial"] = o.final_denial[k]
        cols[f"{name}.final_article5_belief"] = o.final_belief[k]
    return pd.DataFrame(cols)


def run(scenario: Scenario | str | Path, *, seed: int | None = None,
        replicates: int | None = None, steps: int | None = None,
        vary: dict[str, np.ndarray] | None = None,
        levers: dict[str, np.ndarray] | None = None, record: str = "quantiles",
        overrides: list[str] | None = None, progress: bool = False,
        events_max_replicates: int | None = None,
        keep_series: list[str] | tuple[str, ...] = (),
        replicate_ids: np.ndarray | list[int] | None = None) -> Result:
    """Run a scenario.

    Args:
        scenario: a :class:`Scenario` or the path of a scenario file.
        seed: root seed (default: the scenario's).
        replicates: R (default: the scenario's).
        steps: steps to run (default: the scenario's).
        vary: the world varying across replicates: uncertainties, structure that the run's
            reference shares (see :class:`FlashpointModel`).
        levers: choices varying across replicates, measured against the reference as
            ``--set`` is (see :class:`FlashpointModel`).
        record: ``quantiles``, ``full`` or ``summary``.
        overrides: ``path=value`` strings, when ``scenario`` is a path.
        progress: show a progress bar over the steps (on standard error).
        events_max_replicates: replicates whose own events (incidents, rung changes, postures,
            protests, probes) are logged (default: the scenario's ``outputs``); 0 keeps only
            the dated shocks, for runs that need the outcomes alone (a sweep's chunks).
        replicate_ids: the replicates' numbers in the experiment (default 0 .. R-1; R is then
            their count): every random draw is a function of the seed, this number, a named
            stream and the step (:mod:`sim.submodels.streams`), so replicate 4,711 of a run of
            10,000 is ``run(..., replicate_ids=[4711])`` alone, bit for bit.
        keep_series: series to keep for every replicate and step whatever ``record`` is,
            by name (:func:`series_names`): ``Result.kept_series`` (a sweep's per-point
            trajectories), at 4 bytes a replicate-step each.

    Returns:
        The run's :class:`Result`; ``.timeseries``, ``.events`` and ``.summary`` are pandas.
    """
    if replicate_ids is not None:
        replicate_ids = np.asarray(replicate_ids)
        if replicates is not None and replicates != len(replicate_ids):
            raise ValueError("replicates and replicate_ids disagree; give one of them")
        replicates = len(replicate_ids)
    settings = {"seed": seed, "replicates": replicates, "steps": steps}
    if not isinstance(scenario, Scenario):
        scenario = load_scenario(scenario, overrides, run_settings=settings)
    else:
        if overrides:
            raise ValueError("overrides apply to scenario files; pass a path")
        scenario = with_run_settings(scenario, **settings)
    keep_series = list(keep_series)
    resolve_series(Topology.from_scenario(scenario), keep_series)  # a bad name: before any work
    check_memory(scenario, record, kept_series=len(keep_series))
    model = FlashpointModel(scenario, replicates=scenario.replicates, seed=scenario.seed,
                            vary=vary, levers=levers, record=record,
                            events_max_replicates=events_max_replicates,
                            keep_series=keep_series, replicate_ids=replicate_ids)
    model.run(scenario.steps, progress=progress)
    model.check_finite()
    return Result.from_model(model, scenario, model.vary)


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
    return validate(data, origins, "run settings").calibrated(scenario.calibrated_on)


BASE_MEMORY = 450 * 1024**2
"""The process before any replicate: the interpreter, NumPy, pandas, Mesa, pyarrow, matplotlib, the
compiled kernels (Numba and LLVM, about 100 MiB) and the tidy tables of a small run (a 50-replicate
--full run peaks at ~390 MiB resident)."""


TABLE_BYTES_PER_ROW = 256
"""Peak resident bytes per row of the tidy ``timeseries`` table while it is built and written as
CSV (measured: ``flashpoint run baseline -R 2 --steps 1000`` peaks 268 MB above ``--steps 100``
for 1.26 million more rows, 213 bytes a row; rounded up)."""

FULL_BYTES_PER_VALUE = 24
"""Peak resident bytes per recorded value with ``record='full'`` (bench_memory.py, rounded up)."""


def series_names(scenario: Scenario) -> list[str]:
    """Names of the scenario's recorded series, in output order.

    ``tension_index``, ``NATO-Russia.tension``, ``Russia.deployment_troops``, ...: what
    ``keep_series`` and a sweep's ``trajectories`` take.
    """
    return [series_name(*column) for column in series_columns(Topology.from_scenario(scenario))]


def estimate_memory(scenario: Scenario, record: str = "quantiles", kept_series: int = 0) -> int:
    """Bytes a run of the scenario will need at its peak (resident), a conservative estimate.

    Per replicate: ~60 float64 state rows per actor, arc and frontline state (with NumPy
    temporaries); ``quantiles`` recording fills a block of steps of every series
    (:func:`~sim.engine.recorder.chunk_steps`) while
    the previous block is summarised (float32, two blocks and the percentiles' gathers);
    ``full`` keeps every series of every replicate and step (float32) and stacks them once for
    the quantile series, while the Parquet file is written a row group at a time
    (:meth:`Result.write_parquet`): ~24 bytes a value at its peak; each kept series
    (``keep_series``) 4 bytes a replicate-step, in one buffer the result shares. Constants are the
    peak resident memory of ``python benchmarks/bench_memory.py`` rounded up; a test holds the
    estimate above the traced peak.
    """
    topo = Topology.from_scenario(scenario)
    n, pairs, front = topo.N, topo.P, topo.F
    series = len(series_columns(topo))
    per_replicate = 8 * (60 * (n + 3 * pairs + front) + 200) + 2 * 7 * pairs  # + rung counts
    if record == "full":
        per_replicate += (scenario.steps + 1) * series * FULL_BYTES_PER_VALUE
    elif record == "quantiles":
        per_replicate += int(2.2 * chunk_steps(series, scenario.replicates) * series * 4)
    per_replicate += (scenario.steps + 1) * kept_series * 4
    tables = 0
    if record != "summary":  # the tidy time series table and its CSV text
        stats = len(scenario.outputs.quantiles) + 1 if scenario.replicates > 1 else 1
        tables = (scenario.steps + 1) * series * stats * TABLE_BYTES_PER_ROW
    return BASE_MEMORY + scenario.replicates * per_replicate + tables


def check_memory(scenario: Scenario, record: str = "quantiles", kept_series: int = 0) -> None:
    """Refuse a run that will not fit in the machine's available memory.

    Raises:
        ScenarioError: with the estimate, what is available and what to do.
    """
    need = estimate_memory(scenario, record, kept_series)
    have = int(limits.available_memory_bytes() * limits.MEMORY_SHARE)
    if need > have:
        gib = 1024**3
        hint = ("fewer replicates, fewer steps, or record='summary' (--record summary: the "
                "summary and outcomes, no time series)" if record != "full" else
                "fewer replicates or steps, or drop --full (the quantile series need far less)")
        raise ScenarioError(
            "run settings", f"needs about {need / gib:.1f} GiB of memory and "
            f"{have / gib:.1f} GiB may be used here ({scenario.replicates:,} replicates x "
            f"{scenario.steps:,} steps, record={record}); use {hint}, or split the replicates "
            "over several runs with different seeds", field="replicates")

