"""What a run keeps.

Per-step time series (quantiles, every replicate, or none), per-replicate outcomes gathered online
(peak tension, highest rung, steps at each rung, incidents, lowest deterrence margin), and the event
log of the first few replicates. The series and their order come from :mod:`sim.variables`; a
variable the state does not hold as an array is derived by the function of the same name in
``DERIVED``. The quantile buffer is flushed lazily, so ``model.step()``/``run_for`` record every step
whichever way the model is driven.
"""

from __future__ import annotations

from concurrent.futures import Future, ThreadPoolExecutor
from functools import partial
from typing import TYPE_CHECKING

import mesa
import numpy as np

from ..arrays import percentile_label, percentiles, selected_percentiles, sorted_percentiles
from ..kernels import record as record_kernels
from ..processes import available_cores
from ..submodels.ladder import RUNGS
from ..variables import SWITCHES, VARIABLES, Level

if TYPE_CHECKING:
    from .model import FlashpointModel
    from .topology import Topology


def _tension_index(m: FlashpointModel) -> np.ndarray:
    return m.tension_index[None]


def _spending(m: FlashpointModel) -> np.ndarray:
    return m.state.spending_pct_gdp


def _gdp_index(m: FlashpointModel) -> np.ndarray:
    return m.state.gdp_usd_bn / m.state.initial.gdp_usd_bn


def _mean_threat(m: FlashpointModel) -> np.ndarray:
    return m.topology.actor_from_arcs @ m.state.perceived_threat


DERIVED = {"tension_index": _tension_index, "spending_pct_gdp": _spending,
           "gdp_index": _gdp_index, "threat": _mean_threat}
"""Recorded variables computed from the state rather than held in it."""

SEVERITY = ("routine", "serious", "high-risk")
CHUNK = 24
"""The most steps of quantile series summarised at once."""

BLOCK_VALUES = 8_000_000
"""Values of quantile series a block holds (32 MB in single precision) once it is more than one
step: large runs summarise fewer steps at a time. At R = 10,000 (233 series) a block of 24 steps
was 224 MB, twice over while a second thread sorted it, for no speed: 4-step blocks measured the same
(8.8-9.0 s against 8.7-9.4 s for R = 10,000 x 240 on one core) at 175 MB less peak memory."""


def chunk_steps(series: int, replicates: int) -> int:
    """Steps of a block of quantile series, at least one.

    :data:`CHUNK`, or fewer where that many steps of ``series`` series of ``replicates``
    replicates would pass :data:`BLOCK_VALUES` values.
    """
    return max(1, min(CHUNK, -(-BLOCK_VALUES // max(1, series * replicates))))

_ENTITIES: dict[Level, str] = {"overall": "", "actor": "names", "pair": "pair_names",
                               "arc": "arc_names", "frontline": "front_names"}


def series_columns(topology: Topology) -> list[tuple[str, str, str]]:
    """(level, variable, entity) of every recorded series, in output order."""
    cols = []
    for v in VARIABLES:
        if not v.recorded:
            continue
        if v.level == "overall":
            cols.append((v.level, v.name, ""))
        else:
            cols += [(v.level, v.name, e) for e in getattr(topology, _ENTITIES[v.level])]
    return cols


def series_name(level: Level, variable: str, entity: str) -> str:
    """A recorded series' name: the variable of an overall series, else ``ENTITY.variable``.

    ``tension_index``, ``NATO-Russia.tension``, ``Russia.deployment_troops``,
    ``NATO->Russia.perceived_threat``, ``Estonia.deterrence_margin``: the names
    ``run(..., keep_series=...)`` and a sweep's ``trajectories`` take.
    """
    return f"{entity}.{variable}" if entity else variable


def resolve_series(topology: Topology, names: list[str] | tuple[str, ...]
                   ) -> list[tuple[str, int]]:
    """(variable, row) of each named series (:func:`series_name`), in the order given.

    Raises:
        ValueError: a name that is not a recorded series of this topology, or a repeated one.
    """
    rows: dict[str, tuple[str, int]] = {}
    counters: dict[str, int] = {}
    for level, variable, entity in series_columns(topology):
        row = counters.get(variable, 0)
        counters[variable] = row + 1
        rows[series_name(level, variable, entity)] = (variable, row)
    out = []
    for name in names:
        if name not in rows:
            example = ", ".join(list(rows)[:1] + [n for n in rows if n.endswith(".tension")][:1])
            raise ValueError(f"unknown series {name!r}: a series is an overall variable or "
                             f"ENTITY.variable of a recorded variable (e.g. {example}; "
                             "sim.series_names(scenario) lists all)")
        out.append(rows[name])
    if len(set(names)) != len(names):
        raise ValueError(f"a series is named twice in {list(names)}")
    return out


def _series_block(m: FlashpointModel, name: str) -> np.ndarray:
    fn = DERIVED.get(name)
    return fn(m) if fn is not None else getattr(m.state, name)


def replicate_mean(m: FlashpointModel, variable: str, row: int = 0) -> float:
    """Mean over replicates of one row of a recorded variable (a Mesa model reporter).

    The means of every row of a variable are computed together, once a step
    (:func:`replicate_means`), for the reporters of its other rows.
    """
    return float(replicate_means(m, variable)[row])


def replicate_means(m: FlashpointModel, variable: str) -> np.ndarray:
    """Means over replicates of every row of a recorded variable, (rows,), kept for this step.

    np.mean's own sum (pairwise, row by row along the contiguous replicate axis, as for each row
    alone) and division, without its per-call overhead; for one replicate the value itself. Kept
    while the model is at the same step and the variable is the same array, so the 15 default
    reporters make three reductions a step instead of fifteen.
    """
    cache = m.__dict__.setdefault("replicate_means", {})
    block = _series_block(m, variable)
    hit = cache.get(variable)
    if hit is not None and hit[0] == m.steps and hit[1] is block:
        return hit[2]
    if block.shape[1] == 1:  # one replicate: the value itself (what the sum and division give)
        means = block[:, 0].astype(np.float64)
    else:
        means = np.add.reduce(block, axis=1, dtype=np.float64) / block.shape[1]
    cache[variable] = (m.steps, block, means)
    return means


class Collector(mesa.DataCollector):
    """Mesa's ``DataCollector``, with replicate-mean reporters collected a variable at a time.

    Mesa's ``collect`` calls each model reporter and deep-copies what it returns: for the 15
    default reporters about 25 us a step, a tenth of a one-replicate step. Where every model
    reporter is a :func:`replicate_mean` (the defaults, or any made the same way) and there are
    no agent reporters, this appends the same floats, each variable's means computed once;
    anything else is Mesa's own ``collect``.
    """

    def __init__(self, *args, **kwargs) -> None:
        super().__init__(*args, **kwargs)
        self._by_variable = _replicate_mean_reporters(self.model_reporters)

    def collect(self, model: FlashpointModel) -> None:
        """Collect this step's values (Mesa's ``DataCollector.collect``)."""
        if self._by_variable is None or self.agent_reporters or self.agenttype_reporters:
            super().collect(model)
            return
        if hasattr(self, "_collection_steps"):
            self._collection_steps.append(model.time)
        model_vars = self.model_vars
        for variable, rows in self._by_variable.items():
            means = replicate_means(model, variable).tolist()
            for name, row in rows:
                model_vars[name].append(means[row])


def _replicate_mean_reporters(reporters: dict) -> dict[str, list[tuple[str, int]]] | None:
    """Reporters grouped by variable as (name, row), if every one is a :func:`replicate_mean`."""
    by_variable: dict[str, list[tuple[str, int]]] = {}
    for name, reporter in reporters.items():
        if not (isinstance(reporter, partial) and reporter.func is replicate_mean
                and not reporter.args and set(reporter.keywords) <= {"variable", "row"}
                and "variable" in reporter.keywords):
            return None
        by_variable.setdefault(reporter.keywords["variable"], []).append(
            (name, int(reporter.keywords.get("row", 0))))
    return by_variable or None


def default_model_reporters(topology: Topology) -> dict:
    """Mesa model reporters: replicate means of the tension index and of each pair's tension."""
    reporters = {"tension_index": partial(replicate_mean, variable="tension_index")}
    for k, name in enumerate(topology.pair_names):
        reporters[f"tension {name}"] = partial(replicate_mean, variable="tension", row=k)
        reporters[f"rung {name}"] = partial(replicate_mean, variable="rung", row=k)
    return reporters


SELECT_FROM = 1000
"""Replicates from which the percentiles are selected rather than sorted. NumPy sorts a few
hundred values faster than the buckets are counted and walked. R x 240 steps with quantile
series, one core, best of 5, sorting against selecting: R = 600 0.39 / 0.45 s, 800 0.46 / 0.52 s,
1,000 0.59 / 0.56 s, 1,500 1.01 / 0.77 s, 10,000 8.6 / 4.4 s."""


def quantile_block(arr: np.ndarray, qs: list[float], overwrite: bool = False) -> np.ndarray:
    """Percentiles ``qs`` and the mean across replicates of a (B, V, R) block -> (B, Q+1, V).

    Series are kept in single precision, so ordered in it (half the time of sorting doubles).
    ``overwrite``: ``arr`` is a float32 block the caller no longer needs, reordered in place
    instead of copied: C-contiguous with at least :data:`SELECT_FROM` replicates, its percentiles
    are selected (:func:`sim.arrays.selected_percentiles`, the values sorting gives), else it is
    sorted.
    """
    mean = arr.mean(axis=2, dtype=np.float64).astype(np.float32)  # (B, V), before any reordering
    if overwrite and arr.dtype == np.float32:
        if arr.shape[-1] >= SELECT_FROM and arr.flags.c_contiguous:
            q = selected_percentiles(arr, qs)
        else:
            arr.sort(axis=-1)
            q = sorted_percentiles(arr, qs, arr.dtype)
    else:
        q = percentiles(arr, qs, sort_dtype=np.float32)
    return np.concatenate([q.astype(np.float32).transpose(1, 0, 2), mean[:, None, :]], axis=1)


_SUMMARISER: list[ThreadPoolExecutor] = []
"""The thread that summarises full buffers of quantile series while the run goes on (one a
process)."""


def _summariser() -> ThreadPoolExecutor:
    if not _SUMMARISER:
        _SUMMARISER.append(ThreadPoolExecutor(max_workers=1,
                                              thread_name_prefix="flashpoint-quantiles"))
    return _SUMMARISER[0]


OVERLAP_VALUES = 4_000_000
"""Buffers of at least this many values (16 MB) are summarised by the second thread, where this
process may run on a second core (on one core the two threads only take turns: R = 10,000 x 240
steps pinned to one core measured 10.4-11.3 s with the thread, 8.7-9.7 s without)."""


def _spare_core() -> bool:
    """Whether this process may run on more than one core (its affinity, which can change)."""
    return available_cores() > 1


class Recorder:
    """Collects a model's outputs as it runs."""

    def __init__(self, model: FlashpointModel, mode: str, events_replicates: int,
                 keep_series: list[str] | tuple[str, ...] = ()) -> None:
        if mode not in ("quantiles", "full", "summary"):
            raise ValueError(f"record mode must be quantiles, full or summary, not {mode!r}")
        self.m = model
        self.mode = "full" if (mode == "quantiles" and model.R == 1) else mode
        self.E = events_replicates
        self.qs = list(model.spec.outputs.quantiles)
        topo = model.topology
        self.columns = series_columns(topo)
        self._variables = [v.name for v in VARIABLES if v.recorded and
                           (v.level != "frontline" or topo.F)]
        self.blocks: list[np.ndarray] = []
        self.buffer: np.ndarray | None = None
        self.spare: np.ndarray | None = None  # the buffer the second thread may be summarising
        self.buffered = 0
        self.pending: Future | None = None
        self.qblocks: list[np.ndarray] = []
        R, P, F = model.R, topo.P, topo.F
        self.peak_index = np.full(R, -np.inf)
        self.peak_pair = np.full((P, R), -np.inf)
        self.max_rung = np.zeros((P, R), dtype=np.int8)
        self.rung_steps = np.zeros((P, len(RUNGS), R), dtype=np.uint16)
        self.first_step = np.full((P, len(RUNGS), R), -1, dtype=np.int32)  # rung k or higher
        self.first_step[:, 0] = 0  # every pair stands on the lowest rung or higher from the start
        self.incident_total = np.zeros((P, R))
        self.min_margin = np.full((F, R), np.inf)
        self.probes = np.zeros(R, dtype=np.int64)
        self.fait_accompli_step = np.full(R, -1, dtype=np.int64)
        self.events: list[tuple] = []
        self._switch_prev = None
        self.rung_counts: list[np.ndarray] = []  # per step, (P, rungs) replicates on each rung
        self.kept_names = list(keep_series)
        self._kept = resolve_series(topo, self.kept_names)
        self._kept_buffer: np.ndarray | None = None  # (K, steps, R) float32, grown as needed
        self._kept_steps = 0

    # ---- per step ----------------------------------------------------------------------------
    def record(self) -> None:
        """Record the model's state at the current step."""
        m = self.m
        st = m.state
        record_kernels.outcomes_step(
            self.peak_index, m.tension_index, self.peak_pair, st.tension, self.max_rung, st.rung,
            self.rung_steps, self.incident_total, st.incidents, self.min_margin,
            st.deterrence_margin if m.topology.F else self.min_margin, m.steps > 0,
            self.first_step, m.steps)
        self._switches()
        if self._kept:
            self._keep_step()
        if self.mode == "summary":
            return
        pairs = len(st.rung)
        offsets = (len(RUNGS) * np.arange(pairs))[:, None]
        self.rung_counts.append(np.bincount((st.rung + offsets).ravel(), minlength=len(RUNGS) * pairs)
                                .reshape(pairs, len(RUNGS)).astype(np.int32))
        blocks = [_series_block(m, v) for v in self._variables]
        if self.mode == "full":
            self.blocks.append(np.concatenate(blocks, axis=0, dtype=np.float32))  # (V, R)
            return
        if self.buffer is None:  # a block of steps of (V, R) series, written in place
            rows = sum(len(b) for b in blocks)
            self.buffer = np.empty((chunk_steps(rows, m.R), rows, m.R), dtype=np.float32)
        np.concatenate(blocks, axis=0, out=self.buffer[self.buffered], casting="same_kind")
        self.buffered += 1
        if self.buffered >= len(self.buffer):
            self._hand_over()

    def _keep_step(self) -> None:
        """This step's kept series, every replicate, in single precision as the series are."""
        m = self.m
        buffer, t = self._kept_buffer, self._kept_steps
        if buffer is None or t == buffer.shape[1]:  # the run's steps; twice that if stepped on
            size = m.last_step + 1 if buffer is None else 2 * t
            grown = np.empty((len(self._kept), max(size, t + 1), m.R), dtype=np.float32)
            if buffer is not None:
                grown[:, :t] = buffer
            self._kept_buffer = buffer = grown
        blocks: dict[str, np.ndarray] = {}
        for k, (variable, row) in enumerate(self._kept):
            block = blocks.get(variable)
            if block is None:
                block = blocks[variable] = _series_block(m, variable)
            buffer[k, t] = block[row]
        self._kept_steps = t + 1

    @property
    def kept(self) -> np.ndarray | None:
        """The kept series so far, (K, steps recorded, R) float32 (None: none kept)."""
        if self._kept_buffer is None:
            return None
        return self._kept_buffer[:, : self._kept_steps]

    def _hand_over(self) -> None:
        """Summarise the full buffer: in the second thread if it is large, while the run goes on.

        The buffer then belongs to that thread, and the next steps go to a second one (the one
        handed over before, whose summary is collected first): two buffers at most, and the
        blocks of quantile series stay in step order whoever computes them.
        """
        self._collect()
        block = self.buffer[: self.buffered]
        if block.size >= OVERLAP_VALUES and _spare_core():
            self.pending = _summariser().submit(quantile_block, block, self.qs, True)
            self.buffer, self.spare = self.spare, self.buffer
        else:
            self.qblocks.append(quantile_block(block, self.qs, overwrite=True))
        self.buffered = 0

    def _collect(self) -> None:
        """Wait for the block the second thread is summarising and keep it."""
        if self.pending is not None:
            pending, self.pending = self.pending, None
            self.qblocks.append(pending.result())

    def flush(self) -> None:
        """Turn buffered steps into quantile series (called lazily; idempotent)."""
        if self.buffered:
            self._hand_over()
        self._collect()

    @property
    def labels(self) -> list[str]:
        """Labels of the statistics :func:`quantile_block` computes."""
        return [percentile_label(q) for q in self.qs] + ["mean"]

    # ---- events ------------------------------------------------------------------------------
    def _switches(self) -> None:
        if not self.E:
            return
        m = self.m
        first = self._switch_prev is None
        if first:  # (K, N, E): each switch on (>= 0.5) for each actor and logged replicate
            self._switch_prev = np.empty((len(SWITCHES), m.topology.N, min(self.E, m.R)),
                                         dtype=np.bool_)
        cur = np.empty_like(self._switch_prev)
        changed = record_kernels.switch_states(
            tuple(getattr(m.state, v) for v in SWITCHES), self._switch_prev, cur)
        if changed and not first:
            k, n, r = np.nonzero(cur != self._switch_prev)
            for kk, nn, rr in zip(k, n, r, strict=True):
                state = "on" if cur[kk, nn, rr] else "off"
                self.events.append((m.steps, int(rr), m.topology.names[nn], "posture",
                                    f"{SWITCHES[kk]} {state}",
                                    float(getattr(m.state, SWITCHES[kk])[nn, rr])))
        self._switch_prev = cur

    def incidents(self, low: np.ndarray, ser: np.ndarray, high: np.ndarray) -> None:
        """Log incidents of the first replicates."""
        if not self.E:
            return
        m = self.m
        if not record_kernels.any_in_first_columns((low, ser, high), self.E):
            return
        for sev, arr in zip(SEVERITY, (low, ser, high), strict=True):
            p, r = np.nonzero(arr[:, : self.E])
            for pp, rr in zip(p, r, strict=True):
                self.events.append((m.steps, int(rr), m.topology.pair_names[pp], "incident", sev,
                                    float(arr[pp, rr])))

    def rungs(self, old: np.ndarray, new: np.ndarray) -> None:
        """Log rung changes of the first replicates."""
        if not self.E:
            return
        m = self.m
        if not record_kernels.any_change_in_first_columns(old, new, self.E):
            return
        p, r = np.nonzero(old[:, : self.E] != new[:, : self.E])
        for pp, rr in zip(p, r, strict=True):
            self.events.append((m.steps, int(rr), m.topology.pair_names[pp], "rung",
                                f"{RUNGS[old[pp, rr]]} -> {RUNGS[new[pp, rr]]}",
                                float(new[pp, rr])))

    def protests(self, arcs: np.ndarray) -> None:
        """Log protests (arc i about j) of the first replicates."""
        if not self.E:
            return
        if not record_kernels.any_in_first_columns((arcs,), self.E):
            return
        m = self.m
        topo = m.topology
        a, r = np.nonzero(arcs[:, : self.E])
        for aa, rr in zip(a, r, strict=True):
            i, j = topo.arc_i[aa], topo.arc_j[aa]
            self.events.append((m.steps, int(rr), topo.names[i], "protest",
                                f"protest at {topo.names[j]}",
                                float(m.state.perceived_threat[aa, rr])))

    def decisions(self, probe: np.ndarray, attack: np.ndarray, row: np.ndarray) -> None:
        """Count the challenger's probes and first fait accompli; log them for the first replicates."""
        m = self.m
        self.probes += probe
        first = attack & (self.fait_accompli_step < 0)
        self.fait_accompli_step[first] = m.steps
        if not self.E:
            return
        for kind, hit in (("probe", probe), ("fait accompli", attack)):
            for r in np.nonzero(hit[: self.E])[0]:
                target = m.topology.front_names[row[r]]
                self.events.append((m.steps, int(r), target, kind,
                                    f"{kind} against {target}",
                                    float(m.state.deterrence_margin[row[r], r])))

    def shock(self, name: str, description: str, undo: bool) -> None:
        """Log a dated shock (it applies to every replicate)."""
        self.events.append((self.m.steps + 1, -1, "", "shock-end" if undo else "shock",
                            f"{name}: {description}" if description else name, np.nan))
