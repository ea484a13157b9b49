"""Screening: which uncertain constants move the hindcast's fit to the data (Morris elementary effects).

Morris (1991) one-at-a-time trajectories over every prior of the registry
(:mod:`sim.calibration.priors`), scored by the hindcast's loss against the data up to 2019
(:mod:`sim.calibration.targets`) and by each of its terms. Every trajectory point is one replicate
of one run of the vectorised engine (the whole design on the replicate axis; every point draws
the same replicates' random numbers: common random numbers), so screening some 150 constants costs
one run of about (k + 1) r x noise replicates. The constants whose mu* (the mean absolute
elementary effect, Campolongo et al. 2007) is large are worth fitting; the others keep their
priors, and their uncertainty stays in the bands. The design samples each prior's quantiles,
so a log-uniform prior is screened in the log.
"""

from __future__ import annotations

from dataclasses import dataclass
from pathlib import Path

import numpy as np

from ..engine.params import check_vary, enforce_rules, parameter_space
from ..engine.runner import run, with_run_settings
from ..scenario.loader import load_scenario
from .fit import FIT_END, steps_to
from .priors import Prior, priors
from .targets import loss_terms, observed, simulated


@dataclass
class Screening:
    """Morris indices of the loss and its terms for every prior.

    Attributes:
        priors: the screened priors, in the design's column order.
        mu_star: {outcome: (k,) mean absolute elementary effect}; outcome ``loss`` and each term.
        sigma: {outcome: (k,) standard deviation of the elementary effects}.
        settings: trajectories, levels, seed, the fit window.
    """

    priors: list[Prior]
    mu_star: dict[str, np.ndarray]
    sigma: dict[str, np.ndarray]
    settings: dict

    def ranking(self, outcome: str = "loss") -> list[tuple[str, float]]:
        """The priors by mu* of ``outcome``, largest first."""
        order = np.argsort(-self.mu_star[outcome])
        return [(self.priors[i].path, float(self.mu_star[outcome][i])) for i in order]


def screen(scenario: str | Path = "historical-2014", data_dir: str | Path = "data",
           trajectories: int = 10, levels: int = 4, noise: int = 4, seed: int = 1
           ) -> Screening:
    """Screen every prior of ``scenario`` by Morris's method on the hindcast's loss.

    Args:
        scenario: the hindcast (run to December 2019).
        data_dir: the folder with the data files.
        trajectories: r, Morris trajectories (each k + 1 runs).
        levels: the grid's levels in each prior's quantiles.
        noise: replicates a point, averaged: the same replicate numbers at every point.
        seed: seeds the design and the runs.
    """
    from SALib.analyze import morris as analyze
    from SALib.sample import morris as sample

    base = load_scenario(scenario, calibration={})  # the scenario's values, as the fit starts
    sc = with_run_settings(base, steps=steps_to(base, FIT_END), seed=seed)
    registry = priors(base)
    problem = {"num_vars": len(registry), "names": [p.path for p in registry],
               "bounds": [[0.0, 1.0]] * len(registry)}
    u = sample.sample(problem, trajectories, num_levels=levels, seed=seed)
    values = np.column_stack([p.sample(u[:, j]) for j, p in enumerate(registry)])
    # the joint rules (weights summing to at most 1 ...) hold in every row: rows that break one
    # are mapped into the valid region (indices are about the inputs as sampled)
    values = enforce_rules(parameter_space(sc), values, [p.path for p in registry], sc)
    vary = {p.path: values[:, j] for j, p in enumerate(registry)}
    check_vary(sc, vary, origin="screen")
    # common random numbers: every point draws replicate 0 .. noise-1's numbers, the same at
    # every point, so an elementary effect is the parameter's, not the noise's
    n = len(values)
    repeated = {k: np.repeat(v, noise) for k, v in vary.items()}
    res = run(sc, seed=seed, replicates=n * noise, record="full", vary=repeated,
              events_max_replicates=0,
              replicate_ids=np.tile(np.arange(noise), n))
    array, _ = res.array(every=True)
    terms = loss_terms(simulated(array, res.columns, res.dates), observed(Path(data_dir)))
    terms = {k: v.reshape(n, noise).mean(axis=1) for k, v in terms.items()}
    outcomes = {"loss": sum(terms.values()), **terms}
    mu_star, sigma = {}, {}
    for name, y in outcomes.items():
        result = analyze.analyze(problem, u, np.asarray(y, dtype=float), num_levels=levels,
                                 seed=seed)
        mu_star[name] = np.asarray(result["mu_star"])
        sigma[name] = np.asarray(result["sigma"])
    return Screening(registry, mu_star, sigma,
                     {"scenario": str(scenario), "trajectories": trajectories,
                      "levels": levels, "noise": noise, "seed": seed, "fit_end": FIT_END,
                      "runs": int(n * noise)})
