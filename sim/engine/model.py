"""The Mesa model: every replicate advanced at once, state in NumPy arrays, replicate axis last.

One :class:`FlashpointModel` is one Mesa ``Model`` holding R replicates. Each actor is one Mesa
``Agent`` (its class is its kind) whose state is row ``agent.i`` of the (N, R) arrays of
:class:`~sim.engine.state.State`; pairs live in (P, R) arrays, ordered arcs in (2P, R), frontline
states in (F, R). Who interacts is the frozen :class:`~sim.engine.topology.Topology`; parameters are
the typed :class:`~sim.engine.params.Params` (each submodel's a named tuple of (R,) arrays, built
once a run) and the per-step :class:`~sim.kernels.parameters.Rates` derived from them. The
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

from ..kernels.parameters import Rates
from ..scenario.errors import SimulationError
from ..scenario.schema import Scenario, add_months, parse_date
from ..submodels import streams
from ..submodels.shocks import Shock
from . import phases
from .agents import KIND_CLASSES
from .equilibrium import Equilibrium, equilibrium
from .params import Params, rates
from .phases import PHASES, StepValues
from .recorder import Collector, Recorder, default_model_reporters
from .topology import Topology


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


def _with_unfitted_draws(sc: Scenario, members: tuple[dict[str, float], ...],
                         drawn: dict[str, Any], replicate_ids: np.ndarray,
                         given: dict[str, Any]) -> dict[str, Any]:
    """The ensemble's values with each replicate's member's draw of every other prior.

    Replicate r takes member m = r mod k and the constants the calibration did not fit drawn
    as member m's accepted simulation drew them (its (seed, replicate),
    :func:`sim.calibration.priors.draw`), through the joint rules (``world``), so the run
    simulates the world the fit accepted; the scenario's own choices are not drawn.
    """
    from .params import with_unfitted

    origin = np.asarray(sc.calibrated_on.draws, dtype=np.uint64)[
        replicate_ids % np.uint64(len(members))]
    # a value of the wrong shape or type is the model's to refuse later (Params.build), with its
    # own message; only well-formed ones are held where a rule binds
    held = {}
    for path, value in given.items():
        try:
            array = np.asarray(value, dtype=float)
        except (TypeError, ValueError):
            continue
        if array.shape in ((), (len(replicate_ids),)):
            held[path] = array
    return with_unfitted(sc, drawn, origin, held)


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
            if sc.calibrated_on.draws:  # and the constants it did not fit, as its fit drew them
                drawn = _with_unfitted_draws(sc, members, drawn, self.replicate_ids,
                                             {**(vary or {}), **(levers or {})})
        # the world: the ensemble's members and the varied uncertainties, for run and reference
        misplaced = [p for p in (vary or {}) if ".posture." in p]
        if misplaced:
            import warnings

            warnings.warn(f"{misplaced[0]} is a lever (sim.parameter_space marks it so) but was "
                          "given in vary=: as part of the world the reference shares, its effect "
                          "is calibrated away; pass choices in levers=", UserWarning, stacklevel=2)
        self.structure_vary = {**drawn, **(vary or {})}
        self.levers = dict(levers or {})
        vary = {**{k: v for k, v in drawn.items() if k not in sc.calibrated_on.chosen_paths},  # a what-if's
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
        self.rates = rates(params, self.months, topo.challengers)
        self.on = {k: getattr(sc.submodels, k).enabled for k in
                   ("threat", "arms", "deterrence", "escalation", "incidents", "sanctions",
                    "diplomacy", "external")}
        self.phases = [ph for ph in PHASES if ph.switch is None or self.on[ph.switch]]
        self._adopt(self._equilibrium(sc, params, self.rates))
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
    def _equilibrium(self, sc: Scenario, params: Params, rates: Rates) -> Equilibrium:
        """The calibrated starting state of ``sc`` on this run's topology (a pure function's)."""
        return equilibrium(sc, params, rates, self.topology, self.on, self.months,
                           self.front_active)

    def _adopt(self, eq: Equilibrium) -> None:
        """Take a scenario's calibrated starting state as this run's."""
        self.state = eq.state
        self.thresholds = eq.thresholds
        self.capability_reference = eq.capability_reference
        self.tension_offset = eq.tension_offset
        self.auto_grievance = eq.auto_grievance
        self.grievance = eq.grievance
        self.previous_pressure = eq.previous_pressure
        self.procurement_delay = eq.procurement_delay
        self.sanctions_delay = eq.sanctions_delay

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
        # the reference shares the run's world (each replicate's calibrated ensemble member and
        # the varied uncertainties) but not its choices
        structure = {k: v for k, v in self.structure_vary.items()
                     if not k.startswith("actors.") or k.split(".")[1] in reference.actors}
        ref_params = Params.build(reference, self.R, structure)
        held = self._equilibrium(reference, ref_params,
                                 rates(ref_params, self.months, self.topology.challengers))
        st, ref = self.state, held.state
        self.tension_offset = held.tension_offset
        # the capability that exists at the start is the reference's (a what-if's spending builds
        # on it over time), unless the what-if gives a stock; forces' quality is relative to it
        given = self.params.actor_values(self.spec, "military", "capability_usd_bn", -1.0)
        st.capability_usd_bn = np.where(given >= 0, st.capability_usd_bn, ref.capability_usd_bn)
        st.strategic = np.where(given >= 0, st.strategic, ref.strategic)
        self.capability_reference = held.capability_reference
        # Richardson grievance: a number in the what-if is its own (a lever); 'auto' makes the
        # reference's spending the steady path under the reference's doctrine
        own = self.params.doctrine.grievance
        self.grievance = np.where(np.isnan(own), held.auto_grievance, np.nan_to_num(own))
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

    def set_parameters(self, values: dict[str, Any]) -> None:
        """Change parameters between steps, as a Mesa user or an interactive page does.

        ``values`` maps ``vary`` paths (:func:`sim.parameter_space`) to a number or an (R,)
        array, checked as ``vary`` is (bounds, joint rules). The parameters and the per-step
        rates derived from them are rebuilt; the calibrated equilibrium and the state are kept,
        so the change acts from the next step on. The parameters themselves are read-only named
        tuples: assigning to one raises instead of being silently ignored.

        Raises:
            ValueError: an unknown path, or a value outside the schema's bounds.
        """
        self.vary = {**self.vary, **values}
        self.params = Params.build(self.spec, self.R, self.vary)
        self.rates = rates(self.params, self.months, self.topology.challengers)

    # ---- derived outputs ---------------------------------------------------------------------
    @property
    def tension_index(self) -> np.ndarray:
        """Overall tension index (weighted mean over the active pairs), (R,)."""
        return self.pair_weight @ self.state.tension

    def _months_after_start(self, date: str) -> int:
        when = parse_date(date)
        return (when.year - self.start_date.year) * 12 + when.month - self.start_date.month

    def _update_active(self) -> None:
        """Recompute what depends on which actors are active: the frontline members, the deciders."""
        topo = self.topology
        self.pair_weight = topo.pair_weight  # fixed by the scenario: membership moves no weight
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
