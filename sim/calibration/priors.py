"""One registry of uncertain constants: a prior for every behavioural constant.

Every real-valued constant of every submodel, and every doctrine value of a scenario's actors,
gets a prior here: a distribution, a range, its unit and its source or reason. The sourced ones are
declared in :data:`SOURCED` (the evidence for a range, as the schema's descriptions give it for
the default); every other constant gets the generic prior of :func:`generic_prior`, which says so.
Structure that is a modelling choice stays a switch, not a prior: ``enabled``, the theory
``reading``, lags in months, the ladder's thresholds, incident impulses. The fitted parameters of
:mod:`sim.calibration.parameters` take their declared ranges, and :func:`sim.parameter_space`
reads this registry (``bounds="prior"``), as sweeps do (``prior: true`` on an uncertainty).

A doctrine value is the world's, not a choice, unless the scenario keeps it as a lever
(``calibration_keeps``); its prior is centred on the scenario's own value.
"""

from __future__ import annotations

import typing
from dataclasses import dataclass
from typing import Literal

import numpy as np

from ..scenario.fields import field_bounds, real_fields
from ..scenario.schema import Doctrine, Scenario, Submodels

Distribution = Literal["uniform", "loguniform"]

CHOICES = frozenset({"commitment", "grievance", "exposure"})
"""Doctrine fields that are choices or derived, not uncertain constants: a patron's commitment
(policy, a lever), the Richardson grievance (``auto``: calibrated to the steady state) and
exposure (``auto``: by role)."""


@dataclass(frozen=True)
class Prior:
    """The prior of one constant.

    Attributes:
        path: its ``vary`` path (:func:`sim.parameter_space`).
        distribution: ``uniform`` or ``loguniform`` (uniform in the logarithm: for scales whose
            order of magnitude is what is uncertain).
        lo: the lowest value.
        hi: the highest value.
        unit: its unit (from the schema's description where it states one).
        reason: its source, or why this range.
        sourced: whether the range rests on evidence (:data:`SOURCED`) or is the generic rule.
    """

    path: str
    distribution: Distribution
    lo: float
    hi: float
    unit: str
    reason: str
    sourced: bool

    def sample(self, u: np.ndarray) -> np.ndarray:
        """Values at the quantiles ``u`` in [0, 1] (inverse transform)."""
        if self.distribution == "loguniform":
            x = np.exp(np.log(self.lo) + u * (np.log(self.hi) - np.log(self.lo)))
        else:
            x = self.lo + u * (self.hi - self.lo)
        return np.clip(x, self.lo, self.hi)  # exp(log) may round a last bit past a bound

    def density(self, x: np.ndarray) -> np.ndarray:
        """The prior density at ``x`` (0 outside the range)."""
        x = np.asarray(x, dtype=float)
        inside = (x >= self.lo) & (x <= self.hi)
        if self.distribution == "loguniform":
            return np.where(inside, 1.0 / (np.maximum(x, 1e-300)
                                           * (np.log(self.hi) - np.log(self.lo))), 0.0)
        return np.where(inside, 1.0 / (self.hi - self.lo), 0.0)


SOURCED: dict[str, tuple[Distribution, float, float, str, str]] = {
    "submodels.arms.war_pct_gdp": (
        "uniform", 3.5, 10.0, "% of GDP",
        "belligerents 1992-2019: Ukraine at war 3.8-4.1 %, Russia 5.4 % (2016), the US 4.9 % "
        "(2010), Georgia 8.5 % (2008) (data/milex_gdp.csv, SIPRI)"),
    "submodels.arms.threat_coupling": (
        "uniform", 0.0, 2.0, "1/yr per unit threat",
        "from none to twice Ukraine's answer to attack in 2013-15 (+61 % in two years)"),
    "submodels.arms.threat_threshold": (
        "uniform", 0.0, 0.5, "perceived threat 0-1",
        "from budgets that answer any threat to ones that answer only a grave one (Jones and "
        "Baumgartner 2005)"),
    "submodels.threat.w_aggression": (
        "uniform", 0.0, 3.0, "threat signal per unit aggression",
        "from no response to a signal that alone reads as a grave threat (Walt 1987)"),
    "submodels.threat.aggression_half_life": (
        "loguniform", 12.0, 120.0, "months",
        "the NATO-Russia Council met again within a year of the Georgian war (2009); the answer "
        "to Crimea still grew five years on (data/events.csv, data/milex_gdp.csv)"),
    "submodels.threat.trust_gain": (
        "uniform", 0.25, 1.0, "share",
        "trust gained at a quarter to all of the rate it is lost (Slovic 1993)"),
    "submodels.escalation.decision_scale": (
        "loguniform", 0.03, 0.3, "margin units",
        "a challenger that reads margins to a few hundredths to one that barely tells them apart "
        "(Fearon 1995)"),
    "submodels.escalation.attack_hazard": (
        "loguniform", 0.02, 0.3, "1/month",
        "a clearly undefended state taken within one to four years of the chance (Crimea: weeks)"),
    "submodels.escalation.attack_margin": (
        "uniform", 0.0, 0.4, "margin units",
        "from moving at indifference to moving only against a state with no defence"),
    "submodels.escalation.nuclear_brake": (
        "uniform", 0.7, 0.99, "share",
        "no deliberate war between nuclear powers since 1945: the brake is strong, its strength "
        "unknown (Schelling 1966)"),
    "submodels.deterrence.defence_advantage": (
        "uniform", 1.5, 4.0, "ratio",
        "the 3:1 rule is contested: Dupuy's data give 1.5-2, Mearsheimer 1989 defends 3"),
    "submodels.deterrence.decisiveness": (
        "uniform", 1.0, 3.0, "exponent",
        "Lanchester's linear (1) to square (2) laws and beyond (Hirshleifer 1989)"),
    "submodels.deterrence.reinforcement_troops": (
        "uniform", 0.0, 20000.0, "troops",
        "from none in time (RAND 2016) to the spearhead and the first NATO Response Force "
        "brigades"),
    "submodels.deterrence.quality_elasticity": (
        "uniform", 0.25, 1.0, "elasticity",
        "diminishing to constant returns of equipment to combat power (Biddle 2004)"),
    "submodels.deterrence.exercise_share": (
        "uniform", 0.2, 0.8, "share", "how much of a snap exercise could turn into an attack"),
    "submodels.deterrence.stakes": (
        "loguniform", 0.5, 2.0, "units of the cost of war",
        "a fait accompli worth half to twice a war's cost to the challenger"),
    "submodels.decisions.deterrence_response": (
        "uniform", 1.0, 8.0, "escalation factor per unit margin",
        "firmness restrains half to twice as much as threat provokes (deterrence reading)"),
    "submodels.decisions.pain_scale": (
        "loguniform", 5.0, 40.0, "pp of growth a year",
        "a deep recession to a pain forward postures hardly feel"),
}
"""Priors that rest on evidence or a stated argument: distribution, lowest, highest, unit, reason."""

GENERIC = ("generic prior: the reasoned default within a factor of two (log-uniform), or for a "
           "share in [0, 1] half the default's distance to 0 or 1 either side (uniform); the "
           "default's own reason is in the schema")
"""The reason every constant without a sourced prior carries."""


def _unit(description: str | None) -> str:
    """The unit a schema description states first (text up to the first colon or full stop)."""
    text = (description or "").strip()
    for stop in (":", ". ", ";"):
        if stop in text:
            text = text.split(stop, 1)[0]
    return text[:80]


def generic_prior(path: str, default: float, lo: float, hi: float, unit: str) -> Prior | None:
    """The generic prior of a constant with reasoned ``default`` and schema bounds [lo, hi].

    None for a default of 0 (a constant that is off unless a scenario sets it: no prior mass to
    spread) or one at a bound of a share.
    """
    if default <= 0.0:
        return None
    if hi <= 1.0:
        half = min(default - max(lo, 0.0), hi - default) / 2.0
        if half <= 0.0:
            return None
        return Prior(path, "uniform", default - half, default + half, unit, GENERIC, False)
    a, b = max(default / 2.0, lo), min(default * 2.0, hi)
    if not a < b:
        return None
    return Prior(path, "loguniform" if a > 0 else "uniform", a, b, unit, GENERIC, False)


def _declared(path: str, unit: str) -> Prior:
    dist, lo, hi, declared_unit, reason = SOURCED[path]
    return Prior(path, dist, lo, hi, declared_unit or unit, reason, True)


def submodel_priors() -> list[Prior]:
    """Every submodel constant's prior, in the schema's order."""
    out = []
    hints = typing.get_type_hints(Submodels)
    for name in Submodels.model_fields:
        model = hints[name]
        defaults = model()
        for field in real_fields(model):
            path = f"submodels.{name}.{field}"
            unit = _unit(model.model_fields[field].description)
            if path in SOURCED:
                out.append(_declared(path, unit))
                continue
            prior = generic_prior(path, float(getattr(defaults, field)),
                                  *field_bounds(model, field), unit)
            if prior is not None:
                out.append(prior)
    return out


def priors(scenario: Scenario) -> list[Prior]:
    """The prior of every uncertain constant of a scenario.

    The submodels', then its actors' doctrine (centred on the scenario's own values); the fitted
    parameters take their declared ranges. A doctrine value the scenario keeps as its own choice
    (``calibration_keeps``) has none.
    """
    from .parameters import CALIBRATED

    fitted = {c.path: c for c in CALIBRATED}
    out = []
    for prior in submodel_priors():
        declared = fitted.get(prior.path)
        out.append(prior if declared is None else Prior(
            prior.path, declared.distribution, declared.lo, declared.hi, prior.unit,
            declared.reason, True))
    kept = set(scenario.calibration_keeps) | set(scenario.calibrated_on.chosen_paths)
    for actor, spec in scenario.actors.items():
        for field in real_fields(Doctrine):
            path = f"actors.{actor}.doctrine.{field}"
            value = getattr(spec.doctrine, field)
            if field in CHOICES or path in kept or not isinstance(value, int | float):
                continue
            declared = fitted.get(path)
            if declared is not None:
                out.append(Prior(path, declared.distribution, declared.lo, declared.hi,
                                 _unit(Doctrine.model_fields[field].description),
                                 declared.reason, True))
                continue
            prior = generic_prior(path, float(value), *field_bounds(Doctrine, field),
                                  _unit(Doctrine.model_fields[field].description))
            if prior is not None:
                out.append(prior)
    covered = {p.path for p in out}
    for c in CALIBRATED:  # a fitted value outside the submodels and doctrine (a pledge)
        if c.path not in covered and c.path.split(".")[1] in scenario.actors:
            out.append(Prior(c.path, c.distribution, c.lo, c.hi, "as the schema's field",
                             c.reason, True))
    return out


def unfitted(scenario: Scenario, fitted: set[str] | frozenset[str] = frozenset()
             ) -> list[Prior]:
    """The priors a calibrated run of ``scenario`` draws.

    Every one but the ``fitted`` paths and the values the scenario chose
    (``calibrated_on.chosen_paths``: a what-if's own values, ``--set``, a submodel constant its
    file sets).
    """
    chosen = scenario.calibrated_on.chosen_paths
    return [p for p in priors(scenario) if p.path not in fitted and p.path not in chosen]


PRIOR_STEP = np.uint64(2**32 - 1)
"""The counter's step word of a prior draw: no run reaches it, so a prior's stream never meets a
step's draws."""


def quantiles(paths: list[str], seeds: np.ndarray, replicates: np.ndarray) -> np.ndarray:
    """The prior quantile of each path for each (seed, replicate): (len(paths), n) in [0, 1).

    Counter-based (:mod:`sim.submodels.streams`): uniform 0 of the stream named ``prior:<path>``
    at :data:`PRIOR_STEP` under the key of the seed, for the replicate's number. A replicate's
    draw is the same in any batch, and one path's draw does not depend on which others there are.
    """
    from ..kernels.streams import keyed_uniforms
    from ..submodels import streams

    ids = np.array([streams.stream_id(f"prior:{path}") for path in paths], dtype=np.uint64)
    return keyed_uniforms(np.ascontiguousarray(seeds, dtype=np.uint64),
                          np.ascontiguousarray(replicates, dtype=np.uint64), ids, PRIOR_STEP)


def draw(registry: list[Prior], seeds: np.ndarray, replicates: np.ndarray
         ) -> dict[str, np.ndarray]:
    """Each prior's value for each (seed, replicate) (:func:`quantiles`), ``{path: (n,)}``."""
    u = quantiles([p.path for p in registry], seeds, replicates)
    return {p.path: p.sample(u[j]) for j, p in enumerate(registry)}

