"""Validation that can fail: a rolling origin inside the data, scored by proper scoring rules.

Fit to the data up to an origin year (:func:`~.fit.calibrate_abc` with ``fit_end``), forecast the
spending shares of the years after it up to 2019 with the posterior's draws (one replicate a
draw: parameter and incident uncertainty), and score every actor-year against what happened:

* CRPS, the continuous ranked probability score of the forecast's draws (Gneiting and Raftery
  2007; the energy form E|X - y| - E|X - X'| / 2, exact for an ensemble);
* the interval score of the central 90 % interval, (u - l) + (2 / a)(l - y)+ + (2 / a)(y - u)+
  with a = 0.1 (Gneiting and Raftery 2007), which rewards narrow bands that cover;
* whether the 50 % and 90 % bands hold the observation (coverage);
* the absolute error of the median;

the forecast of an observation is the model's draw plus the stated observation error of a
spending share (``targets.SPENDING_ERROR``, the loss's error model: normal, 0.25 pp): what is
forecast is what SIPRI will report, not the model's state;

against two point forecasts that need no model: persistence (the last observed share) and a
linear trend (least squares over the years up to the origin, extended). A point forecast's CRPS
is its absolute error. The same code scores any later year of ``data/``: drop 2020-2024 into
``milex_gdp.csv`` and run :func:`rolling_origin` with origin 2019.
"""

from __future__ import annotations

from dataclasses import dataclass
from pathlib import Path

import numpy as np

from ..engine.runner import run, with_run_settings
from ..scenario.loader import load_scenario
from .fit import FIT_END, calibrate_abc, members_vary, steps_to
from .targets import SPENDING_ACTORS, SPENDING_ERROR, observed, simulated


def crps(samples: np.ndarray, observation: float) -> float:
    """The CRPS of an ensemble forecast: E|X - y| - E|X - X'| / 2 (exact for the draws)."""
    x = np.sort(np.asarray(samples, dtype=float))
    n = len(x)
    spread = 2.0 * np.sum((2 * np.arange(1, n + 1) - n - 1) * x) / n ** 2
    return float(np.mean(np.abs(x - observation)) - 0.5 * spread)


def interval_score(lower: float, upper: float, observation: float, alpha: float = 0.1) -> float:
    """The interval score of a central (1 - alpha) interval (Gneiting and Raftery 2007)."""
    return float((upper - lower) + 2.0 / alpha * max(lower - observation, 0.0)
                 + 2.0 / alpha * max(observation - upper, 0.0))


@dataclass
class Validation:
    """Scores of a rolling-origin forecast: one row per actor-year, and their means.

    Attributes:
        origin: the last year the fit saw.
        rows: per actor-year: actor, year, observed, median, the 5/25/75/95 % quantiles, CRPS,
            interval score, in the 50 % and 90 % bands, and the persistence and trend forecasts.
        settings: the fit's settings.
    """

    origin: int
    rows: list[dict]
    settings: dict

    def summary(self) -> dict[str, float]:
        """Means over the actor-years: the model's scores, the benchmarks', the coverage."""
        col = {k: np.array([r[k] for r in self.rows], dtype=float) for k in self.rows[0]
               if k not in ("actor",)}
        return {"points": float(len(self.rows)),
                "crps": float(col["crps"].mean()),
                "mae_median": float(np.abs(col["median"] - col["observed"]).mean()),
                "crps_persistence": float(np.abs(col["persistence"] - col["observed"]).mean()),
                "crps_trend": float(np.abs(col["trend"] - col["observed"]).mean()),
                "interval_score_90": float(col["interval_score_90"].mean()),
                "coverage_50": float(col["in_50"].mean()),
                "coverage_90": float(col["in_90"].mean())}


def rolling_origin(data_dir: str | Path = "data", origin: int = 2016, particles: int = 500,
                   generations: int = 4, seed: int = 1, scenario: str = "historical-2014",
                   observation_error: float = SPENDING_ERROR) -> Validation:
    """Fit to ``origin``, forecast the spending of the years after it to 2019, score them.

    Args:
        data_dir: the folder with the data files.
        origin: the last year the fit sees (2016: score 2017-2019).
        particles: the ABC population (and the forecast's draws).
        generations: ABC generations after the first.
        seed: seeds the fit and the forecast's run.
        scenario: the hindcast.
        observation_error: the standard deviation of the observation around the model's
            value, pp (0: score the model's state itself).
    """
    cal = calibrate_abc(scenario, data_dir, particles=particles, generations=generations,
                        seed=seed, fit_end=origin)
    members = cal.population
    base = load_scenario(scenario, calibration={})  # the fit to the origin, nothing else
    sc = with_run_settings(base, steps=steps_to(base, FIT_END), seed=seed + 1)
    res = run(sc, seed=seed + 1, replicates=len(members), record="full", events_max_replicates=0,
              vary=members_vary(cal, base, len(members)))
    array, _ = res.array(every=True)
    sim = simulated(array, res.columns, res.dates)
    data = observed(Path(data_dir)).spending
    noise = np.random.default_rng([seed, 2])
    rows = []
    for actor in SPENDING_ACTORS:
        seen = {y: v for y, v in data[actor].items() if y <= origin}
        years = sorted(seen)
        slope, intercept = np.polyfit(years, [seen[y] for y in years], 1)
        for year in sorted(y for y in data[actor] if origin < y <= 2019):
            draws = sim.spending[(actor, year)] + observation_error * noise.standard_normal(
                len(members))
            obs = data[actor][year]
            q05, q25, q50, q75, q95 = np.percentile(draws, [5, 25, 50, 75, 95])
            rows.append({"actor": actor, "year": year, "observed": obs, "median": q50,
                         "q05": q05, "q25": q25, "q75": q75, "q95": q95,
                         "crps": crps(draws, obs),
                         "interval_score_90": interval_score(q05, q95, obs),
                         "in_50": float(q25 <= obs <= q75), "in_90": float(q05 <= obs <= q95),
                         "persistence": seen[years[-1]],
                         "trend": slope * year + intercept})
    return Validation(origin, rows, cal.settings)
