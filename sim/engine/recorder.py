"""What a run keeps.

Per-step time series (quantiles, every replicate, or none), summary statistics gathered online,
and the event log of the first few replicates.
"""

from __future__ import annotations

from typing import TYPE_CHECKING

import numpy as np

from ..arrays import percentile_label, percentiles
from ..submodels.ladder import RUNGS

if TYPE_CHECKING:
    from .model import FlashpointModel

ACTOR_SERIES = (
    ("spending_pct_gdp", lambda m: m.spending_pct),
    ("milex_usd_bn", lambda m: m.milex),
    ("capability_usd_bn", lambda m: m.cap),
    ("strategic", lambda m: m.strat),
    ("gdp_usd_bn", lambda m: m.gdp),
    ("gdp_index", lambda m: m.gdp / m.gdp0),
    ("exercises_troops", lambda m: m.ex),
    ("deployment_troops", lambda m: m.dep),
    ("readiness", lambda m: m.ready),
    ("resolve", lambda m: m.resolve),
    ("sanctions", lambda m: (m.sfin + m.sene + m.sdef) / 3.0),
    ("dialogue", lambda m: m.dlg),
    ("hybrid", lambda m: m.hyb),
    ("commitment", lambda m: m.commit),
    ("threat", lambda m: m.actor_from_arcs @ m.threat),
)
"""Per-actor variables written to the time series."""

PAIR_SERIES = (
    ("tension", lambda m: m.tension),
    ("rung", lambda m: m.rung),
    ("incidents", lambda m: m.incidents),
    ("arms_control", lambda m: m.ac),
)
ARC_SERIES = (
    ("perceived_threat", lambda m: m.threat),
    ("trust", lambda m: m.trust),
)
"""Per ordered pair (entity "A->B": A's view of B)."""
FRONT_SERIES = (
    ("article5_belief", lambda m: m.belief),
    ("deterrence_margin", lambda m: m.margin),
)
SWITCHED = ("sfin", "sene", "sdef", "dlg", "hyb", "aid", "part", "intel")
"""0-1 postures whose crossing of 0.5 is logged as a posture switch."""
SWITCH_NAMES = {"sfin": "sanctions_finance", "sene": "sanctions_energy",
                "sdef": "sanctions_defence", "dlg": "dialogue", "hyb": "hybrid",
                "aid": "military_aid", "part": "partnership", "intel": "intel_sharing"}
SEVERITY = ("routine", "serious", "high-risk")
CHUNK = 24


def quantile_block(arr: np.ndarray, qs: list[float]) -> np.ndarray:
    """Percentiles ``qs`` and the mean across replicates of a (B, V, R) block -> (B, Q+1, V)."""
    q = percentiles(arr, qs).astype(np.float32)  # (Q, B, V)
    mean = arr.mean(axis=2, dtype=np.float64).astype(np.float32)  # (B, V)
    return np.concatenate([q.transpose(1, 0, 2), mean[:, None, :]], axis=1)


class Recorder:
    """Collects a model's outputs as it runs."""

    def __init__(self, model: FlashpointModel, mode: str, events_replicates: int) -> None:
        if mode not in ("quantiles", "full", "summary"):
            raise ValueError(f"record mode must be quantiles, full or summary, not {mode!r}")
        self.m = model
        self.mode = "full" if (mode == "quantiles" and model.R == 1) else mode
        self.E = events_replicates
        self.qs = list(model.spec.outputs.quantiles)
        names = model.names
        cols: list[tuple[str, str, str]] = [("overall", "tension_index", "")]
        for var, _ in ACTOR_SERIES:
            cols += [("actor", var, n) for n in names]
        for var, _ in PAIR_SERIES:
            cols += [("pair", var, n) for n in model.pair_names]
        arcs = [f"{names[i]}->{names[j]}" for i, j in zip(model.arc_i, model.arc_j, strict=True)]
        for var, _ in ARC_SERIES:
            cols += [("arc", var, a) for a in arcs]
        for var, _ in FRONT_SERIES:
            cols += [("frontline", var, names[f]) for f in model.front]
        self.columns = cols
        self.blocks: list[np.ndarray] = []
        self.buffer: list[np.ndarray] = []
        self.qblocks: list[np.ndarray] = []
        R, P = model.R, model.P
        self.peak_index = np.full(R, -np.inf)
        self.peak_pair = np.full((P, R), -np.inf)
        self.max_rung = np.zeros((P, R), dtype=np.int8)
        self.rung_months = np.zeros((P, len(RUNGS)), dtype=np.int64)
        self.incident_total = np.zeros((P, R))
        self.min_margin = np.full((model.F, R), np.inf)
        self._rung_base = (len(RUNGS) * np.arange(P))[:, None]
        self.events: list[tuple] = []
        self._switch_prev = None

    # ---- per step ----------------------------------------------------------------------------
    def record(self) -> None:
        """Record the model's state at the current step."""
        m = self.m
        ti = m.tension_index
        np.maximum(self.peak_index, ti, out=self.peak_index)
        np.maximum(self.peak_pair, m.tension, out=self.peak_pair)
        np.maximum(self.max_rung, m.rung, out=self.max_rung)
        if m.step_count > 0:
            flat = (m.rung + self._rung_base).ravel()
            self.rung_months += np.bincount(flat, minlength=m.P * len(RUNGS)).reshape(m.P, -1)
            self.incident_total += m.incidents
        if m.F:
            np.minimum(self.min_margin, m.margin, out=self.min_margin)
        self._switches()
        if self.mode == "summary":
            return
        parts = [ti[None]]
        parts += [f(m) for _, f in ACTOR_SERIES]
        parts += [f(m) for _, f in PAIR_SERIES]
        parts += [f(m) for _, f in ARC_SERIES]
        if m.F:
            parts += [f(m) for _, f in FRONT_SERIES]
        block = np.concatenate(parts, axis=0, dtype=np.float32)  # (V, R)
        if self.mode == "full":
            self.blocks.append(block)
        else:
            self.buffer.append(block)
            if len(self.buffer) >= CHUNK:
                self._flush()

    def _flush(self) -> None:
        if not self.buffer:
            return
        self.qblocks.append(quantile_block(np.stack(self.buffer), self.qs))
        self.buffer = []

    @property
    def labels(self) -> list[str]:
        """Labels of the statistics :func:`quantile_block` computes."""
        return [percentile_label(q) for q in self.qs] + ["mean"]

    def finish(self) -> None:
        """Flush buffered quantiles at the end of a run."""
        if self.mode == "quantiles":
            self._flush()

    # ---- events ------------------------------------------------------------------------------
    def _switches(self) -> None:
        if not self.E:
            return
        m = self.m
        cur = np.stack([getattr(m, v)[:, : self.E] >= 0.5 for v in SWITCHED])  # (K, N, E)
        if self._switch_prev is not None:
            k, n, r = np.nonzero(cur != self._switch_prev)
            for kk, nn, rr in zip(k, n, r, strict=True):
                state = "on" if cur[kk, nn, rr] else "off"
                self.events.append((m.step_count, int(rr), m.names[nn], "posture",
                                    f"{SWITCH_NAMES[SWITCHED[kk]]} {state}",
                                    float(getattr(m, SWITCHED[kk])[nn, rr])))
        self._switch_prev = cur

    def incidents(self, low: np.ndarray, ser: np.ndarray, high: np.ndarray) -> None:
        """Log incidents of the first replicates."""
        if not self.E:
            return
        m = self.m
        for sev, arr in zip(SEVERITY, (low, ser, high), strict=True):
            p, r = np.nonzero(arr[:, : self.E])
            for pp, rr in zip(p, r, strict=True):
                self.events.append((m.step_count, int(rr), m.pair_names[pp], "incident", sev,
                                    float(arr[pp, rr])))

    def rungs(self, old: np.ndarray, new: np.ndarray) -> None:
        """Log rung changes of the first replicates."""
        if not self.E:
            return
        m = self.m
        p, r = np.nonzero(old[:, : self.E] != new[:, : self.E])
        for pp, rr in zip(p, r, strict=True):
            self.events.append((m.step_count, int(rr), m.pair_names[pp], "rung",
                                f"{RUNGS[old[pp, rr]]} -> {RUNGS[new[pp, rr]]}",
                                float(new[pp, rr])))

    def protests(self, arcs: np.ndarray) -> None:
        """Log protests (arc i about j) of the first replicates."""
        if not self.E:
            return
        m = self.m
        a, r = np.nonzero(arcs[:, : self.E])
        for aa, rr in zip(a, r, strict=True):
            i, j = m.arc_i[aa], m.arc_j[aa]
            self.events.append((m.step_count, int(rr), m.names[i], "protest",
                                f"protest at {m.names[j]}", float(m.threat[aa, rr])))

    def shock(self, name: str, description: str, undo: bool) -> None:
        """Log a dated shock (it applies to every replicate)."""
        self.events.append((self.m.step_count + 1, -1, "", "shock-end" if undo else "shock",
                            f"{name}: {description}" if description else name, np.nan))
