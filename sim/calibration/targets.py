"""What the calibration fits to, from data up to 2019 only, and the loss.

Targets (``data/``):

* spending, % of GDP, annual 2015-2019, for Russia, the US, Estonia, Latvia, Lithuania, Poland
  (SIPRI, ``milex_gdp.csv``) and NATO's Europe-and-Canada aggregate (SIPRI-derived,
  ``milex_gdp_derived_nato_europe_canada.csv``): error in pp, scaled by 0.25 pp;
* incidents a month across all pairs: March-October 2014 about 40 in eight months (European
  Leadership Network, 3 high-risk and 11 serious of them), 2016-17 about 17 in two years: error as
  the log ratio, scaled by log 2 (within a factor of two is one unit);
* allied forward presence in 2018-2019: the eFP's ~4,500 troops (``efp_battlegroups.csv``:
  3,300 in the Baltic states and 1,177 in Poland): relative error scaled by 0.2;
* Russia's forces near the Baltic: the 2016 mean of its near-border deployment over its January
  2014 value, against the ratio of its national military personnel 2016 / 2014 (Correlates of War
  NMC ``milper``, ``cow_nmc_capabilities.csv``: 798 / 845 thousand = 0.94). ASSUMPTION: the
  near-border share of national forces did not fall (the Western district gained formations in
  2016, so this is a floor, not a ceiling); relative error scaled by 0.2. Without it the fit may
  buy 2016-17's low incident count by shrinking Russia's forces, which no other target sees;
* the ordering of tension: the 2014-15 peak of the index above its 2017-19 mean by at least two
  points (a hinge: one unit per 5 points short);
* no war: no pair of the hindcast (Russia against NATO, its members, the US, the EU, Finland,
  Sweden) reached limited conflict from 2014 to 2019. A replicate in which one does is
  :data:`WAR_ERROR` units from the data, whatever else it matches: approximate Bayesian
  computation then rejects it outright (the exact-match rule for a yes/no observation), and an
  averaged loss counts the share of such replicates. This is the evidence against parameter
  sets that make war likely; the escalation constants can only be fitted with it.

Years after 2019 in ``data/`` (none for spending in this release) would be reported as out of
sample, never fitted.
"""

from __future__ import annotations

import csv
from collections import defaultdict
from dataclasses import dataclass
from pathlib import Path

import numpy as np

SPENDING_ACTORS = {"Russia": "Russia", "US": "United States", "Estonia": "Estonia",
                   "Latvia": "Latvia", "Lithuania": "Lithuania", "Poland": "Poland",
                   "NATO": "NATO"}
FIT_YEARS = range(2015, 2020)
SPENDING_ERROR = 0.25
"""The stated error of a spending share, pp of GDP: SIPRI's revisions between releases and the
gap between its and NATO's figures for the same year reach a few tenths of a point (Estonia 2015:
1.989 against 2.025), and a model of annual budgets misses a year's one-off (Russia's 2016 debt
repayment) by more."""
INCIDENTS_2014 = 40 / 8
INCIDENTS_2016_17 = 17 / 24
EFP_TROOPS = 3300 + 1177
ORDERING_MARGIN = 3.0
"""Tension points by which the 2014-15 peak must clear the 2017-19 mean before the hinge is zero:
an ordering that holds only on the median of a fit would fail on half its replicates."""
WAR_RUNG = 5
"""The ladder's rung of limited conflict (:data:`sim.RUNGS`): reaching it is a war."""
WAR_ERROR = 5.0
"""Units of error of a replicate that went to war when none did: beyond any tolerance a fit
accepts (the shipped fit's last is 2.44 units), so war is never traded against a better match
elsewhere."""


SPENDING_PUBLISHER = "SIPRI"
"""The one source of every spending series: ``milex_gdp.csv`` also holds NATO's own figures for
its members (a different definition, real 2015 prices: Estonia 2015 2.025 against SIPRI's
1.989), which must not mix into a SIPRI series."""


def spending_data(data_dir: Path) -> dict[str, dict[int, float]]:
    """SIPRI shares of GDP by model actor and year (SIPRI's rows only: one source a series)."""
    by_country: dict[str, dict[int, float]] = defaultdict(dict)
    with open(data_dir / "milex_gdp.csv", encoding="utf-8") as fh:
        for row in csv.DictReader(fh):
            if row["value"] and row.get("publisher", SPENDING_PUBLISHER) == SPENDING_PUBLISHER:
                by_country[row["country"]][int(row["year"])] = float(row["value"])
    with open(data_dir / "milex_gdp_derived_nato_europe_canada.csv", encoding="utf-8") as fh:
        for row in csv.DictReader(fh):
            if row["value"]:
                by_country["NATO"][int(row["year"])] = float(row["value"])
    return {actor: by_country[country] for actor, country in SPENDING_ACTORS.items()}


def russia_forces_ratio(data_dir: Path) -> float:
    """Russia's military personnel 2016 / 2014 (Correlates of War NMC ``milper``)."""
    milper = {}
    with open(data_dir / "cow_nmc_capabilities.csv", encoding="utf-8") as fh:
        for row in csv.DictReader(fh):
            if row["country"] == "Russia" and row["variable"] == "milper" and row["value"]:
                milper[int(row["year"])] = float(row["value"])
    return milper[2016] / milper[2014]


@dataclass
class Simulated:
    """Per-replicate statistics of a hindcast run, from ``Result.array(every=True)``."""

    spending: dict[tuple[str, int], np.ndarray]  # (actor, year) -> (R,) annual mean share
    incidents_2014: np.ndarray                    # (R,) a month, Mar-Oct 2014
    incidents_2016_17: np.ndarray                 # (R,) a month, 2016-17
    efp: np.ndarray                               # (R,) allied forward troops, 2018-19 mean
    russia_forces: np.ndarray                     # (R,) near-border deployment, 2016 / Jan 2014
    peak_2014_15: np.ndarray                      # (R,) tension index
    mean_2017_19: np.ndarray                      # (R,)
    first_war_year: np.ndarray                    # (R,) year some pair first reached limited
    #                                               conflict from 2014 on (inf: none by 2019)


def simulated(array: np.ndarray, columns: list[tuple[str, str, str]], dates: list[str]
              ) -> Simulated:
    """Statistics per replicate from a (T, R, V) every-replicate array."""
    col = {(c[1], c[2]): k for k, c in enumerate(columns)}
    months = np.array([d[:7] for d in dates])  # step k ends on the first of the next month
    covered = np.array([_previous_month(m) for m in months])
    years = np.array([int(c[:4]) for c in covered])

    def window(first: str, last: str) -> np.ndarray:
        return (covered >= first) & (covered <= last)

    spending = {}
    for actor in SPENDING_ACTORS:
        k = col[("spending_pct_gdp", actor)]
        for year in range(2014, 2020):
            sel = (years == year) & (np.arange(len(dates)) > 0)
            spending[(actor, year)] = array[sel, :, k].mean(axis=0)
    incident_cols = [k for (var, _), k in col.items() if var == "incidents"]
    total = array[:, :, incident_cols].sum(axis=2)
    efp_cols = [col[("deployment_troops", a)] for a in ("NATO", "US")]
    index = array[:, :, col[("tension_index", "")]]
    russia = array[:, :, col[("deployment_troops", "Russia")]]
    rung_cols = [k for (var, _), k in col.items() if var == "rung"]
    at_war = (array[:, :, rung_cols] >= WAR_RUNG).any(axis=2) & window("2014-01", "2019-12")[:, None]
    first = np.argmax(at_war, axis=0)
    first_war_year = np.where(at_war.any(axis=0), years[first], np.inf)
    return Simulated(
        spending=spending,
        incidents_2014=total[window("2014-03", "2014-10")].mean(axis=0),
        incidents_2016_17=total[window("2016-01", "2017-12")].mean(axis=0),
        efp=array[window("2018-01", "2019-12")][:, :, efp_cols].sum(axis=2).mean(axis=0),
        russia_forces=russia[window("2016-01", "2016-12")].mean(axis=0)
        / np.maximum(russia[0], 1.0),
        peak_2014_15=index[window("2014-01", "2015-12")].max(axis=0),
        mean_2017_19=index[window("2017-01", "2019-12")].mean(axis=0),
        first_war_year=first_war_year.astype(float))


def annual_median(result, variable: str):
    """A recorded variable's median series averaged by the year of each step's date.

    Returns a pandas Series indexed by (entity, year), for reports and pattern tests.
    """
    ts = result.timeseries
    ts = ts[(ts["variable"] == variable) & (ts["quantile"] == "p50")].copy()
    ts["year"] = ts["date"].str[:4].astype(int)
    return ts.groupby(["entity", "year"])["value"].mean()


def _previous_month(month: str) -> str:
    y, m = int(month[:4]), int(month[5:7])
    return f"{y - 1}-12" if m == 1 else f"{y}-{m - 1:02d}"


@dataclass(frozen=True)
class Observed:
    """The observations the loss compares with, read from ``data/``."""

    spending: dict[str, dict[int, float]]   # actor -> year -> % of GDP
    russia_forces: float                    # Russia's personnel 2016 / 2014


def observed(data_dir: Path) -> Observed:
    """Every observation the calibration targets, from the data folder."""
    return Observed(spending_data(data_dir), russia_forces_ratio(data_dir))


def loss_terms(sim: Simulated, obs: Observed, fit_end: int = 2019) -> dict[str, np.ndarray]:
    """Each target's squared scaled error per replicate (see the module docstring).

    ``fit_end``: the last year the fit may see (a rolling origin fits to an earlier year and
    scores the years after it): spending up to it, and the other targets only where their
    window ends by then.
    """
    data, forces_ratio = obs.spending, obs.russia_forces
    spend = [((sim.spending[(a, y)] - data[a][y]) / SPENDING_ERROR) ** 2
             for a in SPENDING_ACTORS for y in FIT_YEARS if y in data[a] and y <= fit_end]
    terms = {
        "spending": np.mean(spend, axis=0),
        "incidents_2014": (np.log(np.maximum(sim.incidents_2014, 1e-3) / INCIDENTS_2014)
                           / np.log(2)) ** 2,
        "incidents_2016_17": (np.log(np.maximum(sim.incidents_2016_17, 1e-3) / INCIDENTS_2016_17)
                              / np.log(2)) ** 2,
        "efp": ((sim.efp - EFP_TROOPS) / (0.2 * EFP_TROOPS)) ** 2,
        "russia_forces": ((sim.russia_forces - forces_ratio) / (0.2 * forces_ratio)) ** 2,
        "tension_ordering": (np.maximum(0.0, sim.mean_2017_19 + ORDERING_MARGIN
                                        - sim.peak_2014_15) / 2.0) ** 2,
        "no_war": np.where(sim.first_war_year <= fit_end, WAR_ERROR ** 2, 0.0),
    }
    window_end = {"incidents_2014": 2014, "incidents_2016_17": 2017, "efp": 2019,
                  "russia_forces": 2016, "tension_ordering": 2019, "spending": 2015,
                  "no_war": 2014}
    return {name: value for name, value in terms.items() if window_end[name] <= fit_end}
