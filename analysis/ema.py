"""EMA Workbench interop (optional extra ``flashpoint[ema]``).

A ready ``Model``, a vectorised evaluator, and PRIM scenario discovery:

* :func:`ema_model` builds an ``ema_workbench.Model`` of a scenario: its uncertainties and levers
  are ``vary`` paths with the schema's bounds (``sim.parameter_space``) unless given, its outcomes
  named columns of ``sim.run(...).outcomes`` (replicate means; a probability for 0/1 outcomes).
  The model's function runs one experiment (``replicates`` runs) - what any EMA evaluator calls.
  EMA Workbench 3 wants names that are Python identifiers: each path and outcome goes by
  :func:`ema_name` (``actors.NATO.posture.deployment_troops`` is
  ``actors_NATO_posture_deployment_troops``), and ``model.function.paths`` maps them back.
* :class:`VectorisedEvaluator` evaluates a whole batch of experiments in one vectorised
  ``sim.run`` (experiments x replicates on the replicate axis) and hands EMA its results through
  EMA's own callback, so ``perform_experiments`` and EMA's analysis work unchanged.
* :func:`discover` runs PRIM (Friedman and Fisher 1999; EMA Workbench's implementation, as in
  Bryant and Lempert 2010 and Kwakkel 2017) on a sweep's points: which parameter box leads to an
  outcome of interest (e.g. P(rung >= confrontation) above a threshold).
"""

from __future__ import annotations

import re
import warnings
from collections.abc import Callable, Iterable
from contextlib import contextmanager

import numpy as np
import pandas as pd

import sim


@contextmanager
def _quiet():
    """Import EMA Workbench without its notices about optional parallel back-ends."""
    with warnings.catch_warnings():
        warnings.simplefilter("ignore", UserWarning)
        yield


def ema_name(name: str) -> str:
    """EMA Workbench's name for a parameter path or an outcome: a Python identifier.

    Every character that cannot be in an identifier becomes ``_``:
    ``NATO-Russia.rung_at_least.confrontation with incidents`` is
    ``NATO_Russia_rung_at_least_confrontation_with_incidents``.
    """
    out = re.sub(r"\W", "_", name)
    return "_" + out if out[:1].isdigit() else out


def _names(names: Iterable[str]) -> dict[str, str]:
    """{EMA name: flashpoint name}; two names that would share an EMA name are refused."""
    out: dict[str, str] = {}
    for name in names:
        other = out.setdefault(ema_name(name), name)
        if other != name:
            raise ValueError(f"{other!r} and {name!r} have the same EMA name {ema_name(name)!r}")
    return out


def _outcomes(result: sim.Result, names: list[str], groups: int) -> dict[str, np.ndarray]:
    """Each named outcome's mean over consecutive blocks of replicates (one block a point)."""
    from .sweeps.outcomes import outcome_frame

    frame = outcome_frame(result, names)
    out = {}
    for n in names:
        values = frame[n].astype("Float64").to_numpy(float, na_value=np.nan).reshape(groups, -1)
        if sim.is_when_outcome(n):  # the month among the replicates that reach it (NaN: none)
            reached = np.isfinite(values)
            counts = reached.sum(axis=1)
            total = np.where(reached, values, 0.0).sum(axis=1)
            out[n] = np.divide(total, counts, out=np.full(groups, np.nan), where=counts > 0)
        else:
            out[n] = values.mean(axis=1)
    return out


def ema_model(scenario: str | sim.Scenario, outcomes: list[str],
              uncertainties: dict[str, tuple[float, float] | None] | None = None,
              levers: dict[str, tuple[float, float] | None] | None = None,
              replicates: int = 20, seed: int = 1, name: str = "flashpoint",
              calibration_draws: bool = True):
    """An ``ema_workbench.Model`` of a scenario (see the module docstring).

    Args:
        scenario: a bundled name, a path, or a loaded scenario.
        outcomes: outcome column names (``NATO-Russia.peak_tension``,
            ``NATO-Russia.rung_at_least.limited conflict`` ...).
        uncertainties: ``{path: (lo, hi)}``; ``None`` bounds take the schema's.
        levers: the same, for policy levers.
        replicates: runs an experiment (their mean is the outcome).
        seed: the root seed of every experiment's runs (common random numbers).
        name: the model's name in EMA.
        calibration_draws: whether replicates draw the calibration's ensemble (parameter
            uncertainty); false: every replicate the best fit.

    Raises:
        KeyError: a path that is not a parameter of the scenario.
    """
    with _quiet():
        from ema_workbench import Model, RealParameter, ScalarOutcome

    sc = sim.load_scenario(scenario) if not isinstance(scenario, sim.Scenario) else scenario
    if not calibration_draws:  # every replicate the best fit: no parameter uncertainty
        sc = sc.model_copy(update={"ensemble": False})
    space = sim.parameter_space(sc)
    bounds = dict(zip(space["names"], space["bounds"], strict=True))

    def params(given: dict | None) -> list:
        out = []
        for path, b in (given or {}).items():
            if path not in bounds:
                raise KeyError(f"{path}: not a parameter of the scenario that can vary")
            lo, hi = b if b is not None else bounds[path]
            out.append(RealParameter(ema_name(path), float(lo), float(hi)))
        return out

    paths = _names([*(uncertainties or {}), *(levers or {})])
    measured = _names(outcomes)
    model = Model(ema_name(name), function=_OneExperiment(sc, list(outcomes), replicates, seed,
                                                          list(levers or {}), paths))
    model.uncertainties = params(uncertainties)
    model.levers = params(levers)
    model.outcomes = [ScalarOutcome(n) for n in measured]
    return model


class _OneExperiment:
    """The model function: one experiment's replicates (a named class: it pickles)."""

    def __init__(self, scenario: sim.Scenario, outcomes: list[str], replicates: int,
                 seed: int, levers: list[str], paths: dict[str, str] | None = None) -> None:
        self.scenario, self.outcomes = scenario, outcomes
        self.replicates, self.seed, self.levers = replicates, seed, levers
        self.paths = paths or {}
        """{EMA name: parameter path} of the model's uncertainties and levers."""

    def run(self, columns: dict[str, np.ndarray], groups: int) -> dict[str, np.ndarray]:
        """``groups`` experiments of ``replicates`` runs each, in one vectorised run.

        Levers are choices measured against the scenario; uncertainties are the world.
        """
        # replicate r of every experiment is replicate r of the whole study: the same numbers
        # whichever evaluator runs it (sequential, multiprocessing or this vectorised one)
        res = sim.run(self.scenario, seed=self.seed,
                      replicate_ids=np.tile(np.arange(self.replicates), groups),
                      vary={k: v for k, v in columns.items() if k not in self.levers},
                      levers={k: v for k, v in columns.items() if k in self.levers},
                      record="summary")
        return _outcomes(res, self.outcomes, groups)

    def __call__(self, **values: float) -> dict[str, float]:
        """One experiment: parameters and outcomes by their EMA names (:func:`ema_name`)."""
        columns = {self.paths.get(k, k): np.full(self.replicates, float(v))
                   for k, v in values.items()}
        return {ema_name(k): float(v[0]) for k, v in self.run(columns, 1).items()}


def _evaluator_base():
    with _quiet():
        from ema_workbench.em_framework.evaluators import BaseEvaluator

    return BaseEvaluator


class VectorisedEvaluator(_evaluator_base()):
    """An EMA evaluator running all experiments of a batch in one vectorised ``sim.run``.

    Use as any EMA evaluator: ``with VectorisedEvaluator(model) as ev:
    ev.perform_experiments(scenarios=1000)``. Works with models from :func:`ema_model`.
    """

    def initialize(self) -> None:
        """Nothing to start: the runs happen in this process."""

    def finalize(self) -> None:
        """Nothing to stop."""

    def evaluate_experiments(self, experiments: Iterable, callback: Callable, **kwargs) -> None:
        """Evaluate every experiment at once, then report each to EMA's callback."""
        experiments = list(experiments)
        if not experiments:
            return
        models = {m.name: m for m in self._msis}
        for model_name in dict.fromkeys(e.model_name for e in experiments):
            batch = [e for e in experiments if e.model_name == model_name]
            fn = models[model_name].function
            R = fn.replicates
            names = [p.name for p in [*models[model_name].uncertainties,
                                      *models[model_name].levers]]
            columns = {fn.paths.get(n, n): np.repeat([float({**e.scenario, **e.policy}[n])
                                                      for e in batch], R)
                       for n in names}
            means = fn.run(columns, len(batch))
            for k, e in enumerate(batch):
                callback(e, {ema_name(n): float(means[n][k]) for n in fn.outcomes})


def discover(points: pd.DataFrame, y: np.ndarray, parameters: list[str] | None = None,
             mass_min: float = 0.05, peel_alpha: float = 0.05) -> pd.DataFrame:
    """PRIM's first box for the points where ``y`` is true: its limits and statistics.

    Args:
        points: one row per point, one column per parameter.
        y: boolean per point (the cases of interest: e.g. a probability above a threshold).
        parameters: the columns to search (default: all but ``point``).
        mass_min: the smallest share of points a box may hold.
        peel_alpha: the share peeled at each step.

    Returns:
        One row per restricted parameter: ``parameter``, ``lo``, ``hi``, with the box's
        ``coverage``, ``density`` and ``mass`` (EMA Workbench's PRIM, lenient objective).
    """
    with _quiet():
        from ema_workbench.analysis import prim

    cols = parameters or [c for c in points.columns if c != "point"]
    x = points[cols].reset_index(drop=True).astype(float)
    p = prim.Prim(x, np.asarray(y, dtype=bool), mass_min=mass_min, peel_alpha=peel_alpha)
    box = p.find_box()
    if box is None:
        return pd.DataFrame(columns=["parameter", "lo", "hi", "coverage", "density", "mass"])
    limits = box.box_lims[box._cur_box]  # the selected box (EMA keeps the trajectory)
    rows = []
    for par in cols:
        lo, hi = float(limits[par].iloc[0]), float(limits[par].iloc[1])
        if lo > x[par].min() or hi < x[par].max():
            rows.append({"parameter": par, "lo": lo, "hi": hi})
    stats = {"coverage": float(box.coverage), "density": float(box.density),
             "mass": float(box.mass)}
    return pd.DataFrame([{**r, **stats} for r in rows])
