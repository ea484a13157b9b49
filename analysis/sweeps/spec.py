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
from typing import Literal

from pydantic import BaseModel, ConfigDict, Field, model_validator

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

    name: Literal["uniform", "normal", "triangular", "lognormal", "loguniform"]
    loc: float = Field(0.0, description="uniform/loguniform: lowest; normal: mean; triangular: "
                                        "lowest; lognormal: scale (median).")
    scale: float = Field(1.0, gt=0, description="uniform/triangular/loguniform: width; normal: "
                                                "standard deviation; lognormal: shape (sigma of "
                                                "the log).")
    mode: float = Field(0.5, ge=0, le=1, description="triangular: the mode's place in the width.")


class Dimension(_Strict):
    """One varied parameter: exactly one of ``values``, ``range``, ``distribution`` or ``prior``."""

    values: list[float] | None = Field(None, min_length=1, max_length=10_000)
    range: tuple[float, float] | None = None
    num: int | None = Field(None, ge=2, le=10_000, description="Grid points over a range.")
    distribution: Distribution | None = None
    prior: Literal[True] | None = Field(
        None, description="true: the parameter's prior from the registry of uncertain constants "
        "(sim.calibration.priors; sim.parameter_space(scenario)['priors'] lists them), resolved "
        "to its distribution when the sweep is loaded.")

    @model_validator(mode="after")
    def _one_kind(self) -> Dimension:
        given = [k for k in ("values", "range", "distribution", "prior")
                 if getattr(self, k) is not None]
        if len(given) != 1:
            raise ValueError("give exactly one of values, range, distribution or prior"
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
    sampler: Literal[SAMPLERS] = "latin"  # type: ignore[valid-type] - one list of the names
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
        drawn = [p for p, d in gridded.items() if d.distribution is not None or d.prior]
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


def sweep_json_schema() -> dict:
    """The sweep file's JSON Schema (draft 2020-12), for editors (``flashpoint schema --sweep``)."""
    schema = SweepSpec.model_json_schema()
    schema["$schema"] = "https://json-schema.org/draft/2020-12/schema"
    schema["title"] = "flashpoint sweep"
    return schema
