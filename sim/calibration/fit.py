"""``flashpoint calibrate``: differential evolution with the population on the replicate axis.

scipy's ``differential_evolution(vectorized=True)`` hands the whole population to the objective at
once; each candidate becomes ``replicates`` replicates of one run of the hindcast (``vary=``), all
sharing the run's seed (common random numbers), so a generation costs one model run. The run stops
at December 2019: later years are never fitted. Seeded: the same settings give the same fit.
"""

from __future__ import annotations

from dataclasses import dataclass, field
from pathlib import Path

import numpy as np

from ..engine.runner import run, with_run_settings
from ..scenario.loader import load_scenario
from .parameters import CALIBRATED, CalibratedParameter
from .targets import Observed, loss_terms, observed, simulated

FIT_END = "2019-12"


@dataclass
class Calibration:
    """The outcome of a calibration."""

    parameters: tuple[CalibratedParameter, ...]
    best: dict[str, float]
    best_loss: float
    terms: dict[str, float]
    population: np.ndarray          # (M, k) final population
    population_loss: np.ndarray     # (M,)
    settings: dict = field(default_factory=dict)
    posterior: bool = False         # population: equally weighted posterior draws (ABC)
    draws: np.ndarray | None = None  # (M, 2) each member's (seed, replicate) of its unfitted draw

    def ensemble(self, size: int = 20) -> list[dict[str, float]]:
        """Plausible parameter sets.

        The posterior's draws, all of them (ABC); else the best-fitting ``size`` members of the
        final population (differential evolution).
        """
        order = (np.arange(len(self.population)) if self.posterior
                 else np.argsort(self.population_loss)[:size])
        return [{p.path: float(v) for p, v in zip(self.parameters, self.population[i],
                                                  strict=True)} for i in order]


def members_vary(cal: Calibration, scenario, replicates: int) -> dict[str, np.ndarray]:
    """``vary`` giving replicate r the calibration's member r mod M, as a calibrated run does.

    Its fitted values and, for a posterior, its draw of every other constant.
    """
    from ..engine.params import with_unfitted

    index = np.arange(replicates) % len(cal.population)
    fitted = {p.path: cal.population[index, j] for j, p in enumerate(cal.parameters)}
    if cal.draws is None:
        return fitted
    return with_unfitted(scenario, fitted, cal.draws[index])


def steps_to(scenario, end: str) -> int:
    """Steps from the scenario's start to the end of month ``end`` (YYYY-MM), monthly steps."""
    start_y, start_m = int(scenario.start[:4]), int(scenario.start[5:7])
    end_y, end_m = int(end[:4]), int(end[5:7])
    return (end_y - start_y) * 12 + end_m - start_m + 1


PEACE_WINDOWS = 4
"""Runs of each ABC particle's world, the loss their mean. No NATO-Russia war from 1991 to 2019 is
some 28 years of peace, about four of the hindcast's six-year windows: a world that goes to war in
any of four runs is at least sqrt(25 / 4) = 2.5 units from the data, beyond the tolerances a fit
accepts, so the evidence weighs as four windows, not one (and the other targets' noise is
averaged over four runs)."""


def evaluate(points: np.ndarray, scenario, data: Observed, replicates: int, seed: int,
             parameters=CALIBRATED, fit_end: int = 2019, unfitted: list | None = None,
             world_per_point: bool = False) -> tuple[np.ndarray, dict[str, np.ndarray]]:
    """Loss of each point (rows of ``points``), averaging ``replicates`` replicates a point.

    ``fit_end``: the last year of data the loss sees (:func:`~.targets.loss_terms`).
    ``unfitted``: priors every replicate draws its other constants from
    (:func:`~.priors.draw`: replicate i of this run draws with ``(seed, i)``; with
    ``world_per_point`` every replicate of point i draws with ``(seed, i)``: one world a point,
    its replicates differing in their noise only); the joint rules are enforced on the whole
    draw (:func:`sim.engine.params.with_unfitted`).
    """
    from ..engine.params import with_unfitted

    points = np.atleast_2d(points)
    n = len(points)
    vary = {p.path: np.repeat(points[:, j], replicates) for j, p in enumerate(parameters)}
    if unfitted:
        ids = np.arange(n * replicates)
        if world_per_point:
            ids = ids // replicates
        vary = with_unfitted(scenario, vary, np.column_stack([np.full(len(ids), seed), ids]),
                             others=unfitted)
    res = run(scenario, seed=seed, replicates=n * replicates, record="full", vary=vary,
              events_max_replicates=0)  # the loss reads states, not event logs
    array, _ = res.array(every=True)
    terms = loss_terms(simulated(array, res.columns, res.dates), data, fit_end)
    per_point = {k: v.reshape(n, replicates).mean(axis=1) for k, v in terms.items()}
    return sum(per_point.values()), per_point


def calibrate(scenario: str | Path = "historical-2014", data_dir: str | Path = "data",
              popsize: int = 8, maxiter: int = 40, replicates: int = 4, seed: int = 1,
              parameters: tuple[CalibratedParameter, ...] = CALIBRATED) -> Calibration:
    """Fit the declared parameters to the data up to 2019.

    Args:
        scenario: the hindcast to fit (it must run through 2019).
        data_dir: the folder with the data files (``data/`` of the repository).
        popsize: scipy's population multiplier (population = popsize x parameters).
        maxiter: generations.
        replicates: replicates a candidate (averaging incident noise).
        seed: seeds both the optimiser and the model runs.
        parameters: the parameters to fit (default: the declared set, ``CALIBRATED``).
    """
    from scipy.optimize import differential_evolution

    from .priors import unfitted

    base = load_scenario(scenario, calibration={})  # no earlier fit leaks into this one
    sc = with_run_settings(base, steps=steps_to(base, FIT_END), seed=seed)
    data = observed(Path(data_dir))
    bounds = [(p.lo, p.hi) for p in parameters]
    others = unfitted(base, {p.path for p in parameters})

    def objective(x: np.ndarray) -> np.ndarray:
        return evaluate(x.T, sc, data, replicates, seed, parameters, unfitted=others)[0]

    result = differential_evolution(objective, bounds, popsize=popsize, maxiter=maxiter,
                                    seed=seed, vectorized=True, updating="deferred",
                                    polish=False, tol=1e-6)
    population = np.asarray(result.population)
    pop_loss = np.asarray(result.population_energies)
    best_loss, terms = evaluate(result.x[None], sc, data, replicates, seed, parameters,
                                unfitted=others)
    return Calibration(parameters=parameters,
                       best={p.path: float(v) for p, v in zip(parameters, result.x, strict=True)},
                       best_loss=float(best_loss[0]),
                       terms={k: float(v[0]) for k, v in terms.items()},
                       population=population, population_loss=pop_loss,
                       settings={"scenario": str(scenario), "popsize": popsize,
                                 "maxiter": maxiter, "replicates": replicates, "seed": seed,
                                 "generations": int(result.nit), "evaluations": int(result.nfev),
                                 "fit_end": FIT_END})


def batch_seed(seed: int, batch: int) -> int:
    """The root seed of an ABC fit's ``batch``-th simulation (its noise and its unfitted draws)."""
    return seed + 7919 * (batch + 1)


def calibrate_abc(scenario: str | Path = "historical-2014", data_dir: str | Path = "data",
                  particles: int = 1000, generations: int = 6, seed: int = 1,
                  parameters: tuple[CalibratedParameter, ...] = CALIBRATED,
                  fit_end: int = 2019) -> Calibration:
    """Approximate Bayesian computation of the declared parameters on data up to 2019.

    ABC-SMC (:mod:`sim.calibration.abc`) with the registry's priors of the declared parameters
    (:mod:`sim.calibration.priors`: their declared ranges) and as distance the square root of
    the loss (:mod:`sim.calibration.targets`: each target's error scaled by its stated
    observation error). Each particle is :data:`PEACE_WINDOWS` replicates of the hindcast cut at
    December 2019 on one world (the loss their mean); a batch of proposals is one run. The
    posterior ships as ``particles`` equally weighted draws (systematic resampling), ``best``
    their median. Every simulation draws the constants not fitted from their priors
    (:func:`~.priors.unfitted`), so the posterior integrates over them; each member keeps the
    (seed, replicate) its accepted simulation drew them with (``draws``), and a calibrated run
    draws them again from it.

    Args:
        scenario: the hindcast to fit.
        data_dir: the folder with the data files.
        particles: the population, and the number of posterior draws kept.
        generations: generations after the first.
        seed: seeds every draw and the model runs.
        parameters: the parameters to fit.
        fit_end: the last year of data the fit sees (the model still runs to December 2019).
    """
    from .abc import abc_smc
    from .priors import priors, unfitted

    base = load_scenario(scenario, calibration={})  # no earlier fit leaks into this one
    sc = with_run_settings(base, steps=steps_to(base, FIT_END), seed=seed)
    data = observed(Path(data_dir))
    registry = {p.path: p for p in priors(base)}
    prior = [registry[p.path] for p in parameters]
    others = unfitted(base, {p.path for p in parameters})

    def distance(theta: np.ndarray, batch: int) -> np.ndarray:
        loss, _ = evaluate(theta, sc, data, PEACE_WINDOWS, batch_seed(seed, batch), parameters,
                           fit_end, unfitted=others, world_per_point=True)
        return np.sqrt(np.maximum(loss, 0.0))

    post = abc_smc(distance, prior, particles=particles, generations=generations, seed=seed)
    rows = post.resample_index(particles, np.random.default_rng([seed, 1]))
    members = post.particles[rows]
    draws = np.column_stack([[batch_seed(seed, int(b)) for b in post.origins[rows, 0]],
                             post.origins[rows, 1]]).astype(np.int64)
    best = np.median(members, axis=0)  # the point a run without the ensemble takes
    cal = Calibration(
        parameters=parameters,
        best={p.path: float(v) for p, v in zip(parameters, best, strict=True)},
        best_loss=0.0, terms={},
        population=members, population_loss=np.zeros(len(members)), posterior=True,
        draws=draws,
        settings={"scenario": str(scenario), "method": "abc-smc", "particles": particles,
                  "generations": generations, "seed": seed,
                  "fit_end": FIT_END if fit_end == 2019 else f"{fit_end}-12",
                  "epsilons": [round(e, 6) for e in post.epsilons],
                  "acceptance": [round(a, 6) for a in post.acceptance],
                  "simulations": post.simulations,
                  "effective_size": round(post.effective_size(), 1),
                  "posterior_mean": {p.path: round(float(v), 6) for p, v in
                                     zip(parameters, post.mean(), strict=True)},
                  "posterior_sd": {p.path: round(float(v), 6) for p, v in
                                   zip(parameters, post.sd(), strict=True)}})
    # the posterior predictive loss: every member once, with its draw of the other constants,
    # on fresh noise (the run's seed); the mean of each term over the members
    res = run(sc, seed=seed, replicates=len(members), record="full", events_max_replicates=0,
              vary=members_vary(cal, base, len(members)))
    array, _ = res.array(every=True)
    terms = loss_terms(simulated(array, res.columns, res.dates), data, fit_end)
    cal.terms = {k: float(np.mean(v)) for k, v in terms.items()}
    cal.best_loss = float(sum(cal.terms.values()))
    return cal
