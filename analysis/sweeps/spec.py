"""The sweep file: what varies, how it is sampled, what is measured (validated like a scenario).

Kept apart as in EMA Workbench (Kwakkel 2017): ``uncertainties`` (the world: what nobody knows) and
``levers`` (policy choices). Each is a dotted ``vary`` path of the scenario
(``actors.NATO.posture.deployment_troops``, ``submodels.tension.relaxation`` - see
``sim.parameter_space``) with ``values``, ``range: [lo, hi]`` (``num`` points for grids) or a
``distribution``. Every path and value is checked against the scenario's parameter space before
anything runs; a bad file is reported with its file, line and field, and exit code 2.
"""

from __future__ import annotations

import re
from collections.abc import Callable
from pathlib import Path
from typing import Literal

from pydantic import BaseModel, ConfigDict, Field, model_validator

import sim

SAMPLERS = ("grid", "random", "latin", "sobol", "morris", "full-factorial")
"""Samplers: grid (every combination), random (uniform), latin (scipy.stats.qmc Latin hypercube),
sobol (SALib's Saltelli design, for Sobol indices), morris (SALib's trajectories, for elementary
effects), full-factorial (every lever combination x a Latin hypercube of the uncertainties)."""

MAX_DIMENSIONS = 40
MAX_POINTS = 1_000_000
MAX_RUNS = 100_000_000
MAX_REPLICATE_STEPS = 10_000_000_000
"""Most replicate-steps a sweep may ask for: 10^10, about 2.3 hours on two cores at the measured
rate of the sweep benchmark (10^5 runs x 240 steps in ~16 s on two workers)."""
CHUNK_RUNS = 2_000
"""Runs a chunk by default, below :data:`LARGE_SWEEP_RUNS` runs in all: measured on this project's
2-core machine (docs/sweeps.md), chunks of 2,000-4,000 runs ran 1.5-1.6x faster on 2 workers than
on 1, and a small sweep still makes enough chunks for both workers (3,000 runs: two)."""

LARGE_CHUNK_RUNS = 5_000
"""Runs a chunk by default in a sweep of :data:`LARGE_SWEEP_RUNS` runs or more. With the incident
draws compiled and no event log in chunks, a 2-worker sweep of 10^5 runs x 240 steps took
37.6-37.8 s with chunks of 2,000 runs, 31.8-34.7 s with 5,000 and 30.5-34.3 s with 10,000; a
worker's peak memory was 368, 507 and 611 MiB. 5,000 keeps most of the gain, a 10^6-run sweep on
2 workers well under 2 GB, and at least 20 chunks to resume from and report progress on."""

LARGE_SWEEP_RUNS = 100_000
"""Runs in all from which a sweep's chunks are :data:`LARGE_CHUNK_RUNS` runs."""

RUN_KEYS = ("point", "replicate")
"""The columns of ``runs`` that say which run a row is: no outcome may take their names."""

FUNCTION_NAME = re.compile(r"^[A-Za-z_][A-Za-z0-9_.-]{0,99}$")
"""An outcome function's column name."""

FUNCTION_REFERENCE = re.compile(r"^[A-Za-z_][A-Za-z0-9_]*(\.[A-Za-z_][A-Za-z0-9_]*)*"
                                r":[A-Za-z_][A-Za-z0-9_]*$")
"""MODULE:FUNCTION, the module dotted."""

MAX_MONTH = 12_000 * 12
"""The latest month a ``by_month`` outcome may name: the longest run (12,000 steps of a year)."""

MAX_TRAJECTORY_SERIES = 50
"""Series a sweep's ``trajectories`` may name: each costs a worker 4 bytes a run and step while
its chunk runs (50 series of a 5,000-run chunk x 240 steps: 240 MB)."""


class _Strict(BaseModel):
    model_config = ConfigDict(extra="forbid", allow_inf_nan=False, str_max_length=10_000)


class Distribution(_Strict):
    """A distribution to sample a dimension from (scipy.stats, by inverse transform)."""

    name: Literal["uniform", "normal", "triangular", "lognormal"]
    loc: float = Field(0.0, description="uniform: lowest; normal: mean; triangular: lowest; "
                                        "lognormal: scale (median).")
    scale: float = Field(1.0, gt=0, description="uniform/triangular: width; normal: standard "
                                                "deviation; lognormal: shape (sigma of the log).")
    mode: float = Field(0.5, ge=0, le=1, description="triangular: the mode's place in the width.")


class Dimension(_Strict):
    """One varied parameter: exactly one of ``values``, ``range`` or ``distribution``."""

    values: list[float] | None = Field(None, min_length=1, max_length=10_000)
    range: tuple[float, float] | None = None
    num: int | None = Field(None, ge=2, le=10_000, description="Grid points over a range.")
    distribution: Distribution | None = None

    @model_validator(mode="after")
    def _one_kind(self) -> Dimension:
        given = [k for k in ("values", "range", "distribution") if getattr(self, k) is not None]
        if len(given) != 1:
            raise ValueError("give exactly one of values, range or distribution"
                             + (f" (got {', '.join(given)})" if given else ""))
        if self.range is not None and not self.range[0] < self.range[1]:
            raise ValueError(f"range must be [lowest, highest] with lowest < highest, "
                             f"got {list(self.range)}")
        if self.num is not None and self.range is None:
            raise ValueError("num goes with a range")
        return self


class Trajectories(_Strict):
    """Per-point quantile trajectories: named series, their percentiles across a point's runs.

    Each finished sweep then holds ``trajectories.parquet``: one row per point and step, with the
    mean and the percentiles of every series across the point's replicates.
    """

    series: list[str] = Field(min_length=1, max_length=MAX_TRAJECTORY_SERIES,
                              description="Recorded series by name: tension_index or "
                                          "ENTITY.variable (sim.series_names(scenario) lists "
                                          "them).")
    quantiles: list[float] = Field([5.0, 50.0, 95.0], min_length=1, max_length=20,
                                   description="Percentiles, 0-100, across a point's replicates.")

    @model_validator(mode="after")
    def _distinct(self) -> Trajectories:
        if len(set(self.series)) != len(self.series):
            raise ValueError("a series is listed twice")
        bad = [q for q in self.quantiles if not 0.0 <= q <= 100.0]
        if bad:
            raise ValueError(f"percentiles are between 0 and 100, got {bad[0]:g}")
        if len(set(self.quantiles)) != len(self.quantiles):
            raise ValueError("a percentile is listed twice")
        return self


class SweepSpec(_Strict):
    """A sweep file (``sweeps/*.yaml``)."""

    name: str = Field(max_length=100, pattern=r"^[A-Za-z0-9][A-Za-z0-9_.-]*$")
    description: str = ""
    scenario: str = Field(max_length=1000, description="A bundled scenario's name or a path "
                                                       "(relative to the sweep file).")
    uncertainties: dict[str, Dimension] = Field(default_factory=dict, max_length=MAX_DIMENSIONS)
    levers: dict[str, Dimension] = Field(default_factory=dict, max_length=MAX_DIMENSIONS)
    sampler: Literal["grid", "random", "latin", "sobol", "morris", "full-factorial"] = "latin"
    n: int = Field(64, ge=1, le=MAX_POINTS, description="Points (random, latin), base samples "
                   "(sobol: n x (2k + 2) points), trajectories (morris: n x (k + 1)), or "
                   "uncertainty samples per lever combination (full-factorial).")
    seed: int = Field(1, ge=0, le=2**63 - 1, description="Root seed of the sampler and the runs.")
    replicates: int = Field(20, ge=1, le=100_000, description="Replicates a point.")
    steps: int | None = Field(None, ge=1, le=12_000, description="Steps (default: the scenario's).")
    outcomes: list[str] = Field(default_factory=list, max_length=1000, description="Per-run outcome "
                                "columns (Result.outcomes, PAIR.rung_at_least.RUNG, and "
                                "PAIR.rung_at_least.RUNG.by_month.T: reached by month T).")
    chunk_points: int | None = Field(None, ge=1, le=MAX_POINTS, description="Points a chunk "
                                     "(one vectorised run; part of the sweep's definition: its "
                                     "seed derives from the chunk). Default: about 4,000 runs "
                                     "a chunk.")
    outcome_functions: dict[str, str] = Field(
        default_factory=dict, max_length=100,
        description="More per-run outcomes, each NAME: MODULE:FUNCTION, a Python function given "
                    "a chunk's sim.Result that returns one number per run (the module is "
                    "imported from the sweep file's folder or the Python path).")
    trajectories: Trajectories | None = Field(None, description="Per-point quantile "
                                              "trajectories of named series "
                                              "(trajectories.parquet).")
    second_order: bool = Field(False, description="sobol: also second-order indices.")
    morris_levels: int = Field(4, ge=2, le=100, description="morris: grid levels.")
    calibration_draws: bool = Field(
        True, description="Whether replicates draw their calibrated parameters from the "
        "calibration's ensemble (parameter uncertainty in every point's spread); false: every "
        "replicate takes the best fit, so indices are about the dimensions and incident noise "
        "alone.")

    @model_validator(mode="after")
    def _outcomes(self) -> SweepSpec:
        if not self.outcomes and not self.outcome_functions:
            raise ValueError("give at least one outcome (outcomes or outcome_functions)")
        for name, ref in self.outcome_functions.items():
            if not FUNCTION_NAME.match(name) or name in (*self.outcomes, *RUN_KEYS):
                raise ValueError(f"outcome_functions: {name!r} must be a new name of letters, "
                                 "digits, '_', '-' and '.' (not one of outcomes, point or "
                                 "replicate)")
            if not FUNCTION_REFERENCE.match(ref):
                raise ValueError(f"outcome_functions.{name}: {ref!r} is not MODULE:FUNCTION "
                                 "(e.g. mymetrics:early_crisis)")
        return self

    @property
    def outcome_names(self) -> list[str]:
        """Every outcome column of ``runs``: ``outcomes``, then ``outcome_functions``' names."""
        return [*self.outcomes, *self.outcome_functions]

    @model_validator(mode="after")
    def _dimensions(self) -> SweepSpec:
        both = set(self.uncertainties) & set(self.levers)
        if both:
            raise ValueError(f"a path is either an uncertainty or a lever: {sorted(both)}")
        if not self.uncertainties and not self.levers:
            raise ValueError("give at least one uncertainty or lever")
        gridded = self.dimensions if self.sampler == "grid" else \
            self.levers if self.sampler == "full-factorial" else {}
        drawn = [p for p, d in gridded.items() if d.distribution is not None]
        if drawn:
            which = "its levers need" if self.sampler == "full-factorial" else \
                "every dimension needs"
            raise ValueError(f"the {self.sampler} sampler takes every combination of values, "
                             f"so {which} values or a range, not a distribution: {drawn}")
        if self.sampler in ("sobol", "morris"):
            bad = [p for p, d in self.dimensions.items() if d.range is None]
            if bad:
                raise ValueError(f"the {self.sampler} sampler needs a range for every "
                                 f"dimension: {bad}")
        return self

    @property
    def dimensions(self) -> dict[str, Dimension]:
        """Levers then uncertainties, in file order."""
        return {**self.levers, **self.uncertainties}

    @property
    def points_per_chunk(self) -> int:
        """Points a chunk: ``chunk_points``, or about :data:`CHUNK_RUNS` runs a chunk.

        A sweep of :data:`LARGE_SWEEP_RUNS` runs or more takes :data:`LARGE_CHUNK_RUNS`. It
        depends on the sweep file alone, never on the workers: the chunks' seeds follow it.
        """
        if self.chunk_points:
            return self.chunk_points
        from .samplers import count_points  # samplers imports this module

        runs = count_points(self) * self.replicates
        chunk = LARGE_CHUNK_RUNS if runs >= LARGE_SWEEP_RUNS else CHUNK_RUNS
        return max(1, chunk // self.replicates)


def load_sweep(path: str | Path) -> tuple[SweepSpec, sim.Scenario]:
    """Read, validate and check a sweep file against its scenario's parameter space.

    Returns:
        The sweep and its scenario (steps applied).

    Raises:
        sim.ScenarioError: with file, line, field and what is allowed, for any problem.
    """
    from .samplers import count_points, sample

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
    for kind in ("levers", "uncertainties"):
        for p, dim in getattr(spec, kind).items():
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
    chunk_runs = min(spec.points_per_chunk, points) * spec.replicates
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
    from .runner import BY_MONTH

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


def outcome_columns(scenario: sim.Scenario) -> list[str]:
    """The outcome names a sweep of this scenario can keep (from a one-step run)."""
    from .runner import outcome_frame

    probe = sim.run(scenario, seed=0, replicates=1, steps=1, record="summary")
    return [c for c in outcome_frame(probe).columns if c != "replicate"]


def outcome_function(reference: str, folder: str | Path | None = None) -> Callable:
    """The function a sweep's ``outcome_functions`` entry names (``MODULE:FUNCTION``).

    A module that is a file in ``folder`` (the sweep file's: ``MODULE.py``) is loaded from that
    file, whatever else of that name this process has imported (two sweeps in two folders may
    each have their own ``metrics.py``); any other is imported as Python imports it, with
    ``folder`` first on the path. A sweep file that names one runs that module's code, as a
    script would.

    Raises:
        ImportError: the module cannot be imported (its own error, or not found).
        AttributeError: it has no such name.
        TypeError: the name is not a function.
    """
    import importlib
    import sys

    module_name, _, attribute = reference.partition(":")
    if folder is not None and str(folder) not in sys.path:
        sys.path.insert(0, str(folder))  # for the module's own imports, and dotted names
    file = module_file(module_name, folder)
    try:
        if file is not None:
            module = _module_from_file(file)
        else:
            module = importlib.import_module(module_name)
    except ImportError as exc:
        raise ImportError(f"cannot import {module_name!r} ({exc}); put {module_name}.py beside "
                          "the sweep file or on the Python path") from None
    except Exception as exc:  # the module's own code failed
        raise ImportError(f"importing {module_name!r} failed: {type(exc).__name__}: {exc}"
                          ) from None
    try:
        fn = getattr(module, attribute)
    except AttributeError:
        raise AttributeError(f"module {module_name!r} has no {attribute!r}") from None
    if not callable(fn):
        raise TypeError(f"{reference} is not a function")
    return fn


def module_file(module_name: str, folder: str | Path | None) -> Path | None:
    """``folder/MODULE.py`` where that file exists: an outcome function's module loaded from it."""
    if folder is None:
        return None
    file = Path(folder, f"{module_name}.py")
    return file if file.is_file() else None


_FILE_MODULES: dict[tuple[str, int], object] = {}
"""Outcome-function modules loaded from files, by (path, modification time)."""


def _module_from_file(file: Path) -> object:
    """The module in ``file``, loaded once a version of the file under a name of its own."""
    import hashlib
    import importlib.util
    import sys

    path = file.resolve()
    key = (str(path), path.stat().st_mtime_ns)
    module = _FILE_MODULES.get(key)
    if module is None:
        name = "_flashpoint_outcomes_" + hashlib.sha256(repr(key).encode()).hexdigest()[:16]
        spec = importlib.util.spec_from_file_location(name, path)
        module = importlib.util.module_from_spec(spec)
        sys.modules[name] = module  # as an import would (dataclasses, pickling look it up)
        try:
            spec.loader.exec_module(module)
        except BaseException:
            del sys.modules[name]
            raise
        _FILE_MODULES[key] = module
    return module


def sweep_json_schema() -> dict:
    """The sweep file's JSON Schema (draft 2020-12), for editors (``flashpoint schema --sweep``)."""
    schema = SweepSpec.model_json_schema()
    schema["$schema"] = "https://json-schema.org/draft/2020-12/schema"
    schema["title"] = "flashpoint sweep"
    return schema
