"""The Mesa model: every replicate advanced at once, state in NumPy arrays, replicate axis last.

Layout of the replicate axis inside Mesa: one :class:`FlashpointModel` is one Mesa ``Model``
holding R replicates. Each actor is one Mesa ``Agent`` (its class is its kind); its state is
row ``agent.i`` of (N, R) arrays owned by the model - contiguous, so its decision rule computes on
(R,) rows at memory speed. Pairs live in (P, R) arrays, ordered arcs (i perceives j) in (2P, R),
frontline states in (F, R). Any parameter may be a scalar or an (R,) array: with the replicate
axis last it broadcasts against every state array. Only the pairs that interact (across the
blocs) are stored, never every actor x actor. Dated shocks are
Mesa events (``Model.schedule_event``) at half steps, so they fall between two steps. Randomness:
one root seed; ``numpy.random.SeedSequence(seed).spawn`` gives separate streams for Mesa, the
incidents and the escalation ladder; the global NumPy RNG is never used.

Order within a step: perceive (threat, trust) -> decide (agents, in scenario order) -> arms and
capability -> sanctions and economy -> deterrence -> diplomacy -> incidents -> tension -> ladder
-> external factors -> record.
"""

from __future__ import annotations

import datetime as dt

import mesa
import numpy as np

from ..arrays import clamp
from ..scenario.errors import SimulationError
from ..scenario.schema import ACTOR_VARIABLES, Scenario, parse_date
from ..submodels import capability, deterrence, diplomacy, incidents, ladder, richardson, sanctions, tension
from ..submodels import threat as threat_mod
from ..submodels.shocks import Shock
from .agents import KIND_CLASSES
from .recorder import Recorder
from .topology import interacting_pairs, sides_of

POSTURES = {
    "ex": "exercises_troops",
    "dep": "deployment_troops",
    "sfin": "sanctions_finance",
    "sene": "sanctions_energy",
    "sdef": "sanctions_defence",
    "dlg": "dialogue",
    "hyb": "hybrid",
    "aid": "military_aid",
    "part": "partnership",
    "intel": "intel_sharing",
}
"""Model array name -> scenario posture field."""

GDP_RANGE = ACTOR_VARIABLES["gdp_usd_bn"][:2]
"""Lowest and highest GDP, US$ bn per year."""

DOCTRINE = ("threat_sensitivity", "cost_sensitivity", "reciprocity", "memory", "risk_tolerance",
            "responsiveness", "commitment", "reaction", "fatigue")

SUBMODELS = ("threat", "arms", "deterrence", "escalation", "incidents", "sanctions", "diplomacy",
             "external")


def add_months(start: dt.date, months: int) -> dt.date:
    """The first day of the month ``months`` after ``start``'s month."""
    y, m = divmod(start.month - 1 + months, 12)
    return dt.date(start.year + y, m + 1, 1)


class DelayLine:
    """A fixed delay of ``lag`` steps as a ring buffer (no copying of the whole line per step)."""

    def __init__(self, initial: np.ndarray, lag: int) -> None:
        self.lag = lag
        self.buf = np.repeat(initial[None], max(lag, 1), axis=0)
        self.pos = 0

    def peek(self) -> np.ndarray:
        """What comes out at the next push."""
        return self.buf[self.pos]

    def push(self, value: np.ndarray) -> np.ndarray:
        """Put ``value`` in and return what was put in ``lag`` steps ago (``value`` if lag 0)."""
        if self.lag == 0:
            return value
        out = self.buf[self.pos].copy()
        self.buf[self.pos] = value
        self.pos = (self.pos + 1) % self.lag
        return out


class FlashpointModel(mesa.Model):
    """R replicates of one scenario, advanced together.

    Args:
        scenario: a validated scenario.
        replicates: R, the number of replicates.
        seed: the root seed.
        vary: parameters that differ across replicates, ``{"path": array of shape (R,)}`` with
            paths ``actors.NAME.doctrine.FIELD`` or ``submodels.NAME.FIELD`` (numeric fields).
        record: ``"quantiles"`` (per-step percentiles), ``"full"`` (every replicate) or
            ``"summary"`` (summary statistics only, for sweeps).
        events_max_replicates: replicates whose per-replicate events are kept.
    """

    def __init__(self, scenario: Scenario, replicates: int = 1, seed: int = 0,
                 vary: dict[str, np.ndarray] | None = None, record: str = "quantiles",
                 events_max_replicates: int | None = None) -> None:
        root = np.random.SeedSequence(seed)
        mesa_ss, inc_ss, lad_ss = root.spawn(3)
        super().__init__(rng=np.random.default_rng(mesa_ss))
        self.spec = scenario
        self.R = R = int(replicates)
        self.seed = seed
        self.rng_incidents = np.random.default_rng(inc_ss)
        self.rng_ladder = np.random.default_rng(lad_ss)
        self.months = scenario.time_step_months
        self.dt_years = self.months / 12.0
        self.start_date = parse_date(scenario.start).replace(day=1)
        self.step_count = 0

        names = list(scenario.actors)
        self.names = names
        self.N = N = len(names)
        acts = [scenario.actors[n] for n in names]
        self.kinds = [a.kind for a in acts]
        sides = sides_of(scenario.actors)
        self.sides = [sides[n] for n in names]
        idx = {n: i for i, n in enumerate(names)}
        self.index = idx

        # ---- parameters: submodels scalars or (R,) when varied, doctrine (N, R) ---------------
        sub = scenario.submodels
        self.p = {k: getattr(sub, k).model_dump() for k in (*SUBMODELS, "tension")}
        self.on = {k: self.p[k].get("enabled", True) for k in SUBMODELS}
        self.doctrine = {k: np.repeat(np.array([[float(getattr(a.doctrine, k))] for a in acts]),
                                      R, axis=1) for k in DOCTRINE}
        self._apply_vary(vary or {}, idx)

        # ---- pairs: cross-bloc, except partners (they act through their bloc) unless listed ----
        listed = {frozenset(r.between): r for r in scenario.relations}
        pairs = [(idx[w], idx[e]) for w, e in
                 interacting_pairs(scenario.actors, [r.between for r in scenario.relations])]
        self.pairs = pairs
        self.P = P = len(pairs)
        pa = np.array([p[0] for p in pairs], dtype=np.intp)
        pb = np.array([p[1] for p in pairs], dtype=np.intp)
        self.pa, self.pb = pa, pb
        # arcs: 0..P-1 is a perceives b, P..2P-1 is b perceives a
        self.arc_i = np.concatenate([pa, pb])
        self.arc_j = np.concatenate([pb, pa])
        self.pair_names = [f"{names[a]}-{names[b]}" for a, b in pairs]
        self.pair_lookup = {frozenset(p): k for k, p in enumerate(pairs)}
        rivals = np.zeros((N, N))
        rivals[pa, pb] = rivals[pb, pa] = 1.0
        self.rivals = rivals
        # aggregation matrices: arc -> perceiving actor (weighted mean by rival weight)
        w = np.array([a.weight for a in acts], dtype=float)
        self.weight = w
        # (N, 2P): actor <- its arcs, weighted by the rival's weight; (N, P) likewise for pairs
        agg = np.zeros((N, 2 * P))
        agg[self.arc_i, np.arange(2 * P)] = np.maximum(w[self.arc_j], 1e-9)
        agg /= np.maximum(agg.sum(axis=1, keepdims=True), 1e-12)
        self.actor_from_arcs = agg
        pagg = np.zeros((N, P))
        pagg[pa, np.arange(P)] = np.maximum(w[pb], 1e-9)
        pagg[pb, np.arange(P)] = np.maximum(w[pa], 1e-9)
        pagg /= np.maximum(pagg.sum(axis=1, keepdims=True), 1e-12)
        self.actor_from_pairs = pagg
        pw = w[pa] * w[pb]
        self.pair_weight = pw / pw.sum() if pw.sum() > 0 else np.full(P, 1.0 / max(P, 1))
        # (N, N): actor i <- mean over its rivals j, weighted by w_j
        rw = rivals * w[None, :]
        self.actor_from_rivals = rw / np.maximum(rw.sum(axis=1, keepdims=True), 1e-12)
        same = np.array([[1.0 if si == sj else 0.0 for sj in self.sides] for si in self.sides])
        self.bloc_mean = same / np.maximum(same.sum(axis=1, keepdims=True), 1.0)

        # frontline states and who hosts whose troops
        self.front = np.array([i for i, k in enumerate(self.kinds) if k == "frontline"],
                              dtype=np.intp)
        self.F = len(self.front)
        host = np.zeros((max(self.F, 1), N))  # (F, N): troops of actor a standing in state f
        fpos = {int(f): k for k, f in enumerate(self.front)}
        for a, act in enumerate(acts):
            for h, share in act.hosts.items():
                if idx[h] in fpos:
                    host[fpos[idx[h]], a] = share
        self.host = host[: self.F]
        self.west = np.array([s == "west" for s in self.sides])
        self.challengers = np.array([k == "challenger" for k in self.kinds])
        self.patrons = np.array([k == "patron" for k in self.kinds])

        # ---- state: actors (N, R), pairs (P, R), arcs (2P, R), frontline states (F, R) ------
        def col(fn) -> np.ndarray:
            return np.repeat(np.array([[float(fn(a))] for a in acts]), R, axis=1)

        self.gdp = col(lambda a: a.economy.gdp_usd_bn)
        self.gdp0 = self.gdp.copy()
        self.growth = col(lambda a: a.economy.growth_pct_yr)
        self.dependence = col(lambda a: a.economy.energy_dependence)
        self.milex = self.gdp * col(lambda a: a.military.spending_pct_gdp) / 100.0
        ap = self.p["arms"]
        self.depreciation = ap["depreciation_pct_yr"] / 100.0
        steady = capability.steady_stock(self.milex, ap["procurement_share"], self.depreciation)
        given = col(lambda a: -1.0 if a.military.capability_usd_bn is None
                    else a.military.capability_usd_bn)
        self.cap = np.where(given >= 0, given, steady)
        self.cap0 = np.maximum(self.cap.copy(), 1e-9)
        self.strategic_share = col(lambda a: a.posture.strategic_share)
        # default strategic index: its steady state, the strategic share (none without spending)
        self.strat = col(lambda a: (a.posture.strategic_share
                                    if a.military.spending_pct_gdp > 0 else 0.0)
                         if a.military.strategic is None else a.military.strategic)
        self.ready = col(lambda a: a.military.readiness)
        self.resolve = col(lambda a: a.military.resolve)
        self.commit = self.doctrine["commitment"].copy()
        self.commit0 = self.commit.copy()
        for var, fld in POSTURES.items():
            setattr(self, var, col(lambda a, f=fld: getattr(a.posture, f)))
        self.baseline = {var: getattr(self, var).copy() for var in (*POSTURES, "ready")}
        self.baseline["commit"] = self.commit.copy()
        self.adjust_step = 1.0 - (1.0 - self.doctrine["responsiveness"]) ** self.months
        self.memory_step = self.doctrine["memory"] ** self.months

        # pair state
        rel_t = np.full(P, 30.0)
        rel_thr = np.full(2 * P, np.nan)
        rel_tr = np.full(2 * P, 0.3)
        rel_ac = np.full(P, 0.5)
        rel_rung = np.full(P, -1)
        for k, (a, b) in enumerate(pairs):
            r = listed.get(frozenset((names[a], names[b])))
            if r is None:
                continue
            flip = names[a] != r.between[0]
            rel_t[k] = r.tension
            rel_ac[k] = r.arms_control
            rel_tr[k], rel_tr[P + k] = r.trust[::-1] if flip else r.trust
            if r.threat is not None:
                rel_thr[k], rel_thr[P + k] = r.threat[::-1] if flip else r.threat
            if r.rung is not None:
                rel_rung[k] = r.rung

        def rows(v: np.ndarray) -> np.ndarray:
            return np.repeat(v[:, None].astype(float), R, axis=1)

        self.tension = rows(rel_t)
        self.ac = rows(rel_ac)
        self.trust = rows(rel_tr)
        self.trust0 = self.trust.copy()
        self.impulse = np.zeros((P, R))
        # pressures, activities and perceptions at the start
        self._pressures()
        self._activity()
        self.coop0 = self._cooperation()
        tgt = self._threat_target()
        self.threat = np.where(np.isnan(rel_thr)[:, None], tgt, rows(np.nan_to_num(rel_thr)))
        self.thresholds = np.array([-np.inf, *self.p["escalation"]["thresholds"], np.inf])
        rung0 = ladder.initial_rung(rel_t, np.array(self.p["escalation"]["thresholds"]))
        rung0 = np.where(rel_rung >= 0, rel_rung, rung0).astype(np.int8)
        self.rung = np.repeat(rung0[:, None], R, axis=1)
        self._aggregate()
        self.threat_actor0 = self.threat_actor.copy()
        self.tension_actor0 = self.tension_actor.copy()
        self.rival_activity0 = self.rival_activity.copy()
        self.rival_hybrid0 = self.rival_hybrid.copy()
        self.sanction_pressure0 = self.sanction_pressure.copy()
        self.prev_pressure = self.sanction_pressure.copy()
        self.press0 = {"sfin": self.press_fin.copy(), "sene": self.press_ene.copy(),
                       "sdef": self.press_dfc.copy()}
        # tension calibration constant c_p: the initial state is a steady state
        self.tension_offset = self.tension - self._tension_target_raw()
        # Richardson grievance
        g = np.array([np.nan if a.doctrine.grievance == "auto" else float(a.doctrine.grievance)
                      for a in acts])
        auto = richardson.auto_grievance(self.milex, rivals, self.doctrine["reaction"],
                                         self.doctrine["fatigue"])
        self.grievance = np.where(np.isnan(g)[:, None], auto, np.nan_to_num(g)[:, None])
        self.milex0 = self.milex.copy()
        # delay lines (ring buffers): procurement, prefilled with the steady flow; sanctions
        flow = ap["procurement_share"] * self.milex * self.dt_years
        self.pipeline = DelayLine(flow, int(round(ap["procurement_lag_months"] / self.months)))
        self.sanc_pipe = DelayLine(np.stack([self.press_fin, self.press_ene, self.press_dfc]),
                                   int(round(self.p["sanctions"]["lag_months"] / self.months)))
        self.growth_loss0 = (self._growth_loss(self.sanc_pipe.peek()) if self.on["sanctions"]
                             else np.zeros((N, R)))
        self.growth_loss = self.growth_loss0.copy()
        self.belief = np.zeros((self.F, R))
        self.margin = np.zeros((self.F, R))
        self.allied = np.zeros((self.F, R))
        self.deterrence_shortfall = np.zeros(R)
        if self.F and self.on["deterrence"]:
            self.belief = self._belief_target()
            self._deterrence_margin()
        self.incidents = np.zeros((P, R))
        self.tension_index0 = self.tension_index.copy()

        # ---- agents and dated shocks ----------------------------------------------------------
        for i, (n, a) in enumerate(zip(names, acts, strict=True)):
            KIND_CLASSES[a.kind](self, n, i)  # registered in self.agents (Mesa keeps them)
        self.shocks = []
        for ev in scenario.events:
            when = parse_date(ev.date)
            offset = (when.year - self.start_date.year) * 12 + when.month - self.start_date.month
            if offset < 0:
                continue
            s = Shock(self, ev)
            self.shocks.append(s)  # Mesa holds event callbacks weakly
            self.schedule_event(s.apply, at=offset // self.months + 0.5)
        cap_ev = (scenario.outputs.events_max_replicates if events_max_replicates is None
                  else events_max_replicates)
        self.recorder = Recorder(self, mode=record, events_replicates=min(cap_ev, R))
        self.recorder.record()

    # ---- parameters --------------------------------------------------------------------------
    def _apply_vary(self, vary: dict[str, np.ndarray], idx: dict[str, int]) -> None:
        for path, values in vary.items():
            v = np.asarray(values, dtype=float)
            if v.shape not in ((self.R,), ()):
                raise ValueError(f"vary[{path!r}] must be a scalar or have shape ({self.R},)")
            parts = path.split(".")
            if len(parts) == 4 and parts[0] == "actors" and parts[2] == "doctrine":
                if parts[1] not in idx or parts[3] not in self.doctrine:
                    raise ValueError(f"vary: unknown doctrine path {path!r}")
                self.doctrine[parts[3]][idx[parts[1]]] = v
            elif len(parts) == 3 and parts[0] == "submodels" and parts[1] in self.p:
                cur = self.p[parts[1]].get(parts[2])
                if not isinstance(cur, float):
                    raise ValueError(f"vary: {path!r} is not a real-valued submodel parameter "
                                     "(switches, readings, lags and thresholds are fixed per run)")
                # replicate axis last: an (R,) parameter broadcasts against every state array
                self.p[parts[1]][parts[2]] = np.broadcast_to(v, (self.R,)).copy()
            else:
                raise ValueError(f"vary: unsupported path {path!r}; use actors.NAME.doctrine.FIELD "
                                 "or submodels.NAME.FIELD")

    # ---- derived quantities ------------------------------------------------------------------
    def _pressures(self) -> None:
        self.press_fin = sanctions.pressure(self.sfin, self.west)
        self.press_ene = sanctions.pressure(self.sene, self.west)
        self.press_dfc = sanctions.pressure(self.sdef, self.west)
        self.sanction_pressure = (self.press_fin + self.press_ene + self.press_dfc) / 3.0

    def _activity(self) -> None:
        tp = self.p["threat"]
        self.activity = self.ex / tp["exercises_ref"] + self.dep / tp["forces_ref"]

    def _aggregate(self) -> None:
        self.threat_actor = self.actor_from_arcs @ self.threat
        self.trust_actor = self.actor_from_arcs @ self.trust
        self.tension_actor = self.actor_from_pairs @ self.tension
        self.rival_activity = self.actor_from_rivals @ self.activity
        self.rival_hybrid = self.actor_from_rivals @ self.hyb
        # sanctions pressure on each actor's bloc (the worst-hit member's)
        bloc = np.empty_like(self.sanction_pressure)
        for side in (self.west, ~self.west):
            if side.any():
                bloc[side] = self.sanction_pressure[side].max(axis=0)
        self.bloc_pressure = bloc

    def _threat_target(self) -> np.ndarray:
        i, j = self.arc_i, self.arc_j
        tp = self.p["threat"]
        own = threat_mod.emitted(tp, self.dep, self.ex, self.strat, self.hyb)
        return threat_mod.signal(tp, self.doctrine["threat_sensitivity"][i], own[j], self.cap[i],
                                 self.cap[j], self.dlg[j])

    def _cooperation(self) -> np.ndarray:
        own = self.dlg - self.hyb - (self.sfin + self.sene + self.sdef) / 6.0
        return threat_mod.cooperation(own[self.arc_j], np.concatenate([self.ac, self.ac]))

    def _pair_mean(self, x: np.ndarray) -> np.ndarray:
        return 0.5 * (x[self.pa] + x[self.pb])

    def _tension_target_raw(self, dlg_p: np.ndarray | None = None) -> np.ndarray:
        P = self.P
        sanc = (self.sfin + self.sene + self.sdef) / 3.0
        return tension.target(
            self.p["tension"], self.threat[:P], self.threat[P:], self.hyb[self.pa] + self.hyb[self.pb],
            self._pair_mean(sanc), 0.5 * (self.trust[:P] + self.trust[P:]),
            self._pair_mean(self.dlg) if dlg_p is None else dlg_p)

    def _belief_target(self) -> np.ndarray:
        R = self.R
        west = self.west
        self.allied = self.host @ self.dep
        ex_west = self.ex[west].sum(axis=0)
        commit = self.commit[self.patrons].mean(axis=0) if self.patrons.any() else np.zeros(R)
        sig_parts = [self.intel[west].max(axis=0), self.aid[west].max(axis=0)]
        unions = np.array([k == "union" for k in self.kinds])
        if unions.any():
            sig_parts.append(self.commit[unions].mean(axis=0))
        signals = np.mean(sig_parts, axis=0)
        return deterrence.belief_target(self.p["deterrence"], commit, self.allied, ex_west,
                                        signals, self.p["threat"]["exercises_ref"])

    def _deterrence_margin(self) -> None:
        own = self.dep[self.front]
        chal = self.challengers
        resolve_c = self.resolve[chal].max(axis=0) if chal.any() else np.zeros(self.R)
        embolden = 0.0
        if self.p["threat"]["reading"] == "deterrence":
            embolden = self.p["threat"]["reassurance"] * self.dlg[self.west].mean(axis=0)
        self.margin = deterrence.margin(self.p["deterrence"], self.belief, own, self.allied,
                                        resolve_c, embolden)
        self.deterrence_shortfall = np.maximum(-self.margin, 0.0).mean(axis=0)

    def _growth_loss(self, lagged: np.ndarray) -> np.ndarray:
        # a partnership counts for the whole bloc (the best partner offsets)
        partnership = clamp(np.maximum(self.bloc_mean @ self.part, self.part), 0.0, 1.0)
        return sanctions.growth_loss(self.p["sanctions"], (lagged[0], lagged[1], lagged[2]),
                                     self.sene, self.dependence, partnership)

    # ---- the step ----------------------------------------------------------------------------
    def step(self) -> None:
        """Advance every replicate by one time step."""
        self.step_count += 1
        P = self.P
        months = self.months
        dty = self.dt_years
        prev_threat = self.threat

        # 1. perceive: threat and trust (Jervis)
        if self.on["threat"]:
            tp = self.p["threat"]
            self.threat = threat_mod.update(self.threat, self._threat_target(),
                                            self.memory_step[self.arc_i])
            rate = 1.0 - (1.0 - tp["trust_rate"]) ** months
            self.trust = threat_mod.update_trust(self.trust, self.trust0, self._cooperation(),
                                                 self.coop0, rate)
        self._aggregate()

        # 2. decide: each actor's rule (Mesa's AgentSet keeps the scenario order; no shuffling)
        self.agents.do("decide")
        self._activity()
        self._pressures()
        dlg_p = self._pair_mean(self.dlg)

        # 3. arms dynamics (Richardson) and capability (perpetual inventory)
        if self.on["arms"]:
            ap = self.p["arms"]
            push = ap["threat_coupling"] * self.milex0 * np.maximum(
                self.threat_actor - self.threat_actor0, 0.0)
            drag = (self.doctrine["cost_sensitivity"] * (self.growth_loss - self.growth_loss0)
                    / 100.0 * self.milex)
            x = richardson.step(self.milex, self.rivals, self.doctrine["reaction"],
                                self.doctrine["fatigue"], self.grievance, dty, push, drag)
            self.milex = clamp(x, 0.0, ap["max_spending_pct"] / 100.0 * self.gdp)
            order = ap["procurement_share"] * self.milex * dty
            if self.on["sanctions"]:
                extra = np.maximum(self.sanc_pipe.peek()[2] - self.press0["sdef"], 0.0)
                order = order * (1.0 - self.p["sanctions"]["procurement_penalty"] * extra)
            delivered = self.pipeline.push(order)
            self.cap, self.strat = capability.step(self.cap, self.strat, delivered, self.cap0,
                                                   self.strategic_share, self.depreciation, dty)

        # 4. sanctions and the economy (Hufbauer-Schott-Elliott)
        if self.on["sanctions"]:
            sp = self.p["sanctions"]
            lagged = self.sanc_pipe.push(np.stack([self.press_fin, self.press_ene,
                                                   self.press_dfc]))
            self.growth_loss = self._growth_loss(lagged)
            rise = np.maximum(self.sanction_pressure - self.prev_pressure, 0.0)
            self.resolve = clamp(self.resolve + sp["rally"] * rise, 0.0, 1.0)
        self.prev_pressure = self.sanction_pressure
        # GDP is held inside its declared range (sim.schema.ACTOR_VARIABLES): a run of centuries
        # at extreme growth neither underflows to 0 (0/0 spending shares) nor overflows to inf.
        self.gdp = clamp(self.gdp * (1.0 + dty * (self.growth - self.growth_loss) / 100.0),
                         GDP_RANGE[0], GDP_RANGE[1])
        if self.on["arms"]:  # the fiscal ceiling holds against the new GDP too
            np.minimum(self.milex, self.p["arms"]["max_spending_pct"] / 100.0 * self.gdp,
                       out=self.milex)

        # 5. deterrence (Kilgour-Zagare) for each frontline state
        if self.F and self.on["deterrence"]:
            m = self.p["deterrence"]["memory"] ** months
            self.belief = m * self.belief + (1.0 - m) * self._belief_target()
            self._deterrence_margin()

        # 6. diplomacy: protests and arms control
        impulse = self.impulse
        if self.on["diplomacy"]:
            dpl = self.p["diplomacy"]
            prot = diplomacy.protests(self.threat - prev_threat, dpl["protest_threshold"])
            impulse = impulse + dpl["protest_impulse"] * (prot[:P].astype(float) + prot[P:])
            self.recorder.protests(prot)
            self.ac = diplomacy.arms_control(self.ac, dlg_p, self.tension, dpl, months)

        # 7. incidents (Schelling)
        high = None
        if self.on["incidents"]:
            ip = self.p["incidents"]
            pa, pb = self.pa, self.pb
            lam = incidents.rate(ip, self.activity[pa], self.activity[pb],
                                 self.ready[pa] + self.ready[pb], self.hyb[pa] + self.hyb[pb],
                                 dlg_p, self.ac, months)
            low, ser, high = incidents.draw(self.rng_incidents, lam, ip["p_serious"],
                                            ip["p_high_risk"])
            imp = ip["impulse"]
            impulse = impulse + imp[0] * low + imp[1] * ser + imp[2] * high
            self.incidents = (low + ser + high).astype(float)
            self.recorder.incidents(low, ser, high)

        # 8. tension
        relax = 1.0 - (1.0 - self.p["tension"]["relaxation"]) ** months
        tgt = clamp(self._tension_target_raw(dlg_p) + self.tension_offset, 0.0, 100.0)
        self.tension = tension.step(self.tension, tgt, relax, impulse)
        self.impulse = np.zeros((P, self.R))

        # 9. escalation ladder (Kahn) with miscalculation
        if self.on["escalation"]:
            ep = self.p["escalation"]
            old = self.rung
            new = ladder.step(old, self.tension, self.thresholds, ep["hysteresis"])
            if high is not None:
                # only where a high-risk incident could tip the rung (uniforms drawn there only)
                live = np.nonzero((high > 0) & (new >= 3) & (new < 6))
                if live[0].size:
                    u = self.rng_ladder.random(live[0].size)
                    r, t = ladder.miscalculate(new[live], self.tension[live], high[live],
                                               self.thresholds, ep["miscalculation"], u)
                    new[live] = r
                    self.tension[live] = t
            self.rung = new
            self.recorder.rungs(old, new)

        # 10. external factors: commitment and cohesion return to doctrine
        if self.on["external"]:
            rec = 1.0 - (1.0 - self.p["external"]["commitment_recovery"]) ** months
            self.commit = self.commit + rec * (self.baseline["commit"] - self.commit)

        self.recorder.record()

    # ---- derived outputs ---------------------------------------------------------------------
    @property
    def spending_pct(self) -> np.ndarray:
        """Defence spending, % of GDP, (N, R)."""
        return 100.0 * self.milex / self.gdp

    @property
    def tension_index(self) -> np.ndarray:
        """Overall NATO-Russia tension index (weighted mean over pairs), (R,)."""
        return self.pair_weight @ self.tension

    def check_finite(self) -> None:
        """Raise :class:`SimulationError` if any state variable holds NaN or inf.

        Inputs are bounded so that this should never happen; the check keeps a model error from
        ever reaching an output file as empty cells or nulls.
        """
        for name in ("gdp", "milex", "cap", "strat", "tension", "threat", "trust", "ac",
                     "belief", "margin", *POSTURES):
            arr = getattr(self, name)
            if arr.size and not np.isfinite(arr).all():
                raise SimulationError(
                    f"the run produced non-finite values in {name} by step {self.step_count}: the "
                    "scenario's values are outside what the model handles")

    def date_of(self, step: int) -> dt.date:
        """Date at the end of ``step`` (step 0 is the start)."""
        return add_months(self.start_date, step * self.months)

    def run(self, steps: int, progress: bool = False) -> None:
        """Advance ``steps`` steps, processing dated shocks between them.

        Args:
            steps: number of steps.
            progress: show a tqdm progress bar on standard error.
        """
        it = range(steps)
        if progress:
            from tqdm import tqdm

            it = tqdm(it, unit="step", desc=self.spec.name, leave=False)
        for _ in it:
            self.step()
        self.recorder.finish()
