"""Parameters of a run, typed, any real-valued one a scalar or an array along the replicate axis.

The submodel parameters are the schema's own classes (:mod:`sim.scenario.schema`) copied with
(R,) arrays where a parameter varies across replicates, so ``params.threat.forces_ref`` reads the
same whether it is one number or R of them; doctrine is the schema's ``Doctrine`` with an (N, R)
array per field. Actor fields of the starting state (economy, military, posture) are (N, R) arrays
built by :meth:`Params.actor_values`.

``vary`` paths (``run(..., vary={path: array})``):

* ``submodels.NAME.FIELD`` — any real-valued submodel parameter;
* ``actors.NAME.SECTION.FIELD`` — SECTION ``economy``, ``military``, ``posture`` or ``doctrine``;
* ``relations.A-B.FIELD`` — a relation's ``tension`` or ``arms_control``.

:func:`parameter_space` lists every such path with the schema's bounds, as a SALib problem.
Structure stays fixed per run: actor kinds, sides, weights and hosts (they define the topology),
switches, the theory reading, lags in months and the ladder's thresholds.
"""

from __future__ import annotations

import typing
from dataclasses import dataclass, field
from typing import Any

import numpy as np
from pydantic import BaseModel

from ..kernels import per_replicate
from ..kernels.parameters import (
    VALUES,
    ArmsValues,
    DecisionsValues,
    DeterrenceValues,
    DiplomacyValues,
    DoctrineValues,
    EscalationValues,
    ExternalValues,
    IncidentsValues,
    Rates,
    SanctionsValues,
    TensionValues,
    ThreatValues,
)
from ..kinds import with_role
from ..scenario.fields import field_bounds, is_real, real_fields
from ..scenario.schema import Actor, Doctrine, Relation, Scenario, Submodels
from ..submodels import decision, threat
from ..submodels.rates import kept_per_step, share_per_step

ACTOR_SECTIONS = ("economy", "military", "posture", "doctrine")


_SECTION_MODELS: dict[str, type[BaseModel]] = {
    s: typing.get_type_hints(Actor)[s] for s in ACTOR_SECTIONS}
_SUBMODELS: dict[str, type[BaseModel]] = {
    n: typing.get_type_hints(Submodels)[n] for n in Submodels.model_fields}


LEVER_SECTIONS = ("posture",)
"""Actor sections whose fields are choices (EMA's levers); every other parameter is an
uncertainty, a fact about the world that a study samples."""


def parameter_space(scenario: Scenario, bounds: str = "schema") -> dict[str, Any]:
    """Every parameter that may vary per replicate in this scenario: bounds, kind and joint rules.

    Args:
        scenario: the scenario.
        bounds: ``"schema"``: what the schema allows; ``"prior"``: an uncertainty's prior range
            where the registry gives it one (:mod:`sim.calibration.priors`), the schema's
            otherwise (levers always keep the schema's).

    Returns:
        A SALib problem, ``{"num_vars": k, "names": [...], "bounds": [[lo, hi], ...]}``, with

        * ``"kinds"``: ``"lever"`` (a posture: a choice, passed to a run as ``levers=``, measured
          against the scenario's reference as ``--set`` is) or ``"uncertainty"`` (the world,
          passed as ``vary=``) for each name, as EMA Workbench separates them;
        * ``"constraints"``: the joint rules a sample must obey besides the bounds, each
          ``{"coefficients": {name: c}, "at_most": b, "rule": text}``, meaning
          sum(c x) <= b. :func:`satisfies` checks rows against them; a design should drop the
          rows that fail or narrow its bounds (a run refuses them, naming the rule).

        * ``"priors"``: for each uncertainty with a prior (the registry of
          :mod:`sim.calibration.priors`), ``{"distribution", "lo", "hi", "unit", "reason",
          "sourced"}`` (a log-uniform prior is uniform in the logarithm: a sweep's ``prior:
          true`` samples it so; SALib's problem keeps the range).

        With ``bounds="schema"`` the bounds are what the schema allows; a study narrows them.
    """
    if bounds not in ("schema", "prior"):
        raise ValueError(f"bounds must be 'schema' or 'prior', not {bounds!r}")
    from ..calibration.priors import priors

    registry = {p.path: p for p in priors(scenario)}
    names: list[str] = []
    ranges: list[list[float]] = []
    kinds: list[str] = []
    for sub, model in _SUBMODELS.items():
        for f in real_fields(model):
            names.append(f"submodels.{sub}.{f}")
            ranges.append(list(field_bounds(model, f)))
            kinds.append("uncertainty")
    for actor in scenario.actors:
        for section, model in _SECTION_MODELS.items():
            for f in real_fields(model):
                names.append(f"actors.{actor}.{section}.{f}")
                ranges.append(list(field_bounds(model, f)))
                kinds.append("lever" if section in LEVER_SECTIONS else "uncertainty")
    for rel in scenario.relations:
        for f in ("tension", "arms_control"):
            names.append(f"relations.{rel.between[0]}-{rel.between[1]}.{f}")
            ranges.append(list(field_bounds(Relation, f)))
            kinds.append("uncertainty")
    priors_of = {n: registry[n] for n, k in zip(names, kinds, strict=True)
                 if k == "uncertainty" and n in registry}
    space = {"num_vars": len(names), "names": names, "bounds": ranges, "kinds": kinds,
             "constraints": joint_rules(scenario),
             "priors": {n: {"distribution": p.distribution, "lo": p.lo, "hi": p.hi,
                            "unit": p.unit, "reason": p.reason, "sourced": p.sourced}
                        for n, p in priors_of.items()}}
    if bounds == "prior":
        space["bounds"] = [[priors_of[n].lo, priors_of[n].hi] if n in priors_of else b
                           for n, b in zip(names, ranges, strict=True)]
    return space


def joint_rules(scenario: Scenario) -> list[dict[str, Any]]:
    """The schema's joint rules as linear inequalities over :func:`parameter_space`'s names.

    Each is ``{"coefficients": {name: c}, "at_most": b, "rule": text}``: sum(c x) <= b. The same
    rules :meth:`Params.build` enforces (the schema's model validators and the spending ceiling).
    """
    weights = ("w_commitment", "w_tripwire", "w_exercises", "w_signals")
    rules = [
        {"coefficients": {f"submodels.deterrence.{w}": 1.0 for w in weights}, "at_most": 1.0,
         "rule": "deterrence weights sum to at most 1 (a belief is a probability)"},
        {"coefficients": {"submodels.incidents.p_serious": 1.0,
                          "submodels.incidents.p_high_risk": 1.0}, "at_most": 1.0,
         "rule": "serious and high-risk shares of incidents sum to at most 1"},
        {"coefficients": {"submodels.decisions.phi_min": 1.0,
                          "submodels.decisions.phi_max": -1.0}, "at_most": 0.0,
         "rule": "phi_min <= phi_max"},
    ]
    if scenario.submodels.arms.enabled:
        for actor in scenario.actors:
            rules.append({"coefficients": {f"actors.{actor}.military.spending_pct_gdp": 1.0,
                                           "submodels.arms.max_spending_pct": -1.0},
                          "at_most": 0.0,
                          "rule": f"{actor}'s spending under the fiscal ceiling"})
    return rules


def satisfies(space: dict[str, Any], rows: np.ndarray, names: list[str] | None = None,
              scenario: Scenario | None = None) -> np.ndarray:
    """Which rows of a design obey every joint rule of ``space`` (a :func:`parameter_space`).

    Args:
        space: the parameter space (its ``constraints``).
        rows: (n, k) values, one column per name.
        names: the columns' names (default: ``space["names"]``, all of them).
        scenario: the scenario whose values stand in for a rule's names that are not columns
            (required when a rule names one).

    Returns:
        (n,) booleans: True where every rule holds.
    """
    names = list(space["names"]) if names is None else list(names)
    rows = np.atleast_2d(np.asarray(rows, dtype=float))
    column = {n: k for k, n in enumerate(names)}
    ok = np.ones(len(rows), dtype=bool)
    for rule in space["constraints"]:
        total = np.zeros(len(rows))
        for name, c in rule["coefficients"].items():
            if name in column:
                total += c * rows[:, column[name]]
            elif scenario is not None:
                total += c * _scenario_value(scenario, name)
            else:
                raise ValueError(f"{name} is not a column; pass the scenario for its value")
        ok &= total <= rule["at_most"] + 1e-9
    return ok


def enforce_rules(space: dict[str, Any], rows: np.ndarray, names: list[str],
                  scenario: Scenario, given: dict[str, Any] | None = None) -> np.ndarray:
    """Map a rectangular design into the valid region: every row then obeys every joint rule.

    A reparameterisation that keeps a design rectangular (as SALib's Sobol and Morris need) while
    every run is valid: where a rule's weights sum above their cap, the varied ones are scaled
    down together until the sum is at the cap; where ``a <= b`` fails, the varied one of the two
    moves to the other (both varied: ``a`` down to ``b``). Rows that obey the rules are unchanged,
    so indices are about the inputs as sampled; say so when reporting them.

    ``given``: values that are not the scenario's but are not to move either, one a row (a
    run's own ``vary`` beside the calibration's draws): the rules treat them as fixed.

    Raises:
        ValueError: a rule that no change of the varied columns can satisfy (the scenario's own
            fixed values break it).
    """
    rows = np.array(np.atleast_2d(rows), dtype=float)
    column = {n: k for k, n in enumerate(names)}
    given = {n: np.asarray(v, dtype=float) for n, v in (given or {}).items() if n not in column}

    def value(n: str) -> Any:
        return given[n] if n in given else _scenario_value(scenario, n)

    for rule in space["constraints"]:
        coefficients = rule["coefficients"]
        varied = [n for n in coefficients if n in column]
        if not varied:
            continue
        fixed = sum(c * value(n) for n, c in coefficients.items() if n not in column)
        if all(c > 0 for c in coefficients.values()):  # a capped sum: scale the varied part
            room = rule["at_most"] - fixed
            if np.any(room < 0):
                raise ValueError(f"{rule['rule']}: the scenario's fixed values already break it")
            part = sum(coefficients[n] * rows[:, column[n]] for n in varied)
            factor = np.where(part > room, room / np.where(part > 0, part, 1.0), 1.0)
            for n in varied:
                rows[:, column[n]] *= factor
            continue
        (low,), (high,) = ([n for n, c in coefficients.items() if c > 0],
                           [n for n, c in coefficients.items() if c < 0])
        if low in column:  # low <= high: the low side gives way
            top = rows[:, column[high]] if high in column else value(high)
            rows[:, column[low]] = np.minimum(rows[:, column[low]], top)
        else:
            rows[:, column[high]] = np.maximum(rows[:, column[high]], value(low))
    return rows


def _scenario_value(scenario: Scenario, path: str) -> float:
    parts = path.split(".")
    if parts[0] == "submodels":
        return float(getattr(getattr(scenario.submodels, parts[1]), parts[2]))
    if parts[0] == "actors":
        value = getattr(getattr(scenario.actors[parts[1]], parts[2]), parts[3])
        return float("nan") if value in (None, "auto") else float(value)
    raise ValueError(f"no scenario value for {path}")


@dataclass(frozen=True, eq=False)
class Params:
    """Typed parameters of one run of R replicates (see the module docstring).

    Attributes:
        settings: the scenario's submodels as written: switches, the theory reading, lags in
            months, the ladder's thresholds and incident impulses (structure, fixed per run).
        tension, threat, ...: each submodel's real-valued parameters, a named tuple of (R,)
            float arrays (:mod:`sim.kernels.parameters`), the varied values included.
        doctrine: the actors' doctrine, (N, R) arrays (``grievance`` NaN where ``auto``).
    """

    settings: Submodels
    tension: TensionValues
    threat: ThreatValues
    arms: ArmsValues
    deterrence: DeterrenceValues
    escalation: EscalationValues
    incidents: IncidentsValues
    sanctions: SanctionsValues
    diplomacy: DiplomacyValues
    external: ExternalValues
    decisions: DecisionsValues
    doctrine: DoctrineValues
    replicates: int
    actor_overrides: dict[tuple[str, str, str], np.ndarray] = field(default_factory=dict)
    relation_overrides: dict[tuple[str, str], np.ndarray] = field(default_factory=dict)

    @classmethod
    def build(cls, scenario: Scenario, replicates: int,
              vary: dict[str, Any] | None = None) -> Params:
        """Parameters of the scenario with ``vary`` applied.

        Raises:
            ValueError: an unknown or fixed path, or values of the wrong shape or outside the
                schema's bounds.
        """
        R = int(replicates)
        sub_updates: dict[str, dict[str, np.ndarray]] = {k: {} for k in _SUBMODELS}
        actor_over: dict[tuple[str, str, str], np.ndarray] = {}
        rel_over: dict[tuple[str, str], np.ndarray] = {}
        names = list(scenario.actors)
        for path, values in (vary or {}).items():
            parts = path.split(".")
            model: type[BaseModel] | None = None
            if len(parts) == 3 and parts[0] == "submodels" and parts[1] in _SUBMODELS:
                model = _SUBMODELS[parts[1]]
            elif (len(parts) == 4 and parts[0] == "actors" and parts[1] in scenario.actors
                  and parts[2] in _SECTION_MODELS):
                model = _SECTION_MODELS[parts[2]]
            elif len(parts) == 3 and parts[0] == "relations" and parts[2] in ("tension",
                                                                               "arms_control"):
                model = Relation
            if model is None or parts[-1] not in model.model_fields:
                raise ValueError(f"vary: unknown path {path!r}; see sim.parameter_space(scenario) "
                                 "for every path that may vary")
            if not is_real(model, parts[-1]):
                raise ValueError(f"vary: {path!r} is not a real-valued parameter (switches, "
                                 "readings, lags in months and thresholds are fixed per run)")
            v = np.asarray(values, dtype=float)
            if v.shape not in ((R,), ()):
                raise ValueError(f"vary[{path!r}] must be a scalar or have shape ({R},)")
            lo, hi = field_bounds(model, parts[-1])
            if not np.isfinite(v).all() or (v < lo).any() or (v > hi).any():
                raise ValueError(f"vary[{path!r}]: values must be finite and within "
                                 f"[{lo:g}, {hi:g}]")
            v = np.broadcast_to(v, (R,)).copy()
            if parts[0] == "submodels":
                sub_updates[parts[1]][parts[2]] = v
            elif parts[0] == "actors":
                actor_over[(parts[1], parts[2], parts[3])] = v
            else:
                pair = parts[1].split("-")
                if len(pair) != 2 or not any(set(r.between) == set(pair)
                                             for r in scenario.relations):
                    raise ValueError(f"vary: no relation {parts[1]!r} in the scenario")
                rel_over[(frozenset(pair), parts[2])] = v
        subs = {k: getattr(scenario.submodels, k).model_copy(update=u)
                for k, u in sub_updates.items()}
        for k, sub in subs.items():  # cross-field rules of the schema, replicate by replicate
            if sub_updates[k]:
                for name in type(sub).__pydantic_decorators__.model_validators:
                    try:
                        getattr(sub, name)()
                    except ValueError as exc:
                        raise ValueError(f"vary: submodels.{k}: {exc}") from None
        ceiling = subs["arms"].max_spending_pct
        if subs["arms"].enabled:
            for n in names:
                spend = actor_over.get((n, "military", "spending_pct_gdp"),
                                       scenario.actors[n].military.spending_pct_gdp)
                if np.any(np.asarray(spend) > ceiling):
                    raise ValueError(f"vary: actors.{n}.military.spending_pct_gdp exceeds "
                                     "submodels.arms.max_spending_pct in some replicates")
        doctrine = {}
        for f in real_fields(Doctrine):
            rows = []
            for n in names:
                if (n, "doctrine", f) in actor_over:
                    rows.append(actor_over[(n, "doctrine", f)])
                else:
                    value = getattr(scenario.actors[n].doctrine, f)
                    rows.append(np.full(R, np.nan if value == "auto" else float(value)))
            doctrine[f] = np.array(rows)
        frontline = np.array([scenario.actors[n].kind in with_role("frontline") for n in names])
        doctrine["exposure"] = np.where(  # 'auto': by the actor's role
            np.isnan(doctrine["exposure"]),
            np.where(frontline, threat.EXPOSURE_FRONTLINE, threat.EXPOSURE_OTHER)[:, None],
            doctrine["exposure"])
        values = {k: VALUES[k](*(per_replicate(getattr(sub, f), R)
                                 for f in VALUES[k]._fields)) for k, sub in subs.items()}
        return cls(settings=scenario.submodels, **values, doctrine=DoctrineValues(**doctrine),
                   replicates=R, actor_overrides=actor_over, relation_overrides=rel_over)

    def actor_values(self, scenario: Scenario, section: str, name: str,
                     default: float = np.nan) -> np.ndarray:
        """An (N, R) array of ``actors.*.section.name``: the scenario's values or the varied ones.

        A field left empty in the scenario (``None``) gives ``default``.
        """
        rows = []
        for actor, spec in scenario.actors.items():
            over = self.actor_overrides.get((actor, section, name))
            if over is not None:
                rows.append(over)
                continue
            value = getattr(getattr(spec, section), name)
            rows.append(np.full(self.replicates, default if value is None else float(value)))
        return np.array(rows)

    def relation_value(self, between: tuple[str, str], name: str, value: float) -> np.ndarray:
        """A relation's ``tension`` or ``arms_control`` across replicates, (R,)."""
        over = self.relation_overrides.get((frozenset(between), name))
        return over if over is not None else np.full(self.replicates, float(value))


def rates(params: Params, months: float, challengers: np.ndarray) -> Rates:
    """What a step takes of the monthly parameters (:class:`~sim.kernels.parameters.Rates`).

    Built once a run (and again when a Mesa user changes a parameter,
    :meth:`~sim.engine.model.FlashpointModel.set_parameters`).

    Args:
        params: the run's parameters.
        months: months a step.
        challengers: (N,) which actors are challengers.
    """
    R, doc = params.replicates, params.doctrine
    tolerance = (doc.risk_tolerance[challengers].max(axis=0) if challengers.any()
                 else np.zeros(R))
    return Rates(
        adjust_step=np.ascontiguousarray(share_per_step(doc.responsiveness, months)),
        memory_step=np.ascontiguousarray(kept_per_step(doc.memory, months)),
        trust_step=share_per_step(params.threat.trust_rate, months),
        relaxation_step=share_per_step(params.tension.relaxation, months),
        recovery_step=share_per_step(params.external.commitment_recovery, months),
        belief_keep=kept_per_step(params.deterrence.memory, months),
        aggression_keep=threat.aggression_kept(params.threat.aggression_half_life, months),
        depreciation=params.arms.depreciation_pct_yr / 100.0,
        risk_tolerance=per_replicate(tolerance, R),
        risk_factor=per_replicate(decision.risk_factor(params.escalation.risk_weight, tolerance),
                                  R))


CHECK_BLOCK_ROWS = 100_000
"""Rows of (point x ensemble member) that :func:`check_vary` checks at a time."""


def check_vary(scenario: Scenario, values: dict[str, Any], origin: str = "vary") -> None:
    """Check values a study will give the parameters, with every joint rule, before any run.

    Each row of ``values`` (``{path: (n,) array}``) is checked as a run would check it
    (:meth:`Params.build`): the schema's bounds of each path, and the joint rules (deterrence
    weights summing to at most 1, spending under the ceiling, ``phi_min <= phi_max`` ...), with
    each of the scenario's calibration ensemble members the row may meet in a run.

    Raises:
        ScenarioError: naming ``origin``, the rule broken and the first row that breaks it.
    """
    from ..scenario.errors import ScenarioError

    columns = {k: np.asarray(v, dtype=float).reshape(-1) for k, v in values.items()}
    if not columns:
        return
    n = len(next(iter(columns.values())))
    members = scenario.ensemble_members or []
    step = max(1, CHECK_BLOCK_ROWS // max(len(members), 1))
    for first in range(0, n, step):
        rows = min(step, n - first)
        try:
            Params.build(scenario, *_beside_members(scenario, members, columns, first, rows))
        except ValueError as exc:
            bad = next((r for r in range(first, first + rows) if not _valid_row(
                scenario, members, columns, r)), None)
            where = f" (first at row {bad}: " + ", ".join(
                f"{k}={columns[k][bad]:g}" for k in columns) + ")" if bad is not None else ""
            raise ScenarioError(origin, f"{str(exc).removeprefix('vary: ')}{where}; narrow the "
                                        "ranges so that every combination obeys the rule") from None


def _beside_members(scenario: Scenario, members: list[dict[str, float]],
                    columns: dict[str, np.ndarray], first: int, rows: int
                    ) -> tuple[int, dict[str, np.ndarray]]:
    """Rows ``first`` .. ``first + rows`` of ``columns`` beside every ensemble member.

    Each row is repeated once for every member a run may give it (as
    :class:`~sim.engine.model.FlashpointModel` draws them: the calibrated paths the scenario did
    not choose). Returns the replicates and the ``vary`` to build.
    """
    k = max(len(members), 1)
    block = {name: np.repeat(v[first:first + rows], k) for name, v in columns.items()}
    if members:
        from ..calibration.shipped import ensemble_vary

        drawn = ensemble_vary(members, np.tile(np.arange(k), rows), set(scenario.actors))
        block.update({path: np.asarray(v, dtype=float) for path, v in drawn.items()
                      if path not in block and path not in scenario.calibrated_on.chosen_paths})
    return rows * k, block


def _valid_row(scenario: Scenario, members: list[dict[str, float]],
               columns: dict[str, np.ndarray], row: int) -> bool:
    """Whether one row obeys every rule beside every ensemble member."""
    try:
        Params.build(scenario, *_beside_members(scenario, members, columns, row, 1))
    except ValueError:
        return False
    return True


def world(scenario: Scenario, values: dict[str, np.ndarray],
          given: dict[str, Any] | None = None) -> dict[str, np.ndarray]:
    """``values`` (``{path: (n,)}``) mapped into the region the schema's joint rules allow.

    Independent priors may break a rule between constants (weights summing to at most 1, a
    lower threshold below a higher); :func:`sim.engine.params.enforce_rules` moves such rows to
    its edge, as screening does. The fit and a calibrated run both pass their draws through here,
    so a run simulates exactly what the fit did.
    """
    if not values:
        return {}
    names = list(values)
    rows = np.column_stack([np.asarray(values[n], dtype=float) for n in names])
    # the rules alone: the whole parameter space (and the prior registry it reads) is not needed
    rows = enforce_rules({"constraints": joint_rules(scenario)}, rows, names, scenario, given)
    return {n: rows[:, j] for j, n in enumerate(names)}


def with_unfitted(scenario: Scenario, fitted: dict[str, np.ndarray], origin: np.ndarray,
                  given: dict[str, Any] | None = None, others: list | None = None
                  ) -> dict[str, np.ndarray]:
    """Fitted values and every other prior drawn where a fit drew them, through the joint rules.

    Args:
        scenario: the run's scenario (its choices are not drawn:
            :func:`sim.calibration.priors.unfitted`).
        fitted: ``{path: (n,)}`` each replicate's fitted values (its posterior member's).
        origin: (n, 2) each replicate's (seed, replicate) of its member's accepted simulation.
        given: a run's own ``vary`` and levers: not drawn, and held where a rule binds.
        others: the priors to draw (default: :func:`sim.calibration.priors.unfitted` of the
            scenario beside ``fitted``; a fit passes the list it computed once).
    """
    from ..calibration.priors import draw, unfitted

    origin = np.asarray(origin, dtype=np.uint64)
    given = given or {}
    if others is None:
        others = unfitted(scenario, set(fitted))
    others = [p for p in others if p.path not in given]
    return world(scenario, {**draw(others, origin[:, 0], origin[:, 1]),
                            **{k: np.asarray(v, dtype=float) for k, v in fitted.items()}},
                 given)
