"""The Mesa model: every replicate advanced at once, state in NumPy arrays, replicate axis last.

One :class:`FlashpointModel` is one Mesa ``Model`` holding R replicates. Each actor is one Mesa
``Agent`` (its class is its kind) whose state is row ``agent.i`` of the (N, R) arrays of
:class:`~sim.engine.state.State`; pairs live in (P, R) arrays, ordered arcs in (2P, R), frontline
states in (F, R). Who interacts is the frozen :class:`~sim.engine.topology.Topology`; parameters are
the typed :class:`~sim.engine.params.Params`, any real-valued one a scalar or an (R,) array. The
step is the ordered list of phases in :mod:`sim.engine.phases`. Dated shocks are Mesa events
(``Model.schedule_event``) at half steps, so they fall between two steps. Randomness: one root seed.
Every draw of the incidents, the escalation ladder and the challenger's decisions is a pure
function of that seed, the replicate's number in the experiment (``replicate_ids``), a named
stream and the step (:mod:`sim.submodels.streams`: Philox4x32-10), so a replicate draws the same
numbers in any batch; Mesa's ``rng`` (which shuffles nothing here, agents acting in scenario
order) comes from ``numpy.random.SeedSequence(seed)``; the global NumPy RNG is never used.

Calibration at t = 0 makes the starting state a steady state (ODD section 5): Richardson grievance
``auto``, capability at its steady stock, perceived threat at its target, the tension offset c_p;
the decision rules respond to changes since then (``state.initial``).
"""

from __future__ import annotations

import datetime as dt
from pathlib import Path
from typing import Any

import mesa
import numpy as np
from mesa.experimental.scenarios import Scenario as MesaScenario

from ..scenario.errors import SimulationError
from ..scenario.schema import Scenario, add_months, parse_date
from ..submodels import capability, ladder, richardson, streams
from ..submodels.shocks import Shock
from ..variables import POLICY, POSTURES
from . import phases
from .agents import KIND_CLASSES
from .params import Params
from .phases import PHASES, StepValues
from .recorder import Collector, Recorder, default_model_reporters
from .state import State
from .topology import Topology


class DelayLine:
    """A fixed delay of ``lag`` steps: a ring of the arrays pushed (held, never copied).

    The arrays are kept as they were pushed and handed back ``lag`` steps later, the initial
    one ``lag`` times: neither the line nor what comes out of it may be changed in place (the
    phases push new arrays each step and only read what comes out).
    """

    def __init__(self, initial: np.ndarray, lag: int) -> None:
        self.lag = lag
        self.buf = [initial] * max(lag, 1)
        self.pos = 0

    def peek(self) -> np.ndarray:
        """What comes out at the next push."""
        return self.buf[self.pos]

    def push(self, value: np.ndarray) -> np.ndarray:
        """Put ``value`` in and return what was put in ``lag`` steps ago (``value`` if lag 0)."""
        if self.lag == 0:
            return value
        out = self.buf[self.pos]
        self.buf[self.pos] = value
        self.pos = (self.pos + 1) % self.lag
        return out


def _as_scenario(scenario: Scenario | str | Path) -> Scenario:
    if isinstance(scenario, Scenario):
        return scenario
    from ..scenario.loader import load_scenario

    return load_scenario(scenario)


class SCENARIO_SEED:  # noqa: N801 - a sentinel, used as a value
    """``seed``'s default: the scenario's own seed (a run is reproducible unless asked not to be)."""


class MesaRun(MesaScenario):
    """Mesa's scenario object of a flashpoint run (``model.scenario``, Mesa 3.5).

    Mesa keeps its own ``Scenario`` on every model and rebuilds it when a SolaraViz page resets
    the model (``type(model.scenario)()``, its class defaults only). So each flashpoint scenario
    gets a subclass whose class default ``flashpoint`` is that scenario (:func:`mesa_run_class`):
    a reset rebuilds the same run. ``FlashpointModel(scenario=MesaRun(flashpoint="baseline",
    rng=7))`` is accepted too.
    """

    flashpoint: Any = "baseline"


_MESA_RUN_CLASSES: dict[int, type[MesaRun]] = {}


def mesa_run_class(spec: Scenario) -> type[MesaRun]:
    """The :class:`MesaRun` subclass whose default ``flashpoint`` is ``spec`` (one a scenario)."""
    found = _MESA_RUN_CLASSES.get(id(spec))
    if found is None or found.flashpoint is not spec:
        found = type("MesaRun", (MesaRun,), {"__annotations__": {"flashpoint": Any},
                                              "flashpoint": spec, "__module__": __name__})
        _MESA_RUN_CLASSES[id(spec)] = found
    return found


def root_seed(rng: Any) -> int:
    """A root seed from Mesa's ``rng`` forms: an int, a SeedSequence, a Generator, None (fresh)."""
    if isinstance(rng, int | np.integer) and not isinstance(rng, bool):
        return int(rng)
    if isinstance(rng, np.random.SeedSequence):
        return int(rng.generate_state(2, np.uint64)[0] >> 1)
    generator = rng if isinstance(rng, np.random.Generator) else np.random.default_rng(rng)
    return int(generator.integers(0, 2**63 - 1))


class FlashpointModel(mesa.Model):
    """R replicates of one scenario, advanced together.

    Args:
        scenario: a validated :class:`Scenario`, a scenario file's path or a bundled scenario's
            name (default ``"baseline"``); or Mesa's scenario object (:class:`MesaRun`, whose
            ``flashpoint``, ``replicates`` and ``rng`` are taken).
        replicates: R (default: the scenario's).
        seed: the root seed (default: the scenario's); ``None``, as Mesa's ``batch_run`` passes
            for each of its ``iterations``, draws a fresh one (recorded in ``model.seed``).
        rng: Mesa's way to seed a model: an int (the root seed), a ``SeedSequence`` or a
            ``Generator`` (a root seed drawn from it); give ``seed`` or ``rng``, not both.
        vary: the world varying across replicates (uncertainties), ``{path: array of shape
            (R,)}``, any path of :func:`sim.parameter_space` (submodels, actors' economy,
            military, posture and doctrine, relations): structure, which the run and its
            reference (its calibrated equilibrium) both take.
        levers: choices varying across replicates (policy levers), the same paths: measured
            against the scenario's reference - the scenario as written when it is its own - as
            ``--set`` is, so they are not calibrated away.
        record: ``"quantiles"`` (per-step percentiles), ``"full"`` (every replicate) or
            ``"summary"`` (summary statistics only, for sweeps).
        events_max_replicates: replicates whose per-replicate events are kept.
        keep_series: series kept for every replicate and step whatever ``record`` is
            (``recorder.kept``), by name (:func:`sim.series_names`).
        model_reporters: Mesa ``DataCollector`` model reporters (default: the replicate means of
            the tension index and of each pair's tension and rung).
        agent_reporters: Mesa ``DataCollector`` agent reporters (default: none).

    Attributes:
        state: the :class:`State` (``state.initial`` is t = 0).
        topology: the :class:`Topology`.
        params: the :class:`Params`.
        recorder: what the run keeps (time series, summary statistics, events).
        datacollector: Mesa's ``DataCollector``, collecting after every step.
    """

    def __init__(self, scenario: Scenario | str | Path | MesaScenario = "baseline",
                 replicates: int | None = None,
                 seed: int | None | type[SCENARIO_SEED] = SCENARIO_SEED,
                 vary: dict[str, Any] | None = None,
                 levers: dict[str, Any] | None = None,
                 record: str = "quantiles", events_max_replicates: int | None = None,
                 model_reporters: dict | None = None, agent_reporters: dict | None = None,
                 keep_series: list[str] | tuple[str, ...] = (), rng: Any = None,
                 replicate_ids: Any = None) -> None:
        if isinstance(scenario, MesaScenario):  # Mesa's own scenario object (Mesa 3.5)
            if rng is None:
                rng = scenario.rng
            if replicates is None and getattr(scenario, "replicates", None) is not None:
                replicates = scenario.replicates
            scenario = getattr(scenario, "flashpoint", "baseline")
        sc = _as_scenario(scenario)
        if rng is not None:  # Mesa's convention: rng seeds the run (an int is the root seed)
            if seed not in (SCENARIO_SEED, None):
                raise ValueError("give seed or rng, not both")
            seed = root_seed(rng)
        elif seed is SCENARIO_SEED:
            seed = sc.seed
        elif seed is None:  # Mesa's batch_run passes None for each iteration: fresh entropy
            seed = root_seed(None)
        else:
            seed = int(seed)
        R = sc.replicates if replicates is None else int(replicates)
        if R < 1:
            raise ValueError("replicates must be >= 1")
        ids = np.arange(R, dtype=np.uint64) if replicate_ids is None else \
            np.asarray(replicate_ids)
        if ids.shape != (R,) or ids.dtype.kind not in "iu" or (ids < 0).any():
            raise ValueError(f"replicate_ids must be {R} whole numbers >= 0")
        self.replicate_ids = np.ascontiguousarray(ids, dtype=np.uint64)
        self.key = streams.key_of(seed)  # every draw: (key, replicate, stream, step, index)
        (mesa_stream,) = np.random.SeedSequence(seed).spawn(1)
        super().__init__(rng=np.random.default_rng(mesa_stream))
        self.scenario = mesa_run_class(sc)(rng=seed)  # Mesa's; a SolaraViz reset rebuilds sc
        self.spec = sc
        self.R = R
        self.seed = seed
        self.months = sc.time_step_months
        self.dt_years = self.months / 12.0
        self.start_date = parse_date(sc.start).replace(day=1)
        self.last_step = sc.steps
        members = sc.ensemble_members
        # the calibrated structure each replicate draws (the reference draws it too)
        drawn: dict[str, Any] = {}
        if members:  # replicates draw their parameters from the calibration's ensemble
            from ..calibration.shipped import ensemble_vary

            drawn = ensemble_vary(members, self.replicate_ids, set(sc.actors))
        # the world: the ensemble's members and the varied uncertainties, for run and reference
        misplaced = [p for p in (vary or {}) if ".posture." in p]
        if misplaced:
            import warnings

            warnings.warn(f"{misplaced[0]} is a lever (sim.parameter_space marks it so) but was "
                          "given in vary=: as part of the world the reference shares, its effect "
                          "is calibrated away; pass choices in levers=", UserWarning, stacklevel=2)
        self.structure_vary = {**drawn, **(vary or {})}
        self.levers = dict(levers or {})
        vary = {**{k: v for k, v in drawn.items() if k not in sc._chosen_paths},  # a what-if's
                **(vary or {}), **self.levers}                                  # own choice
        self.vary = vary
        self.topology = topo = Topology.from_scenario(sc)
        # each pair's incidents and ladder, and the challenger's decisions, draw from streams
        # named after them: an added actor changes no other pair's numbers
        self.incident_streams = np.array([streams.stream_id(f"incidents:{p}")
                                          for p in topo.pair_names], dtype=np.uint64)
        self.ladder_streams = np.array([streams.stream_id(f"ladder:{p}")
                                        for p in topo.pair_names], dtype=np.uint64)
        self.decision_stream = streams.stream_id("decisions")
        self.active = np.ones(topo.N, dtype=bool)  # accessions switch actors on (Accession)
        self.front_active = self.active[topo.front]
        self.pair_weight = topo.pair_weight
        self.params = params = Params.build(sc, R, vary)
        self.on = {k: getattr(sc.submodels, k).enabled for k in
                   ("threat", "arms", "deterrence", "escalation", "incidents", "sanctions",
                    "diplomacy", "external")}
        self.phases = [ph for ph in PHASES if ph.switch is None or self.on[ph.switch]]
        self.state = self._initial_state(sc, params, topo)
        reference = calibration_reference(sc)
        if reference is None and sc.reference != "self" and self.levers:
            # choices varied along the replicate axis (a sweep's levers) are measured against
            # the scenario as written, as --set is, instead of being calibrated away
            reference = sc
        if reference is not None:
            self._calibrate_on(reference)

        for i, (name, spec) in enumerate(sc.actors.items()):
            KIND_CLASSES[spec.kind](self, name, i)  # registered in self.agents (Mesa keeps them)
        self.accessions = []
        for i, spec in enumerate(sc.actors.values()):
            if spec.joins is None:
                continue
            offset = self._months_after_start(spec.joins)
            if offset < 0:
                continue
            self.active[i] = False
            accession = Accession(self, i)
            self.accessions.append(accession)  # Mesa holds event callbacks weakly
            self.schedule_event(accession.apply, at=offset // self.months + 0.5)
        self._update_active()
        self.shocks = []
        for ev in sc.events:
            offset = self._months_after_start(ev.date)
            if offset < 0:
                continue
            shock = Shock(self, ev)
            self.shocks.append(shock)  # Mesa holds event callbacks weakly
            self.schedule_event(shock.apply, at=offset // self.months + 0.5)
        cap_ev = (sc.outputs.events_max_replicates if events_max_replicates is None
                  else events_max_replicates)
        if not isinstance(cap_ev, int | np.integer) or cap_ev < 0:
            raise ValueError(f"events_max_replicates must be a whole number >= 0, not {cap_ev!r}")
        self.recorder = Recorder(self, mode=record, events_replicates=min(cap_ev, R),
                                 keep_series=keep_series)
        self.recorder.record()
        self.datacollector = Collector(
            model_reporters=default_model_reporters(topo) if model_reporters is None
            else model_reporters,
            agent_reporters=agent_reporters or {})
        self.datacollector.collect(self)

    # ---- t = 0 -------------------------------------------------------------------------------
    def _initial_state(self, sc: Scenario, params: Params, topo: Topology) -> State:
        R, P = self.R, topo.P

        def actor(section: str, name: str, default: float = np.nan) -> np.ndarray:
            return params.actor_values(sc, section, name, default)

        gdp = actor("economy", "gdp_usd_bn")
        milex = gdp * actor("military", "spending_pct_gdp") / 100.0
        ap = params.arms
        self.depreciation = ap.depreciation_pct_yr / 100.0
        steady = capability.steady_stock(milex, ap.procurement_share, self.depreciation)
        given = actor("military", "capability_usd_bn", -1.0)
        cap = np.where(given >= 0, given, steady)
        share = actor("posture", "strategic_share")
        has_spending = actor("military", "spending_pct_gdp") > 0
        strategic = np.where(np.isnan(actor("military", "strategic")),
                             np.where(has_spending, share, 0.0), actor("military", "strategic"))
        # pairs: relations' values where listed, defaults elsewhere
        listed = {frozenset(r.between): r for r in sc.relations}
        tension = np.full((P, R), 30.0)
        arms_control = np.full((P, R), 0.5)
        trust = np.full((2 * P, R), 0.3)
        threat_given = np.full((2 * P, R), np.nan)
        rung_given = np.full(P, -1)
        for k, (a, b) in enumerate(topo.pairs):
            rel = listed.get(frozenset((topo.names[a], topo.names[b])))
            if rel is None:
                continue
            flip = topo.names[a] != rel.between[0]
            tension[k] = params.relation_value(rel.between, "tension", rel.tension)
            arms_control[k] = params.relation_value(rel.between, "arms_control", rel.arms_control)
            trust[k], trust[P + k] = rel.trust[::-1] if flip else rel.trust
            if rel.threat is not None:
                threat_given[k], threat_given[P + k] = rel.threat[::-1] if flip else rel.threat
            if rel.rung is not None:
                rung_given[k] = rel.rung
        posture = {name: actor("posture", name) for name in POSTURES}
        F = topo.F
        st = State(
            gdp_usd_bn=gdp, growth_pct_yr=actor("economy", "growth_pct_yr"),
            energy_dependence=actor("economy", "energy_dependence"), milex_usd_bn=milex,
            capability_usd_bn=cap, strategic=strategic, strategic_share=share,
            pledge_pct_gdp=actor("military", "pledge_pct_gdp"),
            mobilisation=actor("military", "mobilisation"),
            readiness=actor("military", "readiness"), resolve=actor("military", "resolve"),
            commitment=params.doctrine.commitment.copy(), **posture,
            tension=tension, arms_control=arms_control, rung=np.zeros((P, R), dtype=np.int8),
            incidents=np.zeros((P, R)), tension_impulse=np.zeros((P, R)),
            perceived_threat=np.zeros((2 * P, R)), trust=trust,
            article5_belief=np.zeros((F, R)), deterrence_margin=np.zeros((F, R)),
            allied_troops=np.zeros((F, R)), deterrence_shortfall=np.zeros(R))
        st.policy = {name: getattr(st, name).copy() for name in POLICY}
        self.state = st
        doc = params.doctrine
        self.adjust_step = 1.0 - (1.0 - doc.responsiveness) ** self.months
        self.memory_step = doc.memory ** self.months
        self.capability_reference = np.maximum(cap.copy(), 1e-9)
        # derived quantities at the start; threat at its target unless a relation gives it
        phases.update_pressures(self)
        phases.update_activity(self)
        st.cooperation = phases.cooperation(self)
        st.perceived_threat = np.where(np.isnan(threat_given), phases.threat_target(self),
                                       np.nan_to_num(threat_given))
        self.thresholds = np.array([-np.inf, *params.escalation.thresholds, np.inf])
        rung0 = np.minimum(ladder.initial_rung(tension, np.array(params.escalation.thresholds)),
                           phases.BY_DECISION - 1)  # armed conflict only if a relation says so
        st.rung = np.where(rung_given[:, None] >= 0, rung_given[:, None], rung0).astype(np.int8)
        phases.aggregate(self)
        self.previous_pressure = st.sanctions_pressure.copy()
        # tension calibration constant c_p: the initial state is a steady state
        self.tension_offset = st.tension - phases.tension_target_raw(self)
        # delay lines: procurement, prefilled with the steady flow; sanctions
        flow = ap.procurement_share * milex * self.dt_years
        self.procurement_delay = DelayLine(flow, int(round(ap.procurement_lag_months / self.months)))
        self.sanctions_delay = DelayLine(phases.sanctions_stack(self),
                                         int(round(params.sanctions.lag_months / self.months)))
        st.growth_loss = (phases.growth_loss(self, self.sanctions_delay.peek())
                          if self.on["sanctions"] else np.zeros_like(gdp))
        # Richardson grievance: 'auto' (NaN here) makes the initial share of GDP the steady path
        # at the economy's net growth (trend less what sanctions cost)
        self.auto_grievance = richardson.auto_grievance(
            milex, topo.rivals, doc.reaction, doc.fatigue,
            (st.growth_pct_yr - st.growth_loss) / 100.0)
        self.grievance = np.where(np.isnan(doc.grievance), self.auto_grievance,
                                  np.nan_to_num(doc.grievance))
        if F and self.on["deterrence"]:
            st.article5_belief = phases.belief_target(self)
            phases.deterrence_margin(self)
        st.initial = st.snapshot()
        return st

    def _calibrate_on(self, reference: Scenario) -> None:
        """Take the calibrated equilibrium from the reference's starting state (ODD section 5).

        The reference runs through the same initialisation with its own parameters, the run's
        varied world (``vary``) and each replicate's member of the calibration's ensemble, not
        the run's choices (``levers``, ``--set``, a what-if's own values); its
        tension offsets, Richardson grievances, perceived threats, Article 5
        beliefs and whole starting state (``state.initial``, what the decision rules compare
        with) replace this scenario's own, so that a what-if's changes move it away from the
        reference instead of being re-calibrated away.
        """
        holder = _Calibration(self)
        # the reference shares the run's world (each replicate's calibrated ensemble member and
        # the varied uncertainties) but not its choices
        structure = {k: v for k, v in self.structure_vary.items()
                     if not k.startswith("actors.") or k.split(".")[1] in reference.actors}
        holder.params = Params.build(reference, self.R, structure)
        holder.state = holder._initial_state(reference, holder.params, self.topology)
        st, ref = self.state, holder.state
        self.tension_offset = holder.tension_offset
        # Richardson grievance: a number in the what-if is its own (a lever); 'auto' makes the
        # reference's spending the steady path under the reference's doctrine
        own = self.params.doctrine.grievance
        self.grievance = np.where(np.isnan(own), holder.auto_grievance, np.nan_to_num(own))
        self.previous_pressure = ref.sanctions_pressure.copy()
        st.perceived_threat = ref.perceived_threat.copy()
        st.article5_belief = ref.article5_belief.copy()
        phases.aggregate(self)
        if self.topology.F and self.on["deterrence"]:
            phases.deterrence_margin(self)
        st.initial = ref.snapshot()

    # ---- the step ----------------------------------------------------------------------------
    def step(self) -> None:
        """Advance every replicate by one time step (Mesa's ``steps`` counts them)."""
        values = StepValues(previous_threat=self.state.perceived_threat)
        for phase in self.phases:
            phase.run(self, values)
        self.datacollector.collect(self)
        if self.steps >= self.last_step:
            self.running = False

    # ---- derived outputs ---------------------------------------------------------------------
    @property
    def tension_index(self) -> np.ndarray:
        """Overall tension index (weighted mean over the active pairs), (R,)."""
        return self.pair_weight @ self.state.tension

    def _months_after_start(self, date: str) -> int:
        when = parse_date(date)
        return (when.year - self.start_date.year) * 12 + when.month - self.start_date.month

    def _update_active(self) -> None:
        """Recompute what depends on which actors are active: the index weights, the deciders."""
        topo = self.topology
        w = topo.weight * self.active
        pw = w[topo.pair_a] * w[topo.pair_b]
        self.pair_weight = pw / pw.sum() if pw.sum() > 0 else topo.pair_weight
        self.front_active = self.active[topo.front]
        self.deciders = self.agents.select(lambda agent: bool(self.active[agent.i]))

    def apply_event(self, event: Any) -> list[str]:
        """Apply a scenario event now, between two steps, as a dated event at this step would be.

        What an interactive page's "invasion now" button does. The event is validated by the
        scenario schema (an ``Event`` or its mapping; its ``date`` is ignored); an effect whose
        target this scenario does not have (an actor or pair it lacks) is skipped and returned.

        Returns:
            The skipped effects, each as ``target: reason``.

        Raises:
            pydantic.ValidationError: the event breaks the schema.
        """
        from ..scenario.loader import effect_problem
        from ..scenario.schema import Event

        data = event.model_dump() if isinstance(event, Event) else dict(event)
        data["date"] = self.date_of(self.steps).isoformat()
        ev = Event.model_validate(data)
        keep, skipped = [], []
        for eff in ev.effects:
            found = effect_problem(eff, self.spec, self.topology)
            if found:
                skipped.append(f"{eff.target}: {found[1]}")
            else:
                keep.append(eff)
        shock = Shock(self, ev.model_copy(update={"effects": keep}))
        self.shocks.append(shock)  # Mesa holds event callbacks weakly
        shock.apply()
        return skipped

    def check_finite(self) -> None:
        """Raise :class:`SimulationError` if any state array holds NaN or inf.

        Inputs are bounded so that this should never happen; the check keeps a model error from
        ever reaching an output file as empty cells or nulls.
        """
        for name, arr in self.state.arrays().items():
            if arr.size and not np.isfinite(arr).all():
                raise SimulationError(
                    f"the run produced non-finite values in {name} by step {self.steps}: the "
                    "scenario's values are outside what the model handles")

    def date_of(self, step: int) -> dt.date:
        """Date at the end of ``step`` (step 0 is the start)."""
        return add_months(self.start_date, step * self.months)

    def run(self, steps: int | None = None, progress: bool = False) -> None:
        """Advance ``steps`` steps (default: to the scenario's last), processing dated shocks.

        Args:
            steps: number of steps.
            progress: show a tqdm progress bar on standard error.
        """
        steps = self.last_step - self.steps if steps is None else steps
        it = range(steps)
        if progress:
            from tqdm.auto import tqdm

            it = tqdm(it, unit="step", desc=self.spec.name, leave=False)
        for _ in it:
            self.run_for(1)


class _Calibration:
    """Holds a reference scenario's initialisation (the attributes the phases read)."""

    _initial_state = FlashpointModel._initial_state

    def __init__(self, model: FlashpointModel) -> None:
        self.R = model.R
        self.months = model.months
        self.dt_years = model.dt_years
        self.on = model.on
        self.topology = model.topology
        self.front_active = model.front_active
        self.params: Params | None = None


def calibration_reference(scenario: Scenario) -> Scenario | None:
    """The scenario whose starting state calibrates ``scenario``, on ``scenario``'s actors.

    Actors of both take the reference's economy, military, posture and doctrine; an actor only
    the what-if has keeps its own. Kinds, sides, weights and hosts (the topology) are the
    what-if's; so are relations the reference does not list. Submodels are the what-if's: they
    are the model's structure, recalibrated at the reference's postures, while postures, doctrine,
    economy and forces are choices measured against the reference. Returns None when the
    scenario is its own reference.
    """
    ref = scenario.reference_scenario
    if ref is None:
        return None
    actors = {}
    for name, actor in scenario.actors.items():
        other = ref.actors.get(name)
        actors[name] = actor if other is None else actor.model_copy(update={
            "economy": other.economy, "military": other.military, "posture": other.posture,
            "doctrine": other.doctrine})
    listed = {frozenset(r.between): r for r in ref.relations}
    relations = [listed.get(frozenset(r.between), r) for r in scenario.relations]
    return scenario.model_copy(update={"actors": actors, "relations": relations})


class Accession:
    """An actor joining mid-run (``joins:``), applied as a Mesa event."""

    def __init__(self, model: FlashpointModel, index: int) -> None:
        self.model = model
        self.index = index

    def apply(self) -> None:
        """Switch the actor on and log the accession."""
        m = self.model
        m.active[self.index] = True
        m._update_active()
        m.recorder.shock(f"{m.topology.names[self.index]} joins", "accession", undo=False)
