"""Read a sweep file and check it against its scenario before anything runs.

Paths and bounds, joint rules, total work, a chunk's memory, outcome names and functions,
trajectories.
"""

from __future__ import annotations

from pathlib import Path

import sim

from .outcomes import BY_MONTH, outcome_columns, outcome_function
from .samplers import count_points, points_per_chunk, sample
from .spec import (
    MAX_MONTH,
    MAX_POINTS,
    MAX_REPLICATE_STEPS,
    MAX_RUNS,
    Dimension,
    Distribution,
    SweepSpec,
)


def load_sweep(path: str | Path) -> tuple[SweepSpec, sim.Scenario]:
    """Read, validate and check a sweep file against its scenario's parameter space.

    Returns:
        The sweep and its scenario (steps applied).

    Raises:
        sim.ScenarioError: with file, line, field and what is allowed, for any problem.
    """
    file = str(path)
    data, origins = sim.read_document(Path(path))
    spec = sim.validate_document(SweepSpec, data, origins, file)

    def err(loc: tuple, problem: str) -> sim.ScenarioError:
        line = next((origins[loc[:n]][1] for n in range(len(loc), 0, -1) if loc[:n] in origins),
                    None)
        return sim.ScenarioError(file, problem, line=line, field=".".join(map(str, loc)))

    scenario_path = spec.scenario
    local = Path(path).parent / scenario_path
    if local.is_file():
        scenario_path = str(local)
    try:
        scenario = sim.load_scenario(scenario_path)
    except sim.ScenarioError as exc:
        raise err(("scenario",), f"cannot load the scenario: {exc}") from None
    if spec.steps is not None:
        scenario = sim.with_run_settings(scenario, steps=spec.steps)
    if not spec.calibration_draws:
        scenario = scenario.model_copy(update={"ensemble": False})
    space = sim.parameter_space(scenario)
    bounds = dict(zip(space["names"], space["bounds"], strict=True))
    errors = []
    resolved = {}
    for p, dim in spec.uncertainties.items():  # prior: true -> the registry's distribution
        if dim.prior and p in bounds:
            prior = space["priors"].get(p)
            if prior is None:
                errors.append(err(("uncertainties", p), "has no prior in the registry (a "
                                  "choice, or structure); sim.parameter_space(scenario)"
                                  "['priors'] lists those that have one"))
                continue
            resolved[p] = Dimension(distribution=Distribution(
                name=prior["distribution"], loc=prior["lo"], scale=prior["hi"] - prior["lo"]))
    if resolved:
        spec = spec.model_copy(update={"uncertainties": {**spec.uncertainties, **resolved}})
    for kind in ("levers", "uncertainties"):
        for p, dim in getattr(spec, kind).items():
            if dim.prior and kind == "levers":
                errors.append(err((kind, p), "a lever is a choice: it has no prior"))
                continue
            if p not in bounds:
                close = [n for n in space["names"] if n.rsplit(".", 1)[-1] == p.rsplit(".", 1)[-1]]
                errors.append(err((kind, p), "not a parameter of the scenario that can vary"
                                  + (f" (did you mean {close[0]}?)" if close else "")
                                  + "; sim.parameter_space(scenario) lists them"))
                continue
            lo, hi = bounds[p]
            vals = list(dim.values or dim.range or ())
            outside = [v for v in vals if not lo <= v <= hi]
            if outside:
                errors.append(err((kind, p), f"{outside[0]} is outside the allowed "
                                  f"[{lo:g}, {hi:g}]"))
    if errors:
        raise sim.ScenarioErrors(errors) if len(errors) > 1 else errors[0]
    points = count_points(spec)
    if points <= MAX_POINTS:  # distributions may reach outside a parameter's range: say which
        drawn = sample(spec)
        for kind in ("levers", "uncertainties"):
            for p in getattr(spec, kind):
                lo, hi = bounds[p]
                if drawn[p].min() < lo or drawn[p].max() > hi:
                    raise err((kind, p), f"sampled values reach [{drawn[p].min():g}, "
                              f"{drawn[p].max():g}], outside the allowed [{lo:g}, {hi:g}]; "
                              "narrow the distribution")
    if points > MAX_POINTS:
        raise err(("n",), f"the sweep has {points:,} points; at most {MAX_POINTS:,}")
    if points * spec.replicates > MAX_RUNS:
        raise err(("replicates",), f"{points:,} points x {spec.replicates} replicates is more "
                  f"than {MAX_RUNS:,} runs")
    work = points * spec.replicates * scenario.steps
    if work > MAX_REPLICATE_STEPS:
        raise err(("replicates",), f"{points:,} points x {spec.replicates} replicates x "
                  f"{scenario.steps:,} steps is {work:.3g} replicate-steps; at most "
                  f"{MAX_REPLICATE_STEPS:.0e} (about {MAX_REPLICATE_STEPS / 1e10 * 2.3:.0f} hours "
                  "on two cores): fewer points, replicates or steps")
    chunk_runs = min(points_per_chunk(spec), points) * spec.replicates
    kept = len(spec.trajectories.series) if spec.trajectories is not None else 0
    try:  # a chunk is one vectorised run in one worker: it must fit, checked before any run
        sim.check_memory(scenario.model_copy(update={"replicates": chunk_runs}), "summary", kept)
    except sim.ScenarioError as exc:
        need = exc.problem.removeprefix("needs")
        raise err(("chunk_points",), f"a chunk of {chunk_runs:,} runs needs{need}; give fewer "
                  "chunk_points") from None
    levers_and_world = {p: drawn[p].to_numpy() for p in spec.dimensions}
    try:  # every joint rule (weights summing to 1, the spending ceiling ...) before any run
        sim.check_vary(scenario, levers_and_world, origin=file)
    except sim.ScenarioError as exc:
        raise err(("uncertainties" if next(iter(spec.uncertainties), None) else "levers",),
                  str(exc).removeprefix(f"{file}: ")) from None
    known = set(outcome_columns(scenario))
    for k, name in enumerate(spec.outcomes):
        by_month = BY_MONTH.match(name)
        if by_month is not None and f"{by_month['pair']}.rung_at_least.{by_month['rung']}" in known:
            if int(by_month["month"]) > MAX_MONTH:
                raise err(("outcomes", k), f"month {by_month['month']} is past the longest run "
                          f"({MAX_MONTH:,} months)")
            continue
        if name not in known:
            close = [c for c in sorted(known) if c.rsplit(".", 1)[-1] == name.rsplit(".", 1)[-1]]
            raise err(("outcomes", k), f"no outcome {name!r}"
                      + (f" (did you mean {close[0]}?)" if close else "")
                      + "; outcome names are the columns of sim.run(...).outcomes, "
                        "PAIR.rung_at_least.RUNG and PAIR.rung_at_least.RUNG.by_month.T")
    for name, ref in spec.outcome_functions.items():
        try:
            outcome_function(ref, Path(path).resolve().parent)
        except (ImportError, AttributeError, TypeError) as exc:
            raise err(("outcome_functions", name), str(exc)) from None
    if spec.trajectories is not None:
        names = sim.series_names(scenario)
        known_series = set(names)
        for k, name in enumerate(spec.trajectories.series):
            if name not in known_series:
                close = [n for n in names if n.rsplit(".", 1)[-1] == name.rsplit(".", 1)[-1]]
                raise err(("trajectories", "series", k), f"no series {name!r}"
                          + (f" (did you mean {close[0]}?)" if close else "")
                          + "; a series is tension_index or ENTITY.variable, "
                            "sim.series_names(scenario) lists them")
    return spec, scenario


