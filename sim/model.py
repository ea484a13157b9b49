"""The Mesa model: every replicate advanced at once, state in (R, ...) NumPy arrays.

Layout of the replicate axis inside Mesa: one :class:`FlashpointModel` is one Mesa ``Model``
holding R replicates. Each actor is one Mesa ``Agent`` (its class is its kind); its state is
column ``agent.i`` of (R, N) matrices owned by the model, and its decision rule computes on (R,)
columns. Pairs live in (R, P) matrices, ordered arcs (i perceives j) in (R, 2P). Dated shocks are
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

from . import capability, deterrence, diplomacy, incidents, ladder, richardson, sanctions, tension
from . import threat as threat_mod
from .agents import KIND_CLASSES
from .recorder import Recorder
from .schema import DEFAULT_SIDE, Scenario, parse_date
from .shocks import Shock

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

DOCTRINE = ("threat_sensitivity", "cost_sensitivity", "reciprocity", "memory", "risk_tolerance",
            "responsiveness", "commitment", "reaction", "fatigue")

SUBMODELS = ("threat", "arms", "deterrence", "escalation", "incidents", "sanctions", "diplomacy",
             "external")


def add_months(start: dt.date, months: int) -> dt.date:
    """The first day of the month ``months`` after ``start``'s month."""
    y, m = divmod(start.month - 1 + months, 12)
    return dt.date(start.year + y, m + 1, 1)


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
        self.sides = [a.side or DEFAULT_SIDE[a.kind] for a in acts]
        idx = {n: i for i, n in enumerate(names)}
        self.index = idx

        # ---- parameters: submodels as (R, 1) when varied, doctrine as (R, N) -----------------
        sub = scenario.submodels
        self.p = {k: getattr(sub, k).model_dump() for k in (*SUBMODELS, "tension")}
        self.on = {k: self.p[k].get("enabled", True) for k in SUBMODELS}
        self.doctrine = {k: np.tile([float(getattr(a.doctrine, k)) for a in acts], (R, 1))
                         for k in DOCTRINE}
        self._apply_vary(vary or {}, idx)

        # ---- pairs: cross-bloc, except partners (they act through their bloc) unless listed ----
        listed = {frozenset(r.between): r for r in scenario.relations}
        pairs = []
        for a in range(N):
            for b in range(a + 1, N):
                if self.sides[a] == self.sides[b]:
                    continue
                key = frozenset((names[a], names[b]))
                partner = "partner" in (self.kinds[a], self.kinds[b])
                if partner and key not in listed:
                    continue
                west, east = (a, b) if self.sides[a] == "west" else (b, a)
                pairs.append((west, east))
        self.pairs = pairs
        self.P = P = len(pairs)
        pa = np.array([p[0] for p in pairs], dtype=np.intp)
        pb = np.array([p[1] for p in pairs], dtype=np.intp)
        self.pa, self.pb = pa, pb
        # arcs: 0..P-1 is a perceives b, P..2P-1 is b perceives a
        self.arc_i = np.concatenate([pa, pb])
        self.arc_j = np.concatenate([pb, pa])
        self.pair_names = [f"{names[a]}-{names[b]}" for a, b in pairs]
        rivals = np.zeros((N, N))
        rivals[pa, pb] = rivals[pb, pa] = 1.0
        self.rivals = rivals
        opp = np.array([[1.0 if self.sides[i] != self.sides[j] else 0.0 for j in range(N)]
                        for i in range(N)])
        self.opp = opp
        # aggregation matrices: arc -> perceiving actor (weighted mean by rival weight)
        w = np.array([a.weight for a in acts], dtype=float)
        self.weight = w
        agg = np.zeros((2 * P, N))
        agg[np.arange(2 * P), self.arc_i] = np.maximum(w[self.arc_j], 1e-9)
        agg /= np.maximum(agg.sum(axis=0, keepdims=True), 1e-12)
        self.arc_to_actor = agg
        pagg = np.zeros((P, N))
        pagg[np.arange(P), pa] = np.maximum(w[pb], 1e-9)
        pagg[np.arange(P), pb] = np.maximum(w[pa], 1e-9)
        pagg /= np.maximum(pagg.sum(axis=0, keepdims=True), 1e-12)
        self.pair_to_actor = pagg
        pw = w[pa] * w[pb]
        self.pair_weight = pw / pw.sum() if pw.sum() > 0 else np.full(P, 1.0 / max(P, 1))
        self.rival_w = rivals * w[:, None]
        self.rival_w /= np.maximum(self.rival_w.sum(axis=0, keepdims=True), 1e-12)

        # frontline states and who hosts whose troops
        self.front = np.array([i for i, k in enumerate(self.kinds) if k == "frontline"],
                              dtype=np.intp)
        self.F = len(self.front)
        host = np.zeros((N, max(self.F, 1)))
        fpos = {int(f): k for k, f in enumerate(self.front)}
        for a, act in enumerate(acts):
            for h, share in act.hosts.items():
                if idx[h] in fpos:
                    host[a, fpos[idx[h]]] = share
        self.host = host[:, : self.F]
        self.west = np.array([s == "west" for s in self.sides])
        self.challengers = np.array([k == "challenger" for k in self.kinds])
        self.patrons = np.array([k == "patron" for k in self.kinds])

        # ---- state ---------------------------------------------------------------------------
        def col(fn) -> np.ndarray:
            return np.tile(np.array([float(fn(a)) for a in acts]), (R, 1))

        self.gdp = col(lambda a: a.economy.gdp_usd_bn)
        self.growth = col(lambda a: a.economy.growth_pct_yr)
        self.dependence = col(lambda a: a.economy.energy_dependence)
        self.milex = self.gdp * col(lambda a: a.military.spending_pct_gdp) / 100.0
        ap = self.p["arms"]
        dep_rate = ap["depreciation_pct_yr"] / 100.0
        self.depreciation = dep_rate
        steady = capability.steady_stock(self.milex, ap["procurement_share"], dep_rate)
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
        self.resolve0 = self.resolve.copy()
        self.commit = self.doctrine["commitment"].copy()
        for var, field in POSTURES.items():
            setattr(self, var, col(lambda a, f=field: getattr(a.posture, f)))
        self.baseline = {var: getattr(self, var).copy() for var in (*POSTURES, "ready")}
        self.baseline["commit"] = self.commit.copy()
        self.adjust_step = 1.0 - (1.0 - self.doctrine["responsiveness"]) ** self.months
        self.memory_step = self.doctrine["memory"] ** self.months

        # pair state
        rel_t = np.full(P, 30.0)
        rel_thr = np.full((2 * P,), np.nan)
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
            tr = r.trust[::-1] if flip else r.trust
            rel_tr[k], rel_tr[P + k] = tr
            if r.threat is not None:
                th = r.threat[::-1] if flip else r.threat
                rel_thr[k], rel_thr[P + k] = th
            if r.rung is not None:
                rel_rung[k] = r.rung
        self.tension = np.tile(rel_t, (R, 1))
        self.ac = np.tile(rel_ac, (R, 1))
        self.trust = np.tile(rel_tr, (R, 1))
        self.trust0 = self.trust.copy()
        # pressures and activities needed before the first perception
        self._pressures()
        self._activity()
        self.coop0 = self._cooperation()
        tgt = self._threat_target()
        self.threat = np.where(np.isnan(rel_thr)[None, :], tgt, np.tile(rel_thr, (R, 1)))
        thr = np.array([-np.inf, *self.p["escalation"]["thresholds"], np.inf])
        self.thresholds = thr
        rung0 = ladder.initial_rung(rel_t, np.array(self.p["escalation"]["thresholds"]))
        rung0 = np.where(rel_rung >= 0, rel_rung, rung0).astype(np.int8)
        self.rung = np.tile(rung0, (R, 1))
        self._aggregate()
        self.threat_actor0 = self.threat_actor.copy()
        self.tension_actor0 = self.tension_actor.copy()
        self.rival_activity0 = self.rival_activity.copy()
        self.rival_hybrid0 = self.rival_hybrid.copy()
        self.sanction_pressure0 = self.sanction_pressure.copy()
        self.press0 = {"sfin": self.press_fin.copy(), "sene": self.press_ene.copy(),
                       "sdef": self.press_dfc.copy()}
        # tension calibration constant c_p: initial state is a steady state
        self.tension_offset = self.tension - self._tension_target_raw()
        # Richardson grievance
        g = np.array([np.nan if a.doctrine.grievance == "auto" else float(a.doctrine.grievance)
                      for a in acts])
        auto = richardson.auto_grievance(self.milex, rivals, self.doctrine["reaction"],
                                         self.doctrine["fatigue"])
        self.grievance = np.where(np.isnan(g)[None, :], auto, g[None, :])
        self.milex0 = self.milex.copy()
        # procurement pipeline (lag L steps), prefilled with the steady flow
        lag = int(round(ap["procurement_lag_months"] / self.months))
        flow = ap["procurement_share"] * self.milex * self.dt_years
        self.pipeline = np.repeat(flow[None], lag + 1, axis=0)
        slag = int(round(self.p["sanctions"]["lag_months"] / self.months))
        self.sanc_pipe = np.repeat(np.stack([self.press_fin, self.press_ene, self.press_dfc])[None],
                                   slag + 1, axis=0)
        self.growth_loss0 = (self._growth_loss(self.sanc_pipe[0]) if self.on["sanctions"]
                             else np.zeros((R, N)))
        self.growth_loss = self.growth_loss0.copy()
        self.belief = np.zeros((R, self.F))
        self.margin = np.zeros((R, self.F))
        self.deterrence_shortfall = np.zeros(R)
        if self.F and self.on["deterrence"]:
            self.belief = self._belief_target()
            self._deterrence_margin()
            self.deterrence_shortfall0 = self.deterrence_shortfall.copy()
        else:
            self.deterrence_shortfall0 = np.zeros(R)
        self.incidents = np.zeros((R, P))
        self.impulse = np.zeros((R, P))

        # ---- agents and dated shocks ----------------------------------------------------------
        self.actors = [KIND_CLASSES[a.kind](self, n, i) for i, (n, a) in enumerate(zip(names, acts,
                                                                                       strict=True))]
        self.shock_log: list[dict] = []
        self.shocks = []
        for ev in scenario.events:
            when = parse_date(ev.date)
            offset = (when.year - self.start_date.year) * 12 + when.month - self.start_date.month
            if offset < 0:
                continue
            s = Shock(self, ev)
            self.shocks.append(s)
            self.schedule_event(s.apply, at=offset // self.months + 0.5)
        cap_ev = scenario.outputs.events_max_replicates if events_max_replicates is None \
            else events_max_replicates
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
                self.doctrine[parts[3]][:, idx[parts[1]]] = v
            elif len(parts) == 3 and parts[0] == "submodels" and parts[1] in self.p:
                cur = self.p[parts[1]].get(parts[2])
                if not isinstance(cur, int | float) or isinstance(cur, bool):
                    raise ValueError(f"vary: {path!r} is not a numeric submodel parameter")
                self.p[parts[1]][parts[2]] = np.broadcast_to(v, (self.R,)).reshape(self.R, 1)
            else:
                raise ValueError(f"vary: unsupported path {path!r}; use actors.NAME.doctrine.FIELD "
                                 "or submodels.NAME.FIELD")

    # ---- derived quantities ------------------------------------------------------------------
    def _pressures(self) -> None:
        self.press_fin = sanctions.pressure(self.sfin, self.opp)
        self.press_ene = sanctions.pressure(self.sene, self.opp)
        self.press_dfc = sanctions.pressure(self.sdef, self.opp)
        self.sanction_pressure = (self.press_fin + self.press_ene + self.press_dfc) / 3.0

    def _activity(self) -> None:
        tp = self.p["threat"]
        self.activity = self.ex / tp["exercises_ref"] + self.dep / tp["forces_ref"]

    def _aggregate(self) -> None:
        self.threat_actor = self.threat @ self.arc_to_actor
        self.trust_actor = self.trust @ self.arc_to_actor
        self.tension_actor = self.tension @ self.pair_to_actor
        self.rival_activity = self.activity @ self.rival_w
        self.rival_hybrid = self.hyb @ self.rival_w
        # sanctions pressure on each actor's bloc (for partners: pressure on its side)
        east = ~self.west
        bloc = np.zeros_like(self.sanction_pressure)
        if east.any():
            bloc[:, east] = self.sanction_pressure[:, east].max(axis=1, keepdims=True)
        if self.west.any():
            bloc[:, self.west] = self.sanction_pressure[:, self.west].max(axis=1, keepdims=True)
        self.bloc_pressure = bloc

    def _threat_target(self) -> np.ndarray:
        i, j = self.arc_i, self.arc_j
        return threat_mod.signal(
            self.p["threat"], self.doctrine["threat_sensitivity"][:, i], self.dep[:, j],
            self.ex[:, j], self.cap[:, i], self.cap[:, j], self.strat[:, j], self.hyb[:, j],
            self.dlg[:, j])

    def _cooperation(self) -> np.ndarray:
        sanc = (self.sfin + self.sene + self.sdef) / 3.0
        ac2 = np.concatenate([self.ac, self.ac], axis=1)
        return threat_mod.cooperation(self.dlg[:, self.arc_j], ac2, self.hyb[:, self.arc_j],
                                      sanc[:, self.arc_j])

    def _pair_sanctions(self) -> np.ndarray:
        s = (self.sfin + self.sene + self.sdef) / 3.0
        return 0.5 * (s[:, self.pa] + s[:, self.pb])

    def _tension_target_raw(self) -> np.ndarray:
        P = self.P
        return tension.target(
            self.p["tension"], self.threat[:, :P], self.threat[:, P:],
            self.hyb[:, self.pa] + self.hyb[:, self.pb], self._pair_sanctions(),
            0.5 * (self.trust[:, :P] + self.trust[:, P:]),
            0.5 * (self.dlg[:, self.pa] + self.dlg[:, self.pb]))

    def _belief_target(self) -> np.ndarray:
        R = self.R
        allied = self.dep @ self.host
        west = self.west
        ex_west = self.ex[:, west].sum(axis=1, keepdims=True)
        commit = (self.commit[:, self.patrons].mean(axis=1, keepdims=True)
                  if self.patrons.any() else np.zeros((R, 1)))
        sig_parts = [self.intel[:, west].max(axis=1), self.aid[:, west].max(axis=1)]
        unions = np.array([k == "union" for k in self.kinds])
        if unions.any():
            sig_parts.append(self.commit[:, unions].mean(axis=1))
        signals = np.mean(sig_parts, axis=0)[:, None]
        self.allied = allied
        return deterrence.belief_target(self.p["deterrence"], commit, allied, ex_west, signals,
                                        self.p["threat"]["exercises_ref"])

    def _deterrence_margin(self) -> None:
        dp = self.p["deterrence"]
        own = self.dep[:, self.front]
        chal = self.challengers
        resolve_c = (self.resolve[:, chal].max(axis=1, keepdims=True) if chal.any()
                     else np.zeros((self.R, 1)))
        embolden = 0.0
        if self.p["threat"]["reading"] == "deterrence":
            embolden = self.p["threat"]["reassurance"] * self.dlg[:, self.west].mean(
                axis=1, keepdims=True)
        self.margin = deterrence.margin(dp, self.belief, own, self.allied, resolve_c, embolden)
        self.deterrence_shortfall = np.maximum(-self.margin, 0.0).mean(axis=1)

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
            mem = self.memory_step[:, self.arc_i]
            self.threat = threat_mod.update(self.threat, self._threat_target(), mem)
            rate = 1.0 - (1.0 - tp["trust_rate"]) ** months
            self.trust = threat_mod.update_trust(self.trust, self.trust0, self._cooperation(),
                                                 self.coop0, rate)
        self._aggregate()

        # 2. decide: each actor's rule (agents in scenario order)
        for a in self.actors:
            a.decide()
        self._activity()
        self._pressures()

        # 3. arms dynamics (Richardson) and capability (perpetual inventory)
        if self.on["arms"]:
            ap = self.p["arms"]
            push = ap["threat_coupling"] * self.milex0 * np.maximum(
                self.threat_actor - self.threat_actor0, 0.0)
            drag = (self.doctrine["cost_sensitivity"] * (self.growth_loss - self.growth_loss0)
                    / 100.0 * self.milex)
            x = richardson.step(self.milex, self.rivals, self.doctrine["reaction"],
                                self.doctrine["fatigue"], self.grievance, dty, push, drag)
            self.milex = np.clip(x, 0.0, ap["max_spending_pct"] / 100.0 * self.gdp)
            order = ap["procurement_share"] * self.milex * dty
            if self.on["sanctions"]:
                extra = np.maximum(self.sanc_pipe[0, 2] - self.press0["sdef"], 0.0)
                order = order * (1.0 - self.p["sanctions"]["procurement_penalty"] * extra)
            delivered = self.pipeline[0]
            self.pipeline = np.concatenate([self.pipeline[1:], order[None]], axis=0)
            self.cap, self.strat = capability.step(self.cap, self.strat, delivered, self.cap0,
                                                   self.strategic_share, self.depreciation, dty)

        # 4. sanctions and the economy (Hufbauer-Schott-Elliott)
        if self.on["sanctions"]:
            sp = self.p["sanctions"]
            lagged = self.sanc_pipe[0]
            self.sanc_pipe = np.concatenate(
                [self.sanc_pipe[1:],
                 np.stack([self.press_fin, self.press_ene, self.press_dfc])[None]], axis=0)
            self.growth_loss = self._growth_loss(lagged)
            rise = np.maximum(self.sanction_pressure - self._last_pressure(), 0.0)
            self.resolve = np.clip(self.resolve + sp["rally"] * rise, 0.0, 1.0)
        self._prev_pressure = self.sanction_pressure
        self.gdp = self.gdp * (1.0 + dty * (self.growth - self.growth_loss) / 100.0)

        # 5. deterrence (Kilgour-Zagare) for each frontline state
        if self.F and self.on["deterrence"]:
            dp = self.p["deterrence"]
            m = dp["memory"] ** months
            self.belief = m * self.belief + (1.0 - m) * self._belief_target()
            self._deterrence_margin()

        # 6. diplomacy: protests and arms control
        impulse = np.zeros((self.R, P))
        if self.on["diplomacy"]:
            dpl = self.p["diplomacy"]
            prot = diplomacy.protests(self.threat - prev_threat, dpl["protest_threshold"])
            n_prot = prot[:, :P].astype(float) + prot[:, P:]
            impulse = impulse + dpl["protest_impulse"] * n_prot
            self.recorder.protests(prot)
            dlg_p = 0.5 * (self.dlg[:, self.pa] + self.dlg[:, self.pb])
            self.ac = diplomacy.arms_control(self.ac, dlg_p, self.tension, dpl, months)

        # 7. incidents (Schelling)
        if self.on["incidents"]:
            ip = self.p["incidents"]
            dlg_p = 0.5 * (self.dlg[:, self.pa] + self.dlg[:, self.pb])
            lam = incidents.rate(ip, self.activity[:, self.pa], self.activity[:, self.pb],
                                 self.ready[:, self.pa] + self.ready[:, self.pb],
                                 self.hyb[:, self.pa] + self.hyb[:, self.pb], dlg_p, self.ac,
                                 months)
            low, ser, high = incidents.draw(self.rng_incidents, lam, ip["p_serious"],
                                            ip["p_high_risk"])
            imp = ip["impulse"]
            impulse = impulse + imp[0] * low + imp[1] * ser + imp[2] * high
            self.incidents = (low + ser + high).astype(float)
            self.recorder.incidents(low, ser, high)
        else:
            high = np.zeros((self.R, P))
            self.incidents = np.zeros((self.R, P))

        # 8. tension
        relax = 1.0 - (1.0 - self.p["tension"]["relaxation"]) ** months
        tgt = np.clip(self._tension_target_raw() + self.tension_offset, 0.0, 100.0)
        self.tension = tension.step(self.tension, tgt, relax, impulse + self.impulse)
        self.impulse = np.zeros((self.R, P))

        # 9. escalation ladder (Kahn) with miscalculation
        if self.on["escalation"]:
            ep = self.p["escalation"]
            old = self.rung
            new = ladder.step(self.rung, self.tension, self.thresholds, ep["hysteresis"])
            if self.on["incidents"]:
                u = self.rng_ladder.random(new.shape)
                new, self.tension = ladder.miscalculate(new, self.tension, high, self.thresholds,
                                                        ep["miscalculation"], u)
            self.rung = new
            self.recorder.rungs(old, new)

        # 10. external factors: commitment and cohesion return to doctrine
        if self.on["external"]:
            rec = 1.0 - (1.0 - self.p["external"]["commitment_recovery"]) ** months
            self.commit = self.commit + rec * (self.baseline["commit"] - self.commit)

        self._aggregate()
        self.recorder.record()

    def _growth_loss(self, lagged: np.ndarray) -> np.ndarray:
        # a partner's partnership counts for the whole bloc (the best partner offsets)
        same = 1.0 - self.opp
        partnership = np.maximum(self.part @ same / np.maximum(same.sum(0), 1.0), self.part)
        return sanctions.growth_loss(self.p["sanctions"], (lagged[0], lagged[1], lagged[2]),
                                     self.sene, self.dependence, np.clip(partnership, 0.0, 1.0))

    def _last_pressure(self) -> np.ndarray:
        return getattr(self, "_prev_pressure", self.sanction_pressure0)

    # ---- derived outputs ---------------------------------------------------------------------
    @property
    def spending_pct(self) -> np.ndarray:
        """Defence spending, % of GDP, (R, N)."""
        return 100.0 * self.milex / self.gdp

    @property
    def tension_index(self) -> np.ndarray:
        """Overall NATO-Russia tension index (weighted mean over pairs), (R,)."""
        return self.tension @ self.pair_weight

    def date_of(self, step: int) -> dt.date:
        """Date at the end of ``step`` (step 0 is the start)."""
        return add_months(self.start_date, step * self.months)

    def run(self, steps: int) -> None:
        """Advance ``steps`` steps, processing dated shocks between them."""
        for _ in range(steps):
            self.step()
        self.recorder.finish()
